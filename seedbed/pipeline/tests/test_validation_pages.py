"""The validation and risk tabs and their forms: what each role sees and may do, bad input on
the forms (400 with the field's error, nothing stored), and fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk, TeamMember
from tests.support import new_initiative


def tab(initiative, name="pipeline:initiative_validation") -> str:
    return reverse(name, args=[initiative.pk])


def populate(initiative, actor, n: int) -> None:
    """n assumptions (critical and not), n experiments testing two each (half concluded), and
    n risks with owners."""
    made = [actions.create_assumption(actor, initiative, statement=f"Assumption {k}",
                                      kind=("desirability", "feasibility")[k % 2],
                                      importance=1 + k % 5) for k in range(n)]
    for k in range(n):
        experiment = actions.create_experiment(
            actor, initiative, hypothesis=f"Hypothesis {k}",
            assumptions=[made[k], made[(k + 1) % n]])
        if k % 2:
            actions.conclude_experiment(actor, experiment, status="succeeded",
                                        learning=f"Learning {k}")
    for k in range(n):
        actions.create_risk(actor, initiative, title=f"Risk {k}", likelihood=1 + k % 5,
                            impact=5 - k % 5, owner=actor)


# --- the validation tab -----------------------------------------------------------------------


def test_ledger_puts_critical_first_and_explains_the_uncertainty(initiative, users, client_for):
    m = users["manager"]
    actions.create_assumption(m, initiative, statement="Minor detail", kind="other",
                              importance=2)
    critical = actions.create_assumption(m, initiative, statement="People <b>want</b> it",
                                         kind="desirability", importance=5)
    actions.create_experiment(m, initiative, hypothesis="Half say yes",
                              assumptions=[critical])
    html = client_for("manager").get(tab(initiative)).content.decode()
    assert html.index("People &lt;b&gt;want&lt;/b&gt; it") < html.index("Minor detail")
    assert "100 × 5 ÷ 5" in html
    assert "Above appetite" in html  # 100 against the concept gate's 90
    assert "Untested critical assumptions" in html
    assert reverse("pipeline:assumption_edit", args=[critical.pk]) in html
    # Under test, so it offers no delete button; the minor one does.
    assert reverse("pipeline:assumption_delete", args=[critical.pk]) not in html
    assert "Half say yes" in html and "Record the result" in html


def test_ledger_sorts_by_a_column_and_answers_htmx_with_the_table_only(initiative, users,
                                                                       client_for):
    m = users["manager"]
    actions.create_assumption(m, initiative, statement="Zeta viability", kind="viability",
                              importance=5)
    actions.create_assumption(m, initiative, statement="Alpha desirability",
                              kind="desirability", importance=1)
    client = client_for("contributor")
    html = client.get(tab(initiative) + "?sort=kind").content.decode()
    ledger = html[html.index('<div id="ledger">'):]
    assert ledger.index("Alpha desirability") < ledger.index("Zeta viability")
    default = client.get(tab(initiative)).content.decode()
    ledger = default[default.index('<div id="ledger">'):]
    assert ledger.index("Zeta viability") < ledger.index("Alpha desirability")
    partial = client.get(tab(initiative) + "?sort=kind", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and body.lstrip().startswith('<div id="ledger">')
    assert "<html" not in body
    assert body.index("Alpha desirability") < body.index("Zeta viability")
    assert client.get(tab(initiative) + "?sort=nonsense").status_code == 200


def test_within_appetite_shows_no_warning(initiative, users, client_for):
    actions.create_assumption(users["manager"], initiative, statement="Minor",
                              kind="other", importance=2)
    html = client_for("manager").get(tab(initiative)).content.decode()
    assert "Within appetite" in html and "Above appetite" not in html


def test_auditor_reads_the_tabs_but_changes_nothing(initiative, users, client_for):
    a = actions.create_assumption(users["manager"], initiative, statement="People want it",
                                  kind="desirability", importance=5)
    auditor = client_for("auditor")
    html = auditor.get(tab(initiative)).content.decode()
    assert "People want it" in html
    assert "Add an assumption" not in html and "Edit" not in html
    assert auditor.get(tab(initiative, "pipeline:initiative_risks")).status_code == 200
    before = AuditEvent.objects.count()
    for url in (reverse("pipeline:assumption_create", args=[initiative.pk]),
                reverse("pipeline:assumption_delete", args=[a.pk]),
                reverse("pipeline:risk_create", args=[initiative.pk])):
        assert auditor.post(url, {"statement": "x", "kind": "other", "importance": "3",
                                  "evidence": "0", "status": "untested"}).status_code == 403
    assert AuditEvent.objects.count() == before and Assumption.objects.count() == 1


def test_a_colleague_off_the_team_reads_but_may_not_open_the_forms(initiative, client_for):
    evaluator = client_for("evaluator")
    html = evaluator.get(tab(initiative)).content.decode()
    assert "Add an assumption" not in html
    url = reverse("pipeline:assumption_create", args=[initiative.pk])
    assert evaluator.get(url).status_code == 403


def test_partner_sees_and_works_only_on_initiatives_they_are_on(initiative, users, client_for):
    partner = client_for("partner")
    create = reverse("pipeline:assumption_create", args=[initiative.pk])
    data = {"statement": "Trays seal on our line", "kind": "feasibility", "importance": "4",
            "evidence": "0", "status": "untested"}
    assert partner.get(tab(initiative)).status_code == 404
    assert partner.get(create).status_code == 404
    assert partner.post(create, data).status_code == 404
    assert not Assumption.objects.exists()
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              role=TeamMember.Role.PARTNER, added_by=users["manager"])
    assert partner.get(tab(initiative)).status_code == 200
    response = partner.post(create, data)
    assert response.status_code == 302 and response["Location"] == tab(initiative)
    assert Assumption.objects.get().created_by == users["partner"]


# --- forms ------------------------------------------------------------------------------------


def test_experiment_form_without_hypothesis_is_refused(initiative, users, client_for):
    a = actions.create_assumption(users["manager"], initiative, statement="People want it",
                                  kind="desirability", importance=5)
    url = reverse("pipeline:experiment_create", args=[initiative.pk])
    response = client_for("contributor").post(url, {"hypothesis": "   ", "status": "planned",
                                                    "assumptions": [a.pk]})
    assert response.status_code == 400
    assert actions.HYPOTHESIS_REQUIRED in response.content.decode()
    assert not Experiment.objects.exists()


def test_experiment_form_refuses_another_initiatives_assumption(initiative, users, challenge,
                                                                client_for):
    idea = idea_actions.submit_idea(users["evaluator"], challenge, title="Other",
                                    description="Another idea.")
    other = new_initiative(users["manager"], idea)
    theirs = actions.create_assumption(users["manager"], other, statement="Elsewhere",
                                       kind="other", importance=5)
    url = reverse("pipeline:experiment_create", args=[initiative.pk])
    response = client_for("manager").post(url, {"hypothesis": "It holds", "status": "planned",
                                                "assumptions": [theirs.pk]})
    assert response.status_code == 400 and not Experiment.objects.exists()
    # The form offers only this initiative's assumptions.
    assert "Elsewhere" not in client_for("manager").get(url).content.decode()


def test_experiment_form_checks_the_dates(initiative, client_for):
    url = reverse("pipeline:experiment_create", args=[initiative.pk])
    response = client_for("manager").post(url, {
        "hypothesis": "It holds", "status": "planned", "starts_on": "2030-05-02",
        "ends_on": "2030-05-01"})
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()


def test_concluding_through_the_form(initiative, users, client_for):
    m = users["manager"]
    a = actions.create_assumption(m, initiative, statement="People want it",
                                  kind="desirability", importance=5)
    experiment = actions.create_experiment(m, initiative, hypothesis="Half say yes",
                                           assumptions=[a])
    url = reverse("pipeline:experiment_conclude", args=[experiment.pk])
    client = client_for("contributor")
    refused = client.post(url, {"status": "succeeded", "learning": ""})
    assert refused.status_code == 400 and actions.LEARNING_REQUIRED in refused.content.decode()
    done = client.post(url, {"status": "succeeded", "result": "60 %", "learning": "They do."})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.status == "supported" and Initiative.objects.get(pk=initiative.pk).uncertainty == 0
    again = client.post(url, {"status": "failed", "learning": "Second thoughts."})
    assert again.status_code == 409 and "already concluded" in again.content.decode()
    # Its edit page now corrects only the result and learning.
    edit = client.get(reverse("pipeline:experiment_edit", args=[experiment.pk]))
    assert "Correct the result" in edit.content.decode()
    assert 'name="hypothesis"' not in edit.content.decode()


def test_deleting_a_tested_assumption_is_refused_with_a_message(initiative, users, client_for):
    m = users["manager"]
    a = actions.create_assumption(m, initiative, statement="People want it",
                                  kind="desirability", importance=5)
    actions.create_experiment(m, initiative, hypothesis="Half say yes", assumptions=[a])
    client = client_for("manager")
    response = client.post(reverse("pipeline:assumption_delete", args=[a.pk]), follow=True)
    assert "part of the initiative&#x27;s evidence" in response.content.decode()
    assert Assumption.objects.filter(pk=a.pk).exists()


def test_risk_form_refuses_scores_out_of_range(initiative, client_for):
    url = reverse("pipeline:risk_create", args=[initiative.pk])
    response = client_for("manager").post(url, {"title": "Flood", "likelihood": "9",
                                                "impact": "0", "status": "open"})
    assert response.status_code == 400 and not Risk.objects.exists()
    assert response.content.decode().count("field-error") == 2


def test_risk_tab_shows_levels_heat_map_and_untreated_high_risks(initiative, users,
                                                                 client_for):
    m = users["manager"]
    actions.create_risk(m, initiative, title="Recall of a batch", likelihood=4, impact=5)
    actions.create_risk(m, initiative, title="Late film delivery", likelihood=2, impact=2,
                        treatment="accept", owner=users["contributor"])
    html = client_for("leader").get(tab(initiative, "pipeline:initiative_risks")).content \
        .decode()
    assert "1 high risk without a treatment" in html
    assert "4 × 5 = <strong>20</strong>" in html
    assert 'class="heat heat-high"' in html and "Contributor Person" in html
    assert "Add a risk" not in html  # the leader is not on the team


def test_stopped_initiative_offers_only_learnings(initiative, users, client_for):
    m = users["manager"]
    experiment = actions.create_experiment(m, initiative, hypothesis="It holds")
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    client = client_for("manager")
    html = client.get(tab(initiative)).content.decode()
    assert "Add an assumption" not in html and "Record what was learned" in html
    edit = reverse("pipeline:experiment_edit", args=[experiment.pk])
    assert 'name="result"' not in client.get(edit).content.decode()
    assert client.post(edit, {"learning": "We stopped first."}).status_code == 302
    response = client.post(reverse("pipeline:assumption_create", args=[initiative.pk]), {
        "statement": "Late", "kind": "other", "importance": "3", "evidence": "0",
        "status": "untested"})
    assert response.status_code == 409 and not Assumption.objects.exists()


# --- query counts -----------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


# Session, user, initiative, stages, the notification bell (+ the team check for someone who
# does not run the IMS), then the validation tab's assumptions with their experiment counts,
# experiments and the assumptions they test; the risk tab's risks with their owners.
BUDGETS = {("pipeline:initiative_validation", "manager"): 8,
           ("pipeline:initiative_validation", "contributor"): 9,
           ("pipeline:initiative_risks", "manager"): 6,
           ("pipeline:initiative_risks", "contributor"): 7}


@pytest.mark.parametrize(("page", "role"), sorted(BUDGETS))
def test_tabs_cost_a_fixed_number_of_queries(page, role, initiative, users, client_for):
    client = client_for(role)
    url = tab(initiative, page)
    populate(initiative, users["manager"], 3)
    small = count_queries(client, url)
    populate(initiative, users["manager"], 12)
    assert count_queries(client, url) == small == BUDGETS[(page, role)]
