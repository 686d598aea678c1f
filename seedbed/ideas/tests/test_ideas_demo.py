"""The demo's ideas part builds through the actions and shows every kind of idea."""

from __future__ import annotations

import pytest

from seedbed.audit.service import verify_chain
from seedbed.ideas.models import CoAuthor, Idea


@pytest.mark.django_db(transaction=False)
def test_demo_ideas_show_coauthors_versions_confidential_focus_area_and_statuses(monkeypatch):
    from seedbed.core.demo import build as demo
    from seedbed.core.demo.ideation import challenges as demo_challenges
    from seedbed.core.demo.ideation import ideas as demo_ideas

    built = {}
    original = demo_challenges.build

    def with_ideas(ctx):
        result = original(ctx)
        built.update(demo_ideas.build(ctx))
        return result

    monkeypatch.setattr(demo_challenges, "build", with_ideas)
    demo.seed_demo_organisation()
    assert set(built) == {"crates", "confidential", "focus_area", "draft"}
    crates = Idea.objects.get(pk=built["crates"].pk)
    assert crates.version == 2 and crates.versions.count() == 2
    assert {c.status for c in CoAuthor.objects.filter(idea=crates)} == {"accepted", "invited"}
    assert crates.tags.count() == 4 and crates.status == "under_review"
    assert Idea.objects.get(pk=built["confidential"].pk).confidential
    assert built["focus_area"].challenge_id is None
    assert built["draft"].status == "draft"
    assert Idea.objects.filter(status="selected").exists()
    assert Idea.objects.filter(status="parked").exists()
    for challenge in {i.challenge for i in Idea.objects.exclude(challenge=None)}:
        listed = Idea.objects.filter(challenge=challenge).exclude(status__in=["draft", "merged"])
        assert challenge.idea_count == listed.count()
        assert challenge.public_idea_count == listed.filter(confidential=False).count()
    assert verify_chain().ok
