"""Every change to objectives and their progress (6.2), the RACI matrix (5.5) and actions on
risks, opportunities and planned changes (6.1, 6.3). One transaction, one audit event each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text
from seedbed.strategy.models import (
    ActionItem,
    FocusArea,
    Objective,
    ObjectiveUpdate,
    RaciAssignment,
)
from seedbed.strategy.selectors import planning as selectors

OBJECTIVE_FIELDS = ("title", "description", "indicator", "unit", "baseline", "target",
                    "start_on", "due_on", "owner", "focus_areas")
ACTION_ITEM_FIELDS = ("title", "description", "kind", "owner", "due_on", "status", "focus_area",
                      "context_issue", "objective")
RACI_FIELDS = ("process", "role", "person", "letter")

# Status changes an action item may make; done and cancelled are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    ActionItem.Status.OPEN: frozenset({ActionItem.Status.IN_PROGRESS,
                                       ActionItem.Status.CANCELLED}),
    ActionItem.Status.IN_PROGRESS: frozenset({ActionItem.Status.DONE,
                                              ActionItem.Status.CANCELLED}),
    ActionItem.Status.DONE: frozenset(),
    ActionItem.Status.CANCELLED: frozenset(),
}

# DecimalField(max_digits=18, decimal_places=4): what fits in the column.
_LARGEST = Decimal(10) ** 14

# Text is required here unless a caller says otherwise.
_clean_text = partial(clean_text, required=True)


def _clean_number(value, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        errors[field] = "This field is required."
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = "Enter a number."
        return None
    if not number.is_finite():
        errors[field] = "Enter a number."
        return None
    if abs(number) >= _LARGEST:
        errors[field] = "Enter a number with at most 14 digits before the decimal point."
        return None
    if number != number.quantize(Decimal("0.0001"), rounding="ROUND_HALF_EVEN"):
        errors[field] = "Use at most 4 decimal places."
        return None
    return number


def _clean_date(value, field: str, errors: dict) -> date | None:
    if not isinstance(value, date):
        errors[field] = "Enter a valid date."
        return None
    return value


def _clean_owner(owner, errors: dict, field: str = "owner") -> User | None:
    # Owners answer for the work inside the organisation: an active employee, not a partner
    # or an auditor (who only read).
    if owner is None:
        errors[field] = "Choose an owner."
    elif not owner.is_active or owner.role not in policy.EMPLOYEES:
        errors[field] = "Choose an active employee as the owner."
    return owner


def _clean_focus_areas(focus_areas: Iterable[FocusArea], already: set[int],
                       errors: dict) -> list[FocusArea]:
    chosen = list({fa.pk: fa for fa in focus_areas}.values())
    # New links go to active focus areas only; a link made while the area was active stays.
    inactive = [fa.title for fa in chosen
                if fa.status != FocusArea.Status.ACTIVE and fa.pk not in already]
    if inactive:
        errors["focus_areas"] = ("Link only active focus areas; not active: "
                                 + ", ".join(sorted(inactive)) + ".")
    return chosen


def _validate_objective(data: dict, *, linked: set[int], first_update: date | None) -> dict:
    errors: dict[str, str] = {}
    clean = {
        "title": _clean_text(data.get("title"), "title", max_length=200, errors=errors),
        "description": _clean_text(data.get("description"), "description", max_length=10000,
                                   errors=errors, required=False),
        "indicator": _clean_text(data.get("indicator"), "indicator", max_length=200,
                                 errors=errors),
        "unit": _clean_text(data.get("unit"), "unit", max_length=40, errors=errors),
        "baseline": _clean_number(data.get("baseline"), "baseline", errors),
        "target": _clean_number(data.get("target"), "target", errors),
        "start_on": _clean_date(data.get("start_on"), "start_on", errors),
        "due_on": _clean_date(data.get("due_on"), "due_on", errors),
        "owner": _clean_owner(data.get("owner"), errors),
    }
    focus_areas = _clean_focus_areas(data.get("focus_areas") or [], linked, errors)
    baseline, target = clean["baseline"], clean["target"]
    if baseline is not None and target is not None and baseline == target:
        errors["target"] = "The target must differ from the baseline, or there is nothing to " \
                           "achieve."
    start_on, due_on = clean["start_on"], clean["due_on"]
    if start_on and due_on and due_on <= start_on:
        errors["due_on"] = "The due date must be after the start date."
    if start_on and first_update and start_on > first_update:
        errors["start_on"] = (f"Progress was already recorded on {first_update:%d %b %Y}; the "
                              "start date cannot be later than that.")
    if errors:
        raise ValidationError(errors)
    return {**clean, "focus_areas": focus_areas}


@transaction.atomic
def create_objective(actor, **data) -> Objective:
    clean = _validate_objective(data, linked=set(), first_update=None)
    focus_areas = clean.pop("focus_areas")
    objective = Objective.objects.create(created_by=actor, **clean)
    objective.focus_areas.set(focus_areas)
    audit.record(actor, "objective.created", objective,
                 audit.created(objective, OBJECTIVE_FIELDS))
    return objective


@transaction.atomic
def update_objective(actor, objective: Objective, **changes) -> Objective:
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    before = audit.snapshot(objective, OBJECTIVE_FIELDS)
    current = {name: getattr(objective, name) for name in OBJECTIVE_FIELDS
               if name != "focus_areas"}
    current["focus_areas"] = list(objective.focus_areas.all())
    merged = {**current, **{k: v for k, v in changes.items() if k in OBJECTIVE_FIELDS}}
    first = objective.updates.order_by("as_of").values_list("as_of", flat=True).first()
    clean = _validate_objective(merged, linked={fa.pk for fa in current["focus_areas"]},
                                first_update=first)
    focus_areas = clean.pop("focus_areas")
    for field, value in clean.items():
        setattr(objective, field, value)
    objective.updated_at = timezone.now()
    objective.save(update_fields=[*clean, "updated_at"])
    objective.focus_areas.set(focus_areas)
    change_set = audit.diff(before, audit.snapshot(objective, OBJECTIVE_FIELDS))
    if change_set:
        audit.record(actor, "objective.updated", objective, change_set)
    return objective


@transaction.atomic
def record_progress(actor, objective: Objective, *, value, as_of, note: str = "",
                    today: date | None = None) -> ObjectiveUpdate:
    """A new measured value. It becomes the objective's current value when it is the newest."""
    # Lock first: two updates for the same objective must not both think they are the newest.
    objective = Objective.objects.select_for_update().select_related("owner").get(pk=objective.pk)
    if not selectors.can_record_progress(actor, objective):
        raise PermissionDenied("Only the objective's owner or an innovation manager may record "
                               "its progress.")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    number = _clean_number(value, "value", errors)
    as_of = _clean_date(as_of, "as_of", errors)
    note = _clean_text(note, "note", max_length=5000, errors=errors, required=False)
    if as_of and as_of > today:
        errors["as_of"] = "Progress cannot be recorded for a date in the future."
    elif as_of and as_of < objective.start_on:
        errors["as_of"] = (f"The objective starts on {objective.start_on:%d %b %Y}; record "
                           "progress from that date on.")
    if errors:
        raise ValidationError(errors)
    update = ObjectiveUpdate.objects.create(objective=objective, value=number, as_of=as_of,
                                            note=note, recorded_by=actor)
    changes = audit.created(update, ("objective", "value", "as_of", "note"))
    if objective.current_as_of is None or as_of >= objective.current_as_of:
        before = audit.snapshot(objective, ("current_value", "current_as_of"))
        objective.current_value, objective.current_as_of = number, as_of
        objective.updated_at = timezone.now()
        objective.save(update_fields=["current_value", "current_as_of", "updated_at"])
        after = audit.snapshot(objective, ("current_value", "current_as_of"))
        changes |= {f"objective.{k}": v for k, v in audit.diff(before, after).items()}
    audit.record(actor, "objective.progress_recorded", update, changes)
    return update


