"""Objectives (clause 6.2): measurable, linked to active focus areas, with progress recorded by
their owner or a manager, and a health derived from the figures. Bad input changes nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import text_by_id, texts_with_class
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import FocusArea, Objective, ObjectiveUpdate

LIST = reverse("strategy:planning_objective_list")
CREATE = reverse("strategy:planning_objective_create")
API = "/api/v1/strategy/objectives"


def focus_area(proposer, title: str, status=FocusArea.Status.ACTIVE) -> FocusArea:
    # Made with the ORM: focus areas belong to another area's actions.
    return FocusArea.objects.create(title=title, kind=FocusArea.Kind.OPPORTUNITY,
                                    rationale="Why it matters.", status=status,
                                    proposed_by=proposer)


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def counts() -> dict:
    return {"objectives": Objective.objects.count(), "updates": ObjectiveUpdate.objects.count(),
            "links": Objective.focus_areas.through.objects.count(),
            "events": AuditEvent.objects.count()}


@pytest.fixture
def manager(client_for):
    return client_for(policy.MANAGER)


@pytest.fixture
def active(users):
    return focus_area(users[policy.MANAGER], "Plant-based ready meals")


@pytest.fixture
def objective(users, active):
    today = timezone.localdate()
    return actions.create_objective(
        users[policy.MANAGER], title="Revenue from new products",
        indicator="Share of revenue from products under 3 years old", unit="%",
        baseline=Decimal("8"), target=Decimal("18"), start_on=today - timedelta(days=100),
        due_on=today + timedelta(days=100), owner=users[policy.LEADER], focus_areas=[active],
        description="Grow **new** products. <script>alert(1)</script>")


def form_data(users, **changes) -> dict:
    data = {"title": "Faster changeovers", "description": "", "indicator": "Minutes per "
            "changeover", "unit": "min", "baseline": "90", "target": "30",
            "start_on": "2026-01-01", "due_on": "2026-12-31",
            "owner": users[policy.EVALUATOR].pk}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_manager_sets_an_objective_through_the_form(manager, users, active):
    response = manager.post(CREATE, form_data(users, focus_areas=[active.pk]))
    assert response.status_code == 302
    objective = Objective.objects.get()
    assert response["Location"] == objective.get_absolute_url()
    assert (objective.baseline, objective.target) == (Decimal(90), Decimal(30))
    assert list(objective.focus_areas.all()) == [active]
    assert objective.created_by == users[policy.MANAGER]
    event = AuditEvent.objects.get(verb="objective.created")
    assert Decimal(str(event.changes["target"]["after"])) == 30
    assert event.changes["focus_areas"]["after"] == [active.pk]


@pytest.mark.parametrize("changes,field,message", [
    ({"target": "90"}, "target", "The target must differ from the baseline"),
    ({"due_on": "2025-12-31"}, "due_on", "The due date must be after the start date."),
    ({"due_on": "2026-01-01"}, "due_on", "The due date must be after the start date."),
    ({"baseline": "ninety"}, "baseline", "Enter a number."),
    ({"indicator": ""}, "indicator", "This field is required."),
    ({"owner": "999999"}, "owner", "Select a valid choice."),
    ({"focus_areas": ["999999"]}, "focus_areas", "Select a valid choice."),
    ({"start_on": "2026-02-30"}, "start_on", "Enter a valid date."),
])
def test_bad_objective_input_is_shown_beside_the_field_and_stores_nothing(
        manager, users, changes, field, message):
    before = counts()
    response = manager.post(CREATE, form_data(users, **changes))
    assert response.status_code == 400
    assert message in text_by_id(response.content.decode(), f"id_{field}_error")
    assert counts() == before


def test_inactive_focus_areas_cannot_be_linked(manager, users):
    proposed = focus_area(users[policy.CONTRIBUTOR], "Insect protein",
                          status=FocusArea.Status.PROPOSED)
    before = counts()
    response = manager.post(CREATE, form_data(users, focus_areas=[proposed.pk]))
    assert response.status_code == 400
    assert counts() == before
    api = post_json(manager, API, {**api_body(users), "focus_area_ids": [proposed.pk]})
    assert api.status_code == 422
    assert "not active: Insect protein" in api.json()["error"]["fields"]["focus_area_ids"][0]
    assert counts() == before


def api_body(users, **changes) -> dict:
    body = {"title": "Faster changeovers", "indicator": "Minutes per changeover", "unit": "min",
            "baseline": 90, "target": 30, "start_on": "2026-01-01", "due_on": "2026-12-31",
            "owner_id": users[policy.EVALUATOR].pk}
    body.update(changes)
    return body


@pytest.mark.parametrize("changes,fields", [
    ({"target": 90}, {"target"}),
    ({"target": "90.0000"}, {"target"}),
    ({"due_on": "2025-06-01"}, {"due_on"}),
    ({"focus_area_ids": [987654, 2**70]}, {"focus_area_ids"}),
    ({"owner_id": 987654}, {"owner_id"}),
    ({"owner_id": None, "title": ""}, {"title"}),
    ({"baseline": "NaN"}, {"baseline"}),
    ({"baseline": 1e20}, {"baseline"}),
    ({"target": "1.00001"}, {"target"}),
    ({"title": "x\x00"}, {"title"}),
    ({"start_on": "someday"}, {"start_on"}),
])
def test_bad_objective_input_through_the_api_is_422_and_stores_nothing(
        manager, users, changes, fields):
    before = counts()
    response = post_json(manager, API, api_body(users, **changes))
    assert response.status_code == 422, response.content
    assert set(response.json()["error"]["fields"]) == fields
    assert counts() == before


@pytest.mark.parametrize("role", [policy.PARTNER, policy.AUDITOR])
def test_outsiders_and_readers_cannot_own_objectives(manager, users, role):
    response = post_json(manager, API, api_body(users, owner_id=users[role].pk))
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"owner_id"}


def test_api_creates_an_objective_owned_by_the_caller_by_default(manager, users, active):
    body = api_body(users, focus_area_ids=[active.pk])
    del body["owner_id"]
    created = post_json(manager, API, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["owner"]["id"] == users[policy.MANAGER].pk
    assert data["focus_areas"] == [{"id": active.pk, "title": active.title}]
    assert (data["baseline"], data["target"], data["current_value"]) == (90, 30, None)
    assert data["latest_updates"] == []


def test_patch_changes_only_what_is_sent_and_is_audited(manager, objective):
    response = post_json(manager, f"{API}/{objective.pk}", {"target": 20, "title": "More new"},
                         method="patch")
    assert response.status_code == 200, response.content
    objective.refresh_from_db()
    assert (objective.target, objective.title, objective.unit) == (Decimal(20), "More new", "%")
    event = AuditEvent.objects.filter(verb="objective.updated").get()
    assert set(event.changes) == {"target", "title"}


def test_patch_refuses_a_target_equal_to_the_baseline(manager, objective):
    response = post_json(manager, f"{API}/{objective.pk}", {"target": 8}, method="patch")
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"target"}
    objective.refresh_from_db()
    assert objective.target == Decimal(18)


def test_edit_form_keeps_a_link_to_a_focus_area_no_longer_active(manager, users, objective,
                                                                  active):
    FocusArea.objects.filter(pk=active.pk).update(status=FocusArea.Status.RETIRED)
    url = reverse("strategy:planning_objective_edit", args=[objective.pk])
    assert manager.get(url).status_code == 200
    data = form_data(users, title="Renamed", baseline="8", target="18",
                     start_on=str(objective.start_on), due_on=str(objective.due_on),
                     focus_areas=[active.pk])
    assert manager.post(url, data).status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Renamed" and list(objective.focus_areas.all()) == [active]


# --- Progress -------------------------------------------------------------------------------


def progress_url(objective) -> str:
    return reverse("strategy:planning_objective_progress", args=[objective.pk])


def test_owner_records_progress_and_it_becomes_the_current_value(client_for, objective):
    owner = client_for(policy.LEADER)
    today = timezone.localdate()
    response = owner.post(progress_url(objective), {"value": "13", "as_of": str(today),
                                                    "note": "Two launches landed"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.current_value, objective.current_as_of) == (Decimal(13), today)
    # An older measurement joins the history without replacing the newest value.
    owner.post(progress_url(objective), {"value": "9", "as_of": str(today - timedelta(days=30))})
    objective.refresh_from_db()
    assert objective.current_value == Decimal(13)
    assert objective.updates.count() == 2
    events = AuditEvent.objects.filter(verb="objective.progress_recorded").order_by("seq")
    assert [("objective.current_value" in e.changes) for e in events] == [True, False]
    page = owner.get(objective.get_absolute_url()).content.decode()
    assert texts_with_class(page, "update-row")[0].startswith(today.strftime("%-d %b %Y"))
    assert "Two launches landed" in page


@pytest.mark.parametrize("role", [policy.CONTRIBUTOR, policy.EVALUATOR, policy.AUDITOR])
def test_only_the_owner_or_a_manager_records_progress(client_for, objective, role):
    client = client_for(role)
    today = str(timezone.localdate())
    assert client.post(progress_url(objective), {"value": "12", "as_of": today}).status_code \
        == 403
    response = post_json(client, f"{API}/{objective.pk}/progress", {"value": 12, "as_of": today})
    assert response.status_code == 403
    assert not objective.updates.exists()
    # They do not see the form either.
    assert "Record progress" not in client.get(objective.get_absolute_url()).content.decode()


def test_partner_sees_no_objective(client_for, objective):
    partner = client_for(policy.PARTNER)
    assert partner.get(objective.get_absolute_url()).status_code == 403
    assert partner.get(f"{API}/{objective.pk}").status_code == 403
    assert partner.get(API).status_code == 403


@pytest.mark.parametrize("as_of,message", [
    ("tomorrow", "Progress cannot be recorded for a date in the future."),
    ("before start", "record progress from that date on"),
])
def test_progress_dates_must_be_real_measurements(client_for, objective, as_of, message):
    manager = client_for(policy.MANAGER)
    day = (timezone.localdate() + timedelta(days=1) if as_of == "tomorrow"
           else objective.start_on - timedelta(days=1))
    before = counts()
    response = manager.post(progress_url(objective), {"value": "12", "as_of": str(day)})
    assert response.status_code == 400
    assert message in text_by_id(response.content.decode(), "id_as_of_error")
    api = post_json(manager, f"{API}/{objective.pk}/progress", {"value": 12, "as_of": str(day)})
    assert api.status_code == 422 and set(api.json()["error"]["fields"]) == {"as_of"}
    assert counts() == before


def test_start_date_cannot_move_past_recorded_progress(manager, users, objective):
    actions.record_progress(users[policy.LEADER], objective, value=10,
                            as_of=objective.start_on + timedelta(days=5))
    later = objective.start_on + timedelta(days=10)
    response = post_json(manager, f"{API}/{objective.pk}", {"start_on": str(later)},
                         method="patch")
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"start_on"}


# --- Health ---------------------------------------------------------------------------------


def test_health_is_derived_and_shown_on_list_detail_and_api(client_for, users, objective):
    # Halfway through the period; 10 of the 10 points' distance is 0 % done → off track.
    reader = client_for(policy.CONTRIBUTOR)
    assert texts_with_class(reader.get(LIST).content.decode(), "health") == ["No data"]
    actions.record_progress(users[policy.LEADER], objective, value=Decimal("12.5"),
                            as_of=timezone.localdate())  # 45 % done, 50 % of time: on track
    listing = reader.get(LIST).content.decode()
    assert texts_with_class(listing, "health") == ["On track"]
    assert "8 → 12.5 → 18 %" in texts_with_class(listing, "figures")
    detail = reader.get(objective.get_absolute_url()).content.decode()
    assert texts_with_class(detail, "health") == ["On track"]
    assert "<script>alert" not in detail and "<strong>new</strong>" in detail
    data = reader.get(f"{API}/{objective.pk}").json()
    assert (data["health"], data["progress_percent"], data["time_elapsed_percent"]) == (
        "on_track", 45.0, 50.0)
    assert data["latest_updates"][0]["value"] == 12.5
    actions.record_progress(users[policy.MANAGER], objective, value=Decimal("9"),
                            as_of=timezone.localdate())  # 10 % done at half time
    assert reader.get(f"{API}/{objective.pk}").json()["health"] == "off_track"


def test_health_cannot_be_typed_in(manager, objective):
    response = post_json(manager, f"{API}/{objective.pk}", {"health": "on_track"},
                         method="patch")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(verb="objective.updated").exists()


def test_list_is_paginated(client_for, users):
    for n in range(23):
        actions.create_objective(
            users[policy.MANAGER], title=f"Objective {n:02}", indicator="Ideas", unit="ideas",
            baseline=0, target=10, start_on=date(2026, 1, 1), due_on=date(2026, 12, 31),
            owner=users[policy.MANAGER])
    reader = client_for(policy.AUDITOR)
    assert len(texts_with_class(reader.get(LIST).content.decode(), "objective-row")) == 20
    assert len(texts_with_class(reader.get(LIST + "?page=2").content.decode(),
                                "objective-row")) == 3
    page = reader.get(API + "?limit=5&offset=20").json()
    assert (page["count"], len(page["items"])) == (23, 3)
