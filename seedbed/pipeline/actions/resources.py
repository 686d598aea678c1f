"""Resource requests (clause 7.1 through 8.2): an initiative's team asks for budget, people-hours
or a partner for a stage; a leader approves or rejects; spending is recorded against approved
budget. Approved budget is committed on the org unit's budget envelope, and spending is added to
it, so the envelopes of "Strategy and leadership" always show what the pipeline uses.

Rules the issue left open, decided here (docs/pipeline.md explains them to users):
- A request is made for the initiative's current stage or a later one (teams plan ahead); the
  gate of that stage counts it as evidence once approved.
- A budget request draws on the envelope of the initiative's org unit, or of the nearest unit
  above it, that covers the day it is made. Its amount is in that envelope's currency.
- Nobody decides their own request, leaders included (four eyes on money): 403.
- An approval beyond what the envelope has left needs the leader to tick "override" and say
  why; the reason is stored on the request and in the audit event.
- Spending beyond the approved amount is, in effect, approving more money: only a leader who
  did not ask for it may record it, with a note saying why.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text, is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.actions._derived import refresh_money
from seedbed.pipeline.models import Initiative, ResourceRequest, Spend, Stage
from seedbed.pipeline.selectors import resources as reads
from seedbed.strategy.models import BudgetEnvelope, PartnerOrganisation

REQUEST_FIELDS = ("initiative", "stage", "kind", "amount", "hours", "partner_org", "envelope",
                  "justification", "status")
DECISION_FIELDS = ("status", "decided_by", "decided_at", "decision_note", "override_reason")
SPEND_FIELDS = ("request", "amount", "spent_on", "note")

MAX_AMOUNT = Decimal("999999999999.99")  # what max_digits=14, decimal_places=2 can hold
MAX_HOURS = Decimal("9999999.9")  # max_digits=8, decimal_places=1

Kind = ResourceRequest.Kind
Status = ResourceRequest.Status


def money(value: Decimal, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def _number(value: Any, field: str, *, places: int, most: Decimal, errors: dict,
            what: str) -> Decimal | None:
    """A positive number with at most the given decimal places; None when not given."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = "Enter a number."
        return None
    if not number.is_finite():
        errors[field] = "Enter a number."
    elif number <= 0:
        errors[field] = f"The {what} must be more than zero."
    elif number > most:
        errors[field] = f"The {what} is too large."
    elif number != number.quantize(Decimal(1).scaleb(-places)):
        errors[field] = f"Use at most {places} decimal {'place' if places == 1 else 'places'}."
    else:
        return number
    return None


def _lock_initiative(initiative: Initiative) -> Initiative:
    """Lock the initiative first in every action here (then the request, then the envelope):
    one order everywhere, so two actions never wait on each other in a circle, and the money
    totals refreshed at the end see every committed change."""
    return (Initiative.objects.select_for_update(of=("self",)).select_related("stage", "org_unit")
            .get(pk=initiative.pk))


def _lock_request(resource_request: ResourceRequest) -> tuple[Initiative, ResourceRequest]:
    initiative = _lock_initiative(resource_request.initiative)
    locked = ResourceRequest.objects.select_for_update().get(pk=resource_request.pk)
    return initiative, locked


def _lock_envelope(envelope_id: int | None) -> BudgetEnvelope | None:
    if envelope_id is None:
        return None
    return BudgetEnvelope.objects.select_for_update().get(pk=envelope_id)


def _require_open(initiative: Initiative) -> None:
    if not initiative.is_open:
        raise StateConflict(f"This initiative is {initiative.get_status_display().lower()}: it "
                            "takes no new resources.", "initiative_closed")


def _require_pending(resource_request: ResourceRequest) -> None:
    if resource_request.status != Status.REQUESTED:
        status = resource_request.get_status_display().lower()
        raise StateConflict(f"This request was already {status}.", "already_decided")


def _require_approver(actor, resource_request: ResourceRequest) -> None:
    if not policy.can(actor, "pipeline.approve"):
        raise PermissionDenied("Only leaders approve or reject resource requests.")
    if resource_request.requested_by_id == actor.pk:
        raise PermissionDenied("You made this request: another leader must decide it.")


def _stage(initiative: Initiative, stage: Stage | int | None, errors: dict) -> Stage | None:
    if stage is None:
        return initiative.stage
    pk = stage.pk if isinstance(stage, Stage) else stage
    found = (Stage.objects.filter(version_id=initiative.version_id, pk=pk).first()
             if isinstance(pk, int) and is_valid_id(pk) else None)
    if found is None:
        errors["stage"] = "Choose a stage of this initiative's workflow."
    elif found.position < initiative.stage.position:
        errors["stage"] = (f"“{found.name}” is behind this initiative; request for the current "
                           "stage or a later one.")
        return None
    return found


