# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Focus areas over the API: the register, proposals, and their triage."""

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.lib.markdown import render_markdown
from seedbed.strategy.actions import focus as actions
from seedbed.strategy.models import FocusArea
from seedbed.strategy.selectors import focus as selectors

router = Router(tags=["strategy"])

Ids = Field(default_factory=list, max_length=200)
Reason = Field("", max_length=5000)


class FocusAreaOut(Schema):
    id: int
    title: str
    kind: str
    rationale: str
    rationale_html: str
    horizon: str
    priority: int
    status: str
    owner: PersonOut | None
    context_issue_ids: list[int]
    interested_party_ids: list[int]
    proposed_by: PersonOut
    decided_by: PersonOut | None
    decided_at: datetime | None
    decision_reason: str
    merged_into_id: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_rationale_html(obj) -> str:
        return render_markdown(obj.rationale)

    @staticmethod
    def resolve_context_issue_ids(obj) -> list[int]:
        return [issue.pk for issue in obj.context_issues.all()]

    @staticmethod
    def resolve_interested_party_ids(obj) -> list[int]:
        return [party.pk for party in obj.interested_parties.all()]


class FocusProposalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: FocusArea.Kind
    rationale: str = Field(..., min_length=1, max_length=10000)
    context_issue_ids: list[int] = Ids
    interested_party_ids: list[int] = Ids


class FocusAreaIn(FocusProposalIn):
    horizon: FocusArea.Horizon = FocusArea.Horizon.H1
    priority: FocusArea.Priority = FocusArea.Priority.MEDIUM
    owner_id: int | None = None


class FocusAreaPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: FocusArea.Kind | None = None
    rationale: str | None = Field(None, min_length=1, max_length=10000)
    horizon: FocusArea.Horizon | None = None
    priority: FocusArea.Priority | None = None
    status: FocusArea.Status | None = None
    owner_id: int | None = None
    context_issue_ids: list[int] | None = Field(None, max_length=200)
    interested_party_ids: list[int] | None = Field(None, max_length=200)


class FocusAcceptIn(Schema):
    owner_id: int | None = Field(None, description="Who owns it; by default, you.")
    horizon: FocusArea.Horizon
    priority: FocusArea.Priority
    reason: str = Reason


class FocusMergeIn(Schema):
    into_id: int
    reason: str = Reason


class FocusDeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


# The actions name fields as the models do; the API as its schemas do.
_API_NAMES = {"owner": "owner_id", "context_issues": "context_issue_ids",
              "interested_parties": "interested_party_ids", "into": "into_id"}


def _to_action(data: dict) -> dict:
    return {next((k for k, v in _API_NAMES.items() if v == name), name): value
            for name, value in data.items()}


def _api_errors(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({_API_NAMES.get(name, name): messages
                            for name, messages in exc.message_dict.items()})


def _one(request, pk: int) -> FocusArea:
    return selectors.get_focus_area_for_user(request.user, pk)


@router.get("/focus-areas", response={200: Page[FocusAreaOut], **ERRORS},
            summary="Focus areas: active ones by default; proposals for those who triage")
@policy.api_rule("strategy.read")
def list_focus_areas(request, kind: FocusArea.Kind | None = None,
                     horizon: FocusArea.Horizon | None = None,
                     status: FocusArea.Status = FocusArea.Status.ACTIVE,
                     limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.visible_focus_areas(request.user).filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if horizon:
        qs = qs.filter(horizon=horizon)
    qs = selectors.focus_area_rows(qs).order_by("priority", "horizon", "title", "id")
    return page_of(qs, limit=limit, offset=offset)


@router.post("/focus-areas", response={201: FocusAreaOut, **ERRORS},
             summary="Add an active focus area to the register")
@policy.api_rule("strategy.manage")
def create_focus_area(request, payload: FocusAreaIn):
    try:
        area = actions.create_focus_area(request.user, **_to_action(payload.dict()))
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return 201, _one(request, area.pk)


@router.post("/focus-areas/proposals", response={201: FocusAreaOut, **ERRORS},
             summary="Propose an opportunity or threat (managers triage it)")
@policy.api_rule("strategy.propose")
def propose_focus_area(request, payload: FocusProposalIn):
    try:
        area = actions.propose_focus_area(request.user, **_to_action(payload.dict()))
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return 201, _one(request, area.pk)


@router.get("/focus-areas/proposals/mine", response={200: Page[FocusAreaOut], **ERRORS},
            summary="Your proposals, newest first, with each decision and its reason")
@policy.api_rule("strategy.propose")
def my_proposals(request, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.my_proposals(request.user).prefetch_related("context_issues",
                                                                "interested_parties")
    return page_of(qs.select_related("proposed_by"), limit=limit, offset=offset)


@router.get("/focus-areas/{focus_area_id}", response={200: FocusAreaOut, **ERRORS})
@policy.api_rule("strategy.read")
def get_focus_area(request, focus_area_id: int):
    return _one(request, focus_area_id)


@router.patch("/focus-areas/{focus_area_id}", response={200: FocusAreaOut, **ERRORS},
              summary="Change a focus area's fields (status: active or retired)")
@policy.api_rule("strategy.manage")
def update_focus_area(request, focus_area_id: int, payload: FocusAreaPatch):
    area = selectors.get_focus_area_for_user(request.user, focus_area_id, manage=True)
    data = payload.dict(exclude_unset=True)
    bad = [name for name, value in data.items() if value is None and name != "owner_id"]
    if bad:
        raise ValidationError({name: "This field may not be null." for name in bad})
    try:
        actions.update_focus_area(request.user, area, **_to_action(data))
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return _one(request, focus_area_id)


@router.post("/focus-areas/{focus_area_id}/accept", response={200: FocusAreaOut, **ERRORS},
             summary="Accept a proposal into the register")
@policy.api_rule("strategy.manage")
def accept_proposal(request, focus_area_id: int, payload: FocusAcceptIn):
    area = selectors.get_focus_area_for_user(request.user, focus_area_id, manage=True)
    try:
        actions.accept_proposal(request.user, area, **_to_action(payload.dict()))
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return _one(request, focus_area_id)


@router.post("/focus-areas/{focus_area_id}/merge", response={200: FocusAreaOut, **ERRORS},
             summary="Merge a proposal into an active focus area")
@policy.api_rule("strategy.manage")
def merge_proposal(request, focus_area_id: int, payload: FocusMergeIn):
    area = selectors.get_focus_area_for_user(request.user, focus_area_id, manage=True)
    try:
        actions.merge_proposal(request.user, area, **_to_action(payload.dict()))
    except ValidationError as exc:
        raise _api_errors(exc) from None
    return _one(request, focus_area_id)


@router.post("/focus-areas/{focus_area_id}/decline", response={200: FocusAreaOut, **ERRORS},
             summary="Decline a proposal, with the reason the proposer will see")
@policy.api_rule("strategy.manage")
def decline_proposal(request, focus_area_id: int, payload: FocusDeclineIn):
    area = selectors.get_focus_area_for_user(request.user, focus_area_id, manage=True)
    actions.decline_proposal(request.user, area, **payload.dict())
    return _one(request, focus_area_id)
