"""Reads for gates: how each required item of the current stage stands (evidence computed from
the initiative's records), and everything the gate page shows. Both cost a fixed number of
queries whatever the number of assumptions, risks, requests or past decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from seedbed import policy
from seedbed.accounts.models import Role, User
from seedbed.pipeline.models import (
    Assumption,
    Evaluation,
    Experiment,
    GateDecision,
    GateItem,
    GateItemState,
    Initiative,
    PostLaunchReview,
    ResourceRequest,
    Risk,
    SolutionIndicator,
    Stage,
)

Rule = GateItem.Rule


@dataclass
class ItemStatus:
    item: GateItem
    met: bool
    detail: str

    @property
    def confirmable(self) -> bool:
        """Deciders confirm checklist items (and evidence items without a rule) themselves;
        evidence with a rule is only ever met by the records."""
        return self.item.kind == GateItem.Kind.CHECK or not self.item.rule


@dataclass
class GateView:
    initiative: Initiative
    stage: Stage
    items: list[ItemStatus]
    uncertainty: int
    appetite: int
    next_stage: Stage | None
    previous: list[Stage]  # the earlier stages, first to last (where a pivot may go back to)
    decider_roles: list[str]
    history: list[GateDecision] = field(default_factory=list)

    @property
    def above_appetite(self) -> bool:
        return self.uncertainty > self.appetite

    @property
    def deciders(self) -> list[str]:
        """Who decides, in words (role labels)."""
        return decider_labels(self.stage)

    @property
    def unmet(self) -> list[ItemStatus]:
        return [s for s in self.items if not s.met]

    @property
    def is_last_stage(self) -> bool:
        return self.next_stage is None


def decider_roles(stage: Stage) -> list[str]:
    """The roles that decide this stage's gate (admins decide what managers decide)."""
    roles = [r for r in policy.ROLES if r in set(stage.decider_roles or [])]
    if policy.MANAGER in roles and policy.ADMIN not in roles:
        roles.insert(0, policy.ADMIN)
    return roles


def decider_labels(stage: Stage) -> list[str]:
    labels = dict(Role.choices)
    return [labels[r] for r in policy.ROLES if r in set(stage.decider_roles or [])]


def co_decider_candidates(stage: Stage, exclude) -> list[User]:
    """Active people who could take this gate's decision with the one recording it."""
    return list(User.objects.filter(is_active=True, role__in=decider_roles(stage))
                .exclude(pk=exclude.pk).order_by("full_name", "pk"))


# --- evidence --------------------------------------------------------------------------------

