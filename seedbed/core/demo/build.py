"""Build the demo organisation through the same actions people use, so the audit trail holds a
believable history and the chain verifies.

Timestamps are the moment of seeding: the actions stamp "now", and back-dating audited records
afterwards would make the trail lie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from seedbed.accounts import actions as account_actions
from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.core.demo import ideation
from seedbed.core.demo import pipeline as pipeline_demo
from seedbed.core.demo import strategy as strategy_demo
from seedbed.core.demo.people import (
    COLLEAGUES,
    COMPETENCIES,
    ORG_TREE,
    PASSWORD,
    ROLE_ACCOUNTS,
)

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
    ctx = {"users": users, "units": units, "competencies": competencies, "today": today,
           "summary": summary}
    # Strategy first: the challenges ask about its focus areas and invite its partners.
    strategy_demo.build(ctx)
    ideation.build(ctx)
    pipeline_demo.build(ctx)
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