def _normalise_process(name) -> str:
    return " ".join(name.split()) if isinstance(name, str) else ""


@transaction.atomic
def add_raci_assignment(actor, *, process: str, letter: str, role: str = "",
                        person: User | None = None) -> RaciAssignment:
    errors: dict[str, str] = {}
    process = _clean_text(_normalise_process(process), "process", max_length=120, errors=errors)
    role = role or ""
    if role and person is not None:
        errors["person"] = "Choose a role or a person, not both."
    elif not role and person is None:
        errors["role"] = "Choose a role or a person."
    elif role and role not in policy.ROLES:
        errors["role"] = "Choose one of the roles."
    elif person is not None and (not person.is_active or person.role not in policy.EMPLOYEES):
        errors["person"] = "Choose an active employee."
    if letter not in RaciAssignment.Letter.values:
        errors["letter"] = "Choose R, A, C or I."
    if not errors:
        # One spelling per process: "run challenges" joins the existing "Run challenges".
        existing = (RaciAssignment.objects.filter(process__iexact=process)
                    .values_list("process", flat=True).first())
        process = existing or process
        cell = RaciAssignment.objects.filter(process=process, role=role, person=person)
        if cell.filter(letter=letter).exists():
            errors["letter"] = f"{'This role' if role else 'This person'} already has " \
                               f"{letter} for {process}."
        elif letter == RaciAssignment.Letter.ACCOUNTABLE and RaciAssignment.objects.filter(
                process=process, letter=letter).exists():
            errors["letter"] = (f"{process} already has someone accountable; a process has at "
                                "most one A. Remove it first.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            assignment = RaciAssignment.objects.create(process=process, role=role, person=person,
                                                       letter=letter)
    except IntegrityError:
        # A concurrent request gave the process its Accountable first.
        raise ValidationError({"letter": f"{process} already has someone accountable; a "
                                         "process has at most one A."}) from None
    audit.record(actor, "raci.assigned", assignment, audit.created(assignment, RACI_FIELDS))
    return assignment


