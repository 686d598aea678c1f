"""The portfolio over the API: board, matrix and balance with the pages' filters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seedbed.pipeline.actions import portfolio as actions
from seedbed.pipeline.tests.portfolio_helpers import make_initiative, spread
from tests.support import assert_error_body

API = "/api/v1/pipeline/portfolio"


def test_board_lists_columns_with_counts_and_cards(users, templates, client_for):
    made = spread(users, templates, 14)
    body = client_for("leader").get(f"{API}/board").json()
    assert body["template"]["code"] == "product" and body["template"]["version"] == 1
    assert [t["code"] for t in body["templates"]] == [
        "product", "process", "business_model", "continuous_improvement"]
    columns = {c["key"]: c for c in body["columns"]}
    assert list(columns) == ["concept", "validate", "develop", "launch", "scale", "on_hold",
                             "stopped", "deployed"]
    assert body["total"] == 14 == sum(c["count"] for c in body["columns"])
    for key in ("concept", "validate", "develop", "launch", "scale"):
        expected = {i.pk for i in made if i.status == "active" and i.stage.key == key}
        assert {card["id"] for card in columns[key]["cards"]} == expected
        assert columns[key]["kind"] == "stage" and columns[key]["more"] == 0
    validate = columns["validate"]["cards"][0]
    # The leader decides the product template's later gates, not the concept gate.
    assert validate["may_move"] and not any(c["may_move"] for c in columns["concept"]["cards"])
    assert validate["risk_appetite"] == 50
    assert validate["above_appetite"] == (validate["uncertainty"] > 50)
    assert columns["stopped"]["kind"] == "status"
    assert not any(c["may_move"] for c in columns["stopped"]["cards"])


def test_board_filters_and_template_choice(users, templates, client_for):
    make_initiative(users, templates["process"], title="Pilot", stage_key="pilot", horizon="h2")
    make_initiative(users, templates["process"], title="Other", horizon="h1")
    manager = client_for("manager")
    body = manager.get(f"{API}/board", {"template": "process", "horizon": "h2"}).json()
    columns = {c["key"]: c for c in body["columns"]}
    assert body["total"] == 1
    assert [c["title"] for c in columns["pilot"]["cards"]] == ["Pilot"]
    assert_error_body(manager.get(f"{API}/board", {"template": "nope"}), 404, "not_found")


@pytest.mark.parametrize("params", [
    {"min_uncertainty": 101}, {"horizon": "h5"}, {"lead": 0},
    {"min_uncertainty": 60, "max_uncertainty": 40}])
def test_bad_filters_are_422(params, users, templates, client_for):
    for path in ("board", "matrix", "balance", "export"):
        assert_error_body(client_for("manager").get(f"{API}/{path}", params), 422, "invalid")


def test_matrix_points(users, templates, client_for):
    make_initiative(users, templates["product"], title="Bet", projected=400_000,
                    committed=50_000, uncertainty=80, horizon="h3")
    make_initiative(users, templates["product"], title="Live", status="deployed",
                    stage_key="scale", projected=10_000, actual=90_000, uncertainty=0)
    body = client_for("auditor").get(f"{API}/matrix").json()
    assert (body["count"], body["truncated"], body["value_axis_top"]) == (2, False, 500000.0)
    bet, live = body["points"]
    assert (bet["title"], bet["investment"], bet["quadrant"]) == (
        "Bet", "50000.00", "Bets: test fast")
    assert (live["value"], live["value_is_actual"]) == ("90000.00", True)
    limited = client_for("auditor").get(f"{API}/matrix", {"limit": 1}).json()
    assert (len(limited["points"]), limited["truncated"]) == (1, True)


def test_balance_tables(users, templates, client_for):
    make_initiative(users, templates["product"], committed=300, horizon="h1")
    make_initiative(users, templates["product"], committed=100, horizon="h2")
    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    body = client_for("leader").get(f"{API}/balance").json()
    assert (body["basis"], body["total_investment"], body["total_count"]) == (
        "investment", "400.00", 2)
    horizon = next(t for t in body["tables"] if t["dimension"] == "horizon")
    rows = {r["bucket"]: r for r in horizon["rows"]}
    assert Decimal(rows["h1"]["share"]) == 75 and Decimal(rows["h1"]["gap"]) == 5
    assert rows["h1"]["on_target"] is True and rows["h2"]["target"] is None
    assert (horizon["target_total"], horizon["targets_complete"]) == ("70.00", False)


def test_confidential_initiatives_are_absent_for_the_auditor(users, templates, client_for):
    make_initiative(users, templates["product"], title="Secret", confidential=True,
                    committed=10)
    auditor = client_for("auditor")
    assert auditor.get(f"{API}/board").json()["total"] == 0
    assert auditor.get(f"{API}/matrix").json()["count"] == 0
    assert auditor.get(f"{API}/balance").json()["total_count"] == 0
    assert client_for("leader").get(f"{API}/board").json()["total"] == 1
