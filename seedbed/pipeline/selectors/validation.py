"""Reads for validation (clause 8.3.4): the assumptions ledger, experiments and the risk
register of one initiative. Visibility is the initiative's: a record is seen by whoever may see
its initiative (``visible_initiatives``), and by no one else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk, TeamMember
from seedbed.pipeline.models.validation import level_of
from seedbed.pipeline.selectors import visible_initiatives

# What the initiative header needs (the same as get_initiative_for_user), from the record.
_HEADER = ("initiative__version__template", "initiative__stage", "initiative__lead",
           "initiative__idea_type", "initiative__org_unit")

# The ledger's sort keys → ordering; critical (most important) first breaks every tie.
LEDGER_SORTS = {
    "importance": ("-importance", "kind", "id"),
    "kind": ("kind", "-importance", "id"),
    "evidence": ("evidence", "-importance", "id"),
    "status": ("status", "-importance", "id"),
    "experiments": ("experiment_count", "-importance", "id"),
}


def _visible_record(model, user, pk: int):
    row = (model.objects.filter(pk=pk, initiative__in=visible_initiatives(user))
           .select_related(*_HEADER).first() if is_valid_id(pk) else None)
    if row is None:
        raise Http404(f"No such {model._meta.verbose_name}")
    return row


def get_assumption_for_user(user, pk: int) -> Assumption:
    """The assumption (with its initiative's header) or 404 when its initiative is hidden."""
    return _visible_record(Assumption, user, pk)


def get_experiment_for_user(user, pk: int) -> Experiment:
    return _visible_record(Experiment, user, pk)


def get_risk_for_user(user, pk: int) -> Risk:
    return _visible_record(Risk, user, pk)


def assumption_rows(qs: QuerySet[Assumption], sort: str = "importance") -> QuerySet[Assumption]:
    """Assumptions with how many experiments test each, in the ledger's order."""
    return (qs.annotate(experiment_count=Count("experiments"))
            .order_by(*LEDGER_SORTS.get(sort, LEDGER_SORTS["importance"])))


def ledger(initiative: Initiative, sort: str = "importance") -> list[Assumption]:
    return list(assumption_rows(Assumption.objects.filter(initiative_id=initiative.pk), sort))


def experiment_rows(qs: QuerySet[Experiment]) -> QuerySet[Experiment]:
    """Experiments with the assumptions they test (one query for all of them)."""
    return qs.prefetch_related("assumptions").order_by("-created_at", "-id")


def experiments_of(initiative: Initiative) -> list[Experiment]:
    return list(experiment_rows(Experiment.objects.filter(initiative_id=initiative.pk)))


def _rated(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    return qs.alias(rating=F("likelihood") * F("impact"))


def risk_rows(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    """Risks with their owner: open ones first ("open" sorts after "closed"), then the highest
    score."""
    return _rated(qs).select_related("owner").order_by("-status", "-rating", "-id")


def risks_of(initiative: Initiative) -> list[Risk]:
    return list(risk_rows(Risk.objects.filter(initiative_id=initiative.pk)))


def risk_owner_choices(initiative: Initiative) -> QuerySet[User]:
    """Who may own a risk of this initiative: an active employee on its team (the lead
    included) or someone who runs the IMS (admins, managers). Partners never own one: the
    register is the organisation's, and its owner answers for it."""
    team = TeamMember.objects.filter(initiative_id=initiative.pk).values("user_id")
    return (User.objects.filter(is_active=True)
            .filter(Q(role__in=policy.RUNS_IMS)
                    | Q(role__in=policy.EMPLOYEES) & (Q(pk=initiative.lead_id) | Q(pk__in=team)))
            .order_by("full_name", "pk"))


def person(pk: int | None) -> User | None:
    """The person an API request names by id (None when there is no such person)."""
    if pk is None or not is_valid_id(pk):
        return None
    return User.objects.filter(pk=pk).first()


# --- summaries (pure: computed from rows already loaded) -------------------------------------


@dataclass
class Uncertainty:
    """Why the initiative's uncertainty is what it is, against the current stage's appetite."""

    value: int  # Initiative.uncertainty (kept by the actions)
    appetite: int
    total: int  # assumptions recorded
    critical_weight: int  # sum of importance over critical assumptions
    open_weight: int  # … over those still untested
    drivers: list[Assumption] = field(default_factory=list)  # untested critical ones

    @property
    def above_appetite(self) -> bool:
        return self.value > self.appetite


def uncertainty_summary(initiative: Initiative, assumptions: list[Assumption]) -> Uncertainty:
    critical = [a for a in assumptions if a.critical]
    drivers = [a for a in critical if a.status == Assumption.Status.UNTESTED]
    return Uncertainty(
        value=initiative.uncertainty, appetite=initiative.stage.risk_appetite,
        total=len(assumptions), critical_weight=sum(a.importance for a in critical),
        open_weight=sum(a.importance for a in drivers),
        drivers=sorted(drivers, key=lambda a: (-a.importance, a.pk)))


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        return level_of(self.score)


def heat_map(risks: list[Risk]) -> list[tuple[int, list[HeatCell]]]:
    """Open risks counted per (likelihood, impact) cell: rows from impact 5 down to 1, each
    with likelihood 1 to 5 (the usual orientation: the top-right corner is the worst)."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        if risk.status == Risk.Status.OPEN:
            key = (risk.likelihood, risk.impact)
            counts[key] = counts.get(key, 0) + 1
    return [(impact, [HeatCell(likelihood, impact, counts.get((likelihood, impact), 0))
                      for likelihood in range(1, 6)])
            for impact in range(5, 0, -1)]
