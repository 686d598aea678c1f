"""Challenges: create, edit, schedule, open and close (clause 8.3.2).

A challenge asks for ideas on at least one active focus area ("why we ask"), from an audience
(the whole organisation, selected org units, or invited partners only) plus any invited partner
organisations, in the idea types it accepts, with one voting mode. Drafts become ``scheduled``
with an opening date; the periodic job (seedbed/ideas/tasks.py) opens them on the day and closes
open challenges after their closing date, with the system (no person) as the actor.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts.models import OrgUnit, User
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, IdeaType, Vote
from seedbed.lib.validation import clean_text
from seedbed.notifications import events
from seedbed.strategy.models import FocusArea, PartnerOrganisation

logger = logging.getLogger(__name__)

_clean_text = partial(clean_text, required=True)

CHALLENGE_FIELDS = ("title", "description", "opens_on", "closes_on", "audience", "units",
                    "partner_orgs", "focus_areas", "sponsor", "idea_types", "voting_mode",
                    "token_budget")
# Many-to-many fields, set after the row is saved.
_M2M = ("units", "partner_orgs", "focus_areas", "idea_types")
# A token budget beyond this is no longer a choice between ideas.
MAX_TOKEN_BUDGET = 100
# Sponsors speak for the challenge inside the organisation: employees, not partners/auditors.
SPONSOR_ROLES = frozenset({policy.ADMIN, policy.MANAGER, policy.LEADER, policy.EVALUATOR,
                           policy.CONTRIBUTOR})


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    """Check a whole challenge (after merging edits); return the cleaned values."""
    errors: dict[str, str] = {}
    clean = dict(data)
    clean["title"] = _clean_text(data["title"], "title", max_length=200, errors=errors)
    clean["description"] = _clean_text(data["description"], "description", max_length=20000,
                                       errors=errors)
    opens_on, closes_on = data["opens_on"], data["closes_on"]
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date."
    audience = data["audience"]
    if audience not in Challenge.Audience.values:
        errors["audience"] = ("Choose the whole organisation, selected org units or invited "
                              "partners only.")
    elif audience == Challenge.Audience.UNITS and not data["units"]:
        errors["units"] = "Choose at least one org unit, or open it to the whole organisation."
    elif audience == Challenge.Audience.PARTNERS and not data["partner_orgs"]:
        errors["partner_orgs"] = "Invite at least one partner organisation."
    focus_areas = data["focus_areas"]
    if not focus_areas:
        # "Why we ask": every challenge answers at least one opportunity or threat.
        errors["focus_areas"] = "Link at least one focus area."
    elif any(area.status != FocusArea.Status.ACTIVE for area in focus_areas):
        names = ", ".join(a.title for a in focus_areas if a.status != FocusArea.Status.ACTIVE)
        errors["focus_areas"] = f"Only active focus areas can be linked (not: {names})."
    idea_types = data["idea_types"]
    if not idea_types:
        errors["idea_types"] = "Accept at least one idea type."
    elif any(not t.active for t in idea_types):
        errors["idea_types"] = "Only active idea types can be accepted."
    sponsor = data["sponsor"]
    if sponsor is not None and (not sponsor.is_active or sponsor.role not in SPONSOR_ROLES):
        errors["sponsor"] = "The sponsor must be an active person of the organisation."
    if data["voting_mode"] not in Challenge.VotingMode.values:
        errors["voting_mode"] = "Choose simple support or a budget of tokens."
    budget = data["token_budget"]
    if not isinstance(budget, int) or isinstance(budget, bool) or not (
            1 <= budget <= MAX_TOKEN_BUDGET):
        errors["token_budget"] = f"Give each person between 1 and {MAX_TOKEN_BUDGET} tokens."
    if errors:
        raise ValidationError(errors)
    if audience != Challenge.Audience.UNITS:
        clean["units"] = []
    return clean


def _save_relations(challenge: Challenge, clean: dict[str, Any]) -> None:
    for name in _M2M:
        getattr(challenge, name).set(clean[name])


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
    partner_orgs: list[PartnerOrganisation] | None = None,
    focus_areas: list[FocusArea] | None = None,
    idea_types: list[IdeaType] | None = None,
    sponsor: User | None = None,
    voting_mode: str = Challenge.VotingMode.SUPPORT,
    token_budget: int = 10,
) -> Challenge:
    """A new challenge, as a draft. Without ``idea_types`` it accepts every active type."""
    clean = _validate({
        "title": title, "description": description, "opens_on": opens_on,
        "closes_on": closes_on, "audience": audience, "units": list(units or []),
        "partner_orgs": list(partner_orgs or []), "focus_areas": list(focus_areas or []),
        "idea_types": (list(idea_types) if idea_types is not None
                       else list(IdeaType.objects.filter(active=True))),
        "sponsor": sponsor, "voting_mode": voting_mode, "token_budget": token_budget,
    })
    challenge = Challenge.objects.create(
        created_by=actor, **{k: v for k, v in clean.items() if k not in _M2M})
    _save_relations(challenge, clean)
    audit.record(actor, "challenge.created", challenge, audit.created(challenge, CHALLENGE_FIELDS))
    return challenge


def _voting_started(challenge: Challenge) -> bool:
    return Vote.objects.filter(idea__challenge=challenge).exists()


@transaction.atomic
def update_challenge(actor, challenge: Challenge, **changes) -> Challenge:
    """Change any of the fields ``create_challenge`` takes; omitted (or None for lists)
    fields keep their value. Voting settings are fixed once someone has voted."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status == Challenge.Status.CLOSED:
        raise StateConflict("A closed challenge can no longer be edited.", "challenge_closed")
    unknown = set(changes) - set(CHALLENGE_FIELDS)
    if unknown:
        raise TypeError(f"update_challenge() got unknown fields {sorted(unknown)}")
    before = audit.snapshot(challenge, CHALLENGE_FIELDS)
    merged: dict[str, Any] = {}
    for name in CHALLENGE_FIELDS:
        if name in _M2M:
            value = changes.get(name)
            merged[name] = list(value) if value is not None else list(getattr(challenge,
                                                                              name).all())
        elif name == "sponsor":
            merged[name] = changes.get("sponsor", challenge.sponsor)
        else:
            merged[name] = changes.get(name, getattr(challenge, name))
            if merged[name] is None and name in ("title", "description", "audience",
                                                 "voting_mode", "token_budget"):
                merged[name] = getattr(challenge, name)
    if (merged["voting_mode"] != challenge.voting_mode
            or merged["token_budget"] != challenge.token_budget) and _voting_started(challenge):
        raise StateConflict("People have already voted in this challenge: its voting mode "
                            "and token budget can no longer change.", "voting_started")
    clean = _validate(merged)
    if challenge.status == Challenge.Status.SCHEDULED and not clean["opens_on"]:
        raise ValidationError({"opens_on": "A scheduled challenge needs an opening date."})
    plain = [k for k in CHALLENGE_FIELDS if k not in _M2M]
    for name in plain:
        setattr(challenge, name, clean[name])
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=[*plain, "updated_at"])
    _save_relations(challenge, clean)
    change_set = audit.diff(before, audit.snapshot(challenge, CHALLENGE_FIELDS))
    if change_set:
        audit.record(actor, "challenge.updated", challenge, change_set)
    return challenge


