"""Deployment and value (clause 8.3.6): solution indicators with projected and actual values,
feedback from the solution's users and the post-launch review.

Indicators may be planned at any stage (the value case is built before launch), but actual
values and the post-launch review only once the solution is out: the initiative sits at a stage
of the deploy phase or is deployed. The actual values of the money indicators (revenue, cost
saving) add up to the initiative's actual value, which rolls up to its objectives; every action
that changes them refreshes that figure in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.lib.validation import clean_text
from seedbed.pipeline import selectors
from seedbed.pipeline.actions._derived import refresh_money
from seedbed.pipeline.models import Feedback, Initiative, PostLaunchReview, SolutionIndicator
from seedbed.pipeline.selectors.value import can_edit_review, is_launched

INDICATOR_FIELDS = ("initiative", "kind", "name", "unit", "projected", "actual", "measured_on")
EDITABLE = ("kind", "name", "unit", "projected")
FEEDBACK_FIELDS = ("initiative", "author", "rating", "text")
REVIEW_FIELDS = ("summary", "value_assessment", "lessons", "reviewed_by", "reviewed_at")
MAX_INDICATORS = 30
# DecimalField(max_digits=14, decimal_places=2): twelve digits before the point.
LIMIT = Decimal(10) ** 12
CENT = Decimal("0.01")
# A change can cost more than it saves, and an "other" measure may go either way; nobody
# adopts, rates or sells less than nothing.
MAY_BE_NEGATIVE = (SolutionIndicator.Kind.COST_SAVING, SolutionIndicator.Kind.OTHER)
NOT_LAUNCHED = ("Measure after launch: actual values and the post-launch review are recorded "
                "once the initiative reaches a deploy stage.")


# --- shared checks ---------------------------------------------------------------------------

def _lock_for_work(actor, initiative: Initiative) -> Initiative:
    """The initiative, locked (indicators of one initiative change one at a time, so the money
    total and the unit check see a settled set), after checking the actor works on it."""
    locked = (Initiative.objects.select_for_update(of=("self",)).select_related("stage")
              .get(pk=initiative.pk))
    selectors.require_work(actor, locked)
    _refuse_stopped(locked)
    return locked


def _refuse_stopped(initiative: Initiative) -> None:
    if initiative.status == Initiative.Status.STOPPED:
        raise StateConflict("This initiative was stopped: its records stay as they were.",
                            "initiative_stopped")


def _require_launched(initiative: Initiative) -> None:
    if not is_launched(initiative):
        raise StateConflict(NOT_LAUNCHED, "not_launched")


def _touch(initiative: Initiative) -> None:
    initiative.updated_at = timezone.now()
    Initiative.objects.filter(pk=initiative.pk).update(updated_at=initiative.updated_at)


def _clean_amount(value, field: str, errors: dict, *, negative: bool = False) -> Decimal | None:
    """A number with at most two decimals that fits the column; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[field] = "Enter a number."
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = "Enter a number."
        return None
    if not number.is_finite():
        errors[field] = "Enter a number."
    elif abs(number) >= LIMIT:
        errors[field] = "Keep this under 1,000,000,000,000."
    elif number != number.quantize(CENT, rounding=ROUND_DOWN):
        errors[field] = "Use at most two decimal places."
    elif number < 0 and not negative:
        errors[field] = "This value cannot be negative."
    else:
        return number.quantize(CENT)
    return None


def _clean_indicator(data: dict, *, initiative: Initiative,
                     instance: SolutionIndicator | None) -> dict:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in SolutionIndicator.Kind.values:
        errors["kind"] = "Choose adoption, satisfaction, revenue, cost saving or other."
    name = clean_text(data.get("name"), "name", max_length=200, errors=errors, required=True)
    unit = clean_text(data.get("unit"), "unit", max_length=40, errors=errors, required=True)
    projected = _clean_amount(data.get("projected"), "projected", errors)
    others = SolutionIndicator.objects.filter(initiative_id=initiative.pk).exclude(
        pk=instance.pk if instance else None)
    if name and others.filter(name__iexact=name).exists():
        errors["name"] = "This initiative already has an indicator with this name."
    if kind in SolutionIndicator.MONEY and unit and "unit" not in errors:
        # Money indicators add up to the initiative's actual value: one currency only.
        units = set(others.filter(kind__in=SolutionIndicator.MONEY)
                    .values_list("unit", flat=True))
        if units and unit.casefold() not in {u.casefold() for u in units}:
            errors["unit"] = ("Revenue and cost savings add up to the initiative's value: use "
                              f"the same unit as its other money indicators ({min(units)}).")
    if (instance is not None and instance.actual is not None and instance.actual < 0
            and kind not in MAY_BE_NEGATIVE and "kind" not in errors):
        errors["kind"] = ("Its measured value is negative, which only cost saving and other "
                          "indicators may be.")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "name": name, "unit": unit, "projected": projected}


