"""Balance views (issue #5 point 9): count, investment, projected value and share of investment
by horizon, idea type, focus area and org unit, against the portfolio criteria's targets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed.ideas.models import IdeaType
from seedbed.pipeline.actions import portfolio as actions
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import focus_area, make_initiative, spread

PAGE = "/pipeline/portfolio/balance/"


@pytest.fixture
def book(users, templates, org):
    """Investment 1,000 in all: A 600 (H1, product, plant, F1), B 200 (H1, process, sales,
    F1 + F2), C 200 (H2, product, plant, no focus area); D is stopped (left out)."""
    manager = users["manager"]
    f1, f2 = focus_area(manager, "Less plastic"), focus_area(manager, "Energy", "h2")
    product, process = templates["product"], templates["process"]
    types = {t.code: t for t in IdeaType.objects.all()}
    made = {
        "A": make_initiative(users, product, title="A", horizon="h1", committed=600,
                             projected=1000, org_unit=org["plant"], focus_areas=[f1]),
        "B": make_initiative(users, process, title="B", horizon="h1", committed=200, spent=100,
                             projected=500, org_unit=org["sales"], focus_areas=[f1, f2],
                             idea_type=types["process"]),
        "C": make_initiative(users, product, title="C", horizon="h2", spent=200,
                             org_unit=org["plant"]),
        "D": make_initiative(users, product, title="D", horizon="h3", committed=1000,
                             status="stopped", org_unit=org["plant"]),
    }
    for bucket, share in (("h1", 70), ("h2", 20), ("h3", 10)):
        actions.add_criterion(manager, dimension="horizon", bucket=bucket, target_share=share)
    actions.add_criterion(manager, dimension="idea_type", bucket="product", target_share=60)
    actions.add_criterion(manager, dimension="focus_area", bucket=str(f2.pk), target_share=25)
    return {**made, "f1": f1, "f2": f2}


def table(balance: reads.Balance, dimension: str) -> dict[str, reads.BalanceRow]:
    return {r.label: r for t in balance.tables if t.dimension == dimension for r in t.rows}


def test_shares_of_investment_against_the_targets(users, book):
    balance = reads.balance(users["manager"])
    assert (balance.total_count, balance.total_investment, balance.basis) == (
        3, Decimal(1000), "investment")
    assert balance.total_value == Decimal(1500)
    horizon = table(balance, "horizon")
    h1, h2, h3 = horizon["H1 core"], horizon["H2 adjacent"], horizon["H3 transformational"]
    assert (h1.count, h1.investment, h1.projected_value, h1.share) == (
        2, Decimal(800), Decimal(1500), Decimal("80.0"))
    assert (h1.target, h1.gap, h1.on_target) == (Decimal(70), Decimal(10), False)
    assert (h2.share, h2.target, h2.gap, h2.on_target) == (
        Decimal(20), Decimal(20), Decimal(0), True)
    # A target with nothing in it yet still shows, fully off.
    assert (h3.count, h3.share, h3.gap, h3.on_target) == (0, Decimal(0), Decimal(-10), False)
    types = table(balance, "idea_type")
    assert (types["Product or service"].share, types["Product or service"].gap) == (
        Decimal(80), Decimal(20))
    assert (types["Process"].share, types["Process"].target) == (Decimal(20), None)
    units = table(balance, "org_unit")
    assert (units["Plant Leeds"].share, units["Sales"].share) == (Decimal(80), Decimal(20))


def test_focus_areas_count_each_initiative_in_full_in_every_area(users, book):
    balance = reads.balance(users["manager"])
    areas = table(balance, "focus_area")
    assert (areas["Less plastic"].count, areas["Less plastic"].investment) == (2, Decimal(800))
    assert (areas["Energy"].count, areas["Energy"].share, areas["Energy"].gap) == (
        1, Decimal(20), Decimal(-5))
    assert areas["Energy"].on_target  # five points off is within the tolerance
    assert (areas["No focus area"].count, areas["No focus area"].share) == (1, Decimal(20))
    focus = next(t for t in balance.tables if t.dimension == "focus_area")
    assert focus.overlapping and sum(r.share for r in focus.rows) == 120


def test_filters_apply_and_stopped_ones_come_back_when_asked(users, book):
    plant = reads.balance(users["manager"], {"horizon": "h1"})
    assert (plant.total_count, plant.total_investment) == (2, Decimal(800))
    stopped = reads.balance(users["manager"], {"status": "stopped"})
    assert (stopped.total_count, stopped.total_investment) == (1, Decimal(1000))


def test_without_investment_shares_are_of_the_count(users, templates):
    for horizon in ("h1", "h1", "h1", "h3"):
        make_initiative(users, templates["product"], horizon=horizon)
    balance = reads.balance(users["manager"])
    assert balance.basis == "count"
    horizon = table(balance, "horizon")
    assert (horizon["H1 core"].share, horizon["H3 transformational"].share) == (
        Decimal(75), Decimal(25))


def test_targets_that_do_not_add_up_are_flagged(users, book):
    balance = reads.balance(users["manager"])
    tables = {t.dimension: t for t in balance.tables}
    assert tables["horizon"].targets_complete
    assert tables["idea_type"].target_total == 60 and not tables["idea_type"].targets_complete
    assert tables["org_unit"].target_total is None and tables["org_unit"].targets_complete
    # Focus areas overlap: a single 25 % target is complete on its own.
    assert tables["focus_area"].target_total == 25 and tables["focus_area"].targets_complete


def test_the_page_shows_meters_gaps_and_warnings(users, book, client_for):
    response = client_for("auditor").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meter min="0" max="100" value="80.0"' in html
    assert "+10.0 pts (off target)" in html
    assert "The idea type targets add up to 60 %, not 100 %." in html
    assert "counts in full in each" in html


def test_confidential_initiatives_count_only_for_those_who_may_see_them(users, book,
                                                                        templates):
    make_initiative(users, templates["product"], title="Secret", committed=1000,
                    confidential=True)
    assert reads.balance(users["auditor"]).total_investment == Decimal(1000)
    assert reads.balance(users["leader"]).total_investment == Decimal(2000)


def test_balance_costs_the_same_queries_at_5_and_40_initiatives(users, templates,
                                                                client_for):
    areas = [focus_area(users["manager"]), focus_area(users["manager"], "Energy", "h2")]
    actions.add_criterion(users["manager"], dimension="horizon", bucket="h1", target_share=70)
    manager = client_for("manager")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert manager.get(PAGE).status_code == 200
        return len(ctx)

    spread(users, templates, 5, areas=areas)
    small = count()
    spread(users, templates, 35, template="process", areas=areas)
    # session, user, the bell, five filter options; one aggregate by horizon, idea type and
    # org unit, one by focus area, the criteria, the names of idea types, org units and focus
    # areas.
    assert count() == small == 14
