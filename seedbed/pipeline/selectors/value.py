"""Reads for deployment and value (clause 8.3.6) and for the roll-up of realised value to the
innovation objectives the initiatives serve (clause 6.2).

Every read starts from ``visible_initiatives``: the roll-up counts only the initiatives the
viewer may see, so a confidential initiative's money never shows through a sum to someone who
may not see the initiative itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404

from seedbed import policy
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.models import (
    Feedback,
    GateDecision,
    Initiative,
    PostLaunchReview,
    SolutionIndicator,
    Stage,
)
from seedbed.strategy.models import Objective
from seedbed.strategy.selectors.planning import visible_objectives

RATINGS = (1, 2, 3, 4, 5)
SERVING = (Initiative.Status.ACTIVE, Initiative.Status.ON_HOLD, Initiative.Status.DEPLOYED)
MONEY = DecimalField(max_digits=18, decimal_places=2)
DEPLOYED_FIRST = Case(When(status=Initiative.Status.DEPLOYED, then=Value(0)), default=Value(1),
                      output_field=IntegerField())


def is_launched(initiative: Initiative) -> bool:
    """Whether the solution is out there to measure: the initiative sits at a stage of the
    deploy phase, or has passed its last gate."""
    return (initiative.status == Initiative.Status.DEPLOYED
            or initiative.stage.phase == Stage.Phase.DEPLOY)


def may_revise_review(user, initiative: Initiative, review: PostLaunchReview | None) -> bool:
    """Once written, the review is changed only by the initiative's lead, the person who wrote
    it last and innovation managers (the team writes the first one)."""
    if review is None:
        return True
    return (policy.has_role(user, *policy.RUNS_IMS)
            or user.pk in (initiative.lead_id, review.reviewed_by_id))


def can_edit_review(user, initiative: Initiative, review: PostLaunchReview | None) -> bool:
    return (selectors.can_work_on(user, initiative)
            and may_revise_review(user, initiative, review))


def can_give_feedback(user, initiative: Initiative) -> bool:
    """Users of the solution: anyone who takes part (employees, and partners on the team) and
    can see the initiative (the caller found it through ``get_initiative_for_user``), as long
    as it was not stopped."""
    return (policy.can(user, "pipeline.work")
            and initiative.status != Initiative.Status.STOPPED)


# --- one initiative ----------------------------------------------------------------------------

def _variance(indicator: SolutionIndicator) -> None:
    indicator.variance = None
    indicator.variance_percent = None
    if indicator.actual is not None and indicator.projected is not None:
        indicator.variance = indicator.actual - indicator.projected
        if indicator.projected:
            indicator.variance_percent = round(100 * indicator.variance / indicator.projected)
    indicator.is_money = indicator.kind in SolutionIndicator.MONEY


def indicators_of(initiative: Initiative) -> list[SolutionIndicator]:
    """The indicators, each with ``variance`` (actual − projected), ``variance_percent`` and
    ``is_money``. One query."""
    rows = list(SolutionIndicator.objects.filter(initiative_id=initiative.pk)
                .order_by("kind", "id"))
    for row in rows:
        _variance(row)
    return rows


def get_indicator(initiative: Initiative, pk: int) -> SolutionIndicator:
    """An indicator of this (already visible) initiative, or 404."""
    indicator = (SolutionIndicator.objects.filter(initiative_id=initiative.pk, pk=pk).first()
                 if is_valid_id(pk) else None)
    if indicator is None:
        raise Http404("No such indicator")
    _variance(indicator)
    return indicator


@dataclass(frozen=True)
class MoneyTotals:
    count: int  # money indicators
    measured: int  # … of which have an actual value
    projected: Decimal
    actual: Decimal
    unit: str  # the currency they share


def money_totals(indicators: list[SolutionIndicator]) -> MoneyTotals:
    """Σ projected and Σ actual of the money indicators (revenue, cost saving), from rows
    already read; Σ actual is what ``refresh_money`` stores as the initiative's actual value."""
    money = [i for i in indicators if i.kind in SolutionIndicator.MONEY]
    return MoneyTotals(
        count=len(money), measured=sum(1 for i in money if i.actual is not None),
        projected=sum((i.projected for i in money if i.projected is not None), Decimal(0)),
        actual=sum((i.actual for i in money if i.actual is not None), Decimal(0)),
        unit=money[0].unit if money else "")


@dataclass(frozen=True)
class ProjectionRow:
    label: str
    when: object  # a datetime, or None for "now"
    value: Decimal | None
    outcome: str
    actual: bool = False


def decisions_of(initiative: Initiative) -> list[GateDecision]:
    """The initiative's gate decisions with their stages, oldest first. One query."""
    return list(GateDecision.objects.filter(initiative_id=initiative.pk)
                .select_related("stage").order_by("decided_at", "id"))


