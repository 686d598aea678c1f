"""Changes to the resources for innovation (clause 7.1: budget, time) and competence (7.2:
required competencies, training records). One transaction, one audit event each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.audit import service as audit
from seedbed.lib.validation import clean_text as _text
from seedbed.strategy.models import (
    BudgetEnvelope,
    RequiredCompetency,
    TimeAllowance,
    TrainingRecord,
)

BUDGET_FIELDS = ("org_unit", "period_start", "period_end", "currency", "allocated", "committed",
                 "spent", "note")
TIME_FIELDS = ("org_unit", "percent_of_time", "period_start", "period_end", "description")
REQUIRED_FIELDS = ("competency", "people_needed", "rationale")
TRAINING_FIELDS = ("person", "title", "provider", "competency", "completed_on", "hours")

MAX_AMOUNT = Decimal("999999999999.99")  # what max_digits=14, decimal_places=2 can hold


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = "Enter a number."
        return None
    if not number.is_finite():
        errors[field] = "Enter a number."
        return None
    return number


def _period(period_start: date | None, period_end: date | None, errors: dict) -> None:
    if period_start is None:
        errors["period_start"] = "This field is required."
    if period_end is None:
        errors["period_end"] = "This field is required."
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = "The period must end on or after the day it starts."


def _org_unit(org_unit, errors: dict) -> OrgUnit | None:
    if not isinstance(org_unit, OrgUnit) or org_unit.pk is None:
        errors["org_unit"] = "Choose an existing org unit."
        return None
    return org_unit


def _lock_unit(org_unit) -> None:
    """Lock the unit's row so two concurrent writes cannot both pass the overlap check."""
    pk = getattr(org_unit, "pk", None)
    if isinstance(pk, int):
        OrgUnit.objects.select_for_update().filter(pk=pk).first()


def _overlapping(model, org_unit: OrgUnit, start: date, end: date, exclude_pk: int | None):
    qs = model.objects.filter(org_unit=org_unit, period_start__lte=end, period_end__gte=start)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("period_start").first()


# --- Budget envelopes -------------------------------------------------------------------------


def _validate_budget(data: dict, *, exclude_pk: int | None = None) -> dict:
    errors: dict[str, str] = {}
    unit = _org_unit(data.get("org_unit"), errors)
    start, end = data.get("period_start"), data.get("period_end")
    _period(start, end, errors)
    currency = (data.get("currency") or "").strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        errors["currency"] = "Use a three-letter ISO 4217 code, such as EUR or GBP."
    allocated = _decimal(data.get("allocated"), "allocated", errors)
    if allocated is None and "allocated" not in errors:
        errors["allocated"] = "This field is required."
    elif allocated is not None and not Decimal(0) < allocated <= MAX_AMOUNT:
        errors["allocated"] = "The allocated amount must be more than zero."
    elif allocated is not None and allocated != allocated.quantize(Decimal("0.01")):
        errors["allocated"] = "Use at most two decimal places."
    note = _text(data.get("note"), "note", max_length=300, errors=errors)
    if unit and start and end and "period_end" not in errors:
        # One envelope per unit at a time, so "the budget of this unit now" has one answer.
        clash = _overlapping(BudgetEnvelope, unit, start, end, exclude_pk)
        if clash:
            errors["period_start"] = (
                f"{unit} already has a budget envelope for {clash.period_start:%d %b %Y} – "
                f"{clash.period_end:%d %b %Y}; periods of one unit may not overlap.")
    if errors:
        raise ValidationError(errors)
    return {"org_unit": unit, "period_start": start, "period_end": end, "currency": currency,
            "allocated": allocated, "note": note}


