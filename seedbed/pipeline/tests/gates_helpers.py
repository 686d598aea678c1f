"""Helpers for the gate tests: decide what the decider sees, meet a stage's evidence, walk an
initiative to a stage through real decisions."""

from __future__ import annotations

from decimal import Decimal

from seedbed.pipeline.actions.gates import decide_gate
from seedbed.pipeline.models import (
    Assumption,
    Evaluation,
    Experiment,
    GateDecision,
    GateItem,
    Initiative,
    PostLaunchReview,
    ResourceRequest,
    Risk,
    SolutionIndicator,
    Stage,
)


def current(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_related("stage", "version").get(pk=initiative.pk)


def items_of(initiative: Initiative) -> list[GateItem]:
    return list(GateItem.objects.filter(stage_id=current(initiative).stage_id))


def checks_of(initiative: Initiative) -> list[int]:
    return [i.pk for i in items_of(initiative) if i.kind == GateItem.Kind.CHECK]


def stage_of(initiative: Initiative, key: str) -> Stage:
    return Stage.objects.get(version_id=initiative.version_id, key=key)


def decide(actor, initiative: Initiative, **kwargs) -> GateDecision:
    """Decide the gate the initiative stands at now (as a decider who just opened the page)."""
    now = current(initiative)
    return decide_gate(actor, now, stage_id=now.stage_id, round=now.gate_round, **kwargs)


def record_evidence(initiative: Initiative, actor) -> None:
    """Records that meet every evidence rule at the initiative's current stage."""
    now = current(initiative)
    kw = {"initiative": now, "created_by": actor}
    assumption = Assumption.objects.create(statement="Chefs want it", kind="desirability",
                                           importance=5, status="supported", **kw)
    experiment = Experiment.objects.create(hypothesis="Chefs reorder within a week",
                                           status="succeeded", **kw)
    experiment.assumptions.add(assumption)
    Evaluation.objects.get_or_create(
        initiative=now, stage=now.stage, evaluator=actor,
        defaults={"scorecard": now.version.scorecard, "status": "submitted",
                  "assigned_by": actor, "weighted": Decimal("70")})
    Risk.objects.get_or_create(initiative=now, title="Supplier delay",
                               defaults={"likelihood": 2, "impact": 2, "created_by": actor})
    ResourceRequest.objects.create(initiative=now, stage=now.stage, kind="budget", amount=1000,
                                   justification="Trial run", status="approved",
                                   requested_by=actor)
    SolutionIndicator.objects.get_or_create(
        initiative=now, name="Weekly orders",
        defaults={"kind": "revenue", "unit": "GBP", "actual": Decimal("100"),
                  "created_by": actor})
    PostLaunchReview.objects.get_or_create(initiative=now, defaults={
        "summary": "Worked.", "reviewed_by": actor})
    Initiative.objects.filter(pk=now.pk, projected_value=0).update(
        projected_value=Decimal("50000"))


def decider_for(stage: Stage, users: dict):
    return users["leader"] if "leader" in stage.decider_roles else users["manager"]


def at_stage(initiative: Initiative, key: str, users: dict) -> Initiative:
    """Walk the initiative forward through real go decisions until it stands at ``key``."""
    while current(initiative).stage.key != key:
        now = current(initiative)
        record_evidence(now, users["manager"])
        decide(decider_for(now.stage, users), now, outcome="go",
               rationale=f"{now.stage.name} done.", checked=checks_of(now))
    return current(initiative)


def placed_at(initiative: Initiative, key: str) -> Initiative:
    """Set up an initiative standing at ``key`` with no records (no decisions either)."""
    Initiative.objects.filter(pk=initiative.pk).update(stage=stage_of(initiative, key))
    return current(initiative)
