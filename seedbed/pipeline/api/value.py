# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: deployment and value (clause 8.3.6) — solution indicators and their measurements,
feedback, the post-launch review, an initiative's value summary, and the roll-up of value to
the innovation objectives (clause 6.2)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.lib.markdown import render_markdown
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import SolutionIndicator
from seedbed.pipeline.selectors import value as value_selectors

router = Router(tags=["pipeline value"])

# Inline values, not the model's enum: its class name ("Kind") is taken in the schema document.
IndicatorKind = Literal[tuple(SolutionIndicator.Kind.values)]
Amount = Field(None, max_digits=14, decimal_places=2)
BASE = "/initiatives/{initiative_id}"


class SolutionIndicatorOut(Schema):
    id: int
    initiative_id: int
    kind: IndicatorKind
    name: str
    unit: str
    projected: float | None
    actual: float | None
    measured_on: date | None
    variance: float | None = Field(None, description="actual − projected, when both are known")
    counts_in_value: bool = Field(..., description="Revenue and cost saving: the actual value "
                                                   "adds up to the initiative's actual value.")
    updated_at: datetime

    @staticmethod
    def resolve_variance(obj) -> float | None:
        if obj.actual is None or obj.projected is None:
            return None
        return float(obj.actual - obj.projected)

    @staticmethod
    def resolve_counts_in_value(obj) -> bool:
        return obj.kind in SolutionIndicator.MONEY


class SolutionIndicatorIn(Schema):
    kind: IndicatorKind
    name: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., min_length=1, max_length=40,
                      description="A currency such as GBP for revenue and cost saving.")
    projected: Decimal | None = Amount


class SolutionIndicatorPatch(Schema):
    kind: IndicatorKind | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=40)
    projected: Decimal | None = Amount


class MeasurementIn(Schema):
    actual: Decimal = Field(..., max_digits=14, decimal_places=2)
    measured_on: date


class FeedbackOut(Schema):
    id: int
    initiative_id: int
    author: PersonOut
    rating: int | None
    text: str
    created_at: datetime


class FeedbackIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)
    rating: int | None = Field(None, ge=1, le=5, description="1 (poor) to 5 (excellent).")


class PostLaunchReviewOut(Schema):
    initiative_id: int
    summary: str
    summary_html: str
    value_assessment: str
    lessons: str
    reviewed_by: PersonOut
    reviewed_at: datetime

    @staticmethod
    def resolve_summary_html(obj) -> str:
        return render_markdown(obj.summary)


class PostLaunchReviewIn(Schema):
    summary: str = Field(..., min_length=1, max_length=10000)
    value_assessment: str = Field("", max_length=10000)
    lessons: str = Field("", max_length=10000)


class GateProjectionOut(Schema):
    stage: str
    round: int
    outcome: str
    decided_at: datetime
    projected_value: float | None


class InitiativeValueOut(Schema):
    initiative_id: int
    launched: bool = Field(..., description="At a deploy stage or deployed: measurable.")
    projected_value: float
    actual_value: float = Field(..., description="Σ actual of the money indicators.")
    committed: float
    spent: float
    money_unit: str
    gates: list[GateProjectionOut]
    feedback_count: int
    average_rating: float | None
    has_review: bool


class ObjectiveValueOut(Schema):
    id: int
    title: str
    due_on: date
    initiative_count: int
    deployed_count: int
    projected_value: float = Field(..., description="Σ projected value of the initiatives.")
    actual_value: float = Field(..., description="Σ actual value of the deployed ones.")
    committed: float
    spent: float
    investment: float = Field(..., description="approved budget, or spent when more")
    roi: float | None = Field(..., description="(actual − spent) / spent; null while nothing "
                                              "was spent.")

    @staticmethod
    def resolve_projected_value(obj) -> float:
        return float(obj.projected_total)

    @staticmethod
    def resolve_actual_value(obj) -> float:
        return float(obj.actual_total)

    @staticmethod
    def resolve_committed(obj) -> float:
        return float(obj.committed_total)

    @staticmethod
    def resolve_spent(obj) -> float:
        return float(obj.spent_total)

    @staticmethod
    def resolve_investment(obj) -> float:
        return float(obj.investment_total)

    @staticmethod
    def resolve_roi(obj) -> float | None:
        return float(round(obj.roi, 4)) if obj.roi is not None else None


def _initiative(request, initiative_id: int):
    return selectors.get_initiative_for_user(request.user, initiative_id)


def _indicator(request, initiative_id: int, indicator_id: int) -> SolutionIndicator:
    initiative = _initiative(request, initiative_id)
    return value_selectors.get_indicator(initiative, indicator_id)


# --- indicators --------------------------------------------------------------------------------

@router.get(f"{BASE}/indicators", response={200: Page[SolutionIndicatorOut], **ERRORS},
            summary="An initiative's solution indicators, projected and measured")
@policy.api_rule("pipeline.browse")
def list_indicators(request, initiative_id: int, limit: int = Query(50, ge=1, le=100),
                    offset: int = Query(0, ge=0)):
    initiative = _initiative(request, initiative_id)
    qs = SolutionIndicator.objects.filter(initiative_id=initiative.pk).order_by("kind", "id")
    return page_of(qs, limit=limit, offset=offset)


