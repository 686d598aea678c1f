"""Bulk benchmark initiatives: one for every ten bulk ideas, inserted fast (``bulk.py`` calls
``insert_initiatives``; the same rules apply: no actions, no audit event per row).

They are spread over the four templates' stages and statuses the way a real portfolio is
(most active, some on hold, stopped or deployed), each with its idea linked (and the idea's
status following, as ``follow_ideas`` would set it), a team, focus areas, objectives, some
assumptions and risks, an approved budget request with spending, and the gate decisions that
took it to where it stands. The denormalised figures are set consistently with those rows:
uncertainty from the assumptions, committed and spent from the approved request and its
spending, the actual value of deployed ones from their measured cost saving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.ideas.models import Idea
from seedbed.pipeline.actions._ideas import FOLLOW
from seedbed.pipeline.models import (
    Assumption,
    GateDecision,
    Initiative,
    InitiativeIdea,
    ResourceRequest,
    Risk,
    SolutionIndicator,
    Spend,
    Stage,
    TeamMember,
    WorkflowTemplate,
)
from seedbed.strategy.models import FocusArea, Objective

BATCH = 1000  # initiatives per round; their related rows go in the same round
IDEAS_PER_INITIATIVE = 10
S = Initiative.Status
TEMPLATE_WEIGHTS = {"product": 35, "process": 30, "business_model": 10,
                    "continuous_improvement": 25}
STATUS_WEIGHTS = {S.ACTIVE: 70, S.ON_HOLD: 8, S.STOPPED: 10, S.DEPLOYED: 12}
HORIZON_WEIGHTS = {"h1": 60, "h2": 28, "h3": 12}
# How sure each phase tends to be: (lowest, highest) uncertainty.
UNCERTAINTY = {"concept": (60, 100), "validate": (30, 90), "develop": (10, 60), "deploy": (0, 30)}
ASSUMPTIONS = (
    ("desirability", "Customers will pay a small premium for it."),
    ("feasibility", "The line can run it without slowing the changeover."),
    ("viability", "Ingredient cost stays under the target margin."),
    ("feasibility", "The supplier can deliver the new material at volume."),
    ("desirability", "Operators will use it on every shift."),
)
RISKS = (
    "Supplier cannot hold the price", "Allergen control during trials",
    "Retailer delists the range", "Energy price spike", "Key engineer leaves mid-project",
)
LEARNINGS = (
    "Shoppers liked the idea in interviews but did not buy it in the trial stores.",
    "The saving depended on a volume we will not reach for several years.",
    "A supplier change solved the problem more cheaply than the project would have.",
)
RATIONALES = ("Evidence at this gate is sufficient; resources agreed.",
              "Critical assumptions tested; go on to the next stage.")


@dataclass
class _Plan:
    template: WorkflowTemplate
    stages: list[Stage]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A sum between ``low`` and ``high`` with a long tail, rounded to hundreds."""
    value = low * (high / low) ** (rng.random() ** 1.6)
    return Decimal(round(value / 100) * 100)