def projections_of(initiative: Initiative) -> list[ProjectionRow]:
    """The projected value recorded at each gate decision, oldest first, then the actual value
    now: the story of the value case against what the solution delivers. One query."""
    rows = [ProjectionRow(label=f"{d.stage.name} gate (round {d.round})", when=d.decided_at,
                          value=d.projected_value, outcome=d.get_outcome_display())
            for d in decisions_of(initiative)]
    rows.append(ProjectionRow(label="Actual value now", when=None,
                              value=initiative.actual_value, outcome="", actual=True))
    return rows


def chart_max(rows: list[ProjectionRow]) -> Decimal:
    """The common scale of the value bars (at least 1, so an all-zero chart still renders)."""
    return max([abs(r.value) for r in rows if r.value is not None] + [Decimal(1)])


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: Decimal | None
    rated: int
    by_rating: list[tuple[int, int]]  # (rating, how many), 5 first


def feedback_summary(initiative: Initiative) -> FeedbackSummary:
    """How many gave feedback, the mean rating of those who rated and how the ratings spread.
    One query."""
    counts = {f"r{n}": Count("pk", filter=Q(rating=n)) for n in RATINGS}
    row = Feedback.objects.filter(initiative_id=initiative.pk).aggregate(
        count=Count("pk"), average=Avg("rating"), rated=Count("rating"), **counts)
    average = row["average"]
    return FeedbackSummary(
        count=row["count"], rated=row["rated"],
        average=round(Decimal(str(average)), 1) if average is not None else None,
        by_rating=[(n, row[f"r{n}"]) for n in reversed(RATINGS)])


def feedback_for(initiative: Initiative) -> QuerySet[Feedback]:
    return (Feedback.objects.filter(initiative_id=initiative.pk).select_related("author")
            .order_by("-created_at", "-id"))


def review_of(initiative: Initiative) -> PostLaunchReview | None:
    return (PostLaunchReview.objects.filter(initiative_id=initiative.pk)
            .select_related("reviewed_by").first())


# --- roll-up to objectives ---------------------------------------------------------------------

def _rollup(objectives: QuerySet[Objective], user) -> QuerySet[Objective]:
    seen = Q(initiatives__in=selectors.visible_initiatives(user).values("pk"))
    # A stopped initiative no longer serves the objective (its value case is dead), but what
    # was committed to and spent on it is part of what the objective cost.
    serving = seen & Q(initiatives__status__in=SERVING)
    deployed = seen & Q(initiatives__status=Initiative.Status.DEPLOYED)
    zero = Value(Decimal(0), output_field=MONEY)

    def total(field: str, condition: Q):
        return Coalesce(Sum(f"initiatives__{field}", filter=condition), zero,
                        output_field=MONEY)

    return objectives.annotate(
        initiative_count=Count("initiatives", filter=serving),
        deployed_count=Count("initiatives", filter=deployed),
        projected_total=total("projected_value", serving),
        actual_total=total("actual_value", deployed),
        committed_total=total("committed", seen),
        spent_total=total("spent", seen),
        investment_total=Coalesce(
            Sum(Greatest("initiatives__committed", "initiatives__spent"), filter=seen), zero,
            output_field=MONEY),
    )


def value_by_objective(user) -> QuerySet[Objective]:
    """Every objective the viewer may read, each annotated with what the initiatives serving it
    (those the viewer may see) add up to: ``initiative_count`` and ``projected_total`` (those
    not stopped), ``deployed_count`` and ``actual_total`` (deployed ones), ``committed_total`` and
    ``spent_total``. One query, whatever the number of initiatives; an initiative serving two
    objectives counts in both. Call ``with_returns`` on the rows for investment and ROI."""
    return _rollup(visible_objectives(user), user).order_by("due_on", "title", "id")


def objective_value(user, objective: Objective) -> Objective:
    """The roll-up of one objective (for its page). One query."""
    row = _rollup(Objective.objects.filter(pk=objective.pk), user).get()
    return with_returns([row])[0]


def with_returns(rows):
    """Give each roll-up row ``roi``: (actual − spent) / spent, or None while nothing was spent.
    (``investment_total`` is annotated: per initiative the approved budget, or what was spent
    when that is more, as the portfolio counts investment.)"""
    rows = list(rows)
    for row in rows:
        row.roi = ((row.actual_total - row.spent_total) / row.spent_total
                   if row.spent_total > 0 else None)
    return rows


def initiatives_serving(user, objective: Objective, limit: int = 10) -> list[Initiative]:
    """The visible initiatives serving an objective (stopped ones no longer do), deployed first,
    then the most valuable. One query."""
    return list(selectors.visible_initiatives(user)
                .filter(objectives=objective, status__in=SERVING)
                .select_related("stage")
                .order_by(DEPLOYED_FIRST, "-projected_value", "-id")[:limit])
