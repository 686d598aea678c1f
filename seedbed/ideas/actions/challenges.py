"""Challenges: create, edit, schedule, open and close (clause 8.3.2)."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed.accounts.models import OrgUnit
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, IdeaType
from seedbed.lib.validation import clean_text
from seedbed.strategy.models import FocusArea

_clean_text = partial(clean_text, required=True)

CHALLENGE_FIELDS = ("title", "description", "opens_on", "closes_on", "audience", "units",
                    "focus_areas", "idea_types")


def _validate_challenge(
    title: str,
    description: str,
    opens_on: date | None,
    closes_on: date | None,
    audience: str,
    units: list[OrgUnit],
) -> dict:
    errors: dict[str, str] = {}
    title = _clean_text(title, "title", max_length=200, errors=errors)
    description = _clean_text(description, "description", max_length=20000, errors=errors)
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date."
    if audience not in Challenge.Audience.values:
        errors["audience"] = "Choose the whole organisation or selected org units."
    elif audience == Challenge.Audience.UNITS and not units:
        errors["units"] = "Choose at least one org unit, or open it to the whole organisation."
    if errors:
        raise ValidationError(errors)
    return {"title": title, "description": description, "opens_on": opens_on,
            "closes_on": closes_on, "audience": audience}


@transaction.atomic
def create_challenge(
    actor,
    *,
    title: str,
    description: str,
    opens_on: date | None = None,
    closes_on: date | None = None,
    audience: str = Challenge.Audience.ORGANISATION,
    units: list[OrgUnit] | None = None,
    focus_areas: list[FocusArea] | None = None,
    idea_types: list[IdeaType] | None = None,
) -> Challenge:
    units = list(units or [])
    focus_areas = list(focus_areas or [])
    clean = _validate_challenge(title, description, opens_on, closes_on, audience, units)
    if not focus_areas:
        # "Why we ask": every challenge answers at least one opportunity or threat.
        raise ValidationError({"focus_areas": "Link at least one focus area."})
    challenge = Challenge.objects.create(created_by=actor, **clean)
    if clean["audience"] == Challenge.Audience.UNITS:
        challenge.units.set(units)
    challenge.focus_areas.set(focus_areas)
    challenge.idea_types.set(idea_types if idea_types is not None
                             else IdeaType.objects.filter(active=True))
    audit.record(actor, "challenge.created", challenge, audit.created(challenge, CHALLENGE_FIELDS))
    return challenge


@transaction.atomic
def update_challenge(actor, challenge: Challenge, **changes) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status == Challenge.Status.CLOSED:
        raise StateConflict("A closed challenge can no longer be edited.", "challenge_closed")
    before = audit.snapshot(challenge, CHALLENGE_FIELDS)
    current_units = list(challenge.units.all())
    merged = {
        "title": changes.get("title", challenge.title),
        "description": changes.get("description", challenge.description),
        "opens_on": changes.get("opens_on", challenge.opens_on),
        "closes_on": changes.get("closes_on", challenge.closes_on),
        "audience": changes.get("audience", challenge.audience),
        "units": list(changes["units"]) if changes.get("units") is not None else current_units,
    }
    clean = _validate_challenge(**merged)
    for field, value in clean.items():
        setattr(challenge, field, value)
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=[*clean, "updated_at"])
    challenge.units.set(merged["units"] if clean["audience"] == Challenge.Audience.UNITS else [])
    change_set = audit.diff(before, audit.snapshot(challenge, CHALLENGE_FIELDS))
    if change_set:
        audit.record(actor, "challenge.updated", challenge, change_set)
    return challenge


def _with_article(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _set_status(actor, challenge: Challenge, *, allowed_from: str, to: str, verb: str) -> Challenge:
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status != allowed_from:
        raise StateConflict(
            f"Only {_with_article(Challenge.Status(allowed_from).label.lower())} challenge can "
            f"be {verb.split('.')[-1]}; this one is {challenge.get_status_display().lower()}.",
            "invalid_transition",
        )
    before = challenge.status
    challenge.status = to
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=["status", "updated_at"])
    audit.record(actor, verb, challenge, {"status": {"before": before, "after": to}})
    return challenge


@transaction.atomic
def open_challenge(actor, challenge: Challenge) -> Challenge:
    return _set_status(actor, challenge, allowed_from=Challenge.Status.DRAFT,
                       to=Challenge.Status.OPEN, verb="challenge.opened")


@transaction.atomic
def close_challenge(actor, challenge: Challenge) -> Challenge:
    return _set_status(actor, challenge, allowed_from=Challenge.Status.OPEN,
                       to=Challenge.Status.CLOSED, verb="challenge.closed")


