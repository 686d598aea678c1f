"""Every change to the focus areas register (the opportunities and threats of the innovation
intent), including employees' proposals and the managers' triage of them — the strategy's
feedback loop. One transaction, one audit event each."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import is_valid_id
from seedbed.strategy.actions.context import clean_choice, clean_text
from seedbed.strategy.models import ContextIssue, FocusArea, InterestedParty

FIELDS = ("title", "kind", "rationale", "horizon", "priority", "status", "owner",
          "context_issues", "interested_parties")
DECISION_FIELDS = ("status", "owner", "horizon", "priority", "decided_by", "decided_at",
                   "decision_reason", "merged_into")
# What a manager may edit; the status only between active and retired (proposals are decided
# through triage, never by editing their status).
EDITABLE = ("title", "kind", "rationale", "horizon", "priority", "owner", "context_issues",
            "interested_parties", "status")
EDITABLE_STATUSES = (FocusArea.Status.ACTIVE, FocusArea.Status.RETIRED)


def _ids_or_objects(values, model) -> tuple[list, set[int]]:
    objects = [v for v in values if isinstance(v, model)]
    ids = {v for v in values if not isinstance(v, model)}
    return objects, ids


def _resolve_links(values: Iterable | None, model, field: str, errors: dict) -> list | None:
    """Objects or ids → objects; an unknown id is a field error naming it."""
    if values is None:
        return None
    values = list(values)
    objects, ids = _ids_or_objects(values, model)
    bad = {i for i in ids if not isinstance(i, int) or isinstance(i, bool)}
    # An id outside 64 bits names nothing (and SQLite cannot even compare it).
    wanted = {i for i in ids - bad if is_valid_id(i)}
    found = list(model.objects.filter(pk__in=wanted)) if wanted else []
    missing = (ids - bad) - {obj.pk for obj in found}
    if bad or missing:
        label = model._meta.verbose_name_plural
        errors[field] = f"Unknown {label}: {sorted(str(i) for i in bad | missing)}"
        return None
    return objects + found


def _resolve_owner(value, errors: dict) -> User | None:
    if value is None or value == "":
        return None
    owner = value if isinstance(value, User) else None
    if owner is None and isinstance(value, int) and not isinstance(value, bool) \
            and is_valid_id(value):
        owner = User.objects.filter(pk=value).first()
    # Owners are colleagues who can act on the focus area: active employees, not partners or
    # auditors.
    if owner is None or not owner.is_active or owner.role not in policy.EMPLOYEES:
        errors["owner"] = "Choose an active employee as the owner."
        return None
    return owner


def _validate(data: dict, errors: dict) -> dict:
    clean = {
        "title": clean_text(data.get("title"), "title", max_length=200, errors=errors,
                            required=True),
        "kind": clean_choice(data.get("kind"), "kind", FocusArea.Kind, errors),
        "rationale": clean_text(data.get("rationale"), "rationale", max_length=10000,
                                errors=errors, required=True),
    }
    if "horizon" in data:
        clean["horizon"] = clean_choice(data["horizon"], "horizon", FocusArea.Horizon, errors)
    if "priority" in data:
        clean["priority"] = clean_choice(data["priority"], "priority", FocusArea.Priority,
                                         errors)
    return clean


def _set_links(area: FocusArea, issues: list | None, parties: list | None) -> None:
    if issues is not None:
        area.context_issues.set(issues)
    if parties is not None:
        area.interested_parties.set(parties)


@transaction.atomic
def create_focus_area(
    actor,
    *,
    title: str,
    kind: str,
    rationale: str,
    horizon: str = FocusArea.Horizon.H1,
    priority: int = FocusArea.Priority.MEDIUM,
    owner=None,
    context_issues: Iterable | None = None,
    interested_parties: Iterable | None = None,
) -> FocusArea:
    """A manager puts a focus area straight into the register (active)."""
    errors: dict[str, str] = {}
    clean = _validate({"title": title, "kind": kind, "rationale": rationale,
                       "horizon": horizon, "priority": priority}, errors)
    owner = _resolve_owner(owner, errors)
    issues = _resolve_links(context_issues or [], ContextIssue, "context_issues", errors)
    parties = _resolve_links(interested_parties or [], InterestedParty, "interested_parties",
                             errors)
    if errors:
        raise ValidationError(errors)
    area = FocusArea.objects.create(status=FocusArea.Status.ACTIVE, owner=owner,
                                    proposed_by=actor, **clean)
    _set_links(area, issues, parties)
    audit.record(actor, "focus_area.created", area, audit.created(area, FIELDS))
    return area


@transaction.atomic
def update_focus_area(actor, area: FocusArea, **changes) -> FocusArea:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in unknown})
    area = FocusArea.objects.select_for_update().get(pk=area.pk)
    if area.status in (FocusArea.Status.MERGED, FocusArea.Status.DECLINED):
        raise StateConflict(
            f"This proposal was {area.get_status_display().lower()}; it can no longer be "
            "edited.", "focus_area_decided")
    before = audit.snapshot(area, FIELDS)
    errors: dict[str, str] = {}
    clean = _validate({"title": changes.get("title", area.title),
                       "kind": changes.get("kind", area.kind),
                       "rationale": changes.get("rationale", area.rationale),
                       "horizon": changes.get("horizon", area.horizon),
                       "priority": changes.get("priority", area.priority)}, errors)
    if "status" in changes and changes["status"] != area.status:
        if area.status not in EDITABLE_STATUSES or changes["status"] not in EDITABLE_STATUSES:
            errors["status"] = ("A focus area can be retired or made active again; proposals "
                                "are accepted, merged or declined through triage.")
        else:
            clean["status"] = changes["status"]
    owner = (_resolve_owner(changes["owner"], errors) if "owner" in changes
             else area.owner)
    issues = _resolve_links(changes.get("context_issues"), ContextIssue, "context_issues",
                            errors)
    parties = _resolve_links(changes.get("interested_parties"), InterestedParty,
                             "interested_parties", errors)
    if errors:
        raise ValidationError(errors)
    for field, value in clean.items():
        setattr(area, field, value)
    area.owner = owner
    _set_links(area, issues, parties)
    change_set = audit.diff(before, audit.snapshot(area, FIELDS))
    if change_set:
        area.updated_at = timezone.now()
        area.save(update_fields=[*clean, "owner", "updated_at"])
        audit.record(actor, "focus_area.updated", area, change_set)
    return area


@transaction.atomic
def propose_focus_area(
    actor,
    *,
    title: str,
    kind: str,
    rationale: str,
    context_issues: Iterable | None = None,
    interested_parties: Iterable | None = None,
) -> FocusArea:
    """Anyone who takes part may propose an opportunity or threat; managers triage it."""
    errors: dict[str, str] = {}
    clean = _validate({"title": title, "kind": kind, "rationale": rationale}, errors)
    issues = _resolve_links(context_issues or [], ContextIssue, "context_issues", errors)
    parties = _resolve_links(interested_parties or [], InterestedParty, "interested_parties",
                             errors)
    if errors:
        raise ValidationError(errors)
    area = FocusArea.objects.create(status=FocusArea.Status.PROPOSED, proposed_by=actor,
                                    **clean)
    _set_links(area, issues, parties)
    audit.record(actor, "focus_area.proposed", area, audit.created(area, FIELDS))
    return area


def _lock_proposal(area: FocusArea) -> FocusArea:
    # The row lock makes two managers deciding the same proposal at once take turns; the
    # second one sees it decided and gets a conflict.
    area = FocusArea.objects.select_for_update().get(pk=area.pk)
    if area.status != FocusArea.Status.PROPOSED:
        raise StateConflict(
            f"This proposal has already been decided ({area.get_status_display().lower()}).",
            "already_decided")
    return area


def _decide(actor, area: FocusArea, verb: str, before: dict, **values) -> FocusArea:
    for field, value in values.items():
        setattr(area, field, value)
    area.decided_by = actor
    area.decided_at = area.updated_at = timezone.now()
    area.save(update_fields=[*values, "decided_by", "decided_at", "updated_at"])
    audit.record(actor, verb, area, audit.diff(before, audit.snapshot(area, DECISION_FIELDS)))
    return area


@transaction.atomic
def accept_proposal(actor, area: FocusArea, *, horizon: str, priority: int, owner=None,
                    reason: str = "") -> FocusArea:
    errors: dict[str, str] = {}
    horizon = clean_choice(horizon, "horizon", FocusArea.Horizon, errors)
    priority = clean_choice(priority, "priority", FocusArea.Priority, errors)
    reason = clean_text(reason, "reason", max_length=5000, errors=errors)
    # Every focus area in the register has an owner; unless one is named, the manager who
    # accepts it takes it on.
    owner = _resolve_owner(owner, errors) if owner not in (None, "") else actor
    if errors:
        raise ValidationError(errors)
    area = _lock_proposal(area)
    before = audit.snapshot(area, DECISION_FIELDS)
    return _decide(actor, area, "focus_area.accepted", before, status=FocusArea.Status.ACTIVE,
                   owner=owner, horizon=horizon, priority=priority, decision_reason=reason)


@transaction.atomic
def merge_proposal(actor, area: FocusArea, *, into, reason: str = "") -> FocusArea:
    errors: dict[str, str] = {}
    reason = clean_text(reason, "reason", max_length=5000, errors=errors)
    target = into if isinstance(into, FocusArea) else None
    if target is None and isinstance(into, int) and not isinstance(into, bool) \
            and is_valid_id(into):
        target = FocusArea.objects.filter(pk=into).first()
    if target is None:
        errors["into"] = "Choose the active focus area to merge this proposal into."
    elif target.pk == area.pk:
        errors["into"] = "A proposal cannot be merged into itself."
    if errors:
        raise ValidationError(errors)
    area = _lock_proposal(area)
    # Read the target's status under a lock too, so it cannot be retired mid-merge.
    target = FocusArea.objects.select_for_update().get(pk=target.pk)
    if target.status != FocusArea.Status.ACTIVE:
        raise ValidationError({"into": "Merge only into an active focus area."})
    before = audit.snapshot(area, DECISION_FIELDS)
    return _decide(actor, area, "focus_area.merged", before, status=FocusArea.Status.MERGED,
                   merged_into=target, decision_reason=reason)


@transaction.atomic
def decline_proposal(actor, area: FocusArea, *, reason: str) -> FocusArea:
    errors: dict[str, str] = {}
    # The proposer sees the reason: saying why is how people keep proposing.
    reason = clean_text(reason, "reason", max_length=5000, errors=errors, required=True)
    if errors:
        raise ValidationError(errors)
    area = _lock_proposal(area)
    before = audit.snapshot(area, DECISION_FIELDS)
    return _decide(actor, area, "focus_area.declined", before,
                   status=FocusArea.Status.DECLINED, decision_reason=reason)
