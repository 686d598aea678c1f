"""Resources for innovation (7.1: budget envelopes, time allowances) and competence (7.2: the
competence matrix, training records), through the pages and the API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import Competency, User
from seedbed.audit.models import AuditEvent
from seedbed.strategy.actions import resources as actions
from seedbed.strategy.models import (
    BudgetEnvelope,
    RequiredCompetency,
    TimeAllowance,
    TrainingRecord,
)
from tests import test_api_schema
from tests.support import assert_error_body

# The API schema suite's fixtures: every response is checked against the OpenAPI document.
contract = test_api_schema.contract
call = test_api_schema.call

YEAR = timezone.localdate().year
JAN1, DEC31 = date(YEAR, 1, 1), date(YEAR, 12, 31)


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("seq"))


def verbs(prefix: str) -> list[str]:
    return list(AuditEvent.objects.filter(verb__startswith=prefix).order_by("seq")
                .values_list("verb", flat=True))


@pytest.fixture
def envelope(users, org) -> BudgetEnvelope:
    return actions.create_budget_envelope(users["manager"], org_unit=org["ops"],
                                          period_start=JAN1, period_end=DEC31,
                                          allocated="50000.00", currency="EUR", note="Core")


# --- Budget envelopes: pages -----------------------------------------------------------------


def test_manager_creates_a_budget_envelope_through_the_page(client_for, users, org):
    manager = client_for("manager")
    assert manager.get(reverse("strategy:resources_budget_create")).status_code == 200
    r = manager.post(reverse("strategy:resources_budget_create"), {
        "org_unit": org["sales"].pk, "period_start": JAN1, "period_end": DEC31,
        "allocated": "12500.50", "currency": "gbp", "note": "Retail pilots",
        "committed": "999", "spent": "999"})
    assert r.status_code == 302
    assert r["Location"] == reverse("strategy:resources_budget_list") + f"?year={YEAR}"
    envelope = BudgetEnvelope.objects.get()
    assert (envelope.org_unit, envelope.allocated, envelope.currency) == (
        org["sales"], Decimal("12500.50"), "GBP")
    # Committed and spent belong to the pipeline: a form cannot set them.
    assert (envelope.committed, envelope.spent) == (0, 0)
    assert envelope.created_by == users["manager"]
    [event] = events("budget_envelope.created")
    assert event.actor == users["manager"] and event.object_id == str(envelope.pk)
    assert event.changes["allocated"]["after"] == "12500.50"


@pytest.mark.parametrize(("changes", "field"), [
    ({"period_start": date(YEAR, 6, 1), "period_end": date(YEAR + 1, 5, 31)}, "period_start"),
    ({"period_start": DEC31, "period_end": JAN1}, "period_end"),
    ({"allocated": "0"}, "allocated"),
    ({"allocated": "-5"}, "allocated"),
    ({"currency": "EURO"}, "currency"),
    ({"org_unit": 987654}, "org_unit"),
])
def test_bad_budget_input_is_a_field_error_and_stores_nothing(changes, field, client_for,
                                                              envelope, org):
    data = {"org_unit": org["ops"].pk, "period_start": date(YEAR + 1, 1, 1),
            "period_end": date(YEAR + 1, 12, 31), "allocated": "1000", "currency": "EUR"}
    data.update(changes)
    r = client_for("manager").post(reverse("strategy:resources_budget_create"), data)
    assert r.status_code == 400
    assert field in r.context["form"].errors
    assert BudgetEnvelope.objects.count() == 1
    assert len(events("budget_envelope.created")) == 1


def test_overlapping_periods_of_one_unit_are_refused_other_units_are_not(users, org, envelope):
    with pytest.raises(Exception) as caught:
        actions.create_budget_envelope(users["manager"], org_unit=org["ops"],
                                       period_start=DEC31, period_end=DEC31 + timedelta(days=90),
                                       allocated=1)
    assert "period_start" in caught.value.message_dict
    # The day after it ends, and another unit in the same period, are fine.
    actions.create_budget_envelope(users["manager"], org_unit=org["ops"],
                                   period_start=DEC31 + timedelta(days=1),
                                   period_end=DEC31 + timedelta(days=365), allocated=1)
    actions.create_budget_envelope(users["manager"], org_unit=org["sales"], period_start=JAN1,
                                   period_end=DEC31, allocated=1)
    assert BudgetEnvelope.objects.count() == 3


def test_editing_an_envelope_keeps_committed_and_spent(client_for, users, envelope, org):
    BudgetEnvelope.objects.filter(pk=envelope.pk).update(committed=Decimal("8000"),
                                                         spent=Decimal("2000"))
    manager = client_for("manager")
    url = reverse("strategy:resources_budget_edit", args=[envelope.pk])
    page = manager.get(url).content.decode()
    assert "8,000.00 EUR" in page and "42,000.00 EUR" in page  # committed, remaining
    r = manager.post(url, {"org_unit": org["ops"].pk, "period_start": JAN1,
                           "period_end": DEC31, "allocated": "60000", "currency": "EUR",
                           "note": "Raised", "committed": "0"})
    assert r.status_code == 302
    envelope.refresh_from_db()
    assert (envelope.allocated, envelope.committed, envelope.spent, envelope.note) == (
        Decimal("60000"), Decimal("8000"), Decimal("2000"), "Raised")
    [event] = events("budget_envelope.updated")
    assert set(event.changes) == {"allocated", "note"}


def test_an_envelope_does_not_overlap_itself_when_edited(users, envelope):
    actions.update_budget_envelope(users["manager"], envelope, period_end=date(YEAR, 11, 30))
    envelope.refresh_from_db()
    assert envelope.period_end == date(YEAR, 11, 30)


def test_budget_list_shows_totals_per_period_and_remaining(client_for, users, org, envelope):
    actions.create_budget_envelope(users["manager"], org_unit=org["sales"], period_start=JAN1,
                                   period_end=DEC31, allocated="25000", currency="EUR")
    actions.create_budget_envelope(users["manager"], org_unit=org["plant"],
                                   period_start=date(YEAR - 1, 1, 1),
                                   period_end=date(YEAR - 1, 12, 31), allocated="999")
    BudgetEnvelope.objects.filter(pk=envelope.pk).update(committed=Decimal("10000"))
    page = client_for("leader").get(reverse("strategy:resources_budget_list"))
    assert page.status_code == 200
    [total] = page.context["totals"]
    assert (total.allocated, total.committed, total.remaining, total.envelopes) == (
        Decimal("75000"), Decimal("10000"), Decimal("65000"), 2)
    html = page.content.decode()
    assert "75,000.00 EUR" in html and "65,000.00 EUR" in html
    assert "999" not in html  # last year's envelope is on last year's page
    last_year = client_for("auditor").get(reverse("strategy:resources_budget_list")
                                          + f"?year={YEAR - 1}")
    assert "999.00 EUR" in last_year.content.decode()
    assert "New budget envelope" not in last_year.content.decode()


@pytest.mark.parametrize("role", [policy.EVALUATOR, policy.CONTRIBUTOR, policy.PARTNER])
def test_budgets_are_not_for_everyone(role, client_for, envelope):
    client = client_for(role)
    assert client.get(reverse("strategy:resources_budget_list")).status_code == 403
    assert_error_body(client.get("/api/v1/strategy/budgets"), 403, "forbidden")
    assert_error_body(client.get(f"/api/v1/strategy/budgets/{envelope.pk}"), 403, "forbidden")


# --- Budget envelopes: API -------------------------------------------------------------------


def test_budget_envelopes_through_the_api(call, client_for, users, org):
    manager = client_for("manager")
    created = call(manager, "POST", "/api/v1/strategy/budgets", {
        "org_unit_id": org["ops"].pk, "period_start": str(JAN1), "period_end": str(DEC31),
        "allocated": "40000.00", "currency": "eur", "note": "Plants"}).json()
    assert created["org_unit"] == {"id": org["ops"].pk, "name": "Operations"}
    assert Decimal(created["allocated"]) == Decimal("40000")
    assert Decimal(created["remaining"]) == Decimal("40000") and created["currency"] == "EUR"
    url = f"/api/v1/strategy/budgets/{created['id']}"
    patched = call(manager, "PATCH", url, {"allocated": "45000"}).json()
    assert Decimal(patched["allocated"]) == Decimal("45000") and patched["note"] == "Plants"
    assert call(client_for("auditor"), "GET", url).json()["id"] == created["id"]
    listed = call(client_for("leader"), "GET", f"/api/v1/strategy/budgets?period={YEAR}").json()
    assert listed["count"] == 1
    assert Decimal(listed["totals"][0]["allocated"]) == Decimal("45000")
    assert call(manager, "GET", f"/api/v1/strategy/budgets?period={YEAR + 5}").json() == {
        "items": [], "count": 0, "limit": 20, "offset": 0, "totals": []}
    assert verbs("budget_") == ["budget_envelope.created", "budget_envelope.updated"]


@pytest.mark.parametrize(("body", "fields"), [
    ({"org_unit_id": 987654}, {"org_unit_id"}),
    ({"org_unit_id": 99999999999999999999}, {"org_unit_id"}),
    ({"period_end": "2000-01-01"}, {"period_end"}),
    ({"allocated": "0"}, {"allocated"}),
    ({"allocated": "1.234"}, {"allocated"}),
    ({"allocated": "NaN"}, {"allocated"}),
    ({"currency": "E1R"}, {"currency"}),
    ({"note": "n" * 301}, {"note"}),
    ({"committed": "5"}, None),  # not a field of the API: ignored, never stored
])
def test_bad_budget_api_input_is_422_naming_the_field(body, fields, call, client_for,
                                                      org):
    data = {"org_unit_id": org["ops"].pk, "period_start": str(JAN1), "period_end": str(DEC31),
            "allocated": "100"}
    data.update(body)
    response = call(client_for("manager"), "POST", "/api/v1/strategy/budgets", data)
    if fields is None:
        assert response.status_code == 201
        assert BudgetEnvelope.objects.get().committed == 0
        return
    error = assert_error_body(response, 422, "invalid")
    assert set(error["fields"]) == fields
    assert not BudgetEnvelope.objects.exists()


def test_budget_api_refuses_overlaps_nulls_and_unknown_envelopes(call, client_for,
                                                                 envelope, org):
    manager = client_for("manager")
    error = assert_error_body(call(manager, "POST", "/api/v1/strategy/budgets", {
        "org_unit_id": org["ops"].pk, "period_start": str(date(YEAR, 6, 1)),
        "period_end": str(date(YEAR + 1, 5, 31)), "allocated": "5"}), 422)
    assert set(error["fields"]) == {"period_start"}
    url = f"/api/v1/strategy/budgets/{envelope.pk}"
    for body in ({"allocated": None}, {"org_unit_id": None}, {"period_end": "2000-01-01"},
                 {"org_unit_id": 987654}):
        assert_error_body(call(manager, "PATCH", url, body), 422)
    assert_error_body(call(manager, "GET", "/api/v1/strategy/budgets/987654"), 404)
    assert_error_body(call(manager, "PATCH", "/api/v1/strategy/budgets/987654",
                           {"note": "x"}), 404)
    assert_error_body(call(manager, "GET", "/api/v1/strategy/budgets?period=abc"), 422)
    envelope.refresh_from_db()
    assert envelope.allocated == Decimal("50000") and not events("budget_envelope.updated")


# --- Time allowances -------------------------------------------------------------------------


def test_time_allowances_through_the_pages(client_for, users, org):
    manager = client_for("manager")
    url = reverse("strategy:resources_time_create")
    data = {"org_unit": org["plant"].pk, "percent_of_time": "5", "period_start": JAN1,
            "period_end": DEC31, "description": "Half a day a fortnight"}
    assert manager.post(url, data).status_code == 302
    allowance = TimeAllowance.objects.get()
    assert allowance.percent_of_time == Decimal("5")
    for bad in ({"percent_of_time": "0"}, {"percent_of_time": "100.5"},
                {"period_end": date(YEAR - 1, 1, 1)}):
        r = manager.post(url, {**data, "org_unit": org["sales"].pk, **bad})
        assert r.status_code == 400
    # The same unit again in an overlapping period is a field error too.
    r = manager.post(url, data)
    assert r.status_code == 400 and "period_start" in r.context["form"].errors
    assert TimeAllowance.objects.count() == 1
    edit = reverse("strategy:resources_time_edit", args=[allowance.pk])
    assert manager.post(edit, {**data, "percent_of_time": "100"}).status_code == 302
    allowance.refresh_from_db()
    assert allowance.percent_of_time == Decimal("100")
    assert verbs("time_") == ["time_allowance.created", "time_allowance.updated"]
    page = client_for("auditor").get(reverse("strategy:resources_time_list")).content.decode()
    assert "Plant Leeds" in page and "100 %" in page and "Half a day a fortnight" in page


def test_time_allowances_through_the_api(call, client_for, org):
    manager = client_for("manager")
    created = call(manager, "POST", "/api/v1/strategy/time-allowances", {
        "org_unit_id": org["ops"].pk, "percent_of_time": "10", "period_start": str(JAN1),
        "period_end": str(DEC31), "description": "Innovation Fridays"}).json()
    assert Decimal(created["percent_of_time"]) == 10
    for bad, field in (({"percent_of_time": "0"}, "percent_of_time"),
                       ({"percent_of_time": "101"}, "percent_of_time"),
                       ({"org_unit_id": 987654}, "org_unit_id")):
        body = {"org_unit_id": org["sales"].pk, "percent_of_time": "5",
                "period_start": str(JAN1), "period_end": str(DEC31), **bad}
        error = assert_error_body(call(manager, "POST", "/api/v1/strategy/time-allowances",
                                       body), 422)
        assert set(error["fields"]) == {field}
    listed = call(client_for("leader"), "GET",
                  f"/api/v1/strategy/time-allowances?period={YEAR}").json()
    assert listed["count"] == 1 and listed["items"][0]["description"] == "Innovation Fridays"


# --- Competence matrix -----------------------------------------------------------------------


@pytest.fixture
def skills(users):
    """Three competencies: one required and short of people, one required and covered, one
    held but not required. An inactive holder does not count."""
    lean = Competency.objects.create(name="Lean manufacturing")
    sensory = Competency.objects.create(name="Sensory science")
    energy = Competency.objects.create(name="Energy management")
    Competency.objects.create(name="Nobody has this")
    users["contributor"].competencies.add(lean)
    users["evaluator"].competencies.add(lean, sensory, energy)
    users["leader"].competencies.add(lean)
    users["leader"].is_active = False
    users["leader"].save(update_fields=["is_active"])
    actions.require_competency(users["manager"], competency=lean, people_needed=4,
                               rationale="Every plant runs kaizen events")
    actions.require_competency(users["manager"], competency=sensory, people_needed=1)
    return {"lean": lean, "sensory": sensory, "energy": energy}


def test_competence_matrix_shows_holders_and_gaps(client_for, skills, users):
    page = client_for("auditor").get(reverse("strategy:resources_competence_matrix"))
    matrix = page.context["matrix"]
    rows = {row.competency.name: row for row in matrix.required}
    assert (rows["Lean manufacturing"].held, rows["Lean manufacturing"].gap) == (2, 2)
    assert {u.pk for u in rows["Lean manufacturing"].holders} == {
        users["contributor"].pk, users["evaluator"].pk}
    assert (rows["Sensory science"].held, rows["Sensory science"].gap) == (1, 0)
    assert [row.competency.name for row in matrix.held_not_required] == ["Energy management"]
    html = page.content.decode()
    assert 'class="has-gap"' in html and "−2" in html
    assert "Every plant runs kaizen events" in html
    assert "Nobody has this" not in html


def test_competence_matrix_through_the_api(call, client_for, skills):
    # (The leader is inactive in this fixture.)
    matrix = call(client_for("auditor"), "GET", "/api/v1/strategy/competence-matrix").json()
    lean = next(r for r in matrix["required"] if r["competency"]["name"] == "Lean manufacturing")
    assert (lean["people_needed"], lean["held"], lean["gap"]) == (4, 2, 2)
    assert matrix["total_gap"] == 2
    assert [r["competency"]["name"] for r in matrix["held_not_required"]] == [
        "Energy management"]


def test_required_competencies_are_stated_once(call, client_for, skills, users):
    manager = client_for("manager")
    error = assert_error_body(call(manager, "POST", "/api/v1/strategy/required-competencies",
                                   {"competency_id": skills["lean"].pk}), 422)
    assert set(error["fields"]) == {"competency_id"}
    for body in ({"competency_id": skills["energy"].pk, "people_needed": 0},
                 {"competency_id": 987654}):
        assert_error_body(call(manager, "POST", "/api/v1/strategy/required-competencies",
                               body), 422)
    created = call(manager, "POST", "/api/v1/strategy/required-competencies", {
        "competency_id": skills["energy"].pk, "people_needed": 3,
        "rationale": "Net zero by 2035"}).json()
    assert created["competency"]["name"] == "Energy management"
    requirement = RequiredCompetency.objects.get(pk=created["id"])
    # Through the page: the number of people needed changes; nought is refused.
    url = reverse("strategy:resources_required_edit", args=[requirement.pk])
    assert manager.post(url, {"people_needed": "0"}).status_code == 400
    assert manager.post(url, {"people_needed": "5", "rationale": "More sites"}).status_code \
        == 302
    requirement.refresh_from_db()
    assert (requirement.people_needed, requirement.rationale) == (5, "More sites")
    assert len(events("required_competency.created")) == 3
    assert len(events("required_competency.updated")) == 1
    # The page only offers competencies not yet required.
    form = manager.get(reverse("strategy:resources_required_create")).context["form"]
    assert set(form.fields["competency"].queryset) == set(
        Competency.objects.filter(name="Nobody has this"))


# --- Training records ------------------------------------------------------------------------


def test_training_records_through_the_pages(client_for, users, skills):
    manager = client_for("manager")
    url = reverse("strategy:resources_training_create")
    data = {"person": users["contributor"].pk, "title": "Kaizen facilitator course",
            "provider": "Lean Enterprise Academy", "competency": skills["lean"].pk,
            "completed_on": timezone.localdate() - timedelta(days=3), "hours": "14"}
    assert manager.post(url, data).status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.person, record.recorded_by, record.hours) == (
        users["contributor"], users["manager"], Decimal("14"))
    r = manager.post(url, {**data, "completed_on": timezone.localdate() + timedelta(days=1)})
    assert r.status_code == 400 and "completed_on" in r.context["form"].errors
    assert manager.post(url, {**data, "hours": "-1"}).status_code == 400
    assert TrainingRecord.objects.count() == 1
    [event] = events("training_record.created")
    assert event.changes["person"]["after"] == users["contributor"].pk


def test_training_list_filters_by_person_and_competency(client_for, users, skills):
    done = date(2024, 5, 1)
    for person, competency, title in (
            ("contributor", "lean", "Kaizen basics"), ("evaluator", "sensory", "Triangle tests"),
            ("evaluator", None, "First aid")):
        actions.record_training(users["manager"], person=users[person], title=title,
                                completed_on=done,
                                competency=skills[competency] if competency else None)
    leader = client_for("auditor")
    listing = reverse("strategy:resources_training_list")

    def titles(query: str = "") -> set[str]:
        return {r.title for r in leader.get(listing + query).context["page"].object_list}

    assert titles() == {"Kaizen basics", "Triangle tests", "First aid"}
    assert titles(f"?person={users['evaluator'].pk}") == {"Triangle tests", "First aid"}
    assert titles(f"?competency={skills['lean'].pk}") == {"Kaizen basics"}
    assert titles(f"?person={users['evaluator'].pk}&competency={skills['lean'].pk}") == set()
    # An unknown filter value is ignored, not an error.
    assert leader.get(listing + "?person=987654").status_code == 200
    api = client_for("manager")
    body = api.get(f"/api/v1/strategy/training-records?person={users['evaluator'].pk}").json()
    assert body["count"] == 2
    body = api.get(f"/api/v1/strategy/training-records?competency={skills['sensory'].pk}").json()
    assert [r["title"] for r in body["items"]] == ["Triangle tests"]


def test_people_see_their_own_training_only(client_for, users, skills):
    """Decision: the register is for those who keep and check records; each person sees what is
    recorded about them on "My training", and nothing about colleagues."""
    for person, title in (("contributor", "Kaizen basics"), ("evaluator", "Triangle tests")):
        actions.record_training(users["manager"], person=users[person], title=title,
                                completed_on=date(2024, 5, 1))
    contributor = client_for("contributor")
    assert contributor.get(reverse("strategy:resources_training_list")).status_code == 403
    mine = contributor.get(reverse("strategy:resources_training_mine")).content.decode()
    assert "Kaizen basics" in mine and "Triangle tests" not in mine
    partner = client_for("partner")
    assert "Kaizen basics" not in partner.get(
        reverse("strategy:resources_training_mine")).content.decode()


def test_training_records_through_the_api(call, client_for, users, skills):
    manager = client_for("manager")
    created = call(manager, "POST", "/api/v1/strategy/training-records", {
        "person_id": users["evaluator"].pk, "title": "Sensory panel leader",
        "provider": "Campden BRI", "competency_id": skills["sensory"].pk,
        "completed_on": "2025-02-14", "hours": "21.5"}).json()
    assert created["person"]["id"] == users["evaluator"].pk
    assert created["competency"]["name"] == "Sensory science"
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    for bad, field in (({"completed_on": tomorrow}, "completed_on"),
                       ({"person_id": 987654}, "person_id"),
                       ({"competency_id": 987654}, "competency_id"),
                       ({"title": "   "}, "title"),
                       ({"hours": "0"}, "hours")):
        body = {"person_id": users["evaluator"].pk, "title": "T", "completed_on": "2025-01-01",
                **bad}
        error = assert_error_body(call(manager, "POST", "/api/v1/strategy/training-records",
                                       body), 422)
        assert set(error["fields"]) == {field}
    assert TrainingRecord.objects.count() == 1


# --- Fixed query counts ----------------------------------------------------------------------


def populate(users, org, n: int) -> None:
    """n budget envelopes and time allowances (one unit each, in this year), n training records,
    n competencies each held by several people, half of them required."""
    units = [org["root"], org["ops"], org["plant"], org["sales"]]
    from seedbed.accounts.models import OrgUnit

    units += [OrgUnit.objects.create(name=f"Unit {k}", parent=org["root"])
              for k in range(max(n - len(units), 0))]
    people = [User.objects.create_user(f"p{k}@example.test", "x" * 12, full_name=f"P {k}",
                                       role=policy.CONTRIBUTOR) for k in range(n)]
    for k in range(n):
        actions.create_budget_envelope(users["manager"], org_unit=units[k], period_start=JAN1,
                                       period_end=DEC31, allocated=1000 + k,
                                       currency="EUR" if k % 2 else "GBP")
        actions.create_time_allowance(users["manager"], org_unit=units[k], percent_of_time=5,
                                      period_start=JAN1, period_end=DEC31)
        competency = Competency.objects.create(name=f"Skill {k}")
        for person in people[: 1 + k % 4]:
            person.competencies.add(competency)
        if k % 2:
            actions.require_competency(users["manager"], competency=competency,
                                       people_needed=3)
        person = people[k] if k % 2 else users["contributor"]
        actions.record_training(users["manager"], person=person, title=f"Course {k}",
                                competency=competency, completed_on=date(2024, 1, 1))


@pytest.mark.parametrize("size", (3, 30))
# Every signed-in request costs 2 (session, user); the comments say what each page adds.
@pytest.mark.parametrize(("role", "url", "queries"), [
    # + count, page of envelopes with their units, totals per period
    (policy.LEADER, "/strategy/budgets/", 6),
    # + count, page of allowances with their units
    (policy.AUDITOR, "/strategy/time-allowances/", 5),
    # + competencies with requirements or holders, their active holders, requirements
    (policy.MANAGER, "/strategy/competence/", 6),
    # + count, page of records with person and competency, filter choices (people,
    # competencies)
    (policy.AUDITOR, "/strategy/training/", 7),
    # + count, page of my records
    (policy.CONTRIBUTOR, "/strategy/training/mine/", 5),
    # API: + page, count, totals
    (policy.LEADER, "/api/v1/strategy/budgets", 5),
    (policy.LEADER, "/api/v1/strategy/time-allowances", 4),
    (policy.LEADER, "/api/v1/strategy/competence-matrix", 5),
    (policy.LEADER, "/api/v1/strategy/training-records", 4),
])
def test_resource_pages_cost_a_fixed_number_of_queries(size, role, url, queries, users, org,
                                                       client_for, django_assert_num_queries):
    populate(users, org, size)
    client = client_for(role)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