@router.post(f"{BASE}/indicators", response={201: SolutionIndicatorOut, **ERRORS},
             summary="Add a solution indicator (with the value expected of it)")
@policy.api_rule("pipeline.work")
def add_indicator(request, initiative_id: int, payload: SolutionIndicatorIn):
    initiative = _initiative(request, initiative_id)
    return 201, actions.add_indicator(request.user, initiative, **payload.dict())


@router.patch(f"{BASE}/indicators/{{indicator_id}}",
              response={200: SolutionIndicatorOut, **ERRORS},
              summary="Rename, re-unit, re-kind or re-project an indicator")
@policy.api_rule("pipeline.work")
def update_indicator(request, initiative_id: int, indicator_id: int,
                     payload: SolutionIndicatorPatch):
    indicator = _indicator(request, initiative_id, indicator_id)
    return actions.update_indicator(request.user, indicator, **payload.dict(exclude_unset=True))


@router.put(f"{BASE}/indicators/{{indicator_id}}/measurement",
            response={200: SolutionIndicatorOut, **ERRORS},
            summary="Record the value measured after launch (replaces the previous one)")
@policy.api_rule("pipeline.work")
def measure_indicator(request, initiative_id: int, indicator_id: int, payload: MeasurementIn):
    indicator = _indicator(request, initiative_id, indicator_id)
    return actions.record_indicator_value(request.user, indicator, **payload.dict())


@router.delete(f"{BASE}/indicators/{{indicator_id}}",
               response={200: SolutionIndicatorOut, **ERRORS},
               summary="Remove an indicator (answers with what was removed)")
@policy.api_rule("pipeline.work")
def remove_indicator(request, initiative_id: int, indicator_id: int):
    indicator = _indicator(request, initiative_id, indicator_id)
    return actions.remove_indicator(request.user, indicator)


# --- feedback ----------------------------------------------------------------------------------

@router.get(f"{BASE}/feedback", response={200: Page[FeedbackOut], **ERRORS},
            summary="Feedback on an initiative's solution, newest first")
@policy.api_rule("pipeline.browse")
def list_feedback(request, initiative_id: int, limit: int = Query(50, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    initiative = _initiative(request, initiative_id)
    return page_of(value_selectors.feedback_for(initiative), limit=limit, offset=offset)


@router.post(f"{BASE}/feedback", response={201: FeedbackOut, **ERRORS},
             summary="Give feedback on the solution, with an optional 1-5 rating")
@policy.api_rule("pipeline.work")
def add_feedback(request, initiative_id: int, payload: FeedbackIn):
    initiative = _initiative(request, initiative_id)
    return 201, actions.add_feedback(request.user, initiative, **payload.dict())


# --- post-launch review ------------------------------------------------------------------------

@router.get(f"{BASE}/review", response={200: PostLaunchReviewOut, **ERRORS},
            summary="The post-launch review (404 until one is recorded)")
@policy.api_rule("pipeline.browse")
def get_review(request, initiative_id: int):
    review = value_selectors.review_of(_initiative(request, initiative_id))
    if review is None:
        raise Http404("No post-launch review yet")
    return review


@router.put(f"{BASE}/review", response={200: PostLaunchReviewOut, **ERRORS},
            summary="Record the post-launch review, or revise it (one per initiative)")
@policy.api_rule("pipeline.work")
def put_review(request, initiative_id: int, payload: PostLaunchReviewIn):
    initiative = _initiative(request, initiative_id)
    return actions.record_post_launch_review(request.user, initiative, **payload.dict())


# --- summaries ---------------------------------------------------------------------------------

@router.get(f"{BASE}/value", response={200: InitiativeValueOut, **ERRORS},
            summary="An initiative's value: projected at each gate, actual now, feedback")
@policy.api_rule("pipeline.browse")
def initiative_value(request, initiative_id: int):
    initiative = _initiative(request, initiative_id)
    projections = value_selectors.decisions_of(initiative)
    indicators = value_selectors.indicators_of(initiative)
    summary = value_selectors.feedback_summary(initiative)
    return {
        "initiative_id": initiative.pk,
        "launched": value_selectors.is_launched(initiative),
        "projected_value": float(initiative.projected_value),
        "actual_value": float(initiative.actual_value),
        "committed": float(initiative.committed),
        "spent": float(initiative.spent),
        "money_unit": value_selectors.money_totals(indicators).unit,
        "gates": [{"stage": d.stage.name, "round": d.round, "outcome": d.outcome,
                   "decided_at": d.decided_at,
                   "projected_value": (float(d.projected_value)
                                       if d.projected_value is not None else None)}
                  for d in projections],
        "feedback_count": summary.count,
        "average_rating": float(summary.average) if summary.average is not None else None,
        "has_review": value_selectors.review_of(initiative) is not None,
    }


@router.get("/value/objectives", response={200: Page[ObjectiveValueOut], **ERRORS},
            summary="Value rolled up to each innovation objective (initiatives you may see)")
@policy.api_rule("pipeline.portfolio")
def value_by_objective(request, limit: int = Query(50, ge=1, le=100),
                       offset: int = Query(0, ge=0)):
    page = page_of(value_selectors.value_by_objective(request.user), limit=limit,
                   offset=offset)
    page["items"] = value_selectors.with_returns(page["items"])
    return page
