"""Promoting ideas into initiatives: one idea or several merged ones, through the action, the
API and the promote page; the idea page's link to its initiative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions as idea_actions
from seedbed.ideas.models import Idea
from seedbed.notifications.models import Notification
from seedbed.pipeline.actions.initiatives import promote_ideas
from seedbed.pipeline.models import Initiative, InitiativeIdea, WorkflowTemplate
from tests.support import api_call, assert_error_body

API = "/api/v1/pipeline/initiatives"


@pytest.fixture
def second(users, challenge):
    """Another idea in the same challenge, by the evaluator, followed by the leader."""
    made = idea_actions.submit_idea(users["evaluator"], challenge, title="Crate deposit scheme",
                                    description="Charge retailers a deposit per crate.")
    idea_actions.follow_idea(users["leader"], made)
    return made


@pytest.fixture
def objectives(users):
    from datetime import date

    from seedbed.strategy.actions.planning import create_objective

    return [create_objective(users["manager"], title=title, indicator="Share", unit="%",
                             baseline=0, target=50, start_on=date(2025, 1, 1),
                             due_on=date(2027, 12, 31), owner=users["leader"])
            for title in ("Halve plastic", "Faster launches")]


def nothing_promoted(*ideas) -> None:
    assert not Initiative.objects.exists()
    assert not InitiativeIdea.objects.exists()
    assert not AuditEvent.objects.filter(verb="initiative.promoted").exists()
    for idea in ideas:
        idea.refresh_from_db()
        assert idea.status == Idea.Status.SUBMITTED


# --- The action -------------------------------------------------------------------------------


def test_promoting_one_idea_links_it_and_takes_its_defaults(users, idea, templates,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = promote_ideas(users["manager"], [idea])
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SELECTED
    assert list(initiative.ideas.all()) == [idea]
    assert initiative.title == "Reusable crates"
    assert initiative.summary == idea.description
    # The idea's type (product, the challenge's) chooses the template; it starts at stage one.
    assert initiative.version == templates["product"].current
    assert initiative.stage.key == "concept"
    assert initiative.lead == users["manager"] and initiative.org_unit == users["manager"].org_unit
    assert initiative.horizon == "h1"  # the challenge's focus area's
    assert list(initiative.focus_areas.all()) == list(idea.challenge.focus_areas.all())
    assert initiative.confidential is False
    event = AuditEvent.objects.get(verb="initiative.promoted")
    assert event.object_id == str(initiative.pk)
    assert event.changes["ideas"]["after"] == [idea.pk]
    assert event.changes["idea_status"]["after"] == {
        str(idea.pk): {"before": "submitted", "after": "selected"}}
    note = Notification.objects.get(kind="idea.status_changed")
    assert note.recipient == users["contributor"]
    assert note.text == "“Reusable crates” is now selected"


def test_promoting_merged_ideas_links_all_and_tells_every_author_and_follower(
        users, idea, second, templates, objectives, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative = promote_ideas(
            users["manager"], [second, idea], title="Returnable crate loop",
            summary="Crates **with** a deposit.", template=templates["business_model"],
            lead=users["contributor"], horizon="h2", objectives=[objectives[0]],
            projected_value=Decimal("45000.00"))
    assert set(initiative.ideas.all()) == {idea, second}
    assert initiative.idea_type == second.idea_type  # the first idea given
    assert initiative.version.template.code == "business_model"
    assert (initiative.lead, initiative.horizon) == (users["contributor"], "h2")
    assert initiative.org_unit == users["contributor"].org_unit
    assert list(initiative.objectives.all()) == [objectives[0]]
    assert initiative.projected_value == Decimal("45000.00")
    assert set(Idea.objects.values_list("status", flat=True)) == {Idea.Status.SELECTED}
    told = set(Notification.objects.filter(kind="idea.status_changed")
               .values_list("recipient__email", "idea_id"))
    assert told == {("contributor@example.test", idea.pk), ("evaluator@example.test", second.pk),
                    ("leader@example.test", second.pk)}
    assert AuditEvent.objects.filter(verb="initiative.promoted").count() == 1


def test_a_confidential_idea_makes_a_confidential_initiative(users, idea, templates):
    Idea.objects.filter(pk=idea.pk).update(confidential=True)
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [idea], confidential=False)
    assert set(refused.value.message_dict) == {"confidential"}
    assert promote_ideas(users["manager"], [idea]).confidential is True


def test_only_managers_promote(users, idea, templates):
    for role in ("leader", "evaluator", "contributor", "partner", "auditor"):
        with pytest.raises(PermissionDenied):
            promote_ideas(users[role], [idea])
    nothing_promoted(idea)
    assert promote_ideas(users["admin"], [idea]).created_by == users["admin"]


def test_an_idea_feeds_one_initiative_only(users, idea, second, templates):
    promote_ideas(users["manager"], [idea])
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [second, idea])
    assert refused.value.message_dict == {
        "ideas": ["“Reusable crates” already feeds an initiative."]}
    assert Initiative.objects.count() == 1
    second.refresh_from_db()
    assert second.status == Idea.Status.SUBMITTED and not InitiativeIdea.objects.filter(
        idea=second).exists()


@pytest.mark.parametrize("status", ["declined", "merged", "implemented"])
def test_decided_ideas_cannot_be_promoted(status, users, idea, templates):
    Idea.objects.filter(pk=idea.pk).update(status=status)
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [idea])
    assert "only submitted, reviewed, selected or parked ideas" in \
        refused.value.message_dict["ideas"][0]
    assert not Initiative.objects.exists()


def test_drafts_cannot_be_promoted(users, challenge, templates):
    theirs = idea_actions.create_idea(users["contributor"], challenge=challenge, title="Half",
                                      description="Not ready.", draft=True)
    mine = idea_actions.create_idea(users["manager"], challenge=challenge, title="Mine",
                                    description="Not ready either.", draft=True)
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [theirs])  # a draft is private to its authors
    assert refused.value.message_dict == {"ideas": ["One of these ideas does not exist."]}
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [mine])
    assert "“Mine” is draft" in refused.value.message_dict["ideas"][0]
    assert not Initiative.objects.exists()


def test_a_template_without_a_published_version_is_refused(users, idea, templates):
    empty = WorkflowTemplate.objects.create(code="empty", name="Empty", active=True)
    inactive = templates["process"]
    WorkflowTemplate.objects.filter(pk=inactive.pk).update(active=False)
    inactive.refresh_from_db()
    for template in (empty, inactive):
        with pytest.raises(ValidationError) as refused:
            promote_ideas(users["manager"], [idea], template=template)
        assert set(refused.value.message_dict) == {"template"}
    nothing_promoted(idea)


def test_every_bad_field_is_reported_at_once(users, idea, templates):
    with pytest.raises(ValidationError) as refused:
        promote_ideas(users["manager"], [idea], title="x" * 201, lead=users["partner"],
                      horizon="h9", projected_value=Decimal("-1"))
    assert set(refused.value.message_dict) == {"title", "lead", "horizon", "projected_value"}
    nothing_promoted(idea)


# --- The API ----------------------------------------------------------------------------------


def test_api_promotes_merged_ideas(client_for, users, idea, second, templates):
    response = api_call(client_for("manager"), "post", API, {
        "idea_ids": [idea.pk, second.pk], "title": "Crate loop", "horizon": "h2",
        "lead_id": users["evaluator"].pk, "template_id": templates["process"].pk,
        "projected_value": "1500.25"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Crate loop" and body["horizon"] == "h2"
    assert body["template"]["code"] == "process" and body["stage"]["key"] == "diagnose"
    assert body["lead"]["id"] == users["evaluator"].pk
    assert {i["id"] for i in body["ideas"]} == {idea.pk, second.pk}
    assert body["projected_value"] == "1500.25"
    assert Initiative.objects.get().ideas.count() == 2


@pytest.mark.parametrize(("body", "fields"), [
    ({"idea_ids": []}, {"idea_ids"}),
    ({"idea_ids": [987654]}, {"idea_ids"}),
    ({"idea_ids": [-1]}, {"idea_ids"}),
    ({"idea_ids": [2**70]}, {"idea_ids"}),
    ({"idea_ids": list(range(2, 30))}, {"idea_ids"}),
    ({"idea_ids": ["crates"]}, {"idea_ids.0"}),
    ({"idea_ids": [1], "lead_id": 987654, "template_id": 987654,
      "focus_area_ids": [987654]}, {"lead_id", "template_id", "focus_area_ids"}),
    ({"idea_ids": [1], "lead_id": 2**70, "org_unit_id": -3}, {"lead_id", "org_unit_id"}),
    ({"idea_ids": [1], "horizon": "h4"}, {"horizon"}),
    ({"idea_ids": [1], "projected_value": "-5"}, {"projected_value"}),
    ({"idea_ids": [1], "title": "T" * 201}, {"title"}),
])
def test_api_refuses_bad_promotions_naming_the_fields(body, fields, client_for, idea,
                                                      templates):
    body = {**body, "idea_ids": [idea.pk if i == 1 else i for i in body["idea_ids"]]}
    error = assert_error_body(api_call(client_for("manager"), "post", API, body), 422,
                              "invalid")
    assert set(error["fields"]) == fields
    nothing_promoted(idea)


def test_api_refuses_an_idea_already_promoted_and_non_managers(client_for, users, idea,
                                                              templates):
    promote_ideas(users["manager"], [idea])
    error = assert_error_body(api_call(client_for("manager"), "post", API,
                                       {"idea_ids": [idea.pk]}), 422, "invalid")
    assert error["fields"] == {"idea_ids": ["“Reusable crates” already feeds an initiative."]}
    assert_error_body(api_call(client_for("contributor"), "post", API, {"idea_ids": [idea.pk]}),
                      403, "forbidden")
    assert_error_body(api_call(client_for("manager"), "post", API, "{not json"), 400)
    assert Initiative.objects.count() == 1


def test_api_refuses_a_template_without_a_published_version(client_for, idea, templates):
    draft_only = WorkflowTemplate.objects.create(code="draft_only", name="Draft only")
    error = assert_error_body(api_call(client_for("manager"), "post", API, {
        "idea_ids": [idea.pk], "template_id": draft_only.pk}), 422, "invalid")
    assert error["fields"] == {"template_id": [
        "Choose an active workflow template with a published version."]}
    nothing_promoted(idea)


# --- The promote page -------------------------------------------------------------------------


def promote_url(*ideas, q: str = "") -> str:
    url = reverse("pipeline:initiative_promote") + "?ideas=" + ",".join(str(i.pk) for i in ideas)
    return url + (f"&q={q}" if q else "")


def test_promote_page_shows_the_chosen_ideas_defaults_and_a_search(client_for, idea, second,
                                                                   templates):
    manager = client_for("manager")
    page = manager.get(promote_url(idea))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Reusable crates"' in html  # the title defaults to the idea's
    assert f'<option value="{templates["product"].pk}" selected>' in html
    # The search lists the other promotable ideas, each with a link adding it.
    assert "Crate deposit scheme" in html
    assert f"ideas={idea.pk}%2C{second.pk}" in html
    found = manager.get(promote_url(idea, q="deposit")).content.decode()
    assert "Crate deposit scheme" in found
    assert "Crate deposit scheme" not in manager.get(
        promote_url(idea, q="pallets")).content.decode()
    both = manager.get(promote_url(idea, second)).content.decode()
    assert f'name="ideas" value="{idea.pk},{second.pk}"' in both


def test_promote_page_creates_the_initiative(client_for, users, idea, second, templates):
    response = client_for("manager").post(reverse("pipeline:initiative_promote"), {
        "ideas": f"{idea.pk},{second.pk}", "title": "Crate loop", "summary": "Both together.",
        "template": templates["product"].pk, "lead": users["contributor"].pk, "horizon": "h1",
        "projected_value": "2000"})
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert set(initiative.ideas.all()) == {idea, second}
    assert initiative.lead == users["contributor"]


def test_promote_page_shows_errors_and_stores_nothing(client_for, users, idea, second,
                                                     templates):
    promote_ideas(users["manager"], [second])
    manager = client_for("manager")
    page = manager.get(promote_url(idea, second)).content.decode()
    assert "already feeds “Crate deposit scheme”" in page
    response = manager.post(reverse("pipeline:initiative_promote"), {
        "ideas": f"{idea.pk},{second.pk}", "title": "", "template": templates["product"].pk,
        "lead": users["manager"].pk, "horizon": "h1", "projected_value": "-3"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"title", "projected_value"}
    response = manager.post(reverse("pipeline:initiative_promote"), {
        "ideas": f"{idea.pk},{second.pk}", "title": "Again", "template": templates["product"].pk,
        "lead": users["manager"].pk, "horizon": "h1"})
    assert response.status_code == 400
    assert "“Crate deposit scheme” already feeds an initiative." in response.content.decode()
    tampered = manager.post(reverse("pipeline:initiative_promote"), {
        "ideas": "1;DROP", "title": "T", "template": templates["product"].pk,
        "lead": users["manager"].pk, "horizon": "h1"})
    assert tampered.status_code == 400
    assert Initiative.objects.count() == 1
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_promote_page_costs_a_fixed_number_of_queries(client_for, users, challenge, templates,
                                                      django_assert_num_queries):
    manager = client_for("manager")
    ideas = [idea_actions.submit_idea(users["contributor"], challenge, title=f"Idea {n}",
                                      description="d") for n in range(3)]
    # session, user, the bell; the chosen ideas and their challenges' focus areas, the default
    # template, the candidates; the form's templates, people, units, objectives, focus areas
    with django_assert_num_queries(12):
        manager.get(promote_url(*ideas[:2]))
    ideas += [idea_actions.submit_idea(users["evaluator"], challenge, title=f"More {n}",
                                       description="d") for n in range(12)]
    with django_assert_num_queries(12):
        manager.get(promote_url(*ideas[:8]))


# --- The idea page ----------------------------------------------------------------------------


def test_idea_page_offers_managers_the_promotion_and_then_links_the_initiative(
        client_for, users, idea, templates):
    url = reverse("ideas:idea_detail", args=[idea.pk])
    assert "Promote to initiative" in client_for("manager").get(url).content.decode()
    assert "Promote to initiative" not in client_for("contributor").get(url).content.decode()
    initiative = promote_ideas(users["manager"], [idea], title="Crate loop pilot")
    for role in ("manager", "contributor", "auditor"):
        html = client_for(role).get(url).content.decode()
        assert "Developed in the initiative" in html and "Crate loop pilot" in html, role
        assert initiative.get_absolute_url() in html
        assert "Promote to initiative" not in html


def test_idea_page_hides_an_initiative_the_viewer_may_not_see(client_for, users, idea,
                                                             templates):
    promote_ideas(users["manager"], [idea], title="Secret crate loop", confidential=True)
    url = reverse("ideas:idea_detail", args=[idea.pk])
    assert "Secret crate loop" in client_for("leader").get(url).content.decode()
    for role in ("contributor", "evaluator", "auditor"):  # the idea yes, the initiative no
        response = client_for(role).get(url)
        assert response.status_code == 200
        assert "Secret crate loop" not in response.content.decode(), role
        assert "Developed in the initiative" not in response.content.decode(), role
