"""Shared fixtures: one named user per role, a small org tree, an open challenge with an idea."""

from __future__ import annotations

import pytest

from seedbed import policy

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def org(db):
    from seedbed.accounts.models import OrgUnit

    root = OrgUnit.objects.create(name="Northwind Foods")
    ops = OrgUnit.objects.create(name="Operations", parent=root)
    plant = OrgUnit.objects.create(name="Plant Leeds", parent=ops)
    sales = OrgUnit.objects.create(name="Sales", parent=root)
    return {"root": root, "ops": ops, "plant": plant, "sales": sales}


@pytest.fixture
def users(org):
    from seedbed.accounts.models import User

    made = {}
    for role in policy.ROLES:
        made[role] = User.objects.create_user(
            f"{role}@example.test", PASSWORD, full_name=f"{role.title()} Person", role=role,
            org_unit=None if role in (policy.PARTNER, policy.AUDITOR) else org["plant"],
        )
    # The partner belongs to an organisation of the partner register, which needs a creator:
    # hence made after the people (directly, like the people, so no audit event is recorded).
    from seedbed.strategy.models import PartnerOrganisation

    campus = PartnerOrganisation.objects.create(
        name="Campus Lab", kind=PartnerOrganisation.Kind.UNIVERSITY, created_by=made[policy.ADMIN])
    made[policy.PARTNER].partner_org = campus
    made[policy.PARTNER].save(update_fields=["partner_org"])
    return made


@pytest.fixture
def client_for(client, users):
    """client_for("manager") → a test client signed in as that role."""
    from django.test import Client

    def make(role: str) -> Client:
        c = Client()
        c.force_login(users[role])
        return c

    return make


@pytest.fixture
def challenge(users):
    from seedbed.ideas import actions
    from tests.support import new_challenge

    ch = new_challenge(
        users["manager"], title="Cut packaging waste",
        description="How can we **halve** plastic in our packaging by 2028?")
    return actions.open_challenge(users["manager"], ch)


@pytest.fixture
def idea(users, challenge):
    from seedbed.ideas import actions

    return actions.submit_idea(users["contributor"], challenge, title="Reusable crates",
                               description="Swap cardboard for returnable crates with retailers.")