def _partner(actor, value: PartnerOrganisation | int | None, day: date,
             errors: dict) -> PartnerOrganisation | None:
    if value is None or value == "":
        errors["partner_org"] = "Choose the partner organisation."
        return None
    if policy.role_of(actor) == policy.PARTNER:
        # The partner register is internal: partner accounts neither see nor name it.
        errors["kind"] = ("Partner accounts request budget or people-hours; an employee on the "
                          "team asks for partner organisations.")
        return None
    pk = value.pk if isinstance(value, PartnerOrganisation) else value
    found = (reads.active_partners(day).filter(pk=pk).first()
             if isinstance(pk, int) and is_valid_id(pk) else None)
    if found is None:
        errors["partner_org"] = ("Choose a partner organisation with an agreement in force "
                                 "today (an NDA or IP terms).")
    return found


def _refuse_extra(kind: str, given: dict[str, Any], errors: dict) -> None:
    """A request asks for one thing: values for another kind are a mistake, not noise."""
    wanted = {Kind.BUDGET: "amount", Kind.HOURS: "hours", Kind.PARTNER: "partner_org"}[kind]
    for name, value in given.items():
        if name != wanted and value not in (None, "", 0, Decimal(0)) and name not in errors:
            errors[name] = f"A {Kind(kind).label.lower()} request does not take this."


@transaction.atomic
def request_resources(actor, initiative: Initiative, *, kind: str, justification: str,
                      amount: Decimal | str | None = None, hours: Decimal | str | None = None,
                      partner_org: PartnerOrganisation | int | None = None,
                      stage: Stage | int | None = None, currency: str = "") -> ResourceRequest:
    """Ask for budget (``amount``, in the envelope's currency; ``currency`` may name it as a
    check), people-hours (``hours``) or a partner organisation (``partner_org``) for the
    initiative's current stage or a later one."""
    selectors.require_work(actor, initiative)
    initiative = _lock_initiative(initiative)
    _require_open(initiative)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        raise ValidationError({"kind": "Choose budget, people-hours or a partner."})
    chosen_stage = _stage(initiative, stage, errors)
    justification = clean_text(justification, "justification", max_length=5000, errors=errors,
                               required=True)
    values: dict[str, Any] = {"amount": Decimal(0), "hours": Decimal(0), "partner_org": None,
                              "envelope": None}
    if kind == Kind.BUDGET:
        values["amount"] = _number(amount, "amount", places=2, most=MAX_AMOUNT,
                                   errors=errors, what="amount")
        if values["amount"] is None and "amount" not in errors:
            errors["amount"] = "Give the amount of budget needed."
        envelope = reads.envelope_for(initiative.org_unit, today)
        if envelope is None:
            unit = initiative.org_unit.name if initiative.org_unit else "this initiative"
            errors["envelope"] = (f"No budget envelope covers today for {unit} or any unit "
                                  "above it: ask an innovation manager to allocate one.")
        elif currency and currency.strip().upper() != envelope.currency:
            errors["currency"] = f"The budget envelope is in {envelope.currency}."
        values["envelope"] = envelope
    elif kind == Kind.HOURS:
        values["hours"] = _number(hours, "hours", places=1, most=MAX_HOURS, errors=errors,
                                  what="number of hours")
        if values["hours"] is None and "hours" not in errors:
            errors["hours"] = "Give the people-hours needed."
    else:
        values["partner_org"] = _partner(actor, partner_org, today, errors)
    _refuse_extra(kind, {"amount": amount, "hours": hours, "partner_org": partner_org}, errors)
    if errors:
        raise ValidationError(errors)
    resource_request = ResourceRequest.objects.create(
        initiative=initiative, stage=chosen_stage, kind=kind, justification=justification,
        requested_by=actor, **values)
    audit.record(actor, "resource_request.created", resource_request,
                 audit.created(resource_request, REQUEST_FIELDS))
    return resource_request


@transaction.atomic
def withdraw_request(actor, resource_request: ResourceRequest) -> ResourceRequest:
    """The team takes back a request nobody has decided yet."""
    selectors.require_work(actor, resource_request.initiative)
    _, locked = _lock_request(resource_request)
    _require_pending(locked)
    before = audit.snapshot(locked, DECISION_FIELDS)
    locked.status = Status.WITHDRAWN
    locked.save(update_fields=["status"])
    audit.record(actor, "resource_request.withdrawn", locked,
                 audit.diff(before, audit.snapshot(locked, DECISION_FIELDS)))
    return locked


def _decide(locked: ResourceRequest, actor, status: str, note: str) -> dict:
    before = audit.snapshot(locked, DECISION_FIELDS)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    return before


