# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Objectives and their progress (6.2), the RACI matrix (5.5), actions on risks and
opportunities and planned changes (6.1, 6.3)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.accounts.models import User
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.lib.markdown import render_markdown
from seedbed.lib.validation import is_valid_id as _fits
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.models import (
    ActionItem,
    ContextIssue,
    FocusArea,
    Objective,
    RaciAssignment,
)
from seedbed.strategy.selectors import planning as selectors

router = Router(tags=["strategy"])

LATEST_UPDATES = 10
Number = Field(..., max_digits=18, decimal_places=4)


class PersonOut(Schema):
    id: int
    full_name: str


class FocusAreaRef(Schema):
    id: int
    title: str


class ObjectiveOut(Schema):
    id: int
    title: str
    indicator: str
    unit: str
    baseline: float
    target: float
    current_value: float | None
    current_as_of: date | None
    start_on: date
    due_on: date
    owner: PersonOut
    focus_areas: list[FocusAreaRef]
    health: str
    progress_percent: float | None
    time_elapsed_percent: float

    @staticmethod
    def resolve_focus_areas(obj) -> list:
        return list(obj.focus_areas.all())

    @staticmethod
    def resolve_health(obj) -> str:
        return str(obj.assessment.health)

    @staticmethod
    def resolve_progress_percent(obj) -> float | None:
        return obj.assessment.progress_percent

    @staticmethod
    def resolve_time_elapsed_percent(obj) -> float:
        return obj.assessment.elapsed_percent


class ProgressUpdateOut(Schema):
    id: int
    value: float
    as_of: date
    note: str
    recorded_by: PersonOut
    recorded_at: datetime


class ObjectiveDetailOut(ObjectiveOut):
    description: str
    description_html: str
    created_by: PersonOut
    created_at: datetime
    updated_at: datetime
    latest_updates: list[ProgressUpdateOut]

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)


class ObjectiveIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    indicator: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., min_length=1, max_length=40)
    baseline: Decimal = Number
    target: Decimal = Number
    start_on: date
    due_on: date
    owner_id: int | None = Field(None, description="Defaults to you.")
    focus_area_ids: list[int] = Field(default_factory=list, max_length=100)


class ObjectivePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    indicator: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=40)
    baseline: Decimal | None = Field(None, max_digits=18, decimal_places=4)
    target: Decimal | None = Field(None, max_digits=18, decimal_places=4)
    start_on: date | None = None
    due_on: date | None = None
    owner_id: int | None = None
    focus_area_ids: list[int] | None = Field(None, max_length=100)


class ProgressIn(Schema):
    value: Decimal = Number
    as_of: date
    note: str = Field("", max_length=5000)


class RaciOut(Schema):
    id: int
    process: str
    role: str | None
    person: PersonOut | None
    letter: str

    @staticmethod
    def resolve_role(obj) -> str | None:
        return obj.role or None


class RaciIn(Schema):
    process: str = Field(..., min_length=1, max_length=120)
    letter: RaciAssignment.Letter
    role: str | None = Field(None, max_length=20)
    person_id: int | None = None


class TitledRef(Schema):
    id: int
    title: str


class ActionItemOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    owner: PersonOut
    due_on: date
    overdue: bool
    focus_area: TitledRef | None
    context_issue: TitledRef | None
    objective: TitledRef | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue


class ActionItemDetailOut(ActionItemOut):
    description: str
    description_html: str
    created_by: PersonOut
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)


class ActionItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    kind: ActionItem.Kind
    owner_id: int | None = Field(None, description="Defaults to you.")
    due_on: date
    focus_area_id: int | None = None
    context_issue_id: int | None = None
    objective_id: int | None = None


class ActionItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    kind: ActionItem.Kind | None = None
    owner_id: int | None = None
    due_on: date | None = None
    status: ActionItem.Status | None = None
    focus_area_id: int | None = None
    context_issue_id: int | None = None
    objective_id: int | None = None


# --- Turning ids into records: unknown ids are field errors under the API's names -------------


def _one(model, pk: int | None, field: str, what: str, errors: dict, qs=None):
    if pk is None:
        return None
    found = (qs if qs is not None else model.objects).filter(pk=pk).first() if _fits(pk) \
        else None
    if found is None:
        errors[field] = f"Unknown {what}: {pk}."
    return found