def _count(qs) -> Coalesce:
    """A correlated count of ``qs`` (already filtered on the outer initiative)."""
    counted = (qs.order_by().values("initiative_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _for_initiative(model):
    return model.objects.filter(initiative_id=OuterRef("pk"))


def _high_risks():
    return (_for_initiative(Risk).filter(status=Risk.Status.OPEN)
            .alias(rating=F("likelihood") * F("impact")).filter(rating__gte=Risk.HIGH))


def _untested_critical():
    concluded = Experiment.objects.filter(assumptions=OuterRef("pk"),
                                          status__in=Experiment.CONCLUDED)
    return (_for_initiative(Assumption).filter(importance__gte=Assumption.CRITICAL)
            .filter(~Exists(concluded)))


# What each rule needs counted, by name: one correlated subquery each.
_COUNTS = {
    "assumptions": lambda: _count(_for_initiative(Assumption)),
    "critical": lambda: _count(_for_initiative(Assumption).filter(
        importance__gte=Assumption.CRITICAL)),
    "critical_open": lambda: _count(_untested_critical()),
    "evaluations": lambda: _count(_for_initiative(Evaluation).filter(
        Q(stage_id=OuterRef("stage_id")) | Q(stage__isnull=True),
        status=Evaluation.Status.SUBMITTED)),
    "risks": lambda: _count(_for_initiative(Risk)),
    "high_risks": lambda: _count(_high_risks()),
    "high_untreated": lambda: _count(_high_risks().filter(treatment="")),
    "approved": lambda: _count(_for_initiative(ResourceRequest).filter(
        stage_id=OuterRef("stage_id"), status=ResourceRequest.Status.APPROVED)),
    "indicators": lambda: _count(_for_initiative(SolutionIndicator)),
    "measured": lambda: _count(_for_initiative(SolutionIndicator).filter(actual__isnull=False)),
    "reviews": lambda: _count(_for_initiative(PostLaunchReview)),
}
_NEEDS = {
    Rule.ASSUMPTIONS_RECORDED: ("assumptions",),
    Rule.EXPERIMENT_PER_CRITICAL: ("assumptions", "critical", "critical_open"),
    Rule.SCORECARD_SUBMITTED: ("evaluations",),
    Rule.RISKS_ASSESSED: ("risks",),
    Rule.HIGH_RISKS_TREATED: ("high_risks", "high_untreated"),
    Rule.RESOURCES_APPROVED: ("approved",),
    Rule.VALUE_PROJECTED: (),
    Rule.INDICATORS_MEASURED: ("indicators", "measured"),
    Rule.POST_LAUNCH_REVIEW: ("reviews",),
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _judge(rule: str, n: dict, initiative: Initiative) -> tuple[bool, str]:
    """Whether an evidence rule holds, and why (or what is missing), in words."""
    if rule == Rule.ASSUMPTIONS_RECORDED:
        return n["assumptions"] > 0, (f"{_plural(n['assumptions'], 'assumption')} recorded."
                                      if n["assumptions"] else "No assumption recorded yet.")
    if rule == Rule.EXPERIMENT_PER_CRITICAL:
        if not n["assumptions"]:
            return False, "No assumptions recorded: name the critical ones and test them."
        if not n["critical"]:
            return True, "No assumption is critical (importance 4 or 5)."
        if n["critical_open"]:
            critical = _plural(n["critical"], "critical assumption")
            return False, (f"{n['critical_open']} of {critical} without a concluded "
                           "experiment.")
        return True, f"Every critical assumption ({n['critical']}) has a concluded experiment."
    if rule == Rule.SCORECARD_SUBMITTED:
        return n["evaluations"] > 0, (
            f"{_plural(n['evaluations'], 'evaluation')} submitted at this stage."
            if n["evaluations"] else "No evaluation submitted at this stage yet.")
    if rule == Rule.RISKS_ASSESSED:
        return n["risks"] > 0, (f"{_plural(n['risks'], 'risk')} in the register."
                                if n["risks"] else "The risk register is empty.")
    if rule == Rule.HIGH_RISKS_TREATED:
        if not n["high_risks"]:
            return True, f"No open high risk (score {Risk.HIGH} or more)."
        if n["high_untreated"]:
            return False, (f"{n['high_untreated']} of {_plural(n['high_risks'], 'high risk')} "
                           "without a treatment.")
        return True, f"Every open high risk ({n['high_risks']}) has a treatment."
    if rule == Rule.RESOURCES_APPROVED:
        return n["approved"] > 0, (
            f"{_plural(n['approved'], 'request')} approved for this stage."
            if n["approved"] else "No resource request approved for this stage yet.")
    if rule == Rule.VALUE_PROJECTED:
        value = initiative.projected_value or Decimal(0)
        return value > 0, (f"Projected value: {value:,.2f}." if value > 0
                           else "No projected value recorded yet.")
    if rule == Rule.INDICATORS_MEASURED:
        if not n["indicators"]:
            return False, "No solution indicator defined yet."
        if n["measured"] < n["indicators"]:
            return False, (f"{n['measured']} of {_plural(n['indicators'], 'indicator')} "
                           "measured.")
        return True, f"Every indicator ({n['indicators']}) measured."
    if rule == Rule.POST_LAUNCH_REVIEW:
        return n["reviews"] > 0, ("Post-launch review recorded." if n["reviews"]
                                  else "No post-launch review recorded yet.")
    return False, "Confirm or waive this item."


def _counts_for(initiative: Initiative, rules: set[str]) -> dict[str, int]:
    names = sorted({name for rule in rules for name in _NEEDS.get(rule, ())})
    if not names:
        return {}
    row = (Initiative.objects.filter(pk=initiative.pk)
           .annotate(**{f"n_{name}": _COUNTS[name]() for name in names})
           .values(*(f"n_{name}" for name in names)).first())
    return {name: row[f"n_{name}"] for name in names}


def evidence_status(initiative: Initiative, items: list[GateItem] | None = None
                    ) -> list[ItemStatus]:
    """One status per required item of the initiative's current stage. Evidence items are met
    when their rule holds on the records; checklist items are not met until the deciders
    confirm them with their decision. Two queries (the items, one row of counts)."""
    if items is None:
        items = list(GateItem.objects.filter(stage_id=initiative.stage_id)
                     .order_by("position", "pk"))
    rules = {i.rule for i in items if i.kind == GateItem.Kind.EVIDENCE and i.rule}
    counts = _counts_for(initiative, rules)
    statuses = []
    for item in items:
        if item.kind == GateItem.Kind.EVIDENCE and item.rule:
            met, detail = _judge(item.rule, counts, initiative)
        else:
            met, detail = False, "The deciders confirm this at the gate."
        statuses.append(ItemStatus(item=item, met=met, detail=detail))
    return statuses


# --- the gate page ---------------------------------------------------------------------------

def decisions_of(initiative: Initiative):
    """An initiative's gate decisions, newest first, with what a history row shows."""
    return (GateDecision.objects.filter(initiative_id=initiative.pk)
            .select_related("stage", "to_stage", "decided_by")
            .prefetch_related(
                Prefetch("co_deciders", queryset=User.objects.order_by("full_name", "pk")),
                Prefetch("items", queryset=GateItemState.objects.select_related("item")
                         .order_by("item__position", "item_id")))
            .order_by("-decided_at", "-pk"))


def gate_view(initiative: Initiative, *, stages: list[Stage] | None = None,
              history_limit: int = 50) -> GateView:
    """What the gate page shows. Six queries (stages unless given, items, evidence counts,
    decisions, their co-deciders, their item states)."""
    if stages is None:
        stages = list(Stage.objects.filter(version_id=initiative.version_id)
                      .order_by("position"))
    stage = next(s for s in stages if s.pk == initiative.stage_id)
    later = [s for s in stages if s.position > stage.position]
    return GateView(
        initiative=initiative,
        stage=stage,
        items=evidence_status(initiative),
        uncertainty=initiative.uncertainty,
        appetite=stage.risk_appetite,
        next_stage=later[0] if later else None,
        previous=[s for s in stages if s.position < stage.position],
        decider_roles=decider_roles(stage),
        history=list(decisions_of(initiative)[:history_limit]),
    )
