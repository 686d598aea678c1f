"""Probes for planning: objectives and progress, the RACI matrix, action items
(seedbed/strategy/{views,api}/planning.py)."""

from __future__ import annotations

from datetime import date

from seedbed import policy
from tests.matrix._base import Probe

A, M, L = policy.ADMIN, policy.MANAGER, policy.LEADER

# Progress may be recorded by managers and by the objective's owner (the leader here): the
# route admits every reader, the selector refuses the others with 403.
PROGRESS_ALLOWED = 403

HTML_SAMPLES = {
    "strategy:planning_objective_list": Probe("strategy.read"),
    "strategy:planning_objective_create": Probe("strategy.manage"),
    "strategy:planning_objective_detail": Probe(
        "strategy.read", kwargs=lambda w: {"pk": w.extra["planning"]["objective"].pk}),
    "strategy:planning_objective_edit": Probe(
        "strategy.manage", kwargs=lambda w: {"pk": w.extra["planning"]["objective"].pk}),
    "strategy:planning_objective_progress": Probe(
        "strategy.read", "post", kwargs=lambda w: {"pk": w.extra["planning"]["objective"].pk},
        data={"value": "12", "as_of": "2024-06-30", "note": "Two launches"},
        allowed=PROGRESS_ALLOWED, per_role={A: 302, M: 302, L: 302}),
    "strategy:planning_raci": Probe("strategy.read"),
    "strategy:planning_raci_add": Probe(
        "strategy.manage", "post", allowed=302,
        data={"process": "Evaluate ideas", "role": "evaluator", "letter": "R"}),
    "strategy:planning_raci_remove": Probe(
        "strategy.manage", "post", allowed=302,
        kwargs=lambda w: {"pk": w.extra["planning"]["raci"].pk}),
    "strategy:planning_action_item_list": Probe("strategy.read"),
    "strategy:planning_action_item_create": Probe("strategy.manage"),
    "strategy:planning_action_item_detail": Probe(
        "strategy.read", kwargs=lambda w: {"pk": w.extra["planning"]["action_item"].pk}),
    "strategy:planning_action_item_edit": Probe(
        "strategy.manage", kwargs=lambda w: {"pk": w.extra["planning"]["action_item"].pk}),
    "strategy:planning_action_item_status": Probe(
        "strategy.manage", "post", allowed=302, data={"status": "in_progress"},
        kwargs=lambda w: {"pk": w.extra["planning"]["action_item"].pk}),
}

API_SAMPLES = {
    "GET /api/v1/strategy/objectives": Probe("strategy.read"),
    "POST /api/v1/strategy/objectives": Probe(
        "strategy.manage", "post", allowed=201,
        data={"title": "Faster launches", "indicator": "Median weeks from brief to launch",
              "unit": "weeks", "baseline": 40, "target": 26, "start_on": "2026-01-01",
              "due_on": "2027-12-31"}),
    "GET /api/v1/strategy/objectives/{objective_id}": Probe(
        "strategy.read", kwargs=lambda w: {"objective_id": w.extra["planning"]["objective"].pk}),
    "PATCH /api/v1/strategy/objectives/{objective_id}": Probe(
        "strategy.manage", "patch", data={"title": "Launch faster"},
        kwargs=lambda w: {"objective_id": w.extra["planning"]["objective"].pk}),
    "POST /api/v1/strategy/objectives/{objective_id}/progress": Probe(
        "strategy.read", "post", data={"value": 12, "as_of": "2024-06-30"},
        kwargs=lambda w: {"objective_id": w.extra["planning"]["objective"].pk},
        allowed=PROGRESS_ALLOWED, per_role={A: 201, M: 201, L: 201}),
    "GET /api/v1/strategy/raci": Probe("strategy.read"),
    "POST /api/v1/strategy/raci": Probe(
        "strategy.manage", "post", allowed=201,
        data={"process": "Evaluate ideas", "role": "evaluator", "letter": "R"}),
    "DELETE /api/v1/strategy/raci/{raci_id}": Probe(
        "strategy.manage", "delete", kwargs=lambda w: {"raci_id": w.extra["planning"]["raci"].pk}),
    "GET /api/v1/strategy/action-items": Probe("strategy.read"),
    "POST /api/v1/strategy/action-items": Probe(
        "strategy.manage", "post", allowed=201,
        data=lambda w: {"title": "Pilot a launch checklist", "kind": "opportunity",
                        "due_on": "2030-01-31",
                        "objective_id": w.extra["planning"]["objective"].pk}),
    "GET /api/v1/strategy/action-items/{action_item_id}": Probe(
        "strategy.read",
        kwargs=lambda w: {"action_item_id": w.extra["planning"]["action_item"].pk}),
    "PATCH /api/v1/strategy/action-items/{action_item_id}": Probe(
        "strategy.manage", "patch", data={"status": "in_progress"},
        kwargs=lambda w: {"action_item_id": w.extra["planning"]["action_item"].pk}),
}


def build(users, org) -> dict:
    from seedbed.strategy.actions import planning as actions

    manager = users[M]
    objective = actions.create_objective(
        manager, title="Revenue from new products", indicator="Share of revenue from products "
        "launched in the last 3 years", unit="%", baseline=8, target=15,
        start_on=date(2024, 1, 1), due_on=date(2035, 12, 31), owner=users[L])
    raci = actions.add_raci_assignment(manager, process="Set innovation strategy", role=L,
                                       letter="A")
    action_item = actions.create_action_item(
        manager, title="Review launch pipeline monthly", kind="opportunity", owner=manager,
        due_on=date(2030, 6, 30), objective=objective)
    return {"objective": objective, "raci": raci, "action_item": action_item}
