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


def test_the_data_migration_seeds_the_four_templates(db):
    """Every installation starts with the templates (migration 0002), before any fixture adds
    them. Under ``--nomigrations`` there is no migration to check."""
    import pytest
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or ("pipeline", "0002_seed_templates") not in (
            recorder.applied_migrations()):
        pytest.skip("database built without migrations")
    seeded = WorkflowTemplate.objects.select_related("idea_type", "current")
    assert {(t.code, t.idea_type.code, t.current.number, t.current.status) for t in seeded} == {
        (code, code, 1, "published")
        for code in ("product", "process", "business_model", "continuous_improvement")}


def test_score_survives_a_gate_until_the_new_stage_is_evaluated(users, initiative):
    """The score lists and the portfolio show is the current stage's evaluations' mean; until
    that stage has any, the latest evaluated stage's (not blank after every gate)."""
    from decimal import Decimal

    from seedbed.pipeline.actions import evaluation as evaluations
    from seedbed.pipeline.tests.gates_helpers import at_stage

    concept, = evaluations.assign_evaluators(users["manager"], initiative, [users["evaluator"]])
    evaluations.submit_evaluation(users["evaluator"], concept, scores={
        "strategic_fit": 5, "value_potential": 5, "feasibility": 5, "risk": 1, "effort": 1})
    initiative.refresh_from_db()
    assert initiative.score == Decimal("100.00")
    moved = at_stage(initiative, "validate", users)  # the helper scores 70 at concept too
    assert moved.stage.key == "validate" and moved.score == Decimal("85.00")
    validate, = evaluations.assign_evaluators(users["manager"], moved, [users["evaluator"]])
    evaluations.submit_evaluation(users["evaluator"], validate, scores={
        "strategic_fit": 1, "value_potential": 1, "feasibility": 1, "risk": 5, "effort": 5})
    moved.refresh_from_db()
    assert moved.score == Decimal("0.00")