@transaction.atomic
def remove_raci_assignment(actor, assignment: RaciAssignment) -> RaciAssignment:
    assignment = RaciAssignment.objects.select_for_update().get(pk=assignment.pk)
    changes = audit.diff(audit.snapshot(assignment, RACI_FIELDS), {})
    audit.record(actor, "raci.removed", assignment, changes)
    assignment.delete()
    return assignment


def _validate_action_item(data: dict, *, linked_focus_area: int | None) -> dict:
    errors: dict[str, str] = {}
    clean = {
        "title": _clean_text(data.get("title"), "title", max_length=200, errors=errors),
        "description": _clean_text(data.get("description"), "description", max_length=10000,
                                   errors=errors, required=False),
        "kind": data.get("kind"),
        "owner": _clean_owner(data.get("owner"), errors),
        "due_on": _clean_date(data.get("due_on"), "due_on", errors),
        "focus_area": data.get("focus_area"),
        "context_issue": data.get("context_issue"),
        "objective": data.get("objective"),
    }
    if clean["kind"] not in ActionItem.Kind.values:
        errors["kind"] = "Choose risk, opportunity or planned change."
    focus_area = clean["focus_area"]
    if (focus_area is not None and focus_area.status != FocusArea.Status.ACTIVE
            and focus_area.pk != linked_focus_area):
        errors["focus_area"] = "Link an active focus area."
    if not any(clean[name] is not None for name in ("focus_area", "context_issue", "objective")):
        errors["focus_area"] = ("Say what this action addresses: a focus area, a context issue "
                                "or an objective.")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_action_item(actor, **data) -> ActionItem:
    clean = _validate_action_item(data, linked_focus_area=None)
    item = ActionItem.objects.create(created_by=actor, **clean)
    audit.record(actor, "action_item.created", item, audit.created(item, ACTION_ITEM_FIELDS))
    return item


@transaction.atomic
def update_action_item(actor, item: ActionItem, **changes) -> ActionItem:
    """Change an action item's fields and/or move its status along (open → in progress → done,
    or cancelled); done and cancelled items are closed records."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_closed:
        raise StateConflict(f"This action is {item.get_status_display().lower()}; it can no "
                            "longer change.", "action_item_closed")
    before = audit.snapshot(item, ACTION_ITEM_FIELDS)
    fields = [f for f in ACTION_ITEM_FIELDS if f != "status"]
    merged = {name: getattr(item, name) for name in fields}
    merged.update({k: v for k, v in changes.items() if k in fields})
    clean = _validate_action_item(merged, linked_focus_area=item.focus_area_id)
    status = changes.get("status") or item.status
    if status != item.status:
        if status not in ActionItem.Status.values:
            raise ValidationError({"status": "Choose a status."})
        if status not in TRANSITIONS[item.status]:
            raise StateConflict(
                f"An action that is {item.get_status_display().lower()} cannot become "
                f"{ActionItem.Status(status).label.lower()}.", "invalid_transition")
    for field, value in clean.items():
        setattr(item, field, value)
    item.status = status
    item.updated_at = timezone.now()
    item.save(update_fields=[*clean, "status", "updated_at"])
    change_set = audit.diff(before, audit.snapshot(item, ACTION_ITEM_FIELDS))
    if change_set:
        audit.record(actor, "action_item.updated", item, change_set)
    return item


def set_action_item_status(actor, item: ActionItem, status: str) -> ActionItem:
    return update_action_item(actor, item, status=status)

