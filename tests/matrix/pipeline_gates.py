"""Probes for gates: the gate tab, decisions (page and API) and board moves.

Two initiatives, neither confidential, the partner on neither team (404 where the rule admits
partners): ``initiative`` stands at the first stage of the product template, ``ci`` at the
second stage of the continuous-improvement template after one go. Both stages are decided by
innovation managers (admins decide what managers decide), so the leader, whose rule admits
deciding, is refused by the stage's deciders (403).
"""

from __future__ import annotations

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"
API = "/api/v1/pipeline/initiatives/{initiative_id}"
NOT_THIS_GATES_DECIDER = {L: 403}


def build(users, org) -> dict:
    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions.gates import decide_gate
    from seedbed.pipeline.models import GateItem
    from tests.support import new_challenge, new_initiative

    manager = users[M]
    challenge = idea_actions.open_challenge(manager, new_challenge(
        manager, title="Cleaner changeovers", description="Fewer minutes lost between runs."))
    ideas = [idea_actions.submit_idea(users[C], challenge, title=title, description=text)
             for title, text in (("Allergen swab kits at every line", "Swab before restart."),
                                 ("Shadow boards", "Every tool in its place."))]
    initiative = new_initiative(manager, ideas[0])
    ci = new_initiative(manager, ideas[1], template="continuous_improvement")
    checks = GateItem.objects.filter(stage=ci.stage, kind=GateItem.Kind.CHECK)
    decide_gate(manager, ci, outcome="go", rationale="The team lead agreed.",
                stage_id=ci.stage_id, round=1, checked=[i.pk for i in checks])
    ci.refresh_from_db()
    return {"initiative": initiative, "ci": ci, "ci_stage": ci.stage,
            "stage": initiative.stage}


def _x(key: str, name: str = "pk"):
    return lambda w: {name: w.extra["pipeline_gates"][key].pk}


def _seen(key: str, **fields):
    """What the decider's page or board holds: the stage and round it stands at."""
    def body(w) -> dict:
        initiative = w.extra["pipeline_gates"][key]
        return {"stage_id": initiative.stage_id, "round": initiative.gate_round, **fields}
    return body


HTML_SAMPLES = {
    "pipeline:initiative_gate": Probe("pipeline.browse", kwargs=_x("initiative"),
                                      per_role={P: 404}),
    "pipeline:initiative_gate_decide": Probe(
        "pipeline.decide", "post", kwargs=_x("initiative"), allowed=302,
        per_role=NOT_THIS_GATES_DECIDER,
        data=_seen("initiative", outcome="iterate", rationale="Talk to two more retailers.")),
    "pipeline:initiative_board_move": Probe(
        "pipeline.decide", "post", kwargs=_x("ci"), allowed=302,
        per_role=NOT_THIS_GATES_DECIDER,
        data=_seen("ci", direction="back", rationale="Reassess with the night shift.")),
}

API_SAMPLES = {
    f"GET {API}/gate": Probe("pipeline.browse", kwargs=_x("initiative", "initiative_id"),
                             per_role={P: 404}),
    f"GET {API}/gate/decisions": Probe(
        "pipeline.browse", kwargs=_x("ci", "initiative_id"), per_role={P: 404}),
    f"POST {API}/gate/decisions": Probe(
        "pipeline.decide", "post", kwargs=_x("initiative", "initiative_id"), allowed=201,
        per_role=NOT_THIS_GATES_DECIDER,
        data=_seen("initiative", outcome="hold", rationale="Waiting for the line survey.")),
    f"POST {API}/board-move": Probe(
        "pipeline.decide", "post", kwargs=_x("ci", "initiative_id"), allowed=201,
        per_role=NOT_THIS_GATES_DECIDER,
        data=_seen("ci", direction="back", rationale="Reassess with the night shift.")),
}

# For tests/test_api_schema.py: one successful call each, on the ``ci`` initiative (it has a
# decision with item states to list).
API_SUCCESSES = {
    f"GET {API}/gate": (AU, None, 200),
    f"GET {API}/gate/decisions": (L, None, 200),
    f"POST {API}/gate/decisions": (M, lambda gates_ci_stage_id: {
        "outcome": "iterate", "rationale": "One more week of trials.",
        "stage_id": gates_ci_stage_id, "round": 2, "co_decider_ids": []}, 201),
    f"POST {API}/board-move": (A, lambda gates_ci_stage_id: {
        "direction": "back", "rationale": "Reassess first.", "stage_id": gates_ci_stage_id,
        "round": 2}, 201),
}

PATH_OBJECTS = {
    f"initiative_id in {API}/gate": "ci",
    f"initiative_id in {API}/gate/decisions": "ci",
    f"initiative_id in {API}/board-move": "ci",
    "gates_ci_stage_id": "ci_stage",
}
