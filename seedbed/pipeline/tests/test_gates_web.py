"""The gate tab, its decision form, board moves from the page, and the gate API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.models import GateDecision, GateItem, Initiative
from seedbed.pipeline.tests.gates_helpers import (
    checks_of,
    current,
    decide,
    items_of,
    record_evidence,
)
from tests.support import api_call, assert_error_body


def gate_url(initiative) -> str:
    return reverse("pipeline:initiative_gate", args=[initiative.pk])


def decide_url(initiative) -> str:
    return reverse("pipeline:initiative_gate_decide", args=[initiative.pk])


def form_data(initiative, **fields) -> dict:
    now = current(initiative)
    return {"stage_id": now.stage_id, "round": now.gate_round, **fields}


# --- the page -------------------------------------------------------------------------------


def test_gate_page_shows_items_appetite_and_the_form_to_its_deciders(initiative, client_for):
    html = client_for("manager").get(gate_url(initiative)).content.decode()
    assert "Concept gate" in html and "Clear customer problem tied to a focus area" in html
    for item in items_of(initiative):
        assert item.label in html
    assert "No assumption recorded yet." in html
    assert "Above risk appetite" in html
    assert 'name="outcome"' in html and f'name="confirm_{checks_of(initiative)[0]}"' in html
    assert "No gate decided yet." in html


@pytest.mark.parametrize("role", ["leader", "auditor", "contributor"])
def test_others_see_the_gate_and_who_decides_but_no_form(role, initiative, client_for):
    response = client_for(role).get(gate_url(initiative))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The decision form is for the deciders of this gate: Innovation manager." in html
    assert 'name="outcome"' not in html


def test_partner_not_on_the_team_cannot_open_the_gate(initiative, client_for):
    assert client_for("partner").get(gate_url(initiative)).status_code == 404


def test_history_shows_outcomes_deciders_and_waivers(initiative, users, client_for):
    evidence = [i.pk for i in items_of(initiative) if i.kind == GateItem.Kind.EVIDENCE]
    decide(users["manager"], initiative, outcome="go", rationale="Chefs **love** it.",
           checked=checks_of(initiative), co_deciders=[users["admin"]],
           waivers={pk: "Panel met before the scorecards existed." for pk in evidence})
    html = client_for("auditor").get(gate_url(initiative)).content.decode()
    assert "Concept</strong> → Validate" in html
    assert "<strong>love</strong>" in html
    assert "decided by Manager Person with Admin Person" in html
    assert "Waived: <strong>At least one assumption recorded</strong> — Panel met before the " \
        "scorecards existed." in html


def test_stopped_initiative_shows_its_learnings_and_no_form(initiative, users, client_for):
    decide(users["manager"], initiative, outcome="stop", rationale="No retailer interest.",
           learnings="Retailers want **deposit schemes**, not crates.")
    html = client_for("manager").get(gate_url(initiative)).content.decode()
    assert "What was learned" in html and "<strong>deposit schemes</strong>" in html
    assert 'name="outcome"' not in html


def test_gate_page_costs_a_fixed_number_of_queries(initiative, users, client_for):
    client = client_for("manager")

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(gate_url(initiative)).status_code == 200
        return len(ctx)

    for n in range(2):
        decide(users["manager"], initiative, outcome="iterate", rationale=f"Round {n}.",
               co_deciders=[users["admin"]])
    small = measure()
    record_evidence(initiative, users["manager"])
    evidence = [i.pk for i in items_of(initiative) if i.kind == GateItem.Kind.EVIDENCE]
    for n in range(8):
        decide(users["manager"], initiative, outcome="iterate", rationale=f"More {n}.",
               co_deciders=[users["admin"]],
               waivers={pk: "Waived for the test of the history." for pk in evidence})
    # session, user, bell, initiative, stages, items, evidence counts, decisions, their
    # co-deciders, their item states, co-decider candidates
    assert small == measure() == 11


# --- the decision form ----------------------------------------------------------------------


def test_decision_form_takes_a_go(initiative, users, client_for):
    record_evidence(initiative, users["manager"])
    data = form_data(initiative, outcome="go", rationale="Worth validating.",
                     projected_value="120000.00", co_deciders=[users["admin"].pk],
                     **{f"confirm_{pk}": "on" for pk in checks_of(initiative)})
    client = client_for("manager")
    response = client.post(decide_url(initiative), data)
    assert response.status_code == 302 and response["Location"] == gate_url(initiative)
    moved = current(initiative)
    assert moved.stage.key == "validate" and moved.projected_value == Decimal("120000")
    decision = GateDecision.objects.get()
    assert list(decision.co_deciders.all()) == [users["admin"]]
    page = client.get(response["Location"]).content.decode()
    assert "Go: “Reusable crates” is now in Validate." in page


def test_refused_decision_shows_every_error_and_stores_nothing(initiative, client_for):
    evidence = next(i for i in items_of(initiative) if i.kind == GateItem.Kind.EVIDENCE)
    data = form_data(initiative, outcome="go", rationale="",
                     **{f"waive_{evidence.pk}": "on", f"reason_{evidence.pk}": "short"})
    response = client_for("manager").post(decide_url(initiative), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html  # the rationale
    assert "Say why “At least one assumption recorded” is waived" in html
    assert "Not met and not waived" in html
    assert 'value="short"' in html  # what was typed is kept
    assert not GateDecision.objects.exists() and not AuditEvent.objects.filter(
        verb="gate.decided").exists()


def test_reason_without_ticking_waive_is_pointed_out(initiative, client_for):
    evidence = next(i for i in items_of(initiative) if i.kind == GateItem.Kind.EVIDENCE)
    data = form_data(initiative, outcome="iterate", rationale="Again.",
                     **{f"reason_{evidence.pk}": "A reason nobody ticked."})
    response = client_for("manager").post(decide_url(initiative), data)
    assert response.status_code == 400 and "Tick “Waive”" in response.content.decode()
    assert not GateDecision.objects.exists()


def test_stale_form_is_a_conflict(initiative, users, client_for):
    data = form_data(initiative, outcome="iterate", rationale="First.")
    decide(users["admin"], initiative, outcome="hold", rationale="Someone was quicker.")
    response = client_for("manager").post(decide_url(initiative), data)
    assert response.status_code == 409
    assert "This gate was already decided" in response.content.decode()
    assert GateDecision.objects.count() == 1


def test_non_decider_cannot_post_a_decision(initiative, client_for):
    data = form_data(initiative, outcome="iterate", rationale="Mine?")
    for role in ("leader", "evaluator"):
        assert client_for(role).post(decide_url(initiative), data).status_code == 403
    assert not GateDecision.objects.exists()


# --- board moves from the page --------------------------------------------------------------


def _bm(users, idea):
    from tests.support import new_initiative

    return new_initiative(users["manager"], idea, template="business_model")


def test_board_move_redirects_back_to_a_local_next(users, idea, templates, client_for):
    initiative = _bm(users, idea)
    record_evidence(initiative, users["manager"])
    url = reverse("pipeline:initiative_board_move", args=[initiative.pk])
    board = reverse("pipeline:board") + "?template=business_model"
    response = client_for("manager").post(url, form_data(
        initiative, direction="forward", rationale="Sketch is solid.", next=board))
    assert response.status_code == 302 and response["Location"] == board
    assert current(initiative).stage.key == "test"
    assert GateDecision.objects.get().via_board is True
    moved = current(initiative)
    response = client_for("leader").post(url, form_data(
        moved, direction="back", rationale="Explore again.", next="https://evil.example/"))
    assert response.status_code == 302 and response["Location"] == reverse("pipeline:board")
    assert current(initiative).stage.key == "explore"


def test_refused_board_move_says_why(users, idea, templates, client_for):
    initiative = _bm(users, idea)
    url = reverse("pipeline:initiative_board_move", args=[initiative.pk])
    response = client_for("manager").post(url, form_data(
        initiative, direction="forward", rationale="Go."))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Open the gate page to confirm or waive" in html
    response = client_for("manager").post(url, form_data(
        initiative, direction="forward", rationale="Go.", round=7), HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "already decided" in response.content.decode()
    assert "<html" not in response.content.decode()  # the fragment alone for htmx
    assert not GateDecision.objects.exists()


# --- API ------------------------------------------------------------------------------------


def api(client, method: str, initiative, suffix: str, body=None):
    return api_call(client, method, f"/api/v1/pipeline/initiatives/{initiative.pk}{suffix}",
                    body)


def test_api_gate_view(initiative, client_for):
    body = api(client_for("leader"), "get", initiative, "/gate").json()
    assert body["stage"]["key"] == "concept" and body["round"] == 1
    assert body["can_decide"] is False and body["deciders"] == ["Innovation manager"]
    assert body["above_appetite"] is True and body["next_stage"]["key"] == "validate"
    assert [i["met"] for i in body["items"]] == [False, False, False]
    assert [i["confirmable"] for i in body["items"]] == [True, False, False]
    assert api(client_for("manager"), "get", initiative, "/gate").json()["can_decide"] is True
    assert_error_body(api(client_for("partner"), "get", initiative, "/gate"), 404, "not_found")


def test_api_decision_round_trip(initiative, users, client_for):
    manager = client_for("manager")
    gate = api(manager, "get", initiative, "/gate").json()
    evidence = [i["item_id"] for i in gate["items"] if not i["confirmable"]]
    body = {"outcome": "go", "rationale": "Problem is real.", "stage_id": gate["stage"]["id"],
            "round": gate["round"],
            "checked_item_ids": [i["item_id"] for i in gate["items"] if i["confirmable"]],
            "waivers": [{"item_id": pk, "reason": "Reviewed at the innovation board."}
                        for pk in evidence],
            "co_decider_ids": [users["admin"].pk], "projected_value": "90000.00"}
    made = api(manager, "post", initiative, "/gate/decisions", body)
    assert made.status_code == 201, made.content
    decision = made.json()
    assert decision["to_stage"]["key"] == "validate" and decision["via_board"] is False
    assert [p["full_name"] for p in decision["co_deciders"]] == ["Admin Person"]
    assert sum(i["waived"] for i in decision["items"]) == 2
    assert Decimal(decision["projected_value"]) == Decimal("90000")
    again = api(manager, "post", initiative, "/gate/decisions", body)
    assert_error_body(again, 409, "already_decided")
    listed = api(client_for("auditor"), "get", initiative, "/gate/decisions").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == decision["id"]


def test_api_reports_field_errors_under_its_own_names(initiative, users, client_for):
    manager = client_for("manager")
    now = current(initiative)
    later = now.version.stages.get(key="develop")
    body = {"outcome": "pivot", "rationale": " ", "stage_id": now.stage_id, "round": 1,
            "to_stage_id": later.pk, "checked_item_ids": [987654],
            "co_decider_ids": [users["contributor"].pk], "learnings": "x",
            "waivers": [{"item_id": items_of(initiative)[1].pk, "reason": ""}]}
    error = assert_error_body(api(manager, "post", initiative, "/gate/decisions", body), 422,
                              "invalid")
    assert set(error["fields"]) == {"rationale", "to_stage_id", "checked_item_ids",
                                    "co_decider_ids", "learnings", "waivers"}
    assert "cannot be skipped" in error["fields"]["to_stage_id"][0]
    assert not GateDecision.objects.exists()


@pytest.mark.parametrize(("body", "status"), [
    ({"outcome": "maybe", "rationale": "r", "stage_id": 1, "round": 1}, 422),
    ({"outcome": "go", "stage_id": 1, "round": 1}, 422),
    ({"outcome": "go", "rationale": "r" * 10001, "stage_id": 1, "round": 1}, 422),
    ({"outcome": "go", "rationale": "r", "stage_id": 1, "round": 0}, 422),
    ({"outcome": "iterate", "rationale": "r", "stage_id": 2**70, "round": 1}, 409),
    ({"outcome": "iterate", "rationale": "r", "stage_id": "{stage}", "round": 1,
      "projected_value": "-1"}, 422),
    ({"outcome": "iterate", "rationale": "r", "stage_id": "{stage}", "round": 1,
      "co_decider_ids": [2**70]}, 422),
    ({"outcome": "iterate", "rationale": "r", "stage_id": "{stage}", "round": 1,
      "waivers": [{"item_id": 2**70, "reason": "A good long reason."}]}, 422),
    ({"outcome": "iterate", "rationale": "r\x00", "stage_id": "{stage}", "round": 1}, 422),
    ("not json", 400),
])
def test_api_bad_decisions_are_4xx_and_store_nothing(body, status, initiative, client_for):
    if isinstance(body, dict) and body.get("stage_id") == "{stage}":
        body = {**body, "stage_id": initiative.stage_id}
    response = api(client_for("manager"), "post", initiative, "/gate/decisions", body)
    assert_error_body(response, status)
    assert not GateDecision.objects.exists()


def test_api_refuses_non_deciders(initiative, client_for):
    body = {"outcome": "iterate", "rationale": "Mine?", "stage_id": initiative.stage_id,
            "round": 1}
    for role in ("leader", "evaluator", "auditor"):
        assert_error_body(api(client_for(role), "post", initiative, "/gate/decisions", body),
                          403, "forbidden")
    assert_error_body(api(client_for("manager"), "post", Initiative(pk=987654),
                          "/gate/decisions", body), 404)
    assert not GateDecision.objects.exists()


def test_api_board_move(users, idea, templates, client_for):
    initiative = _bm(users, idea)
    manager = client_for("manager")
    body = {"direction": "back", "rationale": "Back.", "stage_id": initiative.stage_id,
            "round": 1}
    assert_error_body(api(manager, "post", initiative, "/board-move", body), 422)
    body["direction"] = "forward"
    error = assert_error_body(api(manager, "post", initiative, "/board-move", body), 422)
    assert "Open the gate page" in error["fields"]["items"][0]
    record_evidence(initiative, users["manager"])
    made = api(manager, "post", initiative, "/board-move", body)
    assert made.status_code == 201 and made.json()["via_board"] is True
    assert made.json()["to_stage"]["key"] == "test"
    assert_error_body(api(manager, "post", initiative, "/board-move",
                          {**body, "direction": "up"}), 422)
