"""Demo pipeline: gates (see the package's PLAN). Walks every initiative to its target through
real gate decisions, taken by the people the templates name: the innovation manager at the
manager-decided gates, a member of top management at the others (the managing director for
products, the operations director for processes, the finance director for business models).

At each gate the deciders confirm the checklist items and the evidence comes from what the
validation, evaluation and resource modules recorded; where an earlier module left a rule
unmet, the item is waived with an honest reason (waivers stay the exception; one roll-out
waives a checklist item on purpose, as real gates sometimes do). Deploy-stage
evidence (indicators measured, post-launch review) is recorded through the value actions just
before the gate that needs it, since the value module runs afterwards. One initiative iterates,
one pivots back, one is held and one is stopped with what was learned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from seedbed.pipeline.actions.gates import decide_gate
from seedbed.pipeline.models import GateItem, Initiative, PostLaunchReview, Stage
from seedbed.pipeline.selectors.gates import evidence_status

MANAGER = "manager"
# Who speaks for top management at a leader-decided gate, by template.
LEADER_FOR = {"product": "leader", "process": "claire", "business_model": "tom",
              "continuous_improvement": "leader"}
# Gates a second leader sits on (template, stage key) → person key.
CO_DECIDER = {("product", "validate"): "tom", ("business_model", "test"): "leader",
              ("process", "rollout"): "leader"}

# What the deciders weighed when a gate passed, by (template, stage key).
GO = {
    ("product", "concept"): (
        "The customer problem is clear and serves one of our focus areas; the concept panel "
        "sees enough promise to spend on validation."),
    ("product", "validate"): (
        "Critical assumptions tested with shoppers and retail buyers; the value case holds up "
        "at the projected volume. Approved to develop."),
    ("product", "develop"): (
        "Production-ready after two factory trials at Leeds; resources approved and the top "
        "risks have owners and treatments. Cleared to launch."),
    ("product", "launch"): (
        "Launch readiness review held with operations and sales; the first weeks of sales are "
        "close to plan. Scale up to the full retail estate."),
    ("product", "scale"): (
        "The post-launch review confirms the value; it becomes business as usual and leaves "
        "the innovation pipeline."),
    ("process", "diagnose"): (
        "Baseline measured over four weeks and the root cause is understood; worth a pilot on "
        "one line."),
    ("process", "pilot"): (
        "The pilot beat the baseline on the agreed measure with no food-safety impact. Ready "
        "to roll out."),
    ("process", "rollout"): (
        "Rolled out to every affected line, training delivered on all shifts; now make it the "
        "standard way of working."),
    ("process", "standardise"): "Documented in the QMS and measured as business as usual.",
    ("business_model", "explore"): (
        "Canvas sketched and the riskiest assumptions named; worth testing the model with real "
        "customers."),
    ("business_model", "test"): (
        "Desirability, feasibility and viability each tested; finance reviewed the unit "
        "economics. Incubate with a small team."),
    ("business_model", "incubate"): (
        "The minimum viable business runs with paying customers and the high risks are "
        "treated. Launch it as a business line."),
    ("business_model", "launch"): "Value measured and reviewed; the venture stands on its own.",
    ("continuous_improvement", "assess"): (
        "Small, cheap and within the team's reach; the team lead agreed to make the change."),
    ("continuous_improvement", "implement"): (
        "Change made and explained at the shift briefings; now verify it with numbers."),
    ("continuous_improvement", "verify"): (
        "Measured after a month: the improvement holds. Closed as done."),
}

# Why an evidence item an earlier module left unmet could still pass, by rule.
WAIVER = {
    GateItem.Rule.ASSUMPTIONS_RECORDED: (
        "Assumptions were captured in the concept workshop notes; they go into the ledger at "
        "the start of the next stage."),
    GateItem.Rule.SCORECARD_SUBMITTED: (
        "Scored by the monthly innovation board in the meeting rather than on individual "
        "scorecards; the minutes are filed."),
    GateItem.Rule.EXPERIMENT_PER_CRITICAL: (
        "The open critical assumption was checked with two key customers in person; a formal "
        "experiment is planned early in the next stage."),
    GateItem.Rule.RISKS_ASSESSED: (
        "Covered by the site's HACCP and health-and-safety risk assessments; an initiative "
        "register follows in the next stage."),
    GateItem.Rule.HIGH_RISKS_TREATED: (
        "Treatment for the open high risk was agreed at the gate meeting and is minuted; the "
        "owner records it this week."),
    GateItem.Rule.RESOURCES_APPROVED: (
        "This stage ran on the team's existing budget and hours; no separate request was "
        "needed."),
    GateItem.Rule.VALUE_PROJECTED: "Value case to follow once the pilot volumes are known.",
    GateItem.Rule.INDICATORS_MEASURED: (
        "First measurements are due at the end of the month; the deciders accepted the "
        "weekly line reports meanwhile."),
    GateItem.Rule.POST_LAUNCH_REVIEW: (
        "Review held verbally at the operations meeting; the written review follows."),
}

# Checklist items the deciders waived rather than confirmed: (slot, stage key) → {label: why}.
WAIVED_CHECKS = {
    ("pr_standardise", "rollout"): {
        "Training delivered to every affected team": (
            "Day and back shifts at both plants are trained; the Wrexham night shift is "
            "trained on the 14th. The deciders accepted the shift managers' sign-off meanwhile "
            "rather than hold the roll-out for one shift."),
    },
}

# The annual value (GBP) each initiative is projected to bring, as stated at its first gate;
# later gates refine it by the factors below (a value case firms up as evidence comes in).
PROJECTED = {
    "p_concept": 350_000, "p_validate": 420_000, "p_develop": 260_000, "p_launch": 540_000,
    "p_scale": 610_000, "p_deployed": 38_000, "p_stopped": 300_000,
    "pr_diagnose": 60_000, "pr_pilot": 85_000, "pr_rollout": 140_000,
    "pr_standardise": 45_000, "pr_hold": 120_000,
    "bm_explore": 900_000, "bm_test": 480_000, "bm_incubate": 150_000, "bm_launch": 720_000,
    "ci_assess": 6_000, "ci_implement": 4_000, "ci_verify": 9_000, "ci_deployed": 14_000,
}
REFINE = (Decimal("1"), Decimal("0.9"), Decimal("0.95"), Decimal("1.05"), Decimal("1.1"))


@dataclass(frozen=True)
class Episode:
    """A decision other than a plain go, taken at ``stage`` (once)."""

    stage: str
    outcome: str
    rationale: str
    to_stage: str = ""
    learnings: str = ""


EPISODES = {
    "p_validate": [Episode(
        "validate", "iterate",
        "The first shopper test ran in one store only (34 shoppers) and the pouch reheated "
        "unevenly in two of five office microwaves. Run a second round in two food-to-go sites "
        "with the revised pouch before deciding.")],
    "p_develop": [Episode(
        "develop", "pivot",
        "Factory trials showed the mono-PP tray warps during hot-fill at 85 °C. Kestrel "
        "proposes a board tray with a thin PP liner: back to validation to test the new "
        "format with shoppers and two councils' recycling teams before we pay for tooling.",
        to_stage="validate")],
    "pr_hold": [Episode(
        "pilot", "hold",
        "The cobot's safety case needs a fenced cell that the night-shift packing area cannot "
        "fit until the Wrexham layout change next spring. Holding rather than piloting a "
        "compromise.")],
    "p_stopped": [Episode(
        "validate", "stop",
        "Shoppers liked the cubes but no retailer would list a frozen line from us this year, "
        "and we have no frozen distribution. Stopping before development spend.",
        learnings=(
            "- Shoppers rated the taste 7.4/10 and the idea of portioned cubes well, so the "
            "fruit-and-veg blends are worth keeping.\n"
            "- Freezer space at our retailers is planned a year ahead and goes to established "
            "frozen brands; a new entrant needs a listing agreement before any product work.\n"
            "- We run chilled distribution only; -18 °C storage and transport would have "
            "doubled the cost per pack.\n"
            "- Next time test channel access (a buyer's letter of intent) before the recipe; "
            "the blends could come back as chilled smoothies in our existing range."))],
}
# The rationale when an initiative passes a gate it has passed once before (after a pivot).
GO_AGAIN = {
    ("p_develop", "validate"): (
        "The board tray with a PP liner passed hot-fill at 85 °C and both councils confirmed "
        "kerbside recycling; shoppers preferred it in a 60-person test. Back into development."),
}


@dataclass(frozen=True)
class Measure:
    kind: str
    name: str
    unit: str
    projected: int
    actual: int


# The money indicators measured after launch, before the deploy-stage gates that ask for them
# (the value module adds the other measures and the feedback afterwards, and the post-launch
# reviews it describes are written here when a gate needs one).
LAUNCHES = {
    "p_scale": (
        Measure("revenue", "Retail sales a year, run rate of the first eight weeks", "GBP",
                600_000, 571_000),
        Measure("adoption", "Stores listing the lasagne", "stores", 400, 352)),
    "p_deployed": (
        Measure("cost_saving", "Plastic packaging tax and material saved a year", "GBP",
                38_000, 41_200),),
    "ci_deployed": (
        Measure("cost_saving", "Electricity saved in the chill store a year", "GBP",
                14_000, 15_200),),
}


@dataclass
class Walk:
    """What the demo decided, for the summary and the checks."""

    decisions: int = 0
    waivers: int = 0
    waived: list[str] = field(default_factory=list)


def _person(ctx: dict, key: str):
    return ctx["users"][key]


def _decider(ctx: dict, template: str, stage: Stage):
    if "leader" in (stage.decider_roles or []):
        return _person(ctx, LEADER_FOR[template])
    return _person(ctx, MANAGER)


def _current(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_related("stage", "version").get(pk=initiative.pk)


def _projected(slot: str, gate: int) -> Decimal:
    value = Decimal(PROJECTED.get(slot, 50_000)) * REFINE[min(gate, len(REFINE) - 1)]
    return value.quantize(Decimal("1000"))


def _launch(ctx: dict, row, initiative: Initiative) -> None:
    """Measure a launched solution before a deploy-stage gate asks for it (once)."""
    from seedbed.core.demo.pipeline.value import OUTCOMES
    from seedbed.pipeline.actions import value as value_actions

    if initiative.stage.phase != Stage.Phase.DEPLOY:
        return
    lead = _person(ctx, row.lead)
    rules = {i.rule for i in GateItem.objects.filter(stage=initiative.stage)}
    if GateItem.Rule.INDICATORS_MEASURED in rules and not initiative.indicators.exists():
        measured_on = ctx["today"] - timedelta(days=14)
        for m in LAUNCHES.get(row.slot, ()):
            indicator = value_actions.add_indicator(lead, initiative, kind=m.kind, name=m.name,
                                                    unit=m.unit, projected=m.projected)
            value_actions.record_indicator_value(lead, indicator, actual=m.actual,
                                                 measured_on=measured_on)
    review = OUTCOMES[row.slot].review if row.slot in OUTCOMES else None
    if (GateItem.Rule.POST_LAUNCH_REVIEW in rules and review is not None
            and not PostLaunchReview.objects.filter(initiative_id=initiative.pk).exists()):
        value_actions.record_post_launch_review(
            lead, initiative, summary=review.summary,
            value_assessment=review.value_assessment, lessons=review.lessons)


def _go(ctx: dict, row, initiative: Initiative, walk: Walk, gate: int, again: bool) -> None:
    _launch(ctx, row, initiative)
    initiative = _current(initiative)
    stage = initiative.stage
    value = _projected(row.slot, gate)
    initiative.projected_value = value  # as the deciders will state it with the decision
    checked, waivers = [], {}
    planned = WAIVED_CHECKS.get((row.slot, stage.key), {})
    for status in evidence_status(initiative):
        label = status.item.label
        if label in planned:
            waivers[status.item.pk] = planned[label]
        elif status.confirmable:
            checked.append(status.item.pk)
        elif not status.met:
            waivers[status.item.pk] = WAIVER[status.item.rule]
        if status.item.pk in waivers:
            walk.waived.append(f"{row.slot}: {label}")
    co = CO_DECIDER.get((row.template, stage.key))
    rationale = GO[(row.template, stage.key)]
    if again:
        rationale = GO_AGAIN.get((row.slot, stage.key), rationale)
    decide_gate(_decider(ctx, row.template, stage), initiative, outcome="go",
                rationale=rationale, stage_id=stage.pk, round=initiative.gate_round,
                checked=checked, waivers=waivers, projected_value=value,
                co_deciders=[_person(ctx, co)] if co else [])
    walk.decisions += 1
    walk.waivers += len(waivers)


def _episode(ctx: dict, row, initiative: Initiative, episode: Episode, walk: Walk) -> None:
    initiative = _current(initiative)
    stage = initiative.stage
    to_stage = (Stage.objects.get(version_id=initiative.version_id, key=episode.to_stage)
                if episode.to_stage else None)
    decide_gate(_decider(ctx, row.template, stage), initiative, outcome=episode.outcome,
                rationale=episode.rationale, stage_id=stage.pk, round=initiative.gate_round,
                to_stage=to_stage, learnings=episode.learnings)
    walk.decisions += 1


def _walk(ctx: dict, row, initiative: Initiative, walk: Walk) -> None:
    """Go gate by gate until the initiative stands at its target, taking its episodes on the
    way (an episode at the target stage is taken there: iterate, pivot, hold or stop)."""
    target = row.target.split(":")[-1]
    pending = list(EPISODES.get(row.slot, ()))
    passed: set[str] = set()
    gate = 0
    while True:
        initiative = _current(initiative)
        if not initiative.is_open:
            return
        episode = next((e for e in pending if e.stage == initiative.stage.key), None)
        if episode is not None:
            pending.remove(episode)
            _episode(ctx, row, initiative, episode, walk)
            continue
        if initiative.stage.key == target:
            return
        key = initiative.stage.key
        _go(ctx, row, initiative, walk, gate, again=key in passed)
        passed.add(key)
        gate += 1


def build(ctx: dict) -> dict:
    initiatives = ctx.get("initiatives") or {}
    walk = Walk()
    for row in ctx.get("pipeline_plan") or ():
        initiative = initiatives.get(row.slot)
        if initiative is not None:
            _walk(ctx, row, initiative, walk)
    return {"decisions": walk.decisions, "waivers": walk.waivers, "waived": walk.waived}