def _money_change(before: Decimal, initiative: Initiative) -> dict:
    """The initiative's actual value as it moved, for the action's audit event."""
    after = initiative.actual_value
    if before == after:
        return {}
    return {"initiative_actual_value": {"before": str(Decimal(before).quantize(CENT)),
                                        "after": str(Decimal(after).quantize(CENT))}}


# --- indicators --------------------------------------------------------------------------------

@transaction.atomic
def add_indicator(actor, initiative: Initiative, *, kind: str, name: str, unit: str,
                  projected=None) -> SolutionIndicator:
    """A measure of the deployed solution (adoption, satisfaction, revenue, cost saving or
    other), with the value the initiative expects of it."""
    initiative = _lock_for_work(actor, initiative)
    clean = _clean_indicator({"kind": kind, "name": name, "unit": unit, "projected": projected},
                             initiative=initiative, instance=None)
    if SolutionIndicator.objects.filter(initiative_id=initiative.pk).count() >= MAX_INDICATORS:
        raise ValidationError({"__all__": f"At most {MAX_INDICATORS} indicators per initiative."})
    now = timezone.now()
    indicator = SolutionIndicator.objects.create(initiative=initiative, created_by=actor,
                                                 created_at=now, updated_at=now, **clean)
    _touch(initiative)
    audit.record(actor, "solution_indicator.created", indicator,
                 audit.created(indicator, INDICATOR_FIELDS))
    return indicator