@transaction.atomic
def create_budget_envelope(actor, *, org_unit: OrgUnit, period_start: date, period_end: date,
                           allocated, currency: str = "EUR", note: str = "") -> BudgetEnvelope:
    _lock_unit(org_unit)
    clean = _validate_budget({"org_unit": org_unit, "period_start": period_start,
                              "period_end": period_end, "allocated": allocated,
                              "currency": currency, "note": note})
    envelope = BudgetEnvelope.objects.create(created_by=actor, **clean)
    audit.record(actor, "budget_envelope.created", envelope,
                 audit.created(envelope, BUDGET_FIELDS))
    return envelope


@transaction.atomic
def update_budget_envelope(actor, envelope: BudgetEnvelope, **changes) -> BudgetEnvelope:
    """Change what a manager decides; committed and spent belong to the pipeline."""
    envelope = BudgetEnvelope.objects.select_for_update().get(pk=envelope.pk)
    before = audit.snapshot(envelope, BUDGET_FIELDS)
    merged = {field: changes.get(field, getattr(envelope, field))
              for field in ("org_unit", "period_start", "period_end", "allocated", "currency",
                            "note")}
    _lock_unit(merged["org_unit"])
    clean = _validate_budget(merged, exclude_pk=envelope.pk)
    for field, value in clean.items():
        setattr(envelope, field, value)
    envelope.updated_at = timezone.now()
    envelope.save(update_fields=[*clean, "updated_at"])
    change_set = audit.diff(before, audit.snapshot(envelope, BUDGET_FIELDS))
    if change_set:
        audit.record(actor, "budget_envelope.updated", envelope, change_set)
    return envelope


# --- Time allowances --------------------------------------------------------------------------


def _validate_time(data: dict, *, exclude_pk: int | None = None) -> dict:
    errors: dict[str, str] = {}
    unit = _org_unit(data.get("org_unit"), errors)
    start, end = data.get("period_start"), data.get("period_end")
    _period(start, end, errors)
    percent = _decimal(data.get("percent_of_time"), "percent_of_time", errors)
    if percent is None and "percent_of_time" not in errors:
        errors["percent_of_time"] = "This field is required."
    elif percent is not None and not Decimal(0) < percent <= 100:
        errors["percent_of_time"] = "Give a share of working time above 0 and at most 100 %."
    elif percent is not None and percent != percent.quantize(Decimal("0.01")):
        errors["percent_of_time"] = "Use at most two decimal places."
    description = _text(data.get("description"), "description", max_length=300, errors=errors)
    if unit and start and end and "period_end" not in errors:
        clash = _overlapping(TimeAllowance, unit, start, end, exclude_pk)
        if clash:
            errors["period_start"] = (
                f"{unit} already has a time allowance for {clash.period_start:%d %b %Y} – "
                f"{clash.period_end:%d %b %Y}; periods of one unit may not overlap.")
    if errors:
        raise ValidationError(errors)
    return {"org_unit": unit, "period_start": start, "period_end": end,
            "percent_of_time": percent, "description": description}


@transaction.atomic
def create_time_allowance(actor, *, org_unit: OrgUnit, percent_of_time, period_start: date,
                          period_end: date, description: str = "") -> TimeAllowance:
    data = {"org_unit": org_unit, "percent_of_time": percent_of_time,
            "period_start": period_start, "period_end": period_end, "description": description}
    _lock_unit(org_unit)
    clean = _validate_time(data)
    allowance = TimeAllowance.objects.create(created_by=actor, **clean)
    audit.record(actor, "time_allowance.created", allowance,
                 audit.created(allowance, TIME_FIELDS))
    return allowance


@transaction.atomic
def update_time_allowance(actor, allowance: TimeAllowance, **changes) -> TimeAllowance:
    allowance = TimeAllowance.objects.select_for_update().get(pk=allowance.pk)
    before = audit.snapshot(allowance, TIME_FIELDS)
    merged = {field: changes.get(field, getattr(allowance, field)) for field in TIME_FIELDS}
    _lock_unit(merged["org_unit"])
    clean = _validate_time(merged, exclude_pk=allowance.pk)
    for field, value in clean.items():
        setattr(allowance, field, value)
    allowance.updated_at = timezone.now()
    allowance.save(update_fields=[*clean, "updated_at"])
    change_set = audit.diff(before, audit.snapshot(allowance, TIME_FIELDS))
    if change_set:
        audit.record(actor, "time_allowance.updated", allowance, change_set)
    return allowance


