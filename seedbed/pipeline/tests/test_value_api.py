"""The value API: indicators and measurements, feedback, the review, the value summary; its
errors in the one error body, nothing stored when refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import (
    Feedback,
    GateDecision,
    Initiative,
    PostLaunchReview,
    SolutionIndicator,
)
from tests.matrix.pipeline_value import move_to_stage
from tests.support import api_call, assert_error_body

TODAY = timezone.localdate


@pytest.fixture
def launched(initiative):
    return move_to_stage(initiative, "launch")


def base(initiative) -> str:
    return f"/api/v1/pipeline/initiatives/{initiative.pk}"


def test_indicator_lifecycle(launched, client_for):
    client = client_for("contributor")
    created = api_call(client, "post", f"{base(launched)}/indicators", {
        "kind": "revenue", "name": "Retail sales", "unit": "GBP", "projected": 80000})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["projected"], body["actual"], body["counts_in_value"]) == (
        "revenue", 80000.0, None, True)
    url = f"{base(launched)}/indicators/{body['id']}"
    measured = api_call(client, "put", f"{url}/measurement",
                        {"actual": "92000.50", "measured_on": TODAY().isoformat()})
    assert measured.status_code == 200
    assert (measured.json()["actual"], measured.json()["variance"]) == (92000.5, 12000.5)
    assert Initiative.objects.get(pk=launched.pk).actual_value == Decimal("92000.50")
    patched = api_call(client, "patch", url, {"name": "Retail sales (annual)"})
    assert patched.json()["name"] == "Retail sales (annual)"
    assert patched.json()["actual"] == 92000.5  # untouched fields stay
    listed = client.get(f"{base(launched)}/indicators").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    summary = client.get(f"{base(launched)}/value").json()
    assert (summary["launched"], summary["actual_value"], summary["money_unit"]) == (
        True, 92000.5, "GBP")
    removed = api_call(client, "delete", url)
    assert removed.status_code == 200 and removed.json()["id"] == body["id"]
    assert not SolutionIndicator.objects.exists()
    assert Initiative.objects.get(pk=launched.pk).actual_value == 0
    assert_error_body(api_call(client, "delete", url), 404, "not_found")


def test_indicator_bad_input_is_refused_with_field_errors(launched, users, client_for):
    actions.add_indicator(users["manager"], launched, kind="revenue", name="Sales", unit="GBP")
    client = client_for("manager")
    url = f"{base(launched)}/indicators"
    shape = assert_error_body(api_call(client, "post", url, {"kind": "profit", "name": ""}),
                              422, "invalid")
    assert {"kind", "name", "unit"} <= set(shape["fields"])
    decimals = assert_error_body(api_call(client, "post", url, {
        "kind": "adoption", "name": "Stores", "unit": "stores", "projected": "1.234"}), 422)
    assert "projected" in decimals["fields"]
    rules = assert_error_body(api_call(client, "post", url, {
        "kind": "cost_saving", "name": "sales", "unit": "EUR", "projected": -5}), 422)
    assert set(rules["fields"]) == {"name", "unit", "projected"}
    assert_error_body(api_call(client, "post", url, b"{not json"), 400)
    assert SolutionIndicator.objects.count() == 1


def test_measuring_before_launch_is_a_conflict(initiative, users, client_for):
    indicator = actions.add_indicator(users["manager"], initiative, kind="revenue",
                                      name="Sales", unit="GBP")
    client = client_for("manager")
    url = f"{base(initiative)}/indicators/{indicator.pk}/measurement"
    error = assert_error_body(api_call(client, "put", url, {
        "actual": 10, "measured_on": TODAY().isoformat()}), 409, "not_launched")
    assert "Measure after launch" in error["message"]
    assert_error_body(api_call(client, "put", f"{base(initiative)}/review",
                               {"summary": "Early."}), 409, "not_launched")
    indicator.refresh_from_db()
    assert indicator.actual is None and not PostLaunchReview.objects.exists()


def test_measurement_date_in_the_future_is_refused(launched, users, client_for):
    indicator = actions.add_indicator(users["manager"], launched, kind="revenue",
                                      name="Sales", unit="GBP")
    future = TODAY().replace(year=TODAY().year + 1).isoformat()
    error = assert_error_body(api_call(
        client_for("manager"), "put",
        f"{base(launched)}/indicators/{indicator.pk}/measurement",
        {"actual": 10, "measured_on": future}), 422)
    assert list(error["fields"]) == ["measured_on"]


@pytest.mark.parametrize("rating", [0, 6, -3, 2.5, "five"])
def test_feedback_rating_outside_one_to_five_is_refused(launched, client_for, rating):
    response = api_call(client_for("evaluator"), "post", f"{base(launched)}/feedback",
                        {"text": "Nice.", "rating": rating})
    error = assert_error_body(response, 422, "invalid")
    assert "rating" in error["fields"]
    assert not Feedback.objects.exists()


def test_feedback_list_and_create(launched, client_for):
    evaluator = client_for("evaluator")
    created = api_call(evaluator, "post", f"{base(launched)}/feedback",
                       {"text": "Reheats evenly.", "rating": 4})
    assert created.status_code == 201
    assert created.json()["author"]["full_name"] == "Evaluator Person"
    api_call(client_for("leader"), "post", f"{base(launched)}/feedback", {"text": "No rating."})
    listed = client_for("auditor").get(f"{base(launched)}/feedback").json()
    assert [f["rating"] for f in listed["items"]] == [None, 4]  # newest first
    summary = client_for("auditor").get(f"{base(launched)}/value").json()
    assert (summary["feedback_count"], summary["average_rating"]) == (2, 4.0)
    assert_error_body(api_call(evaluator, "post", f"{base(launched)}/feedback", {"text": ""}),
                      422)
    assert_error_body(api_call(client_for("auditor"), "post", f"{base(launched)}/feedback",
                               {"text": "Reading only."}), 403, "forbidden")


def test_review_put_twice_keeps_one_review(launched, users, client_for):
    url = f"{base(launched)}/review"
    manager = client_for("manager")
    assert_error_body(manager.get(url), 404, "not_found")
    first = api_call(client_for("contributor"), "put", url, {"summary": "Live in *400* stores."})
    assert first.status_code == 200
    assert "<em>400</em>" in first.json()["summary_html"]
    second = api_call(manager, "put", url, {"summary": "Live in 420 stores.",
                                            "lessons": "Order film earlier."})
    assert second.status_code == 200 and second.json()["reviewed_by"]["full_name"] == (
        "Manager Person")
    assert PostLaunchReview.objects.count() == 1
    assert manager.get(url).json()["lessons"] == "Order film earlier."
    assert AuditEvent.objects.filter(verb="post_launch_review.updated").count() == 1
    assert_error_body(api_call(manager, "put", url, {"summary": ""}), 422)
    assert client_for("auditor").get(f"{base(launched)}/value").json()["has_review"] is True


def test_value_summary_lists_projection_at_each_gate(launched, users, client_for):
    stage = launched.version.stages.get(key="validate")
    GateDecision.objects.create(initiative=launched, stage=stage, round=1, outcome="go",
                                rationale="Good case.", decided_by=users["leader"],
                                uncertainty=20, risk_appetite=50,
                                projected_value=Decimal("75000"))
    gates = client_for("contributor").get(f"{base(launched)}/value").json()["gates"]
    assert [(g["stage"], g["outcome"], g["projected_value"]) for g in gates] == [
        ("Validate", "go", 75000.0)]


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("evaluator", 403),
                                              ("partner", 404)])
def test_outside_the_team_no_indicator_writes(launched, users, client_for, role, status):
    indicator = actions.add_indicator(users["manager"], launched, kind="revenue",
                                      name="Sales", unit="GBP")
    client = client_for(role)
    url = f"{base(launched)}/indicators"
    assert_error_body(api_call(client, "post", url, {"kind": "other", "name": "X",
                                                     "unit": "x"}), status)
    assert_error_body(api_call(client, "patch", f"{url}/{indicator.pk}", {"name": "Y"}),
                      status)
    assert_error_body(api_call(client, "delete", f"{url}/{indicator.pk}"), status)
    assert SolutionIndicator.objects.get().name == "Sales"


def test_partner_not_on_the_team_sees_nothing(launched, client_for):
    partner = client_for("partner")
    for path in ("indicators", "feedback", "review", "value"):
        assert_error_body(partner.get(f"{base(launched)}/{path}"), 404, "not_found")
    assert_error_body(api_call(partner, "post", f"{base(launched)}/feedback",
                               {"text": "Hello."}), 404)
    assert_error_body(partner.get("/api/v1/pipeline/value/objectives"), 403)


def test_unknown_ids_are_not_found(launched, client_for):
    client = client_for("manager")
    assert_error_body(client.get("/api/v1/pipeline/initiatives/999999/indicators"), 404)
    assert_error_body(client.get(f"/api/v1/pipeline/initiatives/{2**70}/value"), 404)
    assert_error_body(api_call(client, "patch", f"{base(launched)}/indicators/{2**64}",
                               {"name": "X"}), 404)
