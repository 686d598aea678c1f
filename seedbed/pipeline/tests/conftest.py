"""Pipeline fixtures: the seeded templates and an initiative promoted from the shared idea."""

from __future__ import annotations

import pytest


@pytest.fixture
def templates(db):
    from tests.support import pipeline_templates

    return pipeline_templates()


@pytest.fixture
def initiative(users, idea, templates):
    """The contributor's idea promoted by the manager onto the product template; the
    contributor (its author) is on the team, the manager leads."""
    from seedbed.pipeline.actions.initiatives import promote_ideas
    from seedbed.pipeline.models import TeamMember

    made = promote_ideas(users["manager"], [idea], template=templates["product"],
                         lead=users["manager"])
    TeamMember.objects.create(initiative=made, user=users["contributor"],
                              added_by=users["manager"])
    return made
