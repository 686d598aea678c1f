# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: the gate of an initiative's current stage, its decisions, and moves on the board."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import gates as gate_actions
from seedbed.pipeline.models import GateDecision, GateItem, Initiative
from seedbed.pipeline.selectors.gates import decisions_of, gate_view

router = Router(tags=["pipeline gates"])

# Inline values, not the models' enums: their class names are taken in the schema document.
OutcomeValue = Literal[tuple(GateDecision.Outcome.values)]
ItemKind = Literal[tuple(GateItem.Kind.values)]
InitiativeStatus = Literal[tuple(Initiative.Status.values)]

# The action's field names → the API's.
RENAMED = {"to_stage": "to_stage_id", "checked": "checked_item_ids",
           "co_deciders": "co_decider_ids"}


class GateStageOut(Schema):
    id: int
    key: str
    name: str


class GatePersonOut(Schema):
    id: int
    full_name: str


class GateItemStatusOut(Schema):
    item_id: int
    label: str
    kind: ItemKind
    rule: str
    met: bool
    confirmable: bool = Field(..., description="Deciders confirm it with their decision "
                                               "(checked_item_ids); evidence is computed.")
    detail: str


class GateItemStateOut(Schema):
    item_id: int
    label: str
    met: bool
    waived: bool
    waiver_reason: str


class GateDecisionOut(Schema):
    id: int
    initiative_id: int
    stage: GateStageOut
    round: int
    outcome: OutcomeValue
    to_stage: GateStageOut | None = Field(
        ..., description="Where the decision took the initiative; null once deployed or "
                         "stopped.")
    rationale: str
    decided_by: GatePersonOut
    co_deciders: list[GatePersonOut]
    decided_at: datetime
    uncertainty: int
    risk_appetite: int
    above_appetite: bool
    projected_value: Decimal | None
    via_board: bool
    items: list[GateItemStateOut]


class GateOut(Schema):
    initiative_id: int
    status: InitiativeStatus
    stage: GateStageOut
    round: int = Field(..., description="Send it back with a decision, with stage.id.")
    gate_name: str
    gate_criteria: str
    decider_roles: list[str]
    deciders: list[str] = Field(..., description="Who decides, in words.")
    can_decide: bool
    uncertainty: int
    risk_appetite: int
    above_appetite: bool
    projected_value: Decimal
    items: list[GateItemStatusOut]
    next_stage: GateStageOut | None
    previous_stages: list[GateStageOut]


class WaiverIn(Schema):
    item_id: int
    reason: str = Field(..., max_length=1000)


class GateDecisionIn(Schema):
    outcome: OutcomeValue
    rationale: str = Field(..., max_length=10000)
    stage_id: int = Field(..., description="The stage whose gate you decide (GET …/gate).")
    round: int = Field(..., ge=1, description="The gate round you decide (GET …/gate).")
    to_stage_id: int | None = Field(None, description="Required for a pivot.")
    checked_item_ids: list[int] = Field(default_factory=list, max_length=100)
    waivers: list[WaiverIn] = Field(default_factory=list, max_length=100)
    co_decider_ids: list[int] = Field(default_factory=list, max_length=50)
    learnings: str = Field("", max_length=20000, description="Required for a stop.")
    projected_value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class BoardMoveIn(Schema):
    direction: Literal["forward", "back"]
    rationale: str = Field(..., max_length=10000)
    stage_id: int
    round: int = Field(..., ge=1)


def _stage(stage) -> dict | None:
    return None if stage is None else {"id": stage.pk, "key": stage.key, "name": stage.name}


def _person(user) -> dict:
    return {"id": user.pk, "full_name": user.full_name}


def _decision(d: GateDecision) -> dict:
    return {
        "id": d.pk, "initiative_id": d.initiative_id, "stage": _stage(d.stage), "round": d.round,
        "outcome": d.outcome, "to_stage": _stage(d.to_stage), "rationale": d.rationale,
        "decided_by": _person(d.decided_by),
        "co_deciders": [_person(p) for p in d.co_deciders.all()],
        "decided_at": d.decided_at, "uncertainty": d.uncertainty,
        "risk_appetite": d.risk_appetite, "above_appetite": d.above_appetite,
        "projected_value": d.projected_value, "via_board": d.via_board,
        "items": [{"item_id": s.item_id, "label": s.item.label, "met": s.met,
                   "waived": s.waived, "waiver_reason": s.waiver_reason}
                  for s in d.items.all()],
    }


def _reloaded(decision: GateDecision) -> dict:
    return _decision(decisions_of(decision.initiative).get(pk=decision.pk))


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({RENAMED.get(k, k): v for k, v in exc.message_dict.items()})


@router.get("/initiatives/{initiative_id}/gate", response={200: GateOut, **ERRORS},
            summary="The gate of the initiative's current stage: items, uncertainty, deciders")
@policy.api_rule("pipeline.browse")
def get_gate(request, initiative_id: int):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    view = gate_view(initiative, history_limit=0)
    return {
        "initiative_id": initiative.pk, "status": initiative.status,
        "stage": _stage(view.stage), "round": initiative.gate_round,
        "gate_name": view.stage.gate_name, "gate_criteria": view.stage.gate_criteria,
        "decider_roles": view.decider_roles, "deciders": view.deciders,
        "can_decide": initiative.is_open and selectors.can_decide(request.user, view.stage),
        "uncertainty": view.uncertainty, "risk_appetite": view.appetite,
        "above_appetite": view.above_appetite, "projected_value": initiative.projected_value,
        "items": [{"item_id": s.item.pk, "label": s.item.label, "kind": s.item.kind,
                   "rule": s.item.rule, "met": s.met, "confirmable": s.confirmable,
                   "detail": s.detail} for s in view.items],
        "next_stage": _stage(view.next_stage),
        "previous_stages": [_stage(s) for s in view.previous],
    }


@router.get("/initiatives/{initiative_id}/gate/decisions",
            response={200: Page[GateDecisionOut], **ERRORS},
            summary="The initiative's gate decisions, newest first")
@policy.api_rule("pipeline.browse")
def list_gate_decisions(request, initiative_id: int, limit: int = Query(50, ge=1, le=100),
                        offset: int = Query(0, ge=0)):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    page = page_of(decisions_of(initiative), limit=limit, offset=offset)
    page["items"] = [_decision(d) for d in page["items"]]
    return page


@router.post("/initiatives/{initiative_id}/gate/decisions",
             response={201: GateDecisionOut, **ERRORS},
             summary="Decide the current gate: go, iterate, pivot, hold or stop")
@policy.api_rule("pipeline.decide")
def decide_gate(request, initiative_id: int, payload: GateDecisionIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    try:
        decision = gate_actions.decide_gate(
            request.user, initiative, outcome=payload.outcome, rationale=payload.rationale,
            stage_id=payload.stage_id, round=payload.round, to_stage=payload.to_stage_id,
            checked=payload.checked_item_ids,
            waivers={w.item_id: w.reason for w in payload.waivers},
            co_deciders=payload.co_decider_ids, learnings=payload.learnings,
            projected_value=payload.projected_value)
    except ValidationError as exc:
        raise _renamed(exc) from None
    return 201, _reloaded(decision)


@router.post("/initiatives/{initiative_id}/board-move",
             response={201: GateDecisionOut, **ERRORS},
             summary="Move an initiative on the board: forward (a go) or back (a pivot)")
@policy.api_rule("pipeline.decide")
def move_on_board(request, initiative_id: int, payload: BoardMoveIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    decision = gate_actions.move_on_board(request.user, initiative, **payload.dict())
    return 201, _reloaded(decision)