def _locked(challenge: Challenge) -> Challenge:
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _wrong_state(challenge: Challenge, doing: str, allowed: str) -> StateConflict:
    return StateConflict(f"Only a {allowed} challenge can be {doing}; this one is "
                         f"{challenge.get_status_display().lower()}.", "invalid_transition")


def _open(actor, challenge: Challenge, *, today: date, extra: dict | None = None) -> Challenge:
    before = {"status": challenge.status, "opens_on": challenge.opens_on}
    challenge.status = Challenge.Status.OPEN
    # Opened by hand before its planned day: it accepts ideas from today.
    if challenge.opens_on is not None and challenge.opens_on > today:
        challenge.opens_on = today
    now = timezone.now()
    challenge.opened_at = now
    challenge.updated_at = now
    challenge.save(update_fields=["status", "opens_on", "opened_at", "updated_at"])
    changes = audit.diff(before, {"status": challenge.status, "opens_on": challenge.opens_on})
    audit.record(actor, "challenge.opened", challenge, {**changes, **(extra or {})})
    events.emit(events.CHALLENGE_OPENED, actor=actor, challenge=challenge)
    return challenge


@transaction.atomic
def schedule_challenge(actor, challenge: Challenge, *, today: date | None = None) -> Challenge:
    """Draft → scheduled: the scheduler opens it on ``opens_on``. If that day has come, it
    opens now (one ``challenge.opened`` event)."""
    today = today or timezone.localdate()
    challenge = _locked(challenge)
    if challenge.status != Challenge.Status.DRAFT:
        raise _wrong_state(challenge, "scheduled", "draft")
    if challenge.opens_on is None:
        raise ValidationError({"opens_on": "Set an opening date before scheduling."})
    if challenge.closes_on and challenge.closes_on < today:
        raise ValidationError({"closes_on": "The closing date has already passed."})
    if challenge.opens_on <= today:
        return _open(actor, challenge, today=today, extra={"scheduled": True})
    challenge.status = Challenge.Status.SCHEDULED
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=["status", "updated_at"])
    audit.record(actor, "challenge.scheduled", challenge, {
        "status": {"before": Challenge.Status.DRAFT, "after": Challenge.Status.SCHEDULED},
        "opens_on": {"before": None, "after": challenge.opens_on.isoformat()}})
    return challenge


