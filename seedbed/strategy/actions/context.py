"""Every change to the context register: issues (clause 4.1) and interested parties (4.2).
One transaction, one audit event each."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed.audit import service as audit
from seedbed.lib.validation import clean_text
from seedbed.strategy.models import ContextIssue, InterestedParty
from seedbed.strategy.models.context import Level

ISSUE_FIELDS = ("title", "description", "category", "impact", "trend", "source", "review_on")
PARTY_FIELDS = ("name", "needs", "expectations", "importance", "review_on")


def clean_choice(value, field: str, choices, errors: dict):
    """A valid choice as its plain value (str or int), or a field error."""
    if isinstance(value, bool) or value not in choices.values:
        errors[field] = f"Choose one of: {', '.join(str(v) for v in choices.values)}."
        return value
    return choices(value).value


def clean_date(value, field: str, errors: dict) -> date | None:
    if value is not None and not isinstance(value, date):
        errors[field] = "Enter a valid date."
    return value


def _validate_issue(data: dict) -> dict:
    errors: dict[str, str] = {}
    clean = {
        "title": clean_text(data.get("title"), "title", max_length=200, errors=errors,
                            required=True),
        "description": clean_text(data.get("description"), "description", max_length=10000,
                                  errors=errors),
        "category": clean_choice(data.get("category"), "category", ContextIssue.Category,
                                 errors),
        "impact": clean_choice(data.get("impact"), "impact", Level, errors),
        "trend": clean_choice(data.get("trend"), "trend", ContextIssue.Trend, errors),
        "source": clean_text(data.get("source"), "source", max_length=300, errors=errors),
        "review_on": clean_date(data.get("review_on"), "review_on", errors),
    }
    if errors:
        raise ValidationError(errors)
    return clean


def _validate_party(data: dict) -> dict:
    errors: dict[str, str] = {}
    clean = {
        "name": clean_text(data.get("name"), "name", max_length=200, errors=errors,
                           required=True),
        "needs": clean_text(data.get("needs"), "needs", max_length=5000, errors=errors),
        "expectations": clean_text(data.get("expectations"), "expectations", max_length=5000,
                                   errors=errors),
        "importance": clean_choice(data.get("importance"), "importance", Level, errors),
        "review_on": clean_date(data.get("review_on"), "review_on", errors),
    }
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_context_issue(
    actor,
    *,
    title: str,
    category: str,
    description: str = "",
    impact: str = Level.MEDIUM,
    trend: str = ContextIssue.Trend.STABLE,
    source: str = "",
    review_on: date | None = None,
) -> ContextIssue:
    clean = _validate_issue({"title": title, "description": description, "category": category,
                             "impact": impact, "trend": trend, "source": source,
                             "review_on": review_on})
    issue = ContextIssue.objects.create(created_by=actor, **clean)
    audit.record(actor, "context_issue.created", issue, audit.created(issue, ISSUE_FIELDS))
    return issue


@transaction.atomic
def update_context_issue(actor, issue: ContextIssue, **changes) -> ContextIssue:
    unknown = set(changes) - set(ISSUE_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in unknown})
    issue = ContextIssue.objects.select_for_update().get(pk=issue.pk)
    before = audit.snapshot(issue, ISSUE_FIELDS)
    clean = _validate_issue({**before, "review_on": issue.review_on, **changes})
    for field, value in clean.items():
        setattr(issue, field, value)
    change_set = audit.diff(before, audit.snapshot(issue, ISSUE_FIELDS))
    if change_set:
        issue.updated_at = timezone.now()
        issue.save(update_fields=[*ISSUE_FIELDS, "updated_at"])
        audit.record(actor, "context_issue.updated", issue, change_set)
    return issue


@transaction.atomic
def create_interested_party(
    actor,
    *,
    name: str,
    needs: str = "",
    expectations: str = "",
    importance: str = Level.MEDIUM,
    review_on: date | None = None,
) -> InterestedParty:
    clean = _validate_party({"name": name, "needs": needs, "expectations": expectations,
                             "importance": importance, "review_on": review_on})
    party = InterestedParty.objects.create(created_by=actor, **clean)
    audit.record(actor, "interested_party.created", party, audit.created(party, PARTY_FIELDS))
    return party


@transaction.atomic
def update_interested_party(actor, party: InterestedParty, **changes) -> InterestedParty:
    unknown = set(changes) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in unknown})
    party = InterestedParty.objects.select_for_update().get(pk=party.pk)
    before = audit.snapshot(party, PARTY_FIELDS)
    clean = _validate_party({**before, "review_on": party.review_on, **changes})
    for field, value in clean.items():
        setattr(party, field, value)
    change_set = audit.diff(before, audit.snapshot(party, PARTY_FIELDS))
    if change_set:
        party.updated_at = timezone.now()
        party.save(update_fields=[*PARTY_FIELDS, "updated_at"])
        audit.record(actor, "interested_party.updated", party, change_set)
    return party
