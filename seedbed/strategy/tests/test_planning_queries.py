"""Planning pages cost a fixed number of queries, whatever the data size (DESIGN rule 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import ContextIssue, FocusArea

SIZES = (3, 25)


def populate(users, n: int) -> dict:
    """n objectives, each linked to two focus areas with three progress updates (the first gets
    n more) and owned by different people; n action items linked to all three kinds of record."""
    manager = users[policy.MANAGER]
    owners = [users[r] for r in (policy.MANAGER, policy.LEADER, policy.EVALUATOR)]
    areas = [FocusArea.objects.create(title=f"Area {k}", kind="opportunity", rationale="Why.",
                                      status="active", proposed_by=manager) for k in range(4)]
    issue = ContextIssue.objects.create(title="Energy prices", category="economic",
                                        created_by=manager)
    today = timezone.localdate()
    objectives = []
    for k in range(n):
        objective = actions.create_objective(
            manager, title=f"Objective {k}", indicator="Ideas launched", unit="ideas",
            baseline=0, target=10 + k, start_on=date(2024, 1, 1), due_on=date(2035, 1, 1),
            owner=owners[k % 3], focus_areas=areas[k % 3: k % 3 + 2])
        for d in range(3):
            actions.record_progress(manager, objective, value=d + k, as_of=today - timedelta(d))
        objectives.append(objective)
    for d in range(n):
        actions.record_progress(manager, objectives[0], value=d, as_of=date(2024, 6, 1))
    items = [actions.create_action_item(
        manager, title=f"Action {k}", kind=("risk", "opportunity", "change")[k % 3],
        owner=owners[k % 3], due_on=today + timedelta(days=k - 2), focus_area=areas[k % 4],
        context_issue=issue, objective=objectives[k % len(objectives)]) for k in range(n)]
    return {"objective": objectives[0], "item": items[0]}


# page → (viewer, url from the records, budget). Every signed-in request costs 2 (session, user).
BUDGETS = {
    # + count, page of objectives with owners, their focus areas
    "objective list": (policy.CONTRIBUTOR,
                       lambda r: reverse("strategy:planning_objective_list"), 6),
    # + objective with owner and creator, focus areas, count and page of updates with their
    # recorders, linked actions with owners, the progress form's nothing (a reader has none),
    # and the value section: the roll-up of the initiatives serving it, and the first of them
    "objective page": (policy.CONTRIBUTOR,
                       lambda r: reverse("strategy:planning_objective_detail",
                                         args=[r["objective"].pk]), 10),
    # the same for the owner, who also sees the progress form (no queries of its own)
    "objective page (owner)": (policy.LEADER,
                               lambda r: reverse("strategy:planning_objective_detail",
                                                 args=[r["objective"].pk]), 10),
    # + count, page of actions with owner, focus area, context issue and objective
    "action list": (policy.CONTRIBUTOR,
                    lambda r: reverse("strategy:planning_action_item_list"), 5),
    "action list (filtered)": (policy.CONTRIBUTOR,
                               lambda r: reverse("strategy:planning_action_item_list")
                               + "?kind=risk&overdue=on", 5),
    # + the action with everything it links to
    "action page": (policy.CONTRIBUTOR,
                    lambda r: reverse("strategy:planning_action_item_detail",
                                      args=[r["item"].pk]), 4),
    # + page of objectives with owners, their focus areas, count
    "API objective list": (policy.CONTRIBUTOR, lambda r: "/api/v1/strategy/objectives", 5),
    # + objective, again with owner/creator, focus areas, latest updates
    "API objective detail": (policy.CONTRIBUTOR,
                             lambda r: f"/api/v1/strategy/objectives/{r['objective'].pk}", 6),
    # + page of actions with their links, count
    "API action list": (policy.CONTRIBUTOR, lambda r: "/api/v1/strategy/action-items", 4),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_planning_pages_cost_a_fixed_number_of_queries(page, size, users, client_for,
                                                       django_assert_num_queries):
    records = populate(users, size)
    role, url, budget = BUDGETS[page]
    client = client_for(role)
    with django_assert_num_queries(budget):
        response = client.get(url(records))
    assert response.status_code == 200