@transaction.atomic
def unschedule_challenge(actor, challenge: Challenge) -> Challenge:
    """Scheduled → draft again (plans changed)."""
    challenge = _locked(challenge)
    if challenge.status != Challenge.Status.SCHEDULED:
        raise _wrong_state(challenge, "taken back to draft", "scheduled")
    challenge.status = Challenge.Status.DRAFT
    challenge.updated_at = timezone.now()
    challenge.save(update_fields=["status", "updated_at"])
    audit.record(actor, "challenge.unscheduled", challenge, {
        "status": {"before": Challenge.Status.SCHEDULED, "after": Challenge.Status.DRAFT}})
    return challenge


@transaction.atomic
def open_challenge(actor, challenge: Challenge, *, today: date | None = None) -> Challenge:
    """Draft or scheduled → open, now. ``actor`` None is the scheduler."""
    today = today or timezone.localdate()
    challenge = _locked(challenge)
    if challenge.status not in (Challenge.Status.DRAFT, Challenge.Status.SCHEDULED):
        raise _wrong_state(challenge, "opened", "draft or scheduled")
    if actor is not None and challenge.closes_on and challenge.closes_on < today:
        raise ValidationError({"closes_on": "The closing date has passed: move it first."})
    return _open(actor, challenge, today=today)


@transaction.atomic
def close_challenge(actor, challenge: Challenge) -> Challenge:
    """Open → closed: no more ideas or votes. ``actor`` None is the scheduler."""
    challenge = _locked(challenge)
    if challenge.status != Challenge.Status.OPEN:
        raise _wrong_state(challenge, "closed", "open")
    now = timezone.now()
    challenge.status = Challenge.Status.CLOSED
    challenge.closed_at = now
    challenge.updated_at = now
    challenge.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(actor, "challenge.closed", challenge,
                 {"status": {"before": Challenge.Status.OPEN, "after": Challenge.Status.CLOSED}})
    return challenge


def open_and_close_due_challenges(today: date | None = None) -> dict[str, list[int]]:
    """The scheduler's work: open scheduled challenges whose day has come, close open ones
    whose closing date has passed. Each change is its own transaction (one failure does not
    undo the others) and is safe to repeat: a challenge already moved is skipped."""
    today = today or timezone.localdate()
    done: dict[str, list[int]] = {"opened": [], "closed": []}
    due_open = Challenge.objects.filter(status=Challenge.Status.SCHEDULED, opens_on__lte=today)
    for pk in due_open.order_by("opens_on", "pk").values_list("pk", flat=True):
        try:
            open_challenge(None, Challenge(pk=pk), today=today)
        except StateConflict:
            continue  # moved meanwhile (opened by hand)
        except Exception:  # noqa: BLE001 - keep going; the next run tries again
            logger.exception("could not open challenge %s", pk)
            continue
        done["opened"].append(pk)
    due_close = Challenge.objects.filter(status=Challenge.Status.OPEN, closes_on__lt=today)
    for pk in due_close.order_by("closes_on", "pk").values_list("pk", flat=True):
        try:
            close_challenge(None, Challenge(pk=pk))
        except StateConflict:
            continue
        except Exception:  # noqa: BLE001
            logger.exception("could not close challenge %s", pk)
            continue
        done["closed"].append(pk)
    return done
