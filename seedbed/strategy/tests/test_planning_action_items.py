"""Actions on risks and opportunities, and planned changes (clauses 6.1, 6.3): an owner, a due
date, a status that moves one way, and always something they address."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import text_by_id, texts_with_class
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import ActionItem, ContextIssue, FocusArea

LIST = reverse("strategy:planning_action_item_list")
CREATE = reverse("strategy:planning_action_item_create")
API = "/api/v1/strategy/action-items"


@pytest.fixture
def manager(client_for):
    return client_for(policy.MANAGER)


@pytest.fixture
def links(users):
    m = users[policy.MANAGER]
    issue = ContextIssue.objects.create(title="Retailers demand less plastic",
                                        category=ContextIssue.Category.ENVIRONMENTAL,
                                        created_by=m)
    area = FocusArea.objects.create(title="Recyclable packaging", kind="opportunity",
                                    rationale="Retailer targets.", status="active",
                                    proposed_by=m)
    objective = actions.create_objective(
        m, title="Cut plastic", indicator="Tonnes of plastic", unit="t", baseline=100,
        target=50, start_on=date(2026, 1, 1), due_on=date(2028, 12, 31), owner=m)
    return {"issue": issue, "area": area, "objective": objective}


def make(users, links, **changes) -> ActionItem:
    data = {"title": "Trial mono-material trays", "kind": "opportunity",
            "owner": users[policy.EVALUATOR], "due_on": timezone.localdate() + timedelta(days=30),
            "focus_area": links["area"]}
    data.update(changes)
    return actions.create_action_item(users[policy.MANAGER], **data)


def test_manager_creates_an_action_through_the_form(manager, users, links):
    response = manager.post(CREATE, {
        "title": "Map plastic use per line", "kind": "risk", "owner": users[policy.EVALUATOR].pk,
        "due_on": "2030-03-31", "context_issue": links["issue"].pk,
        "description": "Per *line*."})
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.kind, item.status, item.context_issue) == ("risk", "open", links["issue"])
    assert AuditEvent.objects.filter(verb="action_item.created", object_id=str(item.pk)).exists()
    page = manager.get(item.get_absolute_url()).content.decode()
    assert "<em>line</em>" in page and "Retailers demand less plastic" in page


@pytest.mark.parametrize("changes,field,message", [
    ({"context_issue": None}, "focus_area", "Say what this action addresses"),
    ({"context_issue": "999999"}, "context_issue", "Select a valid choice."),
    ({"kind": "whim"}, "kind", "Select a valid choice."),
    ({"due_on": "31/31/2030"}, "due_on", "Enter a valid date."),
    ({"owner": ""}, "owner", "This field is required."),
    ({"title": "t" * 201}, "title", "at most 200 characters"),
])
def test_bad_action_input_is_a_field_error_and_stores_nothing(manager, users, links, changes,
                                                              field, message):
    data = {"title": "Map plastic use", "kind": "risk", "owner": users[policy.EVALUATOR].pk,
            "due_on": "2030-03-31", "context_issue": links["issue"].pk}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    events = AuditEvent.objects.count()
    response = manager.post(CREATE, data)
    assert response.status_code == 400
    assert message in text_by_id(response.content.decode(), f"id_{field}_error")
    assert not ActionItem.objects.exists() and AuditEvent.objects.count() == events


def test_api_refuses_an_action_that_addresses_nothing_or_unknown_records(manager, links):
    body = {"title": "Map plastic use", "kind": "risk", "due_on": "2030-03-31"}
    for extra, fields in (({}, {"focus_area_id"}), ({"objective_id": 987654}, {"objective_id"}),
                          ({"focus_area_id": 2**70}, {"focus_area_id"}),
                          ({"kind": "whim", "objective_id": links["objective"].pk}, {"kind"})):
        response = manager.post(API, json.dumps({**body, **extra}),
                                content_type="application/json")
        assert response.status_code == 422, response.content
        assert set(response.json()["error"]["fields"]) == fields
    assert not ActionItem.objects.exists()


def test_status_moves_open_in_progress_done_and_then_stops(manager, users, links):
    item = make(users, links)
    url = reverse("strategy:planning_action_item_status", args=[item.pk])
    assert manager.post(url, {"status": "done"}).status_code == 302  # not allowed from open
    item.refresh_from_db()
    assert item.status == "open"
    for status in ("in_progress", "done"):
        manager.post(url, {"status": status})
        item.refresh_from_db()
        assert item.status == status
    assert [e.changes["status"] for e in AuditEvent.objects.filter(
        verb="action_item.updated").order_by("seq")] == [
        {"before": "open", "after": "in_progress"}, {"before": "in_progress", "after": "done"}]
    # A done action is a closed record.
    response = manager.patch(f"{API}/{item.pk}", json.dumps({"title": "Rewrite history"}),
                             content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "action_item_closed"
    assert manager.post(reverse("strategy:planning_action_item_edit", args=[item.pk]), {
        "title": "x", "kind": "risk", "owner": users[policy.MANAGER].pk, "due_on": "2030-01-01",
        "focus_area": links["area"].pk}).status_code == 400


def test_api_status_transitions(manager, users, links):
    item = make(users, links)
    url = f"{API}/{item.pk}"

    def patch(body):
        return manager.patch(url, json.dumps(body), content_type="application/json")

    jump = patch({"status": "done"})
    assert jump.status_code == 409 and jump.json()["error"]["code"] == "invalid_transition"
    assert patch({"status": "bogus"}).status_code == 422
    assert patch({"status": None}).status_code == 422
    assert patch({"status": "cancelled"}).json()["status"] == "cancelled"
    assert patch({"status": "open"}).status_code == 409


def test_overdue_open_actions_are_flagged_and_filterable(client_for, users, links):
    today = timezone.localdate()
    late = make(users, links, title="Late one", due_on=today - timedelta(days=3), kind="risk")
    done_late = make(users, links, title="Late but done", due_on=today - timedelta(days=5))
    actions.update_action_item(users[policy.MANAGER], done_late, status="in_progress")
    actions.update_action_item(users[policy.MANAGER], done_late, status="done")
    make(users, links, title="Future change", kind="change", objective=links["objective"],
         focus_area=None)
    reader = client_for(policy.CONTRIBUTOR)
    rows = texts_with_class(reader.get(LIST).content.decode(), "action-row")
    assert [("Overdue" in r) for r in rows] == [False, True, False]  # ordered by due date
    overdue = texts_with_class(reader.get(LIST + "?overdue=on").content.decode(), "action-row")
    assert len(overdue) == 1 and overdue[0].startswith("Late one")
    assert len(texts_with_class(reader.get(LIST + "?kind=change").content.decode(),
                                "action-row")) == 1
    assert len(texts_with_class(reader.get(LIST + "?status=done").content.decode(),
                                "action-row")) == 1
    # Unknown filter values are ignored, not a 500.
    assert reader.get(LIST + "?kind=nope&status=%00").status_code == 200
    api = reader.get(API + "?overdue=true").json()
    assert [i["id"] for i in api["items"]] == [late.pk] and api["items"][0]["overdue"] is True
    assert reader.get(API + "?kind=change").json()["count"] == 1
    assert reader.get(API + "?kind=nope").status_code == 422


def test_partner_sees_no_actions(client_for, users, links):
    item = make(users, links)
    partner = client_for(policy.PARTNER)
    assert partner.get(item.get_absolute_url()).status_code == 403
    assert partner.get(f"{API}/{item.pk}").status_code == 403


def test_readers_cannot_change_actions(client_for, users, links):
    item = make(users, links)
    for role in (policy.LEADER, policy.EVALUATOR, policy.CONTRIBUTOR, policy.AUDITOR):
        client = client_for(role)
        url = reverse("strategy:planning_action_item_status", args=[item.pk])
        assert client.post(url, {"status": "in_progress"}).status_code == 403
        assert "Mark in progress" not in client.get(item.get_absolute_url()).content.decode()
    item.refresh_from_db()
    assert item.status == "open"
