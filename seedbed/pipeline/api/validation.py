# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: the assumptions ledger, experiments (with concluding) and the risk register of an
initiative. Reads follow the initiative's visibility (404); writes need the rule
``pipeline.work`` and a place on the initiative's team, or running the IMS (403)."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.models import Assumption, Experiment, Risk
from seedbed.pipeline.selectors import validation as records

router = Router(tags=["pipeline validation"])

# Inline values rather than the models' enums: their class names ("Kind", "Status") would
# collide in the schema document.
AssumptionKind = Literal[tuple(Assumption.Kind.values)]
AssumptionStatus = Literal[tuple(Assumption.Status.values)]
ExperimentStatus = Literal[tuple(Experiment.Status.values)]
NotRunStatus = Literal[tuple(s.value for s in actions.NOT_RUN)]
Outcome = Literal[tuple(s.value for s in actions.OUTCOMES)]
RiskStatus = Literal[tuple(Risk.Status.values)]
Treatment = Literal[("", *Risk.Treatment.values)]
RiskLevel = Literal["high", "medium", "low"]

# The actions name a linked record by the model's field; the API by the id it sends.
API_NAMES = {"assumptions": "assumption_ids", "owner": "owner_id"}


class AssumptionOut(Schema):
    id: int
    initiative_id: int
    statement: str
    kind: AssumptionKind
    importance: int = Field(..., ge=1, le=5)
    critical: bool = Field(..., description="Importance 4 or 5.")
    evidence: int = Field(..., ge=0, le=3, description="0 none, 1 weak, 2 moderate, 3 strong.")
    status: AssumptionStatus
    experiment_count: int
    created_at: datetime
    updated_at: datetime


class AssumptionIn(Schema):
    statement: str = Field(..., min_length=1, max_length=500)
    kind: AssumptionKind
    importance: int = Field(3, ge=1, le=5, description="4 and 5 are critical.")
    evidence: int = Field(0, ge=0, le=3, description="0 none, 1 weak, 2 moderate, 3 strong.")
    status: AssumptionStatus = "untested"


class AssumptionPatch(Schema):
    statement: str | None = Field(None, min_length=1, max_length=500)
    kind: AssumptionKind | None = None
    importance: int | None = Field(None, ge=1, le=5)
    evidence: int | None = Field(None, ge=0, le=3)
    status: AssumptionStatus | None = None


class ExperimentOut(Schema):
    id: int
    initiative_id: int
    hypothesis: str
    method: str
    metric: str
    success_threshold: str
    starts_on: date | None
    ends_on: date | None
    status: ExperimentStatus
    result: str
    learning: str
    assumption_ids: list[int]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_assumption_ids(obj: Experiment) -> list[int]:
        return sorted(a.pk for a in obj.assumptions.all())


class ExperimentIn(Schema):
    hypothesis: str = Field(..., max_length=500,
                            description="Required: what you expect to observe if the "
                                        "assumption holds.")
    method: str = Field("", max_length=300)
    metric: str = Field("", max_length=200)
    success_threshold: str = Field("", max_length=200)
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="On or after starts_on.")
    status: NotRunStatus = "planned"
    assumption_ids: list[int] = Field(default_factory=list, max_length=50,
                                      description="Assumptions of the same initiative.")


class ExperimentPatch(Schema):
    hypothesis: str | None = Field(None, max_length=500)
    method: str | None = Field(None, max_length=300)
    metric: str | None = Field(None, max_length=200)
    success_threshold: str | None = Field(None, max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None
    status: NotRunStatus | None = None
    result: str | None = Field(None, max_length=5000)
    learning: str | None = Field(None, max_length=5000)
    assumption_ids: list[int] | None = Field(None, max_length=50)


class ConcludeIn(Schema):
    status: Outcome = Field(..., description="succeeded → the tested assumptions become "
                                             "supported, failed → refuted; inconclusive "
                                             "changes nothing.")
    result: str = Field("", max_length=5000)
    learning: str = Field(..., max_length=5000, description="Required: what was learned.")


class RiskOut(Schema):
    id: int
    initiative_id: int
    title: str
    description: str
    likelihood: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)
    score: int = Field(..., description="likelihood × impact")
    level: RiskLevel = Field(..., description="high ≥ 15, medium 8-14, low < 8")
    owner: PersonOut | None
    treatment: Treatment
    treatment_plan: str
    status: RiskStatus
    needs_treatment: bool = Field(..., description="Open, high and no treatment chosen.")
    created_at: datetime
    updated_at: datetime


class RiskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    likelihood: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)
    owner_id: int | None = Field(None, description="An employee on the team or a manager.")
    treatment: Treatment = ""
    treatment_plan: str = Field("", max_length=5000,
                                description="Required to avoid, reduce or transfer.")
    status: RiskStatus = "open"


class RiskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    owner_id: int | None = None
    treatment: Treatment | None = None
    treatment_plan: str | None = Field(None, max_length=5000)
    status: RiskStatus | None = None


def _api_errors(exc: ValidationError) -> ValidationError:
    """The action's errors under the API's field names (assumptions → assumption_ids, …)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({API_NAMES.get(k, k): v for k, v in exc.message_dict.items()})


def _call(action, *args, **kwargs):
    try:
        return action(*args, **kwargs)
    except ValidationError as exc:
        raise _api_errors(exc) from None


def _payload(data: dict) -> dict:
    """Ids in the request → what the actions take (the actions check the linked records
    belong to the initiative; callers naming an owner first check the caller may work on
    it, so a refused caller learns nothing about who exists)."""
    if "assumption_ids" in data:
        data["assumptions"] = data.pop("assumption_ids")
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        data["owner"] = records.person(owner_id)
        if owner_id is not None and data["owner"] is None:
            raise ValidationError({"owner_id": "No such person."})
    return data


def _assumption_out(pk: int) -> Assumption:
    return records.assumption_rows(Assumption.objects.filter(pk=pk)).get()


def _experiment_out(pk: int) -> Experiment:
    return records.experiment_rows(Experiment.objects.filter(pk=pk)).get()


def _risk_out(pk: int) -> Risk:
    return records.risk_rows(Risk.objects.filter(pk=pk)).get()


# --- assumptions ------------------------------------------------------------------------------


@router.get("/initiatives/{initiative_id}/assumptions",
            response={200: Page[AssumptionOut], **ERRORS},
            summary="An initiative's assumptions ledger, critical ones first")
@policy.api_rule("pipeline.browse")
def list_assumptions(request, initiative_id: int,
                     sort: Literal[tuple(records.LEDGER_SORTS)] = "importance",
                     limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    qs = records.assumption_rows(Assumption.objects.filter(initiative_id=initiative.pk), sort)
    return page_of(qs, limit=limit, offset=offset)


@router.post("/initiatives/{initiative_id}/assumptions",
             response={201: AssumptionOut, **ERRORS}, summary="Record an assumption")
@policy.api_rule("pipeline.work")
def create_assumption(request, initiative_id: int, payload: AssumptionIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    made = _call(actions.create_assumption, request.user, initiative, **payload.dict())
    return 201, _assumption_out(made.pk)


@router.get("/assumptions/{assumption_id}", response={200: AssumptionOut, **ERRORS})
@policy.api_rule("pipeline.browse")
def get_assumption(request, assumption_id: int):
    return _assumption_out(records.get_assumption_for_user(request.user, assumption_id).pk)


@router.patch("/assumptions/{assumption_id}", response={200: AssumptionOut, **ERRORS},
              summary="Edit an assumption (status and evidence may be set by hand)")
@policy.api_rule("pipeline.work")
def update_assumption(request, assumption_id: int, payload: AssumptionPatch):
    assumption = records.get_assumption_for_user(request.user, assumption_id)
    _call(actions.update_assumption, request.user, assumption,
          **payload.dict(exclude_unset=True))
    return _assumption_out(assumption.pk)


@router.delete("/assumptions/{assumption_id}", response={200: AssumptionOut, **ERRORS},
               summary="Delete an assumption no experiment tests (answers with what was "
                       "removed)")
@policy.api_rule("pipeline.work")
def delete_assumption(request, assumption_id: int):
    assumption = records.get_assumption_for_user(request.user, assumption_id)
    removed = _assumption_out(assumption.pk)
    actions.delete_assumption(request.user, assumption)
    return removed


# --- experiments ------------------------------------------------------------------------------


@router.get("/initiatives/{initiative_id}/experiments",
            response={200: Page[ExperimentOut], **ERRORS},
            summary="An initiative's experiments, newest first")
@policy.api_rule("pipeline.browse")
def list_experiments(request, initiative_id: int, limit: int = Query(50, ge=1, le=100),
                     offset: int = Query(0, ge=0)):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    qs = records.experiment_rows(Experiment.objects.filter(initiative_id=initiative.pk))
    return page_of(qs, limit=limit, offset=offset)


@router.post("/initiatives/{initiative_id}/experiments",
             response={201: ExperimentOut, **ERRORS},
             summary="Plan an experiment on some of the initiative's assumptions")
@policy.api_rule("pipeline.work")
def create_experiment(request, initiative_id: int, payload: ExperimentIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    made = _call(actions.create_experiment, request.user, initiative,
                 **_payload(payload.dict()))
    return 201, _experiment_out(made.pk)


@router.get("/experiments/{experiment_id}", response={200: ExperimentOut, **ERRORS})
@policy.api_rule("pipeline.browse")
def get_experiment(request, experiment_id: int):
    return _experiment_out(records.get_experiment_for_user(request.user, experiment_id).pk)


@router.patch("/experiments/{experiment_id}", response={200: ExperimentOut, **ERRORS},
              summary="Edit an experiment (its plan only until it concludes)")
@policy.api_rule("pipeline.work")
def update_experiment(request, experiment_id: int, payload: ExperimentPatch):
    experiment = records.get_experiment_for_user(request.user, experiment_id)
    _call(actions.update_experiment, request.user, experiment,
          **_payload(payload.dict(exclude_unset=True)))
    return _experiment_out(experiment.pk)


@router.post("/experiments/{experiment_id}/conclude", response={200: ExperimentOut, **ERRORS},
             summary="Record the outcome and learning; the tested assumptions follow")
@policy.api_rule("pipeline.work")
def conclude_experiment(request, experiment_id: int, payload: ConcludeIn):
    experiment = records.get_experiment_for_user(request.user, experiment_id)
    _call(actions.conclude_experiment, request.user, experiment, **payload.dict())
    return _experiment_out(experiment.pk)


@router.delete("/experiments/{experiment_id}", response={200: ExperimentOut, **ERRORS},
               summary="Delete an experiment that has not concluded (answers with what was "
                       "removed)")
@policy.api_rule("pipeline.work")
def delete_experiment(request, experiment_id: int):
    experiment = records.get_experiment_for_user(request.user, experiment_id)
    removed = _experiment_out(experiment.pk)
    actions.delete_experiment(request.user, experiment)
    return removed


# --- risks ------------------------------------------------------------------------------------


@router.get("/initiatives/{initiative_id}/risks", response={200: Page[RiskOut], **ERRORS},
            summary="An initiative's risk register: open first, highest score first")
@policy.api_rule("pipeline.browse")
def list_risks(request, initiative_id: int, status: RiskStatus | None = None,
               limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    qs = Risk.objects.filter(initiative_id=initiative.pk)
    if status:
        qs = qs.filter(status=status)
    return page_of(records.risk_rows(qs), limit=limit, offset=offset)


@router.post("/initiatives/{initiative_id}/risks", response={201: RiskOut, **ERRORS},
             summary="Add a risk to the register")
@policy.api_rule("pipeline.work")
def create_risk(request, initiative_id: int, payload: RiskIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    selectors.require_work(request.user, initiative)  # before owner_id is looked up
    made = _call(actions.create_risk, request.user, initiative, **_payload(payload.dict()))
    return 201, _risk_out(made.pk)


@router.get("/risks/{risk_id}", response={200: RiskOut, **ERRORS})
@policy.api_rule("pipeline.browse")
def get_risk(request, risk_id: int):
    return _risk_out(records.get_risk_for_user(request.user, risk_id).pk)


@router.patch("/risks/{risk_id}", response={200: RiskOut, **ERRORS},
              summary="Re-assess, re-assign, treat, close or reopen a risk")
@policy.api_rule("pipeline.work")
def update_risk(request, risk_id: int, payload: RiskPatch):
    risk = records.get_risk_for_user(request.user, risk_id)
    selectors.require_work(request.user, risk.initiative)  # before owner_id is looked up
    _call(actions.update_risk, request.user, risk, **_payload(payload.dict(exclude_unset=True)))
    return _risk_out(risk.pk)


@router.delete("/risks/{risk_id}", response={200: RiskOut, **ERRORS},
               summary="Delete a risk entered by mistake (answers with what was removed)")
@policy.api_rule("pipeline.work")
def delete_risk(request, risk_id: int):
    risk = records.get_risk_for_user(request.user, risk_id)
    removed = _risk_out(risk.pk)
    actions.delete_risk(request.user, risk)
    return removed