def _focus_areas(ids: list[int], errors: dict) -> list[FocusArea]:
    found = list(FocusArea.objects.filter(pk__in={i for i in ids if _fits(i)}))
    missing = set(ids) - {fa.pk for fa in found}
    if missing:
        errors["focus_area_ids"] = f"Unknown focus areas: {sorted(missing)}."
    return found


API_NAMES = {"owner": "owner_id", "focus_areas": "focus_area_ids", "person": "person_id",
             "focus_area": "focus_area_id", "context_issue": "context_issue_id",
             "objective": "objective_id"}


def _api_field_names(exc: ValidationError) -> ValidationError:
    """Report the action's errors under the API's own field names (owner → owner_id, …)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({API_NAMES.get(k, k): v for k, v in exc.message_dict.items()})


def _objective_payload(data: dict) -> dict:
    errors: dict[str, str] = {}
    if "owner_id" in data:
        data["owner"] = _one(User, data.pop("owner_id"), "owner_id", "person", errors)
        if data["owner"] is None and "owner_id" not in errors:
            errors["owner_id"] = "Choose an owner."
    if "focus_area_ids" in data:
        ids = data.pop("focus_area_ids")
        if ids is None:
            errors["focus_area_ids"] = "Send a list of focus area ids (it may be empty)."
        else:
            data["focus_areas"] = _focus_areas(ids, errors)
    if errors:
        raise ValidationError(errors)
    return data


def _with_objective_details(objective: Objective) -> Objective:
    objective = (selectors.objective_list(Objective.objects.filter(pk=objective.pk))
                 .select_related("created_by").get())
    objective.assessment = objective.assess()
    objective.latest_updates = list(selectors.updates_for(objective)[:LATEST_UPDATES])
    return objective


# --- Objectives -------------------------------------------------------------------------------


@router.get("/objectives", response={200: Page[ObjectiveOut], **ERRORS},
            summary="Innovation objectives, with their derived health")
@policy.api_rule("strategy.read")
def list_objectives(request, limit: int = Query(20, ge=1, le=100),
                    offset: int = Query(0, ge=0)):
    page = page_of(selectors.objective_list(selectors.visible_objectives(request.user)),
                   limit=limit, offset=offset)
    today = timezone.localdate()
    for objective in page["items"]:
        objective.assessment = objective.assess(today)
    return page


@router.post("/objectives", response={201: ObjectiveDetailOut, **ERRORS},
             summary="Set a measurable objective")
@policy.api_rule("strategy.manage")
def create_objective(request, payload: ObjectiveIn):
    data = payload.dict()
    if data["owner_id"] is None:
        data["owner_id"] = request.user.pk
    data = _objective_payload(data)
    try:
        objective = actions.create_objective(request.user, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _with_objective_details(objective)


@router.get("/objectives/{objective_id}", response={200: ObjectiveDetailOut, **ERRORS},
            summary="An objective with its health and latest progress updates")
@policy.api_rule("strategy.read")
def get_objective(request, objective_id: int):
    objective = selectors.get_objective_for_user(request.user, objective_id)
    return _with_objective_details(objective)


@router.patch("/objectives/{objective_id}", response={200: ObjectiveDetailOut, **ERRORS},
              summary="Change an objective's fields")
@policy.api_rule("strategy.manage")
def update_objective(request, objective_id: int, payload: ObjectivePatch):
    objective = selectors.get_objective_for_user(request.user, objective_id, manage=True)
    data = _objective_payload(payload.dict(exclude_unset=True))
    try:
        actions.update_objective(request.user, objective, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _with_objective_details(objective)


@router.post("/objectives/{objective_id}/progress", response={201: ObjectiveDetailOut, **ERRORS},
             summary="Record a measured value (the objective's owner or a manager)")
@policy.api_rule("strategy.read")
def record_progress(request, objective_id: int, payload: ProgressIn):
    objective = selectors.get_objective_for_user(request.user, objective_id, progress=True)
    actions.record_progress(request.user, objective, **payload.dict())
    return 201, _with_objective_details(objective)


# --- RACI -------------------------------------------------------------------------------------


@router.get("/raci", response={200: Page[RaciOut], **ERRORS},
            summary="The RACI matrix, one cell letter per item, by process")
@policy.api_rule("strategy.read")
def list_raci(request, process: str = Query("", max_length=120),
              limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0)):
    qs = selectors.visible_raci(request.user)
    if process:
        qs = qs.filter(process__iexact=" ".join(process.split()))
    return page_of(selectors.raci_list(qs), limit=limit, offset=offset)


@router.post("/raci", response={201: RaciOut, **ERRORS},
             summary="Give a role or a named person a letter for a process")
@policy.api_rule("strategy.manage")
def add_raci(request, payload: RaciIn):
    errors: dict[str, str] = {}
    person = _one(User, payload.person_id, "person_id", "person", errors)
    if errors:
        raise ValidationError(errors)
    try:
        assignment = actions.add_raci_assignment(
            request.user, process=payload.process, letter=payload.letter,
            role=payload.role or "", person=person)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, selectors.raci_list(RaciAssignment.objects.filter(pk=assignment.pk)).get()


@router.delete("/raci/{raci_id}", response={200: RaciOut, **ERRORS},
               summary="Remove a letter from the matrix (answers with what was removed)")
@policy.api_rule("strategy.manage")
def remove_raci(request, raci_id: int):
    assignment = selectors.get_raci_for_user(request.user, raci_id)
    person = assignment.person  # read before the row is gone
    removed = actions.remove_raci_assignment(request.user, assignment)
    removed.id = raci_id
    removed.person = person
    return removed


# --- Action items -----------------------------------------------------------------------------


def _action_payload(data: dict) -> dict:
    errors: dict[str, str] = {}
    if "owner_id" in data:
        data["owner"] = _one(User, data.pop("owner_id"), "owner_id", "person", errors)
        if data["owner"] is None and "owner_id" not in errors:
            errors["owner_id"] = "Choose an owner."
    for name, model, what in (("focus_area", FocusArea, "focus area"),
                              ("context_issue", ContextIssue, "context issue"),
                              ("objective", Objective, "objective")):
        if f"{name}_id" in data:
            data[name] = _one(model, data.pop(f"{name}_id"), f"{name}_id", what, errors)
    if errors:
        raise ValidationError(errors)
    return data


def _action_detail(item: ActionItem) -> ActionItem:
    return (selectors.action_item_list(ActionItem.objects.filter(pk=item.pk))
            .select_related("created_by").get())


@router.get("/action-items", response={200: Page[ActionItemOut], **ERRORS},
            summary="Actions on risks and opportunities, and planned changes")
@policy.api_rule("strategy.read")
def list_action_items(request, kind: ActionItem.Kind | None = None,
                      status: ActionItem.Status | None = None, overdue: bool = False,
                      limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.filter_action_items(
        selectors.action_item_list(selectors.visible_action_items(request.user)),
        kind=kind or "", status=status or "", overdue=overdue)
    return page_of(qs, limit=limit, offset=offset)


@router.post("/action-items", response={201: ActionItemDetailOut, **ERRORS},
             summary="Plan an action on a risk, an opportunity or a change")
@policy.api_rule("strategy.manage")
def create_action_item(request, payload: ActionItemIn):
    data = payload.dict()
    if data["owner_id"] is None:
        data["owner_id"] = request.user.pk
    data = _action_payload(data)
    try:
        item = actions.create_action_item(request.user, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _action_detail(item)


@router.get("/action-items/{action_item_id}", response={200: ActionItemDetailOut, **ERRORS})
@policy.api_rule("strategy.read")
def get_action_item(request, action_item_id: int):
    return selectors.get_action_item_for_user(request.user, action_item_id)


@router.patch("/action-items/{action_item_id}", response={200: ActionItemDetailOut, **ERRORS},
              summary="Change an action's fields or move its status on")
@policy.api_rule("strategy.manage")
def update_action_item(request, action_item_id: int, payload: ActionItemPatch):
    item = selectors.get_action_item_for_user(request.user, action_item_id, manage=True)
    data = _action_payload(payload.dict(exclude_unset=True))
    if "status" in data and data["status"] is None:
        raise ValidationError({"status": "Choose a status."})
    try:
        actions.update_action_item(request.user, item, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _action_detail(item)
