# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: evaluation — challenge scorecards and criteria, evaluators (by hand or suggested by
competency), scoring, conflicts of interest, aggregates and the side-by-side comparison."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.accounts.models import Competency
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import evaluation as actions
from seedbed.pipeline.actions._criteria import SCALE_LIMIT
from seedbed.pipeline.models import Evaluation, Initiative
from seedbed.pipeline.selectors import evaluation as reads

router = Router(tags=["pipeline evaluation"])

# Inline values, not the model's enum: its class name ("Status") is taken in the document.
EvaluationStatus = Literal[tuple(Evaluation.Status.values)]
Agreement = Literal["high", "moderate", "low", "n/a"]
Score = Field(..., ge=-SCALE_LIMIT, le=SCALE_LIMIT)


# --- Schemas ----------------------------------------------------------------------------------


class ScorecardCriterionOut(Schema):
    id: int
    key: str
    name: str
    description: str
    weight: Decimal
    min_score: int
    max_score: int
    higher_is_better: bool
    position: int


class ScorecardOut(Schema):
    id: int
    name: str
    blind: bool = Field(..., description="Evaluators see no one else's scores until they "
                                         "have submitted their own.")
    challenge_id: int | None
    version_id: int | None
    criteria: list[ScorecardCriterionOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())


class ScorecardIn(Schema):
    name: str = Field("", max_length=120, description="Default: “<challenge> scorecard”")
    blind: bool = True
    standard_criteria: bool = Field(
        False, description="On creation: start from the standard criteria (strategic fit, "
                           "value potential, feasibility, risk, effort).")


class ScorecardCriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    key: str = Field("", max_length=40, description="Made from the name when empty.")
    description: str = Field("", max_length=500)
    weight: Decimal = Field(Decimal(1), gt=0, max_digits=5, decimal_places=2)
    min_score: int = Field(1, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    max_score: int = Field(5, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    higher_is_better: bool = True
    position: int | None = Field(None, ge=0, le=1000, description="Default: last")


class ScorecardCriterionPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    key: str | None = Field(None, min_length=1, max_length=40)
    description: str | None = Field(None, max_length=500)
    weight: Decimal | None = Field(None, gt=0, max_digits=5, decimal_places=2)
    min_score: int | None = Field(None, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    max_score: int | None = Field(None, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    higher_is_better: bool | None = None
    position: int | None = Field(None, ge=0, le=1000)


class EvaluationScoreOut(Schema):
    criterion: str = Field(..., description="The criterion's key")
    value: int
    note: str

    @staticmethod
    def resolve_criterion(obj) -> str:
        return obj.criterion.key


class EvaluationOut(Schema):
    id: int
    initiative_id: int | None
    idea_id: int | None
    stage_id: int | None
    evaluator: PersonOut
    status: EvaluationStatus
    conflict_note: str
    comment: str
    weighted: float | None = Field(..., description="Weighted score, 0-100")
    assigned_at: datetime
    submitted_at: datetime | None
    scores: list[EvaluationScoreOut]

    @staticmethod
    def resolve_scores(obj) -> list:
        return list(obj.scores.all())


class EvaluationCriterionStatsOut(Schema):
    criterion: str
    name: str
    n: int
    mean: float | None
    sd: float | None = Field(..., description="Sample standard deviation")
    low: int | None
    high: int | None
    rwg: float | None = Field(..., description="r_wg within-group agreement, 0-1")
    agreement: Agreement


class EvaluationAggregateOut(Schema):
    n: int = Field(..., description="Submitted evaluations")
    mean: float | None = Field(..., description="Mean weighted score, 0-100")
    sd: float | None
    low: float | None
    high: float | None
    rwg: float | None = Field(..., description="Mean of the criteria's r_wg")
    agreement: Agreement
    criteria: list[EvaluationCriterionStatsOut]


class EvaluationCountsOut(Schema):
    assigned: int
    submitted: int
    conflict: int
    total: int


class EvaluationBoardOut(Schema):
    subject: Literal["initiative", "idea"]
    subject_id: int
    stage_id: int | None
    scorecard: ScorecardOut | None
    counts: EvaluationCountsOut
    scores_visible: bool
    individual_visible: bool
    hidden_reason: str
    aggregate: EvaluationAggregateOut | None
    evaluations: list[EvaluationOut] = Field(..., description="Empty unless individual "
                                                              "evaluations are visible to you")
    my_evaluation: EvaluationOut | None


class EvaluatorsIn(Schema):
    evaluator_ids: list[int] = Field(..., min_length=1, max_length=actions.MAX_EVALUATORS)


class EvaluatorSuggestionOut(Schema):
    person: PersonOut
    job_title: str
    org_unit: str | None
    match_count: int
    competencies: list[str] = Field(..., description="The competencies asked for they hold")


class EvaluationScoreIn(Schema):
    criterion: str = Field(..., min_length=1, max_length=40, description="The criterion's key")
    value: int = Score
    note: str = Field("", max_length=500)


class EvaluationSubmitIn(Schema):
    scores: list[EvaluationScoreIn] = Field(..., max_length=actions.MAX_CRITERIA)
    comment: str = Field("", max_length=5000)


class EvaluationConflictIn(Schema):
    note: str = Field(..., min_length=1, max_length=500)


class EvaluationWithdrawnOut(Schema):
    id: int
    withdrawn: bool


class MyEvaluationOut(Schema):
    id: int
    subject: Literal["initiative", "idea"]
    subject_id: int
    title: str
    stage: str | None
    status: EvaluationStatus
    weighted: float | None
    assigned_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_subject(obj) -> str:
        return "initiative" if obj.initiative_id else "idea"

    @staticmethod
    def resolve_subject_id(obj) -> int:
        return obj.initiative_id or obj.idea_id

    @staticmethod
    def resolve_title(obj) -> str:
        return (obj.initiative or obj.idea).title

    @staticmethod
    def resolve_stage(obj) -> str | None:
        return obj.stage.name if obj.stage_id else None


class ComparisonCriterionOut(Schema):
    key: str
    name: str


class ComparisonColumnOut(Schema):
    subject_id: int
    title: str
    stage: str | None = Field(..., description="Initiatives: the current stage")
    uncertainty: int | None
    projected_value: Decimal | None
    compared_stage: str | None = Field(..., description="Initiatives: the stage whose "
                                                        "evaluations are compared")
    hidden_reason: str
    aggregate: EvaluationAggregateOut | None


class ComparisonOut(Schema):
    kind: Literal["initiatives", "ideas"]
    challenge_id: int | None
    criteria: list[ComparisonCriterionOut]
    columns: list[ComparisonColumnOut]


# --- Helpers ----------------------------------------------------------------------------------


def _aggregate_out(result: reads.Aggregate | None) -> dict | None:
    if result is None:
        return None
    return {"n": result.n, "mean": result.mean, "sd": result.sd, "low": result.low,
            "high": result.high, "rwg": result.rwg, "agreement": result.agreement,
            "criteria": [{"criterion": s.criterion.key, "name": s.criterion.name, "n": s.n,
                          "mean": s.mean, "sd": s.sd, "low": s.low, "high": s.high,
                          "rwg": s.rwg, "agreement": s.agreement} for s in result.criteria]}


def _board_out(board: reads.Board) -> dict:
    subject = board.subject
    return {
        "subject": "initiative" if isinstance(subject, Initiative) else "idea",
        "subject_id": subject.pk, "stage_id": board.stage.pk if board.stage else None,
        "scorecard": board.scorecard, "counts": board.counts,
        "scores_visible": board.rights.scores, "individual_visible": board.rights.individual,
        "hidden_reason": board.rights.reason, "aggregate": _aggregate_out(board.aggregate),
        "evaluations": board.visible_evaluations,
        "my_evaluation": board.rights.mine or board.pending,
    }


def _people(ids: list[int]) -> list:
    """The people named, in the order given."""
    wanted = [pk for pk in dict.fromkeys(ids) if is_valid_id(pk)]
    found = get_user_model().objects.in_bulk(wanted)
    people = [found[pk] for pk in wanted if pk in found and found[pk].is_active]
    if len(people) != len(set(ids)):
        raise ValidationError({"evaluator_ids": "Choose active colleagues."})
    return people


def _competencies(ids: list[int]) -> list[Competency]:
    return list(Competency.objects.filter(pk__in=[pk for pk in ids if is_valid_id(pk)]))


def _suggestions(subject, competency_ids: list[int]) -> list[dict]:
    taken = reads.evaluations_of(subject)
    if isinstance(subject, Initiative):
        taken = [e for e in taken if e.stage_id == subject.stage_id]
    people = reads.suggest_evaluators(subject, _competencies(competency_ids),
                                      exclude=[e.evaluator_id for e in taken])
    return [{"person": p, "job_title": p.job_title,
             "org_unit": p.org_unit.name if p.org_unit_id else None,
             "match_count": p.match_count, "competencies": [c.name for c in p.matched]}
            for p in people]


def _initiative(request, initiative_id: int) -> Initiative:
    return selectors.get_initiative_for_user(request.user, initiative_id)


CompareIds = Query(None, max_length=reads.COMPARE_MAX + 1)
CompetencyIds = Query(None, max_length=20,
                      description="Competencies the evaluators should hold (none: nobody is "
                                  "suggested)")


# --- Challenge scorecards ---------------------------------------------------------------------


@router.get("/challenges/{challenge_id}/scorecard", response={200: ScorecardOut, **ERRORS},
            summary="A challenge's scorecard: the criteria its ideas are evaluated on")
@policy.api_rule("pipeline.browse")
def get_challenge_scorecard(request, challenge_id: int):
    challenge = reads.get_challenge_for_user(request.user, challenge_id)
    scorecard = reads.challenge_scorecard(challenge)
    if scorecard is None:
        raise Http404("No scorecard")
    return scorecard


@router.put("/challenges/{challenge_id}/scorecard",
            response={200: ScorecardOut, 201: ScorecardOut, **ERRORS},
            summary="Create the challenge's scorecard (201) or rename it and switch blind "
                    "review (200)")
@policy.api_rule("pipeline.manage")
def put_challenge_scorecard(request, challenge_id: int, payload: ScorecardIn):
    challenge = reads.get_challenge_for_scorecard(request.user, challenge_id)
    scorecard = reads.challenge_scorecard(challenge)
    if scorecard is None:
        made = actions.create_challenge_scorecard(request.user, challenge, name=payload.name,
                                                  blind=payload.blind,
                                                  standard=payload.standard_criteria)
        return 201, reads.challenge_scorecard(made.challenge)
    actions.update_scorecard(request.user, scorecard, name=payload.name or None,
                             blind=payload.blind)
    return 200, reads.challenge_scorecard(challenge)


@router.post("/challenges/{challenge_id}/scorecard/criteria",
             response={201: ScorecardCriterionOut, **ERRORS},
             summary="Add a criterion to a challenge's scorecard")
@policy.api_rule("pipeline.manage")
def add_scorecard_criterion(request, challenge_id: int, payload: ScorecardCriterionIn):
    challenge = reads.get_challenge_for_scorecard(request.user, challenge_id)
    scorecard = reads.challenge_scorecard(challenge)
    if scorecard is None:
        raise Http404("No scorecard")
    return 201, actions.add_criterion(request.user, scorecard, **payload.dict())


@router.patch("/scorecard-criteria/{criterion_id}",
              response={200: ScorecardCriterionOut, **ERRORS},
              summary="Change a challenge scorecard's criterion (range and direction are fixed "
                      "once scored)")
@policy.api_rule("pipeline.manage")
def update_scorecard_criterion(request, criterion_id: int, payload: ScorecardCriterionPatch):
    criterion = reads.get_criterion_to_manage(request.user, criterion_id)
    return actions.update_criterion(request.user, criterion, **payload.dict(exclude_unset=True))


@router.delete("/scorecard-criteria/{criterion_id}", response={200: ScorecardOut, **ERRORS},
               summary="Remove a criterion nobody has scored yet; returns the scorecard")
@policy.api_rule("pipeline.manage")
def remove_scorecard_criterion(request, criterion_id: int):
    criterion = reads.get_criterion_to_manage(request.user, criterion_id)
    challenge = criterion.scorecard.challenge
    actions.remove_criterion(request.user, criterion)
    return reads.challenge_scorecard(challenge)


# --- Boards and evaluators --------------------------------------------------------------------


@router.get("/initiatives/{initiative_id}/evaluation", response={200: EvaluationBoardOut, **ERRORS},
            summary="An initiative's evaluation at a stage (default: the current one), as you "
                    "may see it under blind review")
@policy.api_rule("pipeline.browse")
def initiative_evaluation(request, initiative_id: int,
                          stage_id: int | None = Query(None, ge=1, le=2**63 - 1)):
    initiative = _initiative(request, initiative_id)
    stages = list(initiative.version.stages.all())
    return _board_out(reads.board_for(request.user, initiative, stage_id, stages))


@router.post("/initiatives/{initiative_id}/evaluators",
             response={201: list[EvaluationOut], **ERRORS},
             summary="Assign evaluators to the initiative's current stage")
@policy.api_rule("pipeline.manage")
def assign_initiative_evaluators(request, initiative_id: int, payload: EvaluatorsIn):
    initiative = _initiative(request, initiative_id)
    made = actions.assign_evaluators(request.user, initiative, _people(payload.evaluator_ids))
    return 201, made


@router.get("/initiatives/{initiative_id}/evaluator-suggestions",
            response={200: list[EvaluatorSuggestionOut], **ERRORS},
            summary="Employees holding the competencies, most matches first, without the "
                    "conflicted and those already assigned")
@policy.api_rule("pipeline.manage")
def initiative_evaluator_suggestions(request, initiative_id: int,
                                     competency_ids: list[int] = CompetencyIds):
    return _suggestions(_initiative(request, initiative_id), competency_ids or [])


@router.get("/ideas/{idea_id}/evaluation", response={200: EvaluationBoardOut, **ERRORS},
            summary="An idea's evaluation on its challenge's scorecard, as you may see it")
@policy.api_rule("pipeline.browse")
def idea_evaluation(request, idea_id: int):
    return _board_out(reads.board_for(request.user, reads.get_idea_for_user(request.user,
                                                                            idea_id)))


@router.post("/ideas/{idea_id}/evaluators", response={201: list[EvaluationOut], **ERRORS},
             summary="Assign evaluators to an idea (they join its evaluators, so a "
                     "confidential idea opens to them)")
@policy.api_rule("pipeline.manage")
def assign_idea_evaluators(request, idea_id: int, payload: EvaluatorsIn):
    idea = reads.get_idea_for_user(request.user, idea_id)
    return 201, actions.assign_evaluators(request.user, idea, _people(payload.evaluator_ids))


@router.get("/ideas/{idea_id}/evaluator-suggestions",
            response={200: list[EvaluatorSuggestionOut], **ERRORS},
            summary="Employees holding the competencies, most matches first, without the "
                    "idea's authors and those already assigned")
@policy.api_rule("pipeline.manage")
def idea_evaluator_suggestions(request, idea_id: int,
                               competency_ids: list[int] = CompetencyIds):
    return _suggestions(reads.get_idea_for_user(request.user, idea_id), competency_ids or [])


# --- Evaluating -------------------------------------------------------------------------------


@router.get("/evaluations/mine", response={200: Page[MyEvaluationOut], **ERRORS},
            summary="What is assigned to you, those to submit first")
@policy.api_rule("pipeline.evaluate")
def my_evaluations(request, limit: int = Query(25, ge=1, le=100),
                   offset: int = Query(0, ge=0)):
    return page_of(reads.my_evaluations(request.user), limit=limit, offset=offset)


@router.post("/evaluations/{evaluation_id}/submit", response={200: EvaluationOut, **ERRORS},
             summary="Submit your scores (every criterion, within its range); final")
@policy.api_rule("pipeline.evaluate")
def submit_evaluation(request, evaluation_id: int, payload: EvaluationSubmitIn):
    evaluation, _ = reads.get_own_evaluation(request.user, evaluation_id)
    keys = [s.criterion for s in payload.scores]
    if len(keys) != len(set(keys)):
        raise ValidationError({"scores": "Score each criterion once."})
    done = actions.submit_evaluation(
        request.user, evaluation, scores={s.criterion: s.value for s in payload.scores},
        notes={s.criterion: s.note for s in payload.scores}, comment=payload.comment)
    return reads.evaluation_with_sheet(done.pk)


@router.post("/evaluations/{evaluation_id}/conflict", response={200: EvaluationOut, **ERRORS},
             summary="Declare a conflict of interest instead of scoring")
@policy.api_rule("pipeline.evaluate")
def declare_conflict(request, evaluation_id: int, payload: EvaluationConflictIn):
    evaluation, _ = reads.get_own_evaluation(request.user, evaluation_id)
    done = actions.declare_conflict(request.user, evaluation, note=payload.note)
    return reads.evaluation_with_sheet(done.pk)


@router.delete("/evaluations/{evaluation_id}", response={200: EvaluationWithdrawnOut, **ERRORS},
               summary="Withdraw an evaluator who has not submitted nor declared a conflict")
@policy.api_rule("pipeline.manage")
def withdraw_evaluator(request, evaluation_id: int):
    evaluation, _ = reads.get_evaluation_to_manage(request.user, evaluation_id)
    pk = evaluation.pk
    actions.withdraw_evaluator(request.user, evaluation)
    return {"id": pk, "withdrawn": True}


# --- Comparison -------------------------------------------------------------------------------


@router.get("/compare", response={200: ComparisonOut, **ERRORS},
            summary="Two to six initiatives, or ideas of one challenge, side by side "
                    "(nothing chosen: an empty comparison)")
@policy.api_rule("pipeline.browse")
def compare(request, initiative_ids: list[int] = CompareIds, idea_ids: list[int] = CompareIds):
    if not initiative_ids and not idea_ids:
        return {"kind": "initiatives", "challenge_id": None, "criteria": [], "columns": []}
    result = reads.comparison(request.user, initiative_ids=initiative_ids or (),
                              idea_ids=idea_ids or ())
    criteria = [{"key": key, "name": name} for key, name, _ in result.rows]
    columns = []
    for col in result.columns:
        is_initiative = isinstance(col.subject, Initiative)
        columns.append({
            "subject_id": col.subject.pk, "title": col.subject.title,
            "stage": col.subject.stage.name if is_initiative else None,
            "uncertainty": col.subject.uncertainty if is_initiative else None,
            "projected_value": col.subject.projected_value if is_initiative else None,
            "compared_stage": col.stage.name if col.stage else None,
            "hidden_reason": col.hidden, "aggregate": _aggregate_out(col.aggregate)})
    return {"kind": result.kind,
            "challenge_id": result.challenge.pk if result.challenge else None,
            "criteria": criteria, "columns": columns}
