"""The overview page and API detail of an initiative, and editing it (page and API)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.ideas.models import Idea
from seedbed.pipeline.actions.initiatives import (
    add_team_member,
    promote_ideas,
    update_initiative,
)
from seedbed.pipeline.models import GateDecision, Initiative
from tests.support import api_call, assert_error_body

API = "/api/v1/pipeline/initiatives"


def detail(initiative) -> str:
    return reverse("pipeline:initiative_detail", args=[initiative.pk])


def edit(initiative) -> str:
    return reverse("pipeline:initiative_edit", args=[initiative.pk])


def agreement_in_force(users) -> None:
    from seedbed.strategy.actions.partners import add_agreement

    add_agreement(users["manager"], users["partner"].partner_org, kind="nda", title="NDA",
                  starts_on=timezone.localdate() - timedelta(days=10))


def new_objective(users, title: str = "Halve plastic"):
    from seedbed.strategy.actions.planning import create_objective

    return create_objective(users["manager"], title=title, indicator="Plastic", unit="t",
                            baseline=100, target=50, start_on=date(2025, 1, 1),
                            due_on=date(2028, 12, 31), owner=users["leader"])


def decide(initiative, user, rationale: str, co_deciders=()) -> GateDecision:
    """A recorded gate decision (deciding is the gates area's action, tested there)."""
    decision = GateDecision.objects.create(
        initiative=initiative, stage=initiative.stage, round=initiative.gate_round,
        outcome=GateDecision.Outcome.ITERATE, rationale=rationale, decided_by=user,
        uncertainty=initiative.uncertainty, risk_appetite=initiative.stage.risk_appetite)
    decision.co_deciders.set(co_deciders)
    initiative.gate_round += 1
    Initiative.objects.filter(pk=initiative.pk).update(gate_round=initiative.gate_round)
    return decision


@pytest.fixture
def shaped(users, initiative):
    """The shared initiative with an objective, a Markdown summary, figures above the concept
    gate's risk appetite (90), a sponsor, an invited partner and two gate decisions."""
    objective = new_objective(users)
    update_initiative(users["manager"], initiative, objectives=[objective],
                      summary="Crates **with** a deposit.", projected_value=Decimal("12500"))
    Initiative.objects.filter(pk=initiative.pk).update(uncertainty=95, score=Decimal("71.50"))
    agreement_in_force(users)
    add_team_member(users["manager"], initiative, email=users["partner"].email, role="partner")
    add_team_member(users["manager"], initiative, email=users["leader"].email, role="sponsor")
    decide(initiative, users["manager"], "An older decision.")
    decide(initiative, users["manager"], "Test the *deposit* first.",
           co_deciders=[users["leader"]])
    initiative.refresh_from_db()
    return initiative


# --- Overview ---------------------------------------------------------------------------------


def test_overview_shows_facts_strategy_ideas_team_and_the_latest_decision(client_for, shaped,
                                                                          idea):
    html = client_for("manager").get(detail(shaped)).content.decode()
    assert 'id="uncertainty" class="above-appetite"' in html
    assert "above the risk appetite" in html and "risk appetite at this gate: 90" in html
    assert "12,500.00" in html and "71.50 / 100" in html
    assert "Crates <strong>with</strong> a deposit." in html
    assert f'href="{idea.get_absolute_url()}">Reusable crates</a>' in html
    assert "Halve plastic" in html and "Less waste in operations" in html
    for text in ("Manager Person</strong> <span class=\"meta\">Lead",
                 "Contributor Person <span class=\"meta\">Team member",
                 "Leader Person <span class=\"meta\">Sponsor",
                 "Partner Person <span class=\"meta\">Partner · Campus Lab"):
        assert text in html, text
    assert "Test the <em>deposit</em> first." in html and "An older decision." not in html
    assert "Manager Person, Leader Person" in html
    assert "Edit</a>" in html and "Add to the team" in html


def test_overview_for_a_partner_on_the_team_hides_internal_records(client_for, shaped, idea):
    html = client_for("partner").get(detail(shaped)).content.decode()
    assert "Crates <strong>with</strong> a deposit." in html
    assert "Halve plastic" not in html  # objectives belong to the internal strategy
    assert idea.get_absolute_url() not in html  # nor may they see the idea it grew from
    assert "No idea you can see." in html
    assert "Edit</a>" not in html and "Add to the team" not in html
    body = client_for("partner").get(f"{API}/{shaped.pk}").json()
    assert body["objectives"] == [] and body["ideas"] == []
    assert {m["organisation"] for m in body["team"]} == {None, "Campus Lab"}


def test_the_learnings_of_a_stopped_initiative_are_shown(client_for, initiative):
    Initiative.objects.filter(pk=initiative.pk).update(
        status=Initiative.Status.STOPPED, stopped_at=timezone.now(),
        learnings="Retailers' tills cannot take **deposits**.")
    html = client_for("auditor").get(detail(initiative)).content.decode()
    assert "What we learned" in html and "cannot take <strong>deposits</strong>" in html
    body = client_for("auditor").get(f"{API}/{initiative.pk}").json()
    assert body["status"] == "stopped" and body["learnings"].startswith("Retailers")


def test_api_detail_matches_the_page(client_for, shaped, idea):
    body = client_for("leader").get(f"{API}/{shaped.pk}").json()
    assert body["above_appetite"] is True and body["uncertainty"] == 95
    assert body["stage"]["key"] == "concept" and body["stage"]["risk_appetite"] == 90
    assert body["template"] == {"id": shaped.version.template_id, "code": "product",
                                "name": "Product or service", "version": 1}
    assert body["summary_html"] == "<p>Crates <strong>with</strong> a deposit.</p>\n"
    assert [i["id"] for i in body["ideas"]] == [idea.pk]
    assert [o["title"] for o in body["objectives"]] == ["Halve plastic"]
    assert {m["role"] for m in body["team"]} == {"member", "partner", "sponsor"}
    decision = body["latest_decision"]
    assert decision["rationale"] == "Test the *deposit* first."
    assert [p["full_name"] for p in decision["co_deciders"]] == ["Leader Person"]
    assert body["projected_value"] == "12500.00" and body["score"] == "71.50"


def test_overview_costs_a_fixed_number_of_queries(client_for, users, challenge, templates,
                                                  django_assert_num_queries):
    ideas = [idea_actions.submit_idea(users["contributor"], challenge, title=f"Idea {n}",
                                      description="d") for n in range(2)]
    initiative = promote_ideas(users["manager"], ideas)
    add_team_member(users["manager"], initiative, email=users["contributor"].email)
    decide(initiative, users["manager"], "First round.")
    manager, contributor = client_for("manager"), client_for("contributor")
    # session, user, the bell; the initiative; the frame's stages; its ideas I may see,
    # objectives, focus areas, team, latest decision and its co-deciders; a contributor pays
    # two more (their org unit, for which ideas they may see; are they on the team, for the
    # frame)
    with django_assert_num_queries(11):
        manager.get(detail(initiative))
    with django_assert_num_queries(13):
        contributor.get(detail(initiative))
    more = [idea_actions.submit_idea(users["evaluator"], challenge, title=f"More {n}",
                                     description="d") for n in range(5)]
    from seedbed.pipeline.models import InitiativeIdea

    InitiativeIdea.objects.bulk_create([InitiativeIdea(initiative=initiative, idea=i)
                                        for i in more])
    initiative.objectives.set([new_objective(users, f"Objective {n}") for n in range(4)])
    for person in ("evaluator", "leader", "admin"):
        add_team_member(users["manager"], initiative, email=users[person].email)
    for n in range(3):
        decide(initiative, users["manager"], f"Decision {n}", co_deciders=[users["leader"]])
    with django_assert_num_queries(11):
        html = manager.get(detail(initiative)).content.decode()
    assert "Decision 2" in html and "More 4" in html
    with django_assert_num_queries(13):
        contributor.get(detail(initiative))
    # session, user, the contributor's org unit; the initiative; its ideas, objectives, focus
    # areas, team, decision, deciders
    with django_assert_num_queries(10):
        assert contributor.get(f"{API}/{initiative.pk}").status_code == 200


# --- Edit -------------------------------------------------------------------------------------


def form_data(initiative, **overrides) -> dict:
    data = {"title": initiative.title, "summary": initiative.summary,
            "lead": initiative.lead_id, "org_unit": initiative.org_unit_id or "",
            "horizon": initiative.horizon, "projected_value": str(initiative.projected_value),
            "objectives": [o.pk for o in initiative.objectives.all()],
            "focus_areas": [a.pk for a in initiative.focus_areas.all()]}
    if initiative.confidential:
        data["confidential"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_manager_edits_every_field_but_not_the_stage_or_status(client_for, users, org,
                                                                 initiative):
    objective = new_objective(users)
    response = client_for("manager").post(edit(initiative), form_data(
        initiative, title="Crate loop", summary="New words.", lead=users["evaluator"].pk,
        org_unit=org["sales"].pk, horizon="h2", projected_value="9000.50",
        objectives=[objective.pk], confidential="on", stage="999", status="stopped"))
    assert response.status_code == 302 and response["Location"] == detail(initiative)
    initiative.refresh_from_db()
    assert (initiative.title, initiative.summary, initiative.lead, initiative.org_unit,
            initiative.horizon, initiative.projected_value, initiative.confidential) == (
        "Crate loop", "New words.", users["evaluator"], org["sales"], "h2",
        Decimal("9000.50"), True)
    assert list(initiative.objectives.all()) == [objective]
    assert (initiative.stage.key, initiative.status) == ("concept", "active")
    event = AuditEvent.objects.get(verb="initiative.updated")
    assert set(event.changes) == {"title", "summary", "lead", "org_unit", "horizon",
                                  "projected_value", "objectives", "confidential"}
    assert event.changes["title"] == {"before": "Reusable crates", "after": "Crate loop"}


def test_saving_without_changes_records_nothing(client_for, initiative):
    response = client_for("manager").post(edit(initiative), form_data(initiative))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb="initiative.updated").exists()


def test_the_lead_edits_title_summary_and_value_only(client_for, users, initiative):
    lead = users["contributor"]
    Initiative.objects.filter(pk=initiative.pk).update(lead=lead)
    initiative.refresh_from_db()
    client = client_for("contributor")
    form = client.get(edit(initiative)).context["form"]
    assert set(form.fields) == {"title", "summary", "projected_value"}
    response = client.post(edit(initiative), {"title": "Crates, by the lead", "summary": "s",
                                              "projected_value": "100", "horizon": "h3"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.title, initiative.projected_value, initiative.horizon) == (
        "Crates, by the lead", Decimal("100.00"), "h1")
    refused = api_call(client, "patch", f"{API}/{initiative.pk}", {"horizon": "h3"})
    assert_error_body(refused, 403, "forbidden")
    with pytest.raises(PermissionDenied):
        update_initiative(lead, initiative, lead=users["evaluator"])
    ok = api_call(client, "patch", f"{API}/{initiative.pk}", {"summary": "By API."})
    assert ok.status_code == 200 and ok.json()["summary"] == "By API."


def test_others_may_not_edit(client_for, users, initiative):
    for role in ("leader", "evaluator", "contributor"):  # the contributor is only a member
        client = client_for(role)
        assert client.get(edit(initiative)).status_code == 403, role
        assert client.post(edit(initiative), {"title": "Mine"}).status_code == 403, role
        assert_error_body(api_call(client, "patch", f"{API}/{initiative.pk}",
                                   {"title": "Mine"}), 403, "forbidden")
    assert client_for("auditor").get(edit(initiative)).status_code == 403
    assert client_for("partner").get(edit(initiative)).status_code == 404
    initiative.refresh_from_db()
    assert initiative.title == "Reusable crates"
    assert not AuditEvent.objects.filter(verb="initiative.updated").exists()


def test_edit_refuses_bad_input_and_stores_nothing(client_for, users, initiative):
    from seedbed.strategy.actions.focus import create_focus_area
    from seedbed.strategy.models import FocusArea

    retired = create_focus_area(users["manager"], title="Old theme", kind="threat",
                                rationale="r")
    FocusArea.objects.filter(pk=retired.pk).update(status=FocusArea.Status.RETIRED)
    Idea.objects.filter(pk__in=initiative.ideas.values("pk")).update(confidential=True)
    Initiative.objects.filter(pk=initiative.pk).update(confidential=True)
    initiative.refresh_from_db()
    client = client_for("manager")
    response = client.post(edit(initiative), form_data(
        initiative, title="", projected_value="-1", confidential=None))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "projected_value"}
    response = client.post(edit(initiative), form_data(initiative, confidential=None))
    assert response.status_code == 400
    assert "is confidential, so the initiative must be too" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        update_initiative(users["manager"], initiative, lead=users["partner"],
                          focus_areas=[retired], horizon="h7",
                          projected_value=Decimal("1e15"), title="x" * 201)
    assert set(refused.value.message_dict) == {"lead", "focus_areas", "horizon",
                                               "projected_value", "title"}
    manager = client_for("manager")
    for body, fields in (({"lead_id": 987654}, {"lead_id"}),
                         ({"focus_area_ids": [retired.pk]}, {"focus_area_ids"}),
                         ({"title": None}, {"title"}),
                         ({"title": ""}, {"title"}),
                         ({"confidential": False}, {"confidential"}),
                         ({"projected_value": "12.345"}, {"projected_value"}),
                         ({"objective_ids": [987654]}, {"objective_ids"})):
        error = assert_error_body(api_call(manager, "patch", f"{API}/{initiative.pk}", body),
                                  422, "invalid")
        assert set(error["fields"]) == fields, body
    initiative.refresh_from_db()
    assert initiative.title == "Reusable crates" and initiative.confidential is True
    assert not initiative.focus_areas.filter(pk=retired.pk).exists()
    assert not AuditEvent.objects.filter(verb="initiative.updated").exists()


def test_making_an_initiative_confidential_hides_it_from_those_outside(client_for, users,
                                                                      initiative):
    outsiders = ("evaluator", "auditor")
    for role in outsiders:
        assert client_for(role).get(detail(initiative)).status_code == 200
    response = api_call(client_for("manager"), "patch", f"{API}/{initiative.pk}",
                        {"confidential": True})
    assert response.status_code == 200 and response.json()["confidential"] is True
    list_url = reverse("pipeline:initiative_list")
    for role in outsiders:
        client = client_for(role)
        assert client.get(detail(initiative)).status_code == 404, role
        assert client.get(f"{API}/{initiative.pk}").status_code == 404, role
        assert client.get(f"{API}?q=crates").json()["count"] == 0, role
        assert "Reusable crates" not in client.get(f"{list_url}?q=crates").content.decode()
    # Its team (the contributor) and those who run the IMS still see it.
    for role in ("contributor", "manager", "leader"):
        assert client_for(role).get(detail(initiative)).status_code == 200, role
        assert client_for(role).get(f"{API}?q=crates").json()["count"] == 1, role


def test_edit_page_costs_a_fixed_number_of_queries(client_for, users, initiative,
                                                   django_assert_num_queries):
    manager = client_for("manager")
    # session, user, the bell; the initiative, its focus areas; the initial objectives and
    # focus areas; the form's people, units, objectives, focus areas; the frame's stages
    with django_assert_num_queries(12):
        manager.get(edit(initiative))
    initiative.objectives.set([new_objective(users, f"Objective {n}") for n in range(5)])
    with django_assert_num_queries(12):
        manager.get(edit(initiative))
