"""The RACI matrix of IMS processes (clause 5.5): kept as data, shown as a table, at most one
Accountable per process."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from seedbed import policy
from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import parse, squash, text_by_id, texts_with_class
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import RaciAssignment

PAGE = reverse("strategy:planning_raci")
ADD = reverse("strategy:planning_raci_add")
API = "/api/v1/strategy/raci"


def table(html: str) -> list[list[str]]:
    """The matrix as text: header row, then one row per process."""
    rows, current = [], None
    for name, _attrs, text in parse(html).closed:
        if name in ("th", "td"):
            current = current if current is not None else []
            current.append(squash(text).replace("×", "").replace("  ", " ").strip())
        elif name == "tr" and current is not None:
            rows.append(current)
            current = None
    return rows


@pytest.fixture
def manager(client_for):
    return client_for(policy.MANAGER)


@pytest.fixture
def matrix(users):
    m = users[policy.MANAGER]
    actions.add_raci_assignment(m, process="Set innovation strategy", role=policy.LEADER,
                                letter="A")
    actions.add_raci_assignment(m, process="Set innovation strategy", role=policy.MANAGER,
                                letter="R")
    actions.add_raci_assignment(m, process="Run challenges", role=policy.MANAGER, letter="A")
    actions.add_raci_assignment(m, process="Run challenges", role=policy.MANAGER, letter="R")
    actions.add_raci_assignment(m, process="Run challenges", person=users[policy.EVALUATOR],
                                letter="C")


def test_matrix_shows_processes_by_roles_and_people(client_for, matrix):
    html = client_for(policy.CONTRIBUTOR).get(PAGE).content.decode()
    assert table(html) == [
        ["Process", "Innovation manager", "Top management", "Evaluator Person"],
        ["Run challenges", "R A", "", "C"],
        ["Set innovation strategy", "R", "A", ""],
    ]
    # Readers see no controls.
    assert "Add a letter" not in html and "Remove" not in html


def test_manager_adds_and_removes_a_cell(manager, users, matrix):
    response = manager.post(ADD, {"process": "  internal   AUDIT ", "role": policy.AUDITOR,
                                  "letter": "R"})
    assert response.status_code == 302
    added = RaciAssignment.objects.get(role=policy.AUDITOR)
    assert added.process == "internal AUDIT"
    # The same process in other words joins the existing row.
    manager.post(ADD, {"process": "Internal audit", "role": policy.LEADER, "letter": "I"})
    assert RaciAssignment.objects.filter(process="internal AUDIT").count() == 2
    assert AuditEvent.objects.filter(verb="raci.assigned").count() == 7
    response = manager.post(reverse("strategy:planning_raci_remove", args=[added.pk]))
    assert response.status_code == 302
    assert not RaciAssignment.objects.filter(pk=added.pk).exists()
    event = AuditEvent.objects.get(verb="raci.removed")
    assert event.changes["letter"] == {"before": "R", "after": None}


@pytest.mark.parametrize("data,field,message", [
    ({"process": "Run challenges", "role": policy.LEADER, "letter": "A"}, "letter",
     "already has someone accountable"),
    ({"process": "run challenges", "person": "me", "letter": "A"}, "letter",
     "already has someone accountable"),
    ({"process": "Run challenges", "role": policy.MANAGER, "letter": "R"}, "letter",
     "already has R for Run challenges"),
    ({"process": "Decide gates", "role": policy.LEADER, "person": "me", "letter": "A"},
     "person", "Choose a role or a person, not both."),
    ({"process": "Decide gates", "letter": "A"}, "role", "Choose a role or a person."),
    ({"process": "Decide gates", "role": "chief", "letter": "A"}, "role",
     "Select a valid choice."),
    ({"process": "Decide gates", "role": policy.LEADER, "letter": "X"}, "letter",
     "Select a valid choice."),
    ({"process": "", "role": policy.LEADER, "letter": "R"}, "process",
     "This field is required."),
])
def test_bad_cells_are_field_errors_and_change_nothing(manager, users, matrix, data, field,
                                                       message):
    if data.get("person") == "me":
        data = {**data, "person": users[policy.MANAGER].pk}
    before = (RaciAssignment.objects.count(), AuditEvent.objects.count())
    response = manager.post(ADD, data)
    assert response.status_code == 400
    assert message in text_by_id(response.content.decode(), f"id_{field}_error")
    assert (RaciAssignment.objects.count(), AuditEvent.objects.count()) == before


def test_api_lists_adds_and_removes(manager, users, matrix):
    listed = manager.get(API + "?process=run%20challenges").json()
    assert listed["count"] == 3
    assert {(i["role"], i["person"] and i["person"]["id"], i["letter"])
            for i in listed["items"]} == {
        (policy.MANAGER, None, "A"), (policy.MANAGER, None, "R"),
        (None, users[policy.EVALUATOR].pk, "C")}
    created = manager.post(API, json.dumps({"process": "Decide gates",
                                            "person_id": users[policy.LEADER].pk,
                                            "letter": "A"}), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["person"]["full_name"] == "Leader Person"
    second = manager.post(API, json.dumps({"process": "Decide gates", "role": "manager",
                                           "letter": "A"}), content_type="application/json")
    assert second.status_code == 422
    assert set(second.json()["error"]["fields"]) == {"letter"}
    unknown = manager.post(API, json.dumps({"process": "Decide gates", "person_id": 987654,
                                            "letter": "R"}), content_type="application/json")
    assert unknown.status_code == 422
    assert set(unknown.json()["error"]["fields"]) == {"person_id"}
    partner = manager.post(API, json.dumps({"process": "Decide gates", "letter": "C",
                                            "person_id": users[policy.PARTNER].pk}),
                           content_type="application/json")
    assert set(partner.json()["error"]["fields"]) == {"person_id"}
    removed = manager.delete(f"{API}/{created.json()['id']}")
    assert removed.status_code == 200 and removed.json()["letter"] == "A"
    assert manager.delete(f"{API}/{created.json()['id']}").status_code == 404


def test_partner_sees_no_raci(client_for, matrix):
    partner = client_for(policy.PARTNER)
    assert partner.get(PAGE).status_code == 403
    assert partner.get(API).status_code == 403


def test_database_holds_one_accountable_per_process(users):
    from django.db import IntegrityError, transaction

    RaciAssignment.objects.create(process="Allocate budget", role=policy.LEADER, letter="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(process="Allocate budget", role=policy.MANAGER,
                                      letter="A")


@pytest.mark.parametrize("size", [2, 12])
def test_raci_page_costs_a_fixed_number_of_queries(client_for, users, size,
                                                   django_assert_num_queries):
    from seedbed.accounts.models import User

    m = users[policy.MANAGER]
    for n in range(size):
        person = User.objects.create_user(f"p{n}@example.test", "x" * 12, full_name=f"P {n}",
                                          role=policy.CONTRIBUTOR)
        actions.add_raci_assignment(m, process=f"Process {n}", role=policy.MANAGER, letter="A")
        actions.add_raci_assignment(m, process=f"Process {n}", person=person, letter="C")
    client = client_for(policy.MANAGER)
    # session, user, the bell, assignments with people, and the form's choices (roles and people)
    with django_assert_num_queries(5):
        response = client.get(PAGE)
    assert len(texts_with_class(response.content.decode(), "raci-row")) == size