@transaction.atomic
def approve_request(actor, resource_request: ResourceRequest, *, note: str = "",
                    override: bool = False, override_reason: str = "") -> ResourceRequest:
    """Grant the request. Budget is committed on its envelope, which is locked so that two
    leaders approving at once against the same envelope are counted one after the other."""
    _require_approver(actor, resource_request)
    initiative, locked = _lock_request(resource_request)
    _require_pending(locked)
    _require_open(initiative)
    errors: dict[str, str] = {}
    note = clean_text(note, "note", max_length=1000, errors=errors)
    override_reason = clean_text(override_reason, "override_reason", max_length=1000,
                                 errors=errors)
    if override and not override_reason and "override_reason" not in errors:
        errors["override_reason"] = "Say why this approval may go beyond the budget envelope."
    if errors:
        raise ValidationError(errors)
    envelope = _lock_envelope(locked.envelope_id if locked.kind == Kind.BUDGET else None)
    changes: dict[str, Any] = {}
    over = envelope is not None and locked.amount > envelope.remaining
    if over and not override:
        raise StateConflict(
            f"Over budget: {money(max(envelope.remaining, Decimal(0)), envelope.currency)} left "
            f"in the {envelope.org_unit} envelope, {money(locked.amount, envelope.currency)} "
            "asked. Tick override and give a reason to approve it anyway.", "over_budget")
    before = _decide(locked, actor, Status.APPROVED, note)
    locked.override_reason = override_reason if over else ""
    locked.save(update_fields=list(DECISION_FIELDS))
    changes.update(audit.diff(before, audit.snapshot(locked, DECISION_FIELDS)))
    if envelope is not None:
        changes["envelope_committed"] = {"before": envelope.committed,
                                         "after": envelope.committed + locked.amount}
        if over:
            changes["over_budget_by"] = {"before": None,
                                         "after": locked.amount - max(envelope.remaining, 0)}
        envelope.committed += locked.amount
        envelope.updated_at = timezone.now()
        envelope.save(update_fields=["committed", "updated_at"])
    refresh_money(initiative)
    audit.record(actor, "resource_request.approved", locked, changes)
    return locked


@transaction.atomic
def reject_request(actor, resource_request: ResourceRequest, *, note: str) -> ResourceRequest:
    """Refuse the request, saying why (the team reads the note)."""
    _require_approver(actor, resource_request)
    _, locked = _lock_request(resource_request)
    _require_pending(locked)
    errors: dict[str, str] = {}
    note = clean_text(note, "note", max_length=1000, errors=errors, required=True)
    if errors:
        raise ValidationError(errors)
    before = _decide(locked, actor, Status.REJECTED, note)
    locked.save(update_fields=list(DECISION_FIELDS))
    audit.record(actor, "resource_request.rejected", locked,
                 audit.diff(before, audit.snapshot(locked, DECISION_FIELDS)))
    return locked


@transaction.atomic
def record_spend(actor, resource_request: ResourceRequest, *, amount: Decimal | str,
                 spent_on: date | None, note: str = "") -> Spend:
    """Money spent against an approved budget request: added to the request's and the
    envelope's spent (the envelope row is locked) and to the initiative's."""
    if not reads.may_record_spend(actor, resource_request.initiative):
        raise PermissionDenied("Only the initiative's team, innovation managers and leaders "
                               "record spending.")
    initiative, locked = _lock_request(resource_request)
    if locked.kind != Kind.BUDGET:
        raise StateConflict("Spending is recorded against budget requests only.", "not_budget")
    if locked.status != Status.APPROVED:
        raise StateConflict(f"This request is {locked.get_status_display().lower()}: spending "
                            "is recorded against approved budget only.", "not_approved")
    errors: dict[str, str] = {}
    value = _number(amount, "amount", places=2, most=MAX_AMOUNT, errors=errors,
                    what="amount")
    if value is None and "amount" not in errors:
        errors["amount"] = "Give the amount spent."
    if spent_on is None:
        errors["spent_on"] = "Give the day the money was spent."
    elif spent_on > timezone.localdate():
        errors["spent_on"] = "Record spending once it has happened (not a future day)."
    note = clean_text(note, "note", max_length=300, errors=errors)
    if errors:
        raise ValidationError(errors)
    left = locked.amount - locked.spent
    envelope = _lock_envelope(locked.envelope_id)
    currency = envelope.currency if envelope else ""
    beyond = value > left
    if beyond:
        if not policy.can(actor, "pipeline.approve") or locked.requested_by_id == actor.pk:
            raise StateConflict(
                f"That goes beyond the approved amount ({money(max(left, Decimal(0)), currency)} "
                "left): only a leader who did not make the request may record it.",
                "beyond_approved")
        if not note:
            raise ValidationError({"note": "Say why spending goes beyond the approved amount."})
    spend = Spend.objects.create(request=locked, amount=value, spent_on=spent_on, note=note,
                                 recorded_by=actor)
    changes = audit.created(spend, SPEND_FIELDS)
    changes["request_spent"] = {"before": locked.spent, "after": locked.spent + value}
    locked.spent += value
    locked.save(update_fields=["spent"])
    if envelope is not None:
        changes["envelope_spent"] = {"before": envelope.spent, "after": envelope.spent + value}
        envelope.spent += value
        envelope.updated_at = timezone.now()
        envelope.save(update_fields=["spent", "updated_at"])
    if beyond:
        changes["beyond_approved_by"] = {"before": None, "after": value - max(left, 0)}
    refresh_money(initiative)
    audit.record(actor, "spend.recorded", spend, changes)
    return spend
