"""The skeleton's promises: seeded templates, promotion, visibility."""

from __future__ import annotations

from seedbed.ideas.models import Idea
from seedbed.pipeline import selectors
from seedbed.pipeline.models import WorkflowTemplate


def test_four_templates_seeded_with_distinct_paths(templates):
    keys = {code: [s.key for s in t.current.stages.all()] for code, t in templates.items()}
    assert keys["product"] == ["concept", "validate", "develop", "launch", "scale"]
    assert keys["continuous_improvement"] == ["assess", "implement", "verify"]
    assert len(set(map(tuple, keys.values()))) == 4
    assert WorkflowTemplate.objects.get(code="process").idea_type.code == "process"


def test_promotion_links_idea_and_starts_at_first_stage(initiative, idea):
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SELECTED
    assert list(initiative.ideas.all()) == [idea]
    assert initiative.stage.key == "concept"
    assert initiative.uncertainty == 100


def test_confidential_initiative_hidden_like_confidential_idea(initiative, users):
    initiative.confidential = True
    initiative.save()
    for role, sees in (("leader", True), ("manager", True), ("contributor", True),
                       ("evaluator", False), ("auditor", False), ("partner", False)):
        assert selectors.visible_initiatives(users[role]).filter(
            pk=initiative.pk).exists() is sees, role