def insert_initiatives(rng: random.Random, idea_ids: list[int], user_ids: list[int],
                       manager: User, now: datetime, progress=None) -> int:
    """One initiative for every ``IDEAS_PER_INITIATIVE`` ideas of ``idea_ids``, led by
    employees and with teams from ``user_ids``; the manager promoted them all."""
    plans = {}
    for template in WorkflowTemplate.objects.filter(current__isnull=False,
                                                    code__in=TEMPLATE_WEIGHTS):
        stages = list(Stage.objects.filter(version_id=template.current_id).order_by("position"))
        if stages:
            plans[template.code] = _Plan(template, stages)
    if not plans:
        return 0
    weights = {code: w for code, w in TEMPLATE_WEIGHTS.items() if code in plans}
    linked = idea_ids[::IDEAS_PER_INITIATIVE]
    leaders = list(User.objects.filter(role=policy.LEADER, is_active=True)
                   .values_list("pk", flat=True)) or [manager.pk]
    employees = dict(User.objects.filter(role__in=policy.EMPLOYEES, is_active=True)
                     .values_list("pk", "org_unit_id"))
    # A realistic number of people lead initiatives: one for every forty or so.
    bulk_people = set(user_ids)
    leads = [pk for pk in employees if pk not in bulk_people][:50] + \
        [pk for pk in user_ids if pk in employees][:max(20, len(linked) // 40)]
    areas = list(FocusArea.objects.filter(status=FocusArea.Status.ACTIVE)
                 .values_list("pk", flat=True))
    objectives = list(Objective.objects.values_list("pk", flat=True))
    ideas = dict(Idea.objects.filter(pk__in=linked).values_list("pk", "title"))
    made = 0
    for first in range(0, len(linked), BATCH):
        batch = linked[first:first + BATCH]
        rows = [_initiative(rng, plans[_weighted(rng, weights)], idea_id, ideas[idea_id],
                            rng.choice(leads), employees, manager, now) for idea_id in batch]
        Initiative.objects.bulk_create([r for r, _ in rows])
        _related(rng, rows, user_ids, areas, objectives, leaders, manager, now)
        made += len(rows)
        if progress:
            progress(f"  {made:,} / {len(linked):,} initiatives")
    return made


def _initiative(rng, plan: _Plan, idea_id: int, title: str, lead: int, units: dict,
                manager: User, now: datetime) -> tuple[Initiative, dict]:
    status = _weighted(rng, STATUS_WEIGHTS)
    last = len(plan.stages) - 1
    position = last if status == S.DEPLOYED else rng.randint(0, last)
    stage = plan.stages[position]
    created = now - timedelta(days=rng.randint(20, 700))
    entered = _between(rng, created, now)
    projected = _money(rng, 5_000, 2_000_000)
    ledger = _ledger(rng, stage.phase)
    committed = _money(rng, 2_000, 400_000) if position else Decimal(0)
    spent = (committed * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal(100))
    initiative = Initiative(
        title=title[:200], summary="Benchmark initiative generated by seed_demo.",
        version_id=plan.template.current_id, stage=stage, status=status,
        idea_type_id=plan.template.idea_type_id, lead_id=lead, org_unit_id=units.get(lead),
        horizon=_weighted(rng, HORIZON_WEIGHTS), confidential=rng.random() < 0.05,
        created_by=manager, created_at=created, stage_entered_at=entered,
        updated_at=_between(rng, entered, now), uncertainty=_uncertainty(ledger),
        projected_value=projected, committed=committed, spent=spent,
        score=Decimal(rng.randint(35, 92)) if rng.random() < 0.6 else None,
        # One decision per passed gate, and one more for a hold or a stop.
        gate_round=position + (2 if status in (S.ON_HOLD, S.STOPPED, S.DEPLOYED) else 1))
    if status == S.DEPLOYED:
        initiative.deployed_at = initiative.updated_at
        initiative.actual_value = (projected * Decimal(rng.randint(30, 150)) / 100).quantize(
            Decimal(100))
    if status == S.STOPPED:
        initiative.stopped_at = initiative.updated_at
        initiative.learnings = rng.choice(LEARNINGS)
    return initiative, {"plan": plan, "position": position, "idea": idea_id, "ledger": ledger}


def _ledger(rng, phase: str) -> list[tuple[str, str, int, str]]:
    """Assumptions (kind, statement, importance, status): the later the phase, the more of
    them tested."""
    low, high = UNCERTAINTY[phase]
    untested = (low + high) / 200
    return [(kind, statement, rng.randint(2, 5),
             Assumption.Status.UNTESTED if rng.random() < untested
             else rng.choice((Assumption.Status.SUPPORTED, Assumption.Status.REFUTED)))
            for kind, statement in rng.sample(ASSUMPTIONS, rng.randint(1, 4))]


def _uncertainty(ledger) -> int:
    """As ``seedbed.pipeline.actions._derived.uncertainty_of`` computes it from the rows."""
    critical = sum(i for _, _, i, _ in ledger if i >= Assumption.CRITICAL)
    open_ = sum(i for _, _, i, status in ledger
                if i >= Assumption.CRITICAL and status == Assumption.Status.UNTESTED)
    if not ledger:
        return 100
    return round(100 * open_ / critical) if critical else 0


def _related(rng, rows, user_ids, areas, objectives, leaders, manager, now) -> None:
    links, team, assumptions, risks, requests, decisions = [], [], [], [], [], []
    indicators = []
    tagged, serving = [], []
    follow: dict[str, list[int]] = {}
    for initiative, info in rows:
        links.append(InitiativeIdea(initiative=initiative, idea_id=info["idea"],
                                    linked_at=initiative.created_at))
        follow.setdefault(FOLLOW[initiative.status], []).append(info["idea"])
        for member in rng.sample(user_ids, rng.randint(1, 3)):
            if member != initiative.lead_id:
                team.append(TeamMember(initiative=initiative, user_id=member,
                                       added_by=manager, added_at=initiative.created_at))
        for area in rng.sample(areas, min(len(areas), rng.randint(1, 2))):
            tagged.append(Initiative.focus_areas.through(initiative=initiative,
                                                         focusarea_id=area))
        if objectives and rng.random() < 0.6:
            serving.append(Initiative.objectives.through(
                initiative=initiative, objective_id=rng.choice(objectives)))
        for kind, statement, importance, status in info["ledger"]:
            assumptions.append(Assumption(
                initiative=initiative, statement=statement, kind=kind, importance=importance,
                evidence=0 if status == Assumption.Status.UNTESTED else rng.randint(1, 3),
                status=status, created_by_id=initiative.lead_id,
                created_at=initiative.created_at, updated_at=initiative.updated_at))
        if initiative.status == S.DEPLOYED:
            indicators.append(SolutionIndicator(
                initiative=initiative, kind=SolutionIndicator.Kind.COST_SAVING,
                name="Cost saving in the first year", unit="GBP",
                projected=initiative.projected_value, actual=initiative.actual_value,
                measured_on=initiative.updated_at.date(), created_by_id=initiative.lead_id,
                created_at=initiative.updated_at, updated_at=initiative.updated_at))
        for title in rng.sample(RISKS, rng.randint(0, 2)):
            risks.append(Risk(initiative=initiative, title=title,
                              likelihood=rng.randint(1, 5), impact=rng.randint(1, 5),
                              owner_id=initiative.lead_id, created_by_id=initiative.lead_id,
                              created_at=initiative.created_at,
                              updated_at=initiative.updated_at))
        if initiative.committed:
            requests.append((initiative, ResourceRequest(
                initiative=initiative, stage=initiative.stage, kind=ResourceRequest.Kind.BUDGET,
                amount=initiative.committed, justification="Trials and equipment for this stage.",
                status=ResourceRequest.Status.APPROVED, requested_by_id=initiative.lead_id,
                requested_at=initiative.stage_entered_at, decided_by_id=rng.choice(leaders),
                decided_at=initiative.stage_entered_at, spent=initiative.spent)))
        decisions += _decisions(rng, initiative, info, leaders, manager)
    InitiativeIdea.objects.bulk_create(links)
    for status, ids in follow.items():
        Idea.objects.filter(pk__in=ids).update(status=status)
    TeamMember.objects.bulk_create(team, ignore_conflicts=True)
    Initiative.focus_areas.through.objects.bulk_create(tagged)
    Initiative.objectives.through.objects.bulk_create(serving)
    Assumption.objects.bulk_create(assumptions)
    Risk.objects.bulk_create(risks)
    ResourceRequest.objects.bulk_create([r for _, r in requests])
    Spend.objects.bulk_create([
        Spend(request=r, amount=i.spent, spent_on=i.updated_at.date(),
              recorded_by_id=i.lead_id, recorded_at=i.updated_at)
        for i, r in requests if i.spent])
    SolutionIndicator.objects.bulk_create(indicators)
    GateDecision.objects.bulk_create(decisions)


def _decisions(rng, initiative: Initiative, info: dict, leaders: list[int],
               manager: User) -> list[GateDecision]:
    """A go at every gate passed (rounds 1, 2, …), then the hold, stop or final go."""
    stages, position = info["plan"].stages, info["position"]
    passed = list(range(position + (1 if initiative.status == S.DEPLOYED else 0)))
    moments = sorted(_between(rng, initiative.created_at, initiative.stage_entered_at)
                     for _ in passed)
    made = []
    for n, (k, moment) in enumerate(zip(passed, moments, strict=True)):
        made.append(_decision(rng, initiative, stages[k], n + 1, GateDecision.Outcome.GO,
                              stages[k + 1] if k + 1 < len(stages) else None, moment,
                              leaders, manager))
    closing = {S.ON_HOLD: GateDecision.Outcome.HOLD, S.STOPPED: GateDecision.Outcome.STOP}
    if initiative.status in closing:
        made.append(_decision(rng, initiative, stages[position], len(passed) + 1,
                              closing[initiative.status], None, initiative.updated_at,
                              leaders, manager))
    return made


def _decision(rng, initiative, stage, round_, outcome, to_stage, moment, leaders,
              manager) -> GateDecision:
    decider = rng.choice(leaders) if policy.LEADER in stage.decider_roles else manager.pk
    rationale = (initiative.learnings if outcome == GateDecision.Outcome.STOP
                 else rng.choice(RATIONALES))
    return GateDecision(
        initiative=initiative, stage=stage, round=round_, outcome=outcome, to_stage=to_stage,
        rationale=rationale or "Paused until the line upgrade is done.", decided_by_id=decider,
        decided_at=moment, uncertainty=initiative.uncertainty,
        risk_appetite=stage.risk_appetite, projected_value=initiative.projected_value)

