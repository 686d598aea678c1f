"""The planning API end to end: an action item created, read and moved on; odd input is a
documented 4xx with the one error body, never a 500, and stores nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from seedbed import policy
from seedbed.audit.models import AuditEvent
from seedbed.strategy.models import ActionItem, Objective, ObjectiveUpdate, RaciAssignment
from tests.matrix.planning import build
from tests.support import api_call, assert_error_body


@pytest.fixture
def world(users, org):
    return build(users, org)


def test_action_item_lifecycle_through_the_api(client_for, users, world):
    manager = client_for(policy.MANAGER)
    created = api_call(manager, "post", "/api/v1/strategy/action-items", {
        "title": "Pilot a launch checklist", "kind": "change", "due_on": "2030-01-31",
        "description": "Use *one* checklist.", "objective_id": world["objective"].pk})
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["owner"]["id"] == users[policy.MANAGER].pk
    assert data["objective"] == {"id": world["objective"].pk, "title": world["objective"].title}
    assert data["focus_area"] is None and data["overdue"] is False
    assert "<em>one</em>" in data["description_html"]
    url = f"/api/v1/strategy/action-items/{data['id']}"
    moved = api_call(manager, "patch", url, {"status": "in_progress",
                                             "owner_id": users[policy.EVALUATOR].pk})
    assert moved.json()["status"] == "in_progress"
    assert moved.json()["owner"]["id"] == users[policy.EVALUATOR].pk
    unlinked = api_call(manager, "patch", url, {"objective_id": None})
    assert_error_body(unlinked, 422, "invalid")
    assert client_for(policy.AUDITOR).get(url).json()["status"] == "in_progress"


BAD = [
    ("post", "/api/v1/strategy/objectives", {"title": "T"}, 422),
    ("post", "/api/v1/strategy/objectives", [1, 2], 422),
    ("post", "/api/v1/strategy/objectives", None, 400),
    ("post", "/api/v1/strategy/objectives", {"title": "T", "indicator": "I", "unit": "u",
                                             "baseline": "1", "target": "2",
                                             "start_on": "2026-01-01", "due_on": "2026-02-01",
                                             "focus_area_ids": "all"}, 422),
    ("patch", "/api/v1/strategy/objectives/{o}", {"focus_area_ids": None}, 422),
    ("patch", "/api/v1/strategy/objectives/{o}", {"baseline": None}, 422),
    ("patch", "/api/v1/strategy/objectives/{o}", {"owner_id": None}, 422),
    ("patch", "/api/v1/strategy/objectives/{o}", {"start_on": None}, 422),
    ("patch", "/api/v1/strategy/objectives/{o}", {"due_on": "2023-01-01"}, 422),
    ("patch", "/api/v1/strategy/objectives/987654", {"title": "Gone"}, 404),
    ("patch", "/api/v1/strategy/objectives/99999999999999999999", {"title": "Gone"}, 404),
    ("post", "/api/v1/strategy/objectives/{o}/progress", {"value": "abc",
                                                          "as_of": "2025-01-01"}, 422),
    ("post", "/api/v1/strategy/objectives/{o}/progress", {"value": 1}, 422),
    ("post", "/api/v1/strategy/objectives/{o}/progress", {"value": 1, "as_of": "2025-01-01",
                                                          "note": "n" * 5001}, 422),
    ("post", "/api/v1/strategy/objectives/{o}/progress", {"value": 1, "as_of": "9999-12-31"},
     422),
    ("post", "/api/v1/strategy/raci", {"process": "   ", "role": "leader", "letter": "R"}, 422),
    ("post", "/api/v1/strategy/raci", {"process": "P", "letter": "R"}, 422),
    ("post", "/api/v1/strategy/raci", {"process": "P", "role": "leader", "letter": "Z"}, 422),
    ("post", "/api/v1/strategy/raci", {"process": "P", "role": "leader", "person_id": 2**70,
                                       "letter": "R"}, 422),
    ("post", "/api/v1/strategy/raci", {"process": "Set innovation strategy", "role": "manager",
                                       "letter": "A"}, 422),
    ("get", "/api/v1/strategy/raci?process=%00", None, 422),
    ("delete", "/api/v1/strategy/raci/987654", None, 404),
    ("post", "/api/v1/strategy/action-items", {"title": "T", "kind": "risk",
                                               "due_on": "2030-01-01",
                                               "context_issue_id": 987654}, 422),
    ("patch", "/api/v1/strategy/action-items/{a}", {"kind": None}, 422),
    ("patch", "/api/v1/strategy/action-items/{a}", {"due_on": None}, 422),
    ("patch", "/api/v1/strategy/action-items/{a}", {"title": "   "}, 422),
    ("patch", "/api/v1/strategy/action-items/{a}", {"status": "done"}, 409),
    ("get", "/api/v1/strategy/action-items?status=nope", None, 422),
    ("get", "/api/v1/strategy/action-items?overdue=maybe", None, 422),
    ("get", "/api/v1/strategy/action-items/987654", None, 404),
]


def counts() -> tuple:
    return (Objective.objects.count(), ObjectiveUpdate.objects.count(),
            RaciAssignment.objects.count(), ActionItem.objects.count(),
            AuditEvent.objects.count())


@pytest.mark.parametrize(("method", "url", "body", "status"), BAD,
                         ids=[f"{n}-{m} {u[17:60]}" for n, (m, u, _, _) in enumerate(BAD)])
def test_bad_input_is_a_4xx_with_the_error_body_and_changes_nothing(method, url, body, status,
                                                                    users, world):
    client = Client(raise_request_exception=False)
    client.force_login(users[policy.MANAGER])
    url = url.format(o=world["objective"].pk, a=world["action_item"].pk)
    before = counts()
    response = api_call(client, method, url, body if body is None else json.dumps(body))
    assert_error_body(response, status)
    assert counts() == before