@transaction.atomic
def update_indicator(actor, indicator: SolutionIndicator, **changes) -> SolutionIndicator:
    """Rename, re-unit, re-kind or re-project an indicator (its measurement is recorded with
    ``record_indicator_value``). A change of kind can move it in or out of the money total."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_indicator() cannot change {sorted(unknown)}")
    initiative = _lock_for_work(actor, indicator.initiative)
    indicator = SolutionIndicator.objects.select_for_update().get(
        pk=indicator.pk, initiative_id=initiative.pk)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    merged = {name: changes[name] if name in changes else getattr(indicator, name)
              for name in EDITABLE}
    clean = _clean_indicator(merged, initiative=initiative, instance=indicator)
    for name, value in clean.items():
        setattr(indicator, name, value)
    change_set = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    if not change_set:
        return indicator
    indicator.updated_at = timezone.now()
    indicator.save(update_fields=[*clean, "updated_at"])
    money_before = initiative.actual_value
    refresh_money(initiative)
    _touch(initiative)
    audit.record(actor, "solution_indicator.updated", indicator,
                 {**change_set, **_money_change(money_before, initiative)})
    return indicator


@transaction.atomic
def record_indicator_value(actor, indicator: SolutionIndicator, *, actual,
                           measured_on: date) -> SolutionIndicator:
    """The value measured on a date after launch; it replaces the previous measurement (the
    audit trail keeps the series)."""
    initiative = _lock_for_work(actor, indicator.initiative)
    _require_launched(initiative)
    indicator = SolutionIndicator.objects.select_for_update().get(
        pk=indicator.pk, initiative_id=initiative.pk)
    errors: dict[str, str] = {}
    value = _clean_amount(actual, "actual", errors, negative=indicator.kind in MAY_BE_NEGATIVE)
    if value is None and "actual" not in errors:
        errors["actual"] = "Enter the measured value."
    if isinstance(measured_on, datetime) or not isinstance(measured_on, date):
        errors["measured_on"] = "Enter the date it was measured."
    elif measured_on > timezone.localdate():
        errors["measured_on"] = "A measurement cannot be dated in the future."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    indicator.actual, indicator.measured_on = value, measured_on
    indicator.updated_at = timezone.now()
    indicator.save(update_fields=["actual", "measured_on", "updated_at"])
    money_before = initiative.actual_value
    refresh_money(initiative)
    _touch(initiative)
    audit.record(actor, "solution_indicator.measured", indicator,
                 {**audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS)),
                  **_money_change(money_before, initiative)})
    return indicator


@transaction.atomic
def remove_indicator(actor, indicator: SolutionIndicator) -> SolutionIndicator:
    """Take an indicator off the initiative; the audit trail keeps what it held."""
    initiative = _lock_for_work(actor, indicator.initiative)
    indicator = SolutionIndicator.objects.select_for_update().get(
        pk=indicator.pk, initiative_id=initiative.pk)
    changes = audit.diff(audit.snapshot(indicator, INDICATOR_FIELDS), {})
    money_before = initiative.actual_value
    audit_target = (indicator.pk, str(indicator))
    indicator.delete()
    refresh_money(initiative)
    _touch(initiative)
    audit.record(actor, "solution_indicator.removed", None,
                 {**changes, **_money_change(money_before, initiative)},
                 object_type=SolutionIndicator._meta.label_lower, object_id=audit_target[0],
                 object_repr=audit_target[1])
    indicator.pk = audit_target[0]
    return indicator


# --- feedback ----------------------------------------------------------------------------------

@transaction.atomic
def add_feedback(actor, initiative: Initiative, *, text: str, rating=None) -> Feedback:
    """Feedback from someone who uses the solution: anyone taking part who can see the
    initiative (partners only on initiatives they are on), with an optional 1-5 rating."""
    if not policy.can(actor, "pipeline.work"):
        raise PermissionDenied("Your role does not allow giving feedback.")
    locked = (selectors.visible_initiatives(actor).select_for_update(of=("self",))
              .filter(pk=initiative.pk).first())
    if locked is None:
        raise PermissionDenied("You cannot see this initiative.")
    _refuse_stopped(locked)
    errors: dict[str, str] = {}
    text = clean_text(text, "text", max_length=5000, errors=errors, required=True)
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)
                               or not 1 <= rating <= 5):
        errors["rating"] = "Rate from 1 (poor) to 5 (excellent), or leave the rating out."
    if errors:
        raise ValidationError(errors)
    feedback = Feedback.objects.create(initiative=locked, author=actor, rating=rating,
                                       text=text, created_at=timezone.now())
    _touch(locked)
    audit.record(actor, "feedback.created", feedback, audit.created(feedback, FEEDBACK_FIELDS))
    return feedback


# --- post-launch review ------------------------------------------------------------------------

@transaction.atomic
def record_post_launch_review(actor, initiative: Initiative, *, summary: str,
                              value_assessment: str = "", lessons: str = "") -> PostLaunchReview:
    """Write the initiative's one post-launch review, or revise it: a second call updates the
    same review (its lead, its writer and innovation managers may)."""
    initiative = _lock_for_work(actor, initiative)
    _require_launched(initiative)
    review = (PostLaunchReview.objects.select_for_update()
              .filter(initiative_id=initiative.pk).first())
    if not can_edit_review(actor, initiative, review):
        raise PermissionDenied("Only the initiative's lead, the review's writer and innovation "
                               "managers may change the post-launch review.")
    errors: dict[str, str] = {}
    clean = {
        "summary": clean_text(summary, "summary", max_length=10000, errors=errors,
                              required=True),
        "value_assessment": clean_text(value_assessment, "value_assessment",
                                       max_length=10000, errors=errors),
        "lessons": clean_text(lessons, "lessons", max_length=10000, errors=errors),
    }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if review is None:
        review = PostLaunchReview.objects.create(initiative=initiative, reviewed_by=actor,
                                                 reviewed_at=now, **clean)
        verb, changes = "post_launch_review.created", audit.created(review, REVIEW_FIELDS)
    else:
        before = audit.snapshot(review, REVIEW_FIELDS)
        for name, value in clean.items():
            setattr(review, name, value)
        if audit.diff(before, audit.snapshot(review, REVIEW_FIELDS)) == {}:
            return review
        review.reviewed_by, review.reviewed_at = actor, now
        review.save(update_fields=[*clean, "reviewed_by", "reviewed_at"])
        verb, changes = ("post_launch_review.updated",
                         audit.diff(before, audit.snapshot(review, REVIEW_FIELDS)))
    _touch(initiative)
    audit.record(actor, verb, review, changes)
    return review
