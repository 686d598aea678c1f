# No "from __future__ import annotations": ninja reads these annotations at import time.

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.accounts.models import Competency, OrgUnit, User
from seedbed.core.api import ERRORS, page_of
from seedbed.lib.validation import is_valid_id
from seedbed.strategy.actions import resources as actions
from seedbed.strategy.models import BudgetEnvelope, TimeAllowance
from seedbed.strategy.selectors import resources as selectors

router = Router(tags=["strategy"])

Currency = Field("EUR", min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")
Amount = Field(..., gt=0, max_digits=14, decimal_places=2)
Percent = Field(..., gt=0, le=100, max_digits=5, decimal_places=2)


class NamedOut(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    full_name: str


def _lookup(model, pk: int | None, field: str, label: str):
    """The row an id in a request body names, or a field error (never a 404: the body is bad,
    not the URL)."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first() if is_valid_id(pk) else None
    if found is None:
        raise ValidationError({field: f"No {label} has id {pk}."})
    return found


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """Report the action's errors under the API's own field names (org_unit → org_unit_id)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# --- Budget envelopes -------------------------------------------------------------------------


class BudgetOut(Schema):
    id: int
    org_unit: NamedOut
    period_start: date
    period_end: date
    currency: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    note: str
    created_at: datetime
    updated_at: datetime


class BudgetTotalOut(Schema):
    period_start: date
    period_end: date
    currency: str
    envelopes: int
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal


class BudgetPage(Schema):
    items: list[BudgetOut]
    count: int
    limit: int
    offset: int
    totals: list[BudgetTotalOut]


class BudgetIn(Schema):
    org_unit_id: int
    period_start: date
    period_end: date
    allocated: Decimal = Amount
    currency: str = Currency
    note: str = Field("", max_length=300)


class BudgetPatch(Schema):
    org_unit_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    allocated: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")
    note: str | None = Field(None, max_length=300)


BUDGET_NAMES = {"org_unit": "org_unit_id"}


def _budget(pk: int) -> BudgetEnvelope:
    return BudgetEnvelope.objects.select_related("org_unit").get(pk=pk)


@router.get("/budgets", response={200: BudgetPage, **ERRORS},
            summary="Budget envelopes, with totals per period and currency")
@policy.api_rule("strategy.records")
def list_budgets(request, period: int | None = Query(None, ge=1900, le=9998,
                                                     description="A calendar year"),
                 limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    envelopes = selectors.visible_budgets(request.user)
    if period is not None:
        envelopes = envelopes.filter(selectors.overlapping_year(period))
    page = page_of(envelopes, limit=limit, offset=offset)
    page["totals"] = selectors.budget_totals(envelopes)
    return page


@router.post("/budgets", response={201: BudgetOut, **ERRORS},
             summary="Give an org unit a budget envelope for a period")
@policy.api_rule("strategy.manage")
def create_budget(request, payload: BudgetIn):
    data = payload.dict()
    unit = _lookup(OrgUnit, data.pop("org_unit_id"), "org_unit_id", "org unit")
    try:
        envelope = actions.create_budget_envelope(request.user, org_unit=unit, **data)
    except ValidationError as exc:
        raise _renamed(exc, BUDGET_NAMES) from None
    return 201, _budget(envelope.pk)


@router.get("/budgets/{budget_id}", response={200: BudgetOut, **ERRORS})
@policy.api_rule("strategy.records")
def get_budget(request, budget_id: int):
    return selectors.get_budget_for_user(request.user, budget_id)


@router.patch("/budgets/{budget_id}", response={200: BudgetOut, **ERRORS},
              summary="Change an envelope (committed and spent come from the pipeline)")
@policy.api_rule("strategy.manage")
def update_budget(request, budget_id: int, payload: BudgetPatch):
    envelope = selectors.get_budget_for_user(request.user, budget_id)
    data = payload.dict(exclude_unset=True)
    for name, value in data.items():
        if value is None:
            raise ValidationError({name: "This field cannot be null."})
    if "org_unit_id" in data:
        data["org_unit"] = _lookup(OrgUnit, data.pop("org_unit_id"), "org_unit_id", "org unit")
    try:
        actions.update_budget_envelope(request.user, envelope, **data)
    except ValidationError as exc:
        raise _renamed(exc, BUDGET_NAMES) from None
    return _budget(envelope.pk)


# --- Time allowances --------------------------------------------------------------------------


class TimeAllowanceOut(Schema):
    id: int
    org_unit: NamedOut
    percent_of_time: Decimal
    period_start: date
    period_end: date
    description: str
    created_at: datetime


class TimeAllowancePage(Schema):
    items: list[TimeAllowanceOut]
    count: int
    limit: int
    offset: int


class TimeAllowanceIn(Schema):
    org_unit_id: int
    percent_of_time: Decimal = Percent
    period_start: date
    period_end: date
    description: str = Field("", max_length=300)


@router.get("/time-allowances", response={200: TimeAllowancePage, **ERRORS},
            summary="Time for innovation per org unit and period")
@policy.api_rule("strategy.records")
def list_time_allowances(request, period: int | None = Query(None, ge=1900, le=9998,
                                                             description="A calendar year"),
                         limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    allowances = selectors.visible_time_allowances(request.user)
    if period is not None:
        allowances = allowances.filter(selectors.overlapping_year(period))
    return page_of(allowances, limit=limit, offset=offset)


@router.post("/time-allowances", response={201: TimeAllowanceOut, **ERRORS})
@policy.api_rule("strategy.manage")
def create_time_allowance(request, payload: TimeAllowanceIn):
    data = payload.dict()
    unit = _lookup(OrgUnit, data.pop("org_unit_id"), "org_unit_id", "org unit")
    try:
        allowance = actions.create_time_allowance(request.user, org_unit=unit, **data)
    except ValidationError as exc:
        raise _renamed(exc, BUDGET_NAMES) from None
    return 201, TimeAllowance.objects.select_related("org_unit").get(pk=allowance.pk)


# --- Competence -------------------------------------------------------------------------------


class RequiredCompetencyOut(Schema):
    id: int
    competency: NamedOut
    people_needed: int
    rationale: str


class MatrixRowOut(Schema):
    competency: NamedOut
    people_needed: int
    held: int
    gap: int
    rationale: str
    holders: list[PersonOut]

    @staticmethod
    def resolve_people_needed(row) -> int:
        return row.needed

    @staticmethod
    def resolve_rationale(row) -> str:
        return row.requirement.rationale if row.requirement else ""


class CompetenceMatrixOut(Schema):
    required: list[MatrixRowOut]
    held_not_required: list[MatrixRowOut]
    total_gap: int


class RequiredCompetencyIn(Schema):
    competency_id: int
    people_needed: int = Field(1, ge=1, le=100000)
    rationale: str = Field("", max_length=500)


@router.get("/competence-matrix", response={200: CompetenceMatrixOut, **ERRORS},
            summary="Required competencies vs the people who hold them, with the gaps")
@policy.api_rule("strategy.records")
def get_competence_matrix(request):
    return selectors.competence_matrix(request.user)


@router.post("/required-competencies", response={201: RequiredCompetencyOut, **ERRORS},
             summary="State a competency the strategy needs")
@policy.api_rule("strategy.manage")
def require_competency(request, payload: RequiredCompetencyIn):
    data = payload.dict()
    competency = _lookup(Competency, data.pop("competency_id"), "competency_id", "competency")
    try:
        requirement = actions.require_competency(request.user, competency=competency, **data)
    except ValidationError as exc:
        raise _renamed(exc, {"competency": "competency_id"}) from None
    return 201, requirement


# --- Training records -------------------------------------------------------------------------


class TrainingRecordOut(Schema):
    id: int
    person: PersonOut
    title: str
    provider: str
    competency: NamedOut | None
    completed_on: date
    hours: Decimal | None
    created_at: datetime


class TrainingRecordPage(Schema):
    items: list[TrainingRecordOut]
    count: int
    limit: int
    offset: int


class TrainingRecordIn(Schema):
    person_id: int
    title: str = Field(..., min_length=1, max_length=200)
    provider: str = Field("", max_length=200)
    competency_id: int | None = None
    completed_on: date
    hours: Decimal | None = Field(None, gt=0, max_digits=6, decimal_places=1)


TRAINING_NAMES = {"person": "person_id", "competency": "competency_id"}


@router.get("/training-records", response={200: TrainingRecordPage, **ERRORS},
            summary="Training records, newest first")
@policy.api_rule("strategy.records")
def list_training_records(request, person: int | None = None, competency: int | None = None,
                          limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    records = selectors.visible_training_records(request.user)
    if person is not None:
        records = records.filter(person_id=person) if is_valid_id(person) else records.none()
    if competency is not None:
        records = (records.filter(competency_id=competency) if is_valid_id(competency)
                   else records.none())
    return page_of(records, limit=limit, offset=offset)


@router.post("/training-records", response={201: TrainingRecordOut, **ERRORS},
             summary="Record training a person completed")
@policy.api_rule("strategy.manage")
def record_training(request, payload: TrainingRecordIn):
    data = payload.dict()
    person = _lookup(User, data.pop("person_id"), "person_id", "person")
    competency = _lookup(Competency, data.pop("competency_id"), "competency_id", "competency")
    try:
        record = actions.record_training(request.user, person=person, competency=competency,
                                         **data)
    except ValidationError as exc:
        raise _renamed(exc, TRAINING_NAMES) from None
    return 201, selectors.visible_training_records(request.user).get(pk=record.pk)