# --- Competence -------------------------------------------------------------------------------


def _validate_requirement(people_needed, rationale: str | None, errors: dict) -> dict:
    if isinstance(people_needed, bool) or not isinstance(people_needed, int):
        errors["people_needed"] = "Give a whole number of people."
    elif not 1 <= people_needed <= 100000:
        errors["people_needed"] = "At least one person must be needed."
    rationale = _text(rationale, "rationale", max_length=500, errors=errors)
    return {"people_needed": people_needed, "rationale": rationale}


@transaction.atomic
def require_competency(actor, *, competency: Competency, people_needed: int = 1,
                       rationale: str = "") -> RequiredCompetency:
    """State that the strategy needs this competency, held by this many people."""
    errors: dict[str, str] = {}
    if not isinstance(competency, Competency) or competency.pk is None:
        errors["competency"] = "Choose an existing competency."
    elif RequiredCompetency.objects.filter(competency=competency).exists():
        errors["competency"] = (f"{competency} is already required; change the number of "
                                "people needed instead.")
    clean = _validate_requirement(people_needed, rationale, errors)
    if errors:
        raise ValidationError(errors)
    requirement = RequiredCompetency.objects.create(competency=competency, created_by=actor,
                                                    **clean)
    audit.record(actor, "required_competency.created", requirement,
                 audit.created(requirement, REQUIRED_FIELDS))
    return requirement


@transaction.atomic
def update_required_competency(actor, requirement: RequiredCompetency, *,
                               people_needed: int | None = None,
                               rationale: str | None = None) -> RequiredCompetency:
    requirement = RequiredCompetency.objects.select_for_update().get(pk=requirement.pk)
    before = audit.snapshot(requirement, REQUIRED_FIELDS)
    errors: dict[str, str] = {}
    clean = _validate_requirement(
        requirement.people_needed if people_needed is None else people_needed,
        requirement.rationale if rationale is None else rationale, errors)
    if errors:
        raise ValidationError(errors)
    for field, value in clean.items():
        setattr(requirement, field, value)
    requirement.updated_at = timezone.now()
    requirement.save(update_fields=[*clean, "updated_at"])
    change_set = audit.diff(before, audit.snapshot(requirement, REQUIRED_FIELDS))
    if change_set:
        audit.record(actor, "required_competency.updated", requirement, change_set)
    return requirement


@transaction.atomic
def record_training(actor, *, person: User, title: str, completed_on: date,
                    provider: str = "", competency: Competency | None = None,
                    hours=None) -> TrainingRecord:
    errors: dict[str, str] = {}
    if not isinstance(person, User) or person.pk is None:
        errors["person"] = "Choose an existing person."
    title = _text(title, "title", max_length=200, errors=errors, required=True)
    provider = _text(provider, "provider", max_length=200, errors=errors)
    if competency is not None and (not isinstance(competency, Competency)
                                   or competency.pk is None):
        errors["competency"] = "Choose an existing competency, or none."
    if completed_on is None:
        errors["completed_on"] = "This field is required."
    elif completed_on > timezone.localdate():
        errors["completed_on"] = "Record training once it is completed: this date is ahead."
    hours = _decimal(hours, "hours", errors)
    if hours is not None and not Decimal(0) < hours <= Decimal("99999.9"):
        errors["hours"] = "Give the hours as a number above zero."
    elif hours is not None and hours != hours.quantize(Decimal("0.1")):
        errors["hours"] = "Use at most one decimal place."
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord.objects.create(
        person=person, title=title, provider=provider, competency=competency,
        completed_on=completed_on, hours=hours, recorded_by=actor)
    audit.record(actor, "training_record.created", record,
                 audit.created(record, TRAINING_FIELDS))
    return record
