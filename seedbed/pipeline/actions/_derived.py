"""Denormalised figures on ``Initiative`` that lists, the board and the portfolio read without
aggregating. Each action that changes an input calls the matching ``refresh_*`` inside its
transaction; each runs a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Q, Sum

from seedbed.pipeline.models import (
    Assumption,
    Evaluation,
    Initiative,
    ResourceRequest,
    SolutionIndicator,
    Spend,
)


def uncertainty_of(initiative: Initiative) -> int:
    """0-100: the share of the initiative's critical assumptions (importance 4-5), weighted by
    importance, that no concluded test has settled yet (status still "untested"). With no
    assumptions at all nothing is known: 100. With assumptions but none critical: 0."""
    rows = Assumption.objects.filter(initiative_id=initiative.pk).aggregate(
        any=Sum("importance"),
        critical=Sum("importance", filter=Q(importance__gte=Assumption.CRITICAL)),
        open=Sum("importance", filter=Q(importance__gte=Assumption.CRITICAL,
                                        status=Assumption.Status.UNTESTED)))
    if not rows["any"]:
        return 100
    if not rows["critical"]:
        return 0
    return round(100 * (rows["open"] or 0) / rows["critical"])


def refresh_uncertainty(initiative: Initiative) -> int:
    value = uncertainty_of(initiative)
    Initiative.objects.filter(pk=initiative.pk).update(uncertainty=value)
    initiative.uncertainty = value
    return value


def refresh_money(initiative: Initiative) -> None:
    """Committed = approved budget requests; spent = spending recorded against them; actual value
    = the actual values of the money indicators (revenue, cost saving)."""
    committed = ResourceRequest.objects.filter(
        initiative_id=initiative.pk, kind=ResourceRequest.Kind.BUDGET,
        status=ResourceRequest.Status.APPROVED).aggregate(n=Sum("amount"))["n"] or Decimal(0)
    spent = Spend.objects.filter(request__initiative_id=initiative.pk).aggregate(
        n=Sum("amount"))["n"] or Decimal(0)
    actual = SolutionIndicator.objects.filter(
        initiative_id=initiative.pk, kind__in=SolutionIndicator.MONEY).aggregate(
        n=Sum("actual"))["n"] or Decimal(0)
    Initiative.objects.filter(pk=initiative.pk).update(committed=committed, spent=spent,
                                                       actual_value=actual)
    initiative.committed, initiative.spent, initiative.actual_value = committed, spent, actual


def refresh_score(initiative: Initiative) -> None:
    """The mean of the submitted evaluations' weighted scores (0-100) at the latest stage that
    has any: the current stage once it is evaluated, until then the stage before (so passing a
    gate does not blank the score lists and the portfolio show)."""
    submitted = Evaluation.objects.filter(initiative_id=initiative.pk,
                                          status=Evaluation.Status.SUBMITTED)
    latest = (submitted.order_by("-stage__position").values_list("stage_id", flat=True)
              .first())
    score = None
    if latest is not None:
        stage_id = (initiative.stage_id if submitted.filter(stage_id=initiative.stage_id).exists()
                    else latest)
        score = submitted.filter(stage_id=stage_id).aggregate(n=Avg("weighted"))["n"]
    score = round(Decimal(score), 2) if score is not None else None
    Initiative.objects.filter(pk=initiative.pk).update(score=score)
    initiative.score = score
