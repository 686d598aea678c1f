"""Value rolled up to the innovation objectives: exact numbers, confidential initiatives counted
only for those who may see them, one query for the whole roll-up, and the objective page's
section."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.actions._derived import refresh_money
from seedbed.pipeline.models import Initiative, ResourceRequest, Spend, TeamMember
from seedbed.pipeline.selectors import value as value_selectors
from seedbed.strategy.actions import planning as planning_actions
from tests.matrix.pipeline_value import deploy, move_to_stage
from tests.support import new_initiative

D = Decimal
ROLLUP = reverse("pipeline:value_rollup")


def objective(users, title: str):
    return planning_actions.create_objective(
        users["manager"], title=title, indicator="Value delivered", unit="GBP", baseline=0,
        target=500000, start_on=date(2025, 1, 1), due_on=date(2030, 12, 31),
        owner=users["leader"], focus_areas=[])


def fund(initiative, users, *, committed: str, spent: str) -> None:
    """Test set-up only: an approved budget request with spending against it, as the resources
    area records them; the denormalised totals are refreshed as its actions do."""
    request = ResourceRequest.objects.create(
        initiative=initiative, stage=initiative.stage, kind="budget", amount=D(committed),
        justification="Trials.", status="approved", requested_by=users["manager"])
    if D(spent):
        Spend.objects.create(request=request, amount=D(spent), spent_on=date(2025, 3, 1),
                             recorded_by=users["manager"])
    refresh_money(initiative)


def make(users, challenge, title: str, *, objectives, projected: str, **fields) -> Initiative:
    idea = idea_actions.submit_idea(users["contributor"], challenge, title=title,
                                    description=f"{title}, described.")
    return new_initiative(users["manager"], idea, lead=users["manager"], objectives=objectives,
                          projected_value=D(projected), **fields)


def measured(initiative, users, kind: str, actual: str):
    move_to_stage(initiative, "launch")
    indicator = actions.add_indicator(users["manager"], initiative, kind=kind,
                                      name=f"{kind} measure", unit="GBP")
    actions.record_indicator_value(users["manager"], indicator, actual=D(actual),
                                   measured_on=timezone.localdate())
    return deploy(initiative)


@pytest.fixture
def portfolio(users, challenge, templates):
    """Three objectives; A (deployed) serves O1, B (developing) O1 and O2, C (deployed,
    confidential, the contributor on its team) O2, D (stopped) O1, E (deployed) none."""
    o1, o2, o3 = (objective(users, t) for t in ("Launch new products", "Cut energy use",
                                                "Grow exports"))
    a = make(users, challenge, "Lentil bowls", objectives=[o1], projected="100000")
    measured(a, users, "revenue", "120000")
    fund(a, users, committed="50000", spent="40000")
    b = make(users, challenge, "Heat recovery", objectives=[o1, o2], projected="30000")
    move_to_stage(b, "develop")
    fund(b, users, committed="20000", spent="5000")
    c = make(users, challenge, "Gravy recipe", objectives=[o2], projected="60000",
             confidential=True)
    TeamMember.objects.create(initiative=c, user=users["contributor"], added_by=users["manager"])
    measured(c, users, "cost_saving", "45000")
    fund(c, users, committed="10000", spent="10000")
    d = make(users, challenge, "Smoothie cubes", objectives=[o1], projected="10000")
    fund(d, users, committed="8000", spent="8000")
    Initiative.objects.filter(pk=d.pk).update(status=Initiative.Status.STOPPED)
    e = make(users, challenge, "LED lights", objectives=[], projected="5000")
    measured(e, users, "cost_saving", "999")
    return {"o1": o1, "o2": o2, "o3": o3, "a": a, "b": b, "c": c, "d": d, "e": e}


def figures(user) -> dict:
    rows = value_selectors.with_returns(value_selectors.value_by_objective(user))
    return {row.title: (row.initiative_count, row.deployed_count, row.projected_total,
                        row.actual_total, row.committed_total, row.spent_total,
                        row.investment_total, None if row.roi is None else round(row.roi, 4))
            for row in rows}


def test_rollup_numbers_are_exact_for_someone_who_sees_everything(portfolio, users):
    assert figures(users["leader"]) == {
        # A and B serve it (D stopped): projected 100k + 30k; actual of deployed A only; money
        # committed and spent on all three, D's included (investment: each one's approved
        # budget, which includes what it spent): ROI (120k − 53k) / 53k
        "Launch new products": (2, 1, D(130000), D(120000), D(78000), D(53000), D(78000),
                                D("1.2642")),
        # B and C (confidential, visible to a leader)
        "Cut energy use": (2, 1, D(90000), D(45000), D(30000), D(15000), D(30000), D(2)),
        "Grow exports": (0, 0, D(0), D(0), D(0), D(0), D(0), None),
    }


def test_confidential_initiatives_count_only_for_those_who_see_them(portfolio, users):
    auditor = figures(users["auditor"])
    assert auditor["Cut energy use"] == (1, 0, D(30000), D(0), D(20000), D(5000), D(20000),
                                         D(-1))
    assert auditor["Launch new products"] == figures(users["leader"])["Launch new products"]
    assert figures(users["contributor"])["Cut energy use"][:2] == (2, 1)  # on C's team
    assert figures(users["evaluator"])["Cut energy use"][:2] == (1, 0)
    assert figures(users["partner"]) == {}  # partners read no objectives


def test_rollup_is_one_query_whatever_the_number_of_initiatives(portfolio, users, challenge,
                                                                 django_assert_num_queries):
    for user in (users["leader"], users["auditor"]):
        with django_assert_num_queries(1):
            figures(user)
    for k in range(12):
        make(users, challenge, f"More {k}", objectives=[portfolio["o1"], portfolio["o2"]],
             projected="1000")
    with django_assert_num_queries(1):
        assert figures(users["auditor"])["Cut energy use"][0] == 13


def test_rollup_page_shows_the_rows(portfolio, client_for):
    html = client_for("auditor").get(ROLLUP).content.decode()
    assert "Launch new products" in html and "126 %" in html  # ROI 1.2642 → 126 %
    assert "Cut energy use" in html and "-100 %" in html
    assert "Counts and sums cover the initiatives you may see" in html
    assert client_for("contributor").get(ROLLUP).status_code == 403


# session, user, the bell; the roll-up itself.
ROLLUP_BUDGET = 4


def test_rollup_page_costs_a_fixed_number_of_queries(portfolio, users, challenge, client_for,
                                                     django_assert_num_queries):
    client = client_for("leader")
    for extra in (0, 10):
        for k in range(extra):
            made = make(users, challenge, f"Extra {k}", objectives=[portfolio["o3"]],
                        projected="500")
            planning_actions.create_objective(
                users["manager"], title=f"Objective {k}", indicator="x", unit="x", baseline=0,
                target=1, start_on=date(2025, 1, 1), due_on=date(2030, 1, 1),
                owner=users["leader"], focus_areas=[])
            assert made.pk
        with django_assert_num_queries(ROLLUP_BUDGET):
            assert client.get(ROLLUP).status_code == 200


def test_rollup_api_matches_the_page(portfolio, client_for):
    body = client_for("leader").get("/api/v1/pipeline/value/objectives").json()
    assert body["count"] == 3
    rows = {row["title"]: row for row in body["items"]}
    assert rows["Launch new products"] | {"id": 0, "due_on": ""} == {
        "id": 0, "title": "Launch new products", "due_on": "", "initiative_count": 2,
        "deployed_count": 1, "projected_value": 130000.0, "actual_value": 120000.0,
        "committed": 78000.0, "spent": 53000.0, "investment": 78000.0, "roi": 1.2642}
    assert rows["Grow exports"]["roi"] is None
    auditor = client_for("auditor").get("/api/v1/pipeline/value/objectives?limit=1&offset=0")
    first = auditor.json()["items"][0]  # by due date, then title
    assert (first["title"], first["initiative_count"]) == ("Cut energy use", 1)  # without C


# --- the objective page ------------------------------------------------------------------------

def objective_page(portfolio, key: str = "o2") -> str:
    return reverse("strategy:planning_objective_detail", args=[portfolio[key].pk])


def test_objective_page_shows_value_from_visible_initiatives(portfolio, client_for):
    leader = client_for("leader").get(objective_page(portfolio)).content.decode()
    assert "Value from initiatives" in leader
    assert "2, of which 1 deployed" in leader and "Gravy recipe" in leader
    assert "45,000" in leader and "200 %" in leader
    assert 'href="/pipeline/value/"' in leader
    evaluator = client_for("evaluator").get(objective_page(portfolio)).content.decode()
    assert "1, of which 0 deployed" in evaluator and "Gravy recipe" not in evaluator
    assert "Heat recovery" in evaluator
    assert 'href="/pipeline/value/"' not in evaluator  # no portfolio rule, no link
    team = client_for("contributor").get(objective_page(portfolio)).content.decode()
    assert "Gravy recipe" in team
    first = client_for("leader").get(objective_page(portfolio, "o1")).content.decode()
    assert "Lentil bowls" in first and "Smoothie cubes" not in first  # stopped: no longer serves
    assert "2, of which 1 deployed" in first and "126 %" in first
    empty = client_for("leader").get(objective_page(portfolio, "o3")).content.decode()
    assert "No initiative you can see serves this objective yet." in empty


# The strategy page's own budget (seedbed/strategy/tests/test_planning_queries.py) includes the
# two queries of the value section; here the section is measured as initiatives grow.
OBJECTIVE_PAGE_BUDGET = 10


@pytest.mark.parametrize("role", ["contributor", "leader"])
def test_objective_page_costs_a_fixed_number_of_queries(portfolio, users, challenge,
                                                        client_for, role,
                                                        django_assert_num_queries):
    client = client_for(role)
    # A progress update, so that the page's own history section is in its usual shape.
    planning_actions.record_progress(users["manager"], portfolio["o2"], value=1,
                                     as_of=timezone.localdate())
    for extra in (0, 12):
        for k in range(extra):
            made = make(users, challenge, f"Serving {k}", objectives=[portfolio["o2"]],
                        projected="700")
            if k % 3 == 0:
                measured(made, users, "revenue", "100")
        with django_assert_num_queries(OBJECTIVE_PAGE_BUDGET):
            assert client.get(objective_page(portfolio)).status_code == 200
