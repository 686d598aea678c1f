"""Gate decisions (clauses 8.1, 8.2, 8.3.4-8.3.6): go, iterate, pivot, hold or stop, taken by
the deciders the stage's template names, with a rationale, every required item met or waived
with a reason, and the initiative's ideas following its fate.

A decision is taken for what the decider saw: the stage and gate round (hidden in the form).
The initiative row is locked and the round compared, and the database allows one decision per
(initiative, stage, round), so two people deciding at once can never both win. Every decision
opens a new round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text
from seedbed.pipeline import selectors
from seedbed.pipeline.actions._derived import refresh_score
from seedbed.pipeline.actions._ideas import follow_ideas
from seedbed.pipeline.models import GateDecision, GateItemState, Initiative, Stage
from seedbed.pipeline.selectors.gates import ItemStatus, decider_labels, evidence_status

Outcome = GateDecision.Outcome
Status = Initiative.Status

AUDITED = ("stage", "status", "gate_round", "projected_value", "learnings", "stopped_at",
           "deployed_at")
MIN_WAIVER_REASON = 10
MAX_VALUE = Decimal("999999999999.99")  # what the 14-digit money columns hold
ALREADY_DECIDED = "This gate was already decided: reload the page to see the decision."


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _lock(initiative: Initiative, stage_id: int, round: int) -> Initiative:
    """The initiative, locked, provided it still stands where the decider saw it."""
    locked = (Initiative.objects.select_for_update(of=("self",))
              .select_related("stage", "version").get(pk=initiative.pk))
    if locked.stage_id != stage_id or locked.gate_round != round:
        raise StateConflict(ALREADY_DECIDED, "already_decided")
    if locked.status in (Status.STOPPED, Status.DEPLOYED):
        raise StateConflict(f"This initiative is {locked.get_status_display().lower()}: it has "
                            "no gate left to decide.", "initiative_closed")
    return locked


def _require_decider(actor, stage: Stage) -> None:
    if not selectors.can_decide(actor, stage):
        who = " or ".join(decider_labels(stage)).lower() or "nobody"
        raise PermissionDenied(f"The {stage.gate_name or stage.name} is decided by {who}.")


# --- checks ---------------------------------------------------------------------------------

def _target_stage(initiative: Initiative, outcome: str, to_stage: Any,
                  stages: list[Stage], errors: dict) -> Stage | None:
    """Where the outcome takes the initiative (None: it leaves the stages, deployed or
    stopped). Stages are never skipped: a go takes the next one, a pivot this or an earlier."""
    current = initiative.stage
    later = [s for s in stages if s.position > current.position]
    following = later[0] if later else None
    chosen = None
    if to_stage not in (None, ""):
        chosen = next((s for s in stages if s.pk == _pk(to_stage)), None)
        if chosen is None:
            errors["to_stage"] = "Choose a stage of this initiative's workflow."
            return current
    if outcome == Outcome.GO:
        if chosen is not None and following is None:
            errors["to_stage"] = "This is the last stage: a go deploys the initiative."
        elif chosen is not None and chosen.position > following.position:
            errors["to_stage"] = f"Stages cannot be skipped: a go moves on to “{following}”."
        elif chosen is not None and chosen != following:
            errors["to_stage"] = (f"A go moves on to “{following}”; to stay or go back, "
                                  "iterate or pivot.")
        return following
    if outcome == Outcome.PIVOT:
        if chosen is None:
            errors["to_stage"] = "Choose the stage to pivot to (this one or an earlier one)."
        elif chosen.position > current.position:
            errors["to_stage"] = ("Stages cannot be skipped: pivot to this stage or an earlier "
                                  "one; a go moves on.")
        return chosen or current
    if chosen is not None and chosen != current:
        errors["to_stage"] = "Only a go or a pivot changes the stage."
    return None if outcome == Outcome.STOP else current


def _clean_waivers(waivers: Mapping | None, items: dict[int, ItemStatus],
                   errors: dict) -> dict[int, str]:
    clean: dict[int, str] = {}
    problems: list[str] = []
    for raw_id, reason in (waivers or {}).items():
        status = items.get(_pk(raw_id)) if isinstance(_pk(raw_id), int) else None
        if status is None:
            problems.append(f"Item {raw_id} is not an item of this gate.")
            continue
        local: dict[str, str] = {}
        text = clean_text(reason, "reason", max_length=1000, errors=local)
        if local:
            problems.append(f"“{status.item.label}”: {local['reason']}")
        elif len(text) < MIN_WAIVER_REASON:
            problems.append(f"Say why “{status.item.label}” is waived (at least "
                            f"{MIN_WAIVER_REASON} characters).")
        else:
            clean[status.item.pk] = text
    if problems:
        errors["waivers"] = " ".join(problems)
    return clean


def _clean_checked(checked: Iterable, items: dict[int, ItemStatus], errors: dict) -> set[int]:
    ids = {_pk(c) for c in checked or ()}
    if any(i not in items for i in ids):
        errors["checked"] = "Only items of this gate can be confirmed."
    elif any(not items[i].confirmable for i in ids):
        errors["checked"] = ("Evidence is checked from the initiative's records; waive it with "
                             "a reason if it is missing.")
    return ids & set(items)


def _clean_co_deciders(actor, co_deciders: Iterable, stage: Stage, errors: dict) -> list[User]:
    ids = {_pk(c) for c in co_deciders or ()}
    if not ids:
        return []
    valid = [i for i in ids if isinstance(i, int) and 0 < i < 2**63]
    people = list(User.objects.filter(pk__in=valid).order_by("pk"))
    if len(people) != len(ids):
        errors["co_deciders"] = "One of the co-deciders does not exist."
    elif any(p.pk == actor.pk for p in people):
        errors["co_deciders"] = "You record the decision; name the others who took it with you."
    elif not all(selectors.can_decide(p, stage) for p in people):
        who = " or ".join(decider_labels(stage)).lower()
        errors["co_deciders"] = f"Co-deciders of this gate must be active {who}."
    return people


def _clean_value(value: Any, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors["projected_value"] = "Enter an amount."
        return None
    if not amount.is_finite():
        errors["projected_value"] = "Enter an amount."
    elif amount < 0:
        errors["projected_value"] = "Projected value cannot be negative."
    elif amount > MAX_VALUE or amount != amount.quantize(Decimal("0.01")):
        errors["projected_value"] = "Enter an amount below a trillion, with at most 2 decimals."
    else:
        return amount
    return None


# --- the decision ---------------------------------------------------------------------------

@transaction.atomic
def decide_gate(actor, initiative: Initiative, *, outcome: str, rationale: str, stage_id: int,
                round: int, to_stage=None, checked: Iterable = (),
                waivers: Mapping[int, str] | None = None, co_deciders: Iterable = (),
                learnings: str = "", projected_value=None,
                via_board: bool = False) -> GateDecision:
    """Decide the gate of the initiative's current stage (see the module's docstring).

    ``to_stage``: a go's next stage (optional) or a pivot's stage (required), a Stage or its id;
    ``checked``: the checklist items the deciders confirm (ids); ``waivers``: item id → why it
    is waived; ``co_deciders``: the people who decided with the actor (people or ids).
    """
    if not policy.can(actor, "pipeline.decide"):
        raise PermissionDenied("Only the deciders named by the workflow decide gates.")
    initiative = _lock(initiative, stage_id, round)
    stage = initiative.stage
    _require_decider(actor, stage)
    before = audit.snapshot(initiative, AUDITED)
    errors: dict[str, str] = {}
    valid_outcome = outcome in Outcome.values
    if not valid_outcome:
        errors["outcome"] = "Choose go, iterate, pivot, hold or stop."
    rationale = clean_text(rationale, "rationale", max_length=10000, errors=errors,
                           required=True)
    learnings = clean_text(learnings, "learnings", max_length=20000, errors=errors)
    if outcome == Outcome.STOP and not learnings and "learnings" not in errors:
        errors["learnings"] = ("Say what was learned: it stays with the initiative for whoever "
                               "tries something similar.")
    elif outcome != Outcome.STOP and learnings:
        errors["learnings"] = ("Learnings are recorded when an initiative stops; put what you "
                               "learned in the rationale.")
    value = _clean_value(projected_value, errors)
    target = None
    if valid_outcome:
        stages = list(Stage.objects.filter(version_id=initiative.version_id)
                      .order_by("position"))
        target = _target_stage(initiative, outcome, to_stage, stages, errors)
    if value is not None:
        initiative.projected_value = value  # the value given now is the value projected
    statuses = {s.item.pk: s for s in evidence_status(initiative)}
    confirmed = _clean_checked(checked, statuses, errors)
    waived = _clean_waivers(waivers, statuses, errors)
    people = _clean_co_deciders(actor, co_deciders, stage, errors)
    met = {pk for pk, s in statuses.items() if s.met or (pk in confirmed and s.confirmable)}
    # An item whose waiver lacks a reason is reported under "waivers" only.
    attempted = {_pk(k) for k in (waivers or {})}
    open_items = [s.item.label for pk, s in statuses.items()
                  if pk not in met and pk not in attempted]
    if outcome == Outcome.GO and open_items:
        listed = "; ".join(f"“{label}”" for label in open_items)
        errors["items"] = (
            f"Open the gate page to confirm or waive what is not met: {listed}." if via_board
            else f"Not met and not waived: {listed}. Confirm or waive each (with a reason) "
                 "before a go.")
    if errors:
        raise ValidationError(errors)
    return _record(actor, initiative, stage, before, outcome=outcome, rationale=rationale,
                   target=target, learnings=learnings, value=value, via_board=via_board,
                   met=met, waived=waived, statuses=statuses, people=people)


def _record(actor, initiative: Initiative, stage: Stage, before: dict, *, outcome: str,
            rationale: str,
            target: Stage | None, learnings: str, value: Decimal | None, via_board: bool,
            met: set[int], waived: dict[int, str], statuses: dict[int, ItemStatus],
            people: list[User]) -> GateDecision:
    """Store the decision and move the initiative; one audit event."""
    now = timezone.now()
    old_status = initiative.status
    decided_round = initiative.gate_round
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal stays catchable
            decision = GateDecision.objects.create(
                initiative=initiative, stage=stage, round=decided_round, outcome=outcome,
                to_stage=target, rationale=rationale,
                decided_by=actor, decided_at=now, uncertainty=initiative.uncertainty,
                risk_appetite=stage.risk_appetite,
                projected_value=value if value is not None else initiative.projected_value,
                via_board=via_board)
    except IntegrityError:
        raise StateConflict(ALREADY_DECIDED, "already_decided") from None
    GateItemState.objects.bulk_create([
        GateItemState(decision=decision, item_id=pk, met=pk in met,
                      waived=pk in waived and pk not in met,
                      waiver_reason=waived.get(pk, "") if pk not in met else "")
        for pk in statuses])
    decision.co_deciders.set(people)

    fields = ["gate_round", "updated_at"]
    initiative.gate_round = decided_round + 1
    initiative.updated_at = now
    if value is not None:
        fields.append("projected_value")
    new_status = {Outcome.HOLD: Status.ON_HOLD, Outcome.STOP: Status.STOPPED}.get(
        outcome, Status.ACTIVE)
    if outcome == Outcome.GO and target is None:
        new_status = Status.DEPLOYED
        initiative.deployed_at = now
        fields.append("deployed_at")
    if outcome == Outcome.STOP:
        initiative.stopped_at = now
        initiative.learnings = learnings
        fields += ["stopped_at", "learnings"]
    moved = target is not None and target.pk != stage.pk
    if moved:
        initiative.stage = target
        initiative.stage_entered_at = now
        fields += ["stage", "stage_entered_at"]
    if new_status != old_status:
        initiative.status = new_status
        fields.append("status")
    initiative.save(update_fields=fields)
    if moved:
        refresh_score(initiative)  # the current stage's evaluations once there are any

    changes = audit.diff(before, audit.snapshot(initiative, AUDITED))
    changes["gate"] = {"before": None, "after": {
        "decision": decision.pk, "outcome": outcome, "stage": stage.key, "round": decided_round,
        "to_stage": target.key if target is not None else None,
        "via_board": via_board, "uncertainty": decision.uncertainty,
        "risk_appetite": decision.risk_appetite}}
    if waived:
        changes["waivers"] = {"before": None, "after": {
            str(pk): reason for pk, reason in waived.items() if pk not in met}}
    if people:
        changes["co_deciders"] = {"before": None, "after": [p.pk for p in people]}
    if new_status != old_status:
        followed = follow_ideas(actor, initiative, new_status, rationale)
        if followed:
            changes["idea_status"] = {"before": None, "after": followed}
    audit.record(actor, "gate.decided", initiative, changes)
    return decision


# --- the board ------------------------------------------------------------------------------

BOARD_DIRECTIONS = ("forward", "back")


@transaction.atomic
def move_on_board(actor, initiative: Initiative, *, direction: str, rationale: str,
                  stage_id: int, round: int) -> GateDecision:
    """A move on the portfolio board is a gate decision like any other: forward is a go
    (every item must already be met: checklist items are confirmed on the gate page), back is
    a pivot to the previous stage."""
    if direction not in BOARD_DIRECTIONS:
        raise ValidationError({"direction": "Move an initiative forward or back."})
    if direction == "forward":
        return decide_gate(actor, initiative, outcome=Outcome.GO, rationale=rationale,
                           stage_id=stage_id, round=round, via_board=True)
    if not policy.can(actor, "pipeline.decide"):
        raise PermissionDenied("Only the deciders named by the workflow decide gates.")
    locked = _lock(initiative, stage_id, round)
    previous = (Stage.objects.filter(version_id=locked.version_id,
                                     position__lt=locked.stage.position)
                .order_by("-position").first())
    if previous is None:
        _require_decider(actor, locked.stage)
        raise ValidationError({"direction": "This is the first stage: there is none to move "
                                            "back to."})
    return decide_gate(actor, locked, outcome=Outcome.PIVOT, rationale=rationale,
                       stage_id=stage_id, round=round, to_stage=previous, via_board=True)
