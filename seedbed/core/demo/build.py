"""Build the demo organisation through the same actions people use, so the audit trail holds a
believable history and the chain verifies.

Timestamps are the moment of seeding: the actions stamp "now", and back-dating audited records
afterwards would make the trail lie.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.accounts import actions as account_actions
from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.core.demo import strategy as strategy_demo
from seedbed.core.demo.challenges import CHALLENGES
from seedbed.core.demo.people import (
    COLLEAGUES,
    COMPETENCIES,
    ORG_TREE,
    PASSWORD,
    ROLE_ACCOUNTS,
)
from seedbed.core.demo.seeds import ChallengeSeed
from seedbed.ideas import actions as idea_actions
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge, Idea

ADMIN_EMAIL = ROLE_ACCOUNTS[0].email


@dataclass
class DemoSummary:
    org_units: int = 0
    people: int = 0
    challenges: int = 0
    ideas: int = 0
    comments: int = 0
    votes: int = 0


def demo_present() -> bool:
    return User.objects.filter(email=ADMIN_EMAIL).exists()


@transaction.atomic
def seed_demo_organisation() -> DemoSummary | None:
    """Create the demo organisation, or return None when it is already there.

    All or nothing: a failure half-way leaves no partial demo behind, so a rerun starts clean.
    """
    if demo_present():
        return None
    summary = DemoSummary()
    # The organisation's skeleton is set up by the system, before any person exists.
    units = _create_org_units(summary)
    competencies = {name: account_actions.create_competency(None, name=name, description=text)
                    for name, text in COMPETENCIES}
    users = _create_people(units, competencies, summary)
    today = timezone.localdate()
    strategy_demo.build({"users": users, "units": units, "competencies": competencies,
                         "today": today})
    for seed in CHALLENGES:
        _create_challenge(seed, users, units, today, summary)
    return summary


def _create_org_units(summary: DemoSummary) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for name, parent in ORG_TREE:
        units[name] = account_actions.create_org_unit(
            None, name=name, parent=units[parent] if parent else None)
        summary.org_units += 1
    return units


def _create_people(units: dict[str, OrgUnit], competencies: dict[str, Competency],
                   summary: DemoSummary) -> dict[str, User]:
    users: dict[str, User] = {}
    today = timezone.localdate()
    admin_person, *others = (*ROLE_ACCOUNTS, *COLLEAGUES)
    actor = None  # the first administrator is created by the system; they create the rest
    for person in (admin_person, *others):
        users[person.key] = account_actions.create_user(
            actor,
            email=person.address,
            full_name=person.full_name,
            role=person.role,
            password=PASSWORD,
            org_unit=units[person.unit] if person.unit else None,
            competencies=[competencies[name] for name in person.competencies],
            job_title=person.job_title,
            access_until=(today + timedelta(days=person.access_days)
                          if person.access_days else None),
        )
        actor = actor or users[admin_person.key]
        summary.people += 1
    return users


def _takes_part(user: User, challenge: Challenge) -> bool:
    """Asks the system's own rules, so the demo never shows a comment its author could not
    have written."""
    return (policy.can(user, "idea.contribute")
            and idea_selectors.visible_challenges(user).filter(pk=challenge.pk).exists())


def _create_challenge(seed: ChallengeSeed, users: dict[str, User], units: dict[str, OrgUnit],
                      today, summary: DemoSummary) -> Challenge:
    manager = users[policy.MANAGER]

    def day(offset: int | None):
        return today + timedelta(days=offset) if offset is not None else None

    challenge = idea_actions.create_challenge(
        manager, title=seed.title, description=seed.description,
        opens_on=day(seed.opens_in_days), closes_on=day(seed.closes_in_days),
        audience=Challenge.Audience.UNITS if seed.units else Challenge.Audience.ORGANISATION,
        units=[units[name] for name in seed.units],
    )
    summary.challenges += 1
    if seed.status == Challenge.Status.DRAFT:
        return challenge
    challenge = idea_actions.open_challenge(manager, challenge)
    participants = [u for u in users.values() if _takes_part(u, challenge)]
    for index, idea_seed in enumerate(seed.ideas):
        author = _participant(users, idea_seed.author, participants, seed)
        idea = idea_actions.submit_idea(author, challenge, title=idea_seed.title,
                                        description=idea_seed.description)
        summary.ideas += 1
        for commenter_key, body in idea_seed.comments:
            commenter = _participant(users, commenter_key, participants, seed)
            idea_actions.add_comment(commenter, idea, body=body)
            summary.comments += 1
        summary.votes += _cast_votes(idea, author, idea_seed.votes, participants,
                                     random.Random(f"{seed.key}:{index}"))  # noqa: S311
    if seed.status == Challenge.Status.CLOSED:
        challenge = idea_actions.close_challenge(manager, challenge)
    return challenge


def _participant(users: dict[str, User], key: str, participants: list[User],
                 seed: ChallengeSeed) -> User:
    user = users[key]
    if user not in participants:
        raise ValueError(f"demo content: {key} cannot take part in the {seed.key!r} challenge")
    return user


def _cast_votes(idea: Idea, author: User, wanted: int, participants: list[User],
                rng: random.Random) -> int:
    supporters = rng.sample([u for u in participants if u != author],
                            min(wanted, len(participants) - 1))
    for supporter in supporters:
        idea_actions.toggle_vote(supporter, idea)
    return len(supporters)
