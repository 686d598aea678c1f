# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: resource requests per initiative, leaders' decisions, spending, the approvals queue and
the requests drawing on a budget envelope."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import resources as actions
from seedbed.pipeline.models import ResourceRequest
from seedbed.pipeline.selectors import resources as reads

router = Router(tags=["pipeline resources"])

# Inline values, not the model's enums: their class names ("Kind", "Status") are taken in the
# schema document.
RequestKind = Literal[tuple(ResourceRequest.Kind.values)]
RequestStatus = Literal[tuple(ResourceRequest.Status.values)]

# The action's field names → the API's (the body names related records by id).
NAMES = {"stage": "stage_id", "partner_org": "partner_org_id"}


class RefOut(Schema):
    id: int
    name: str


class PersonRefOut(Schema):
    id: int
    full_name: str


class InitiativeRefOut(Schema):
    id: int
    title: str


class EnvelopeRefOut(Schema):
    id: int
    org_unit: RefOut
    period_start: date
    period_end: date
    currency: str
    allocated: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal


class ResourceRequestOut(Schema):
    id: int
    initiative: InitiativeRefOut
    stage: RefOut
    kind: RequestKind
    amount: Decimal = Field(..., description="Budget requests: in the envelope's currency.")
    hours: Decimal = Field(..., description="People-hours requests.")
    partner_org: RefOut | None = Field(..., description="Partner requests.")
    envelope: EnvelopeRefOut | None = Field(
        ..., description="Budget requests: the envelope the amount is committed on.")
    justification: str
    status: RequestStatus
    requested_by: PersonRefOut
    requested_at: datetime
    decided_by: PersonRefOut | None
    decided_at: datetime | None
    decision_note: str
    override_reason: str = Field(
        ..., description="Why a leader approved beyond what the envelope had left.")
    spent: Decimal


class ResourceRequestIn(Schema):
    kind: RequestKind
    justification: str = Field(..., min_length=1, max_length=5000)
    stage_id: int | None = Field(
        None, description="The current stage (default) or a later one of the initiative.")
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2,
                                   description="Budget: in the envelope's currency.")
    currency: str = Field("", max_length=3,
                          description="Budget: optional check that the envelope uses it.")
    hours: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=1)
    partner_org_id: int | None = Field(
        None, description="Partner: an organisation with an agreement in force today.")


class ApproveIn(Schema):
    note: str = Field("", max_length=1000)
    override: bool = Field(False, description="Approve beyond what the envelope has left.")
    override_reason: str = Field("", max_length=1000,
                                 description="Required with override; stored and audited.")


class RejectIn(Schema):
    note: str = Field(..., min_length=1, max_length=1000)


class SpendOut(Schema):
    id: int
    request_id: int
    amount: Decimal
    spent_on: date
    note: str
    recorded_by: PersonRefOut
    recorded_at: datetime


class SpendIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    spent_on: date
    note: str = Field("", max_length=300)


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({NAMES.get(k, k): v for k, v in exc.message_dict.items()})


def _reloaded(user, pk: int) -> ResourceRequest:
    return reads.get_request_for_user(user, pk)


@router.get("/initiatives/{initiative_id}/resource-requests",
            response={200: Page[ResourceRequestOut], **ERRORS},
            summary="An initiative's resource requests, newest first")
@policy.api_rule("pipeline.browse")
def list_requests(request, initiative_id: int,
                  stage_id: int | None = Query(None, description="Only this stage's"),
                  status: RequestStatus | None = None,
                  limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    qs = reads.initiative_requests(initiative)
    if stage_id is not None:
        qs = qs.filter(stage_id=stage_id)
    if status is not None:
        qs = qs.filter(status=status)
    return page_of(qs, limit=limit, offset=offset)


@router.post("/initiatives/{initiative_id}/resource-requests",
             response={201: ResourceRequestOut, **ERRORS},
             summary="Request budget, people-hours or a partner for a stage")
@policy.api_rule("pipeline.work")
def create_request(request, initiative_id: int, payload: ResourceRequestIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    data = payload.dict()
    try:
        made = actions.request_resources(
            request.user, initiative, kind=data["kind"], justification=data["justification"],
            stage=data["stage_id"], amount=data["amount"], currency=data["currency"],
            hours=data["hours"], partner_org=data["partner_org_id"])
    except ValidationError as exc:
        raise _renamed(exc) from None
    return 201, _reloaded(request.user, made.pk)


@router.get("/resource-requests/{request_id}", response={200: ResourceRequestOut, **ERRORS})
@policy.api_rule("pipeline.browse")
def get_request(request, request_id: int):
    return reads.get_request_for_user(request.user, request_id)


@router.post("/resource-requests/{request_id}/approve",
             response={200: ResourceRequestOut, **ERRORS},
             summary="Approve (leaders; not one's own request). Budget beyond what the "
                     "envelope has left needs override and a reason, else 409 over_budget.")
@policy.api_rule("pipeline.approve")
def approve_request(request, request_id: int, payload: ApproveIn):
    found = reads.get_request_for_user(request.user, request_id)
    actions.approve_request(request.user, found, **payload.dict())
    return _reloaded(request.user, found.pk)


@router.post("/resource-requests/{request_id}/reject",
             response={200: ResourceRequestOut, **ERRORS},
             summary="Reject with a note (leaders; not one's own request)")
@policy.api_rule("pipeline.approve")
def reject_request(request, request_id: int, payload: RejectIn):
    found = reads.get_request_for_user(request.user, request_id)
    actions.reject_request(request.user, found, note=payload.note)
    return _reloaded(request.user, found.pk)


@router.post("/resource-requests/{request_id}/withdraw",
             response={200: ResourceRequestOut, **ERRORS},
             summary="Take back a request nobody has decided yet")
@policy.api_rule("pipeline.work")
def withdraw_request(request, request_id: int):
    found = reads.get_request_for_user(request.user, request_id)
    actions.withdraw_request(request.user, found)
    return _reloaded(request.user, found.pk)


@router.get("/resource-requests/{request_id}/spends", response={200: Page[SpendOut], **ERRORS},
            summary="Spending recorded against a budget request, latest first")
@policy.api_rule("pipeline.browse")
def list_spends(request, request_id: int, limit: int = Query(50, ge=1, le=100),
                offset: int = Query(0, ge=0)):
    found = reads.get_request_for_user(request.user, request_id)
    return page_of(reads.request_spends(found), limit=limit, offset=offset)


@router.post("/resource-requests/{request_id}/spends", response={201: SpendOut, **ERRORS},
             summary="Record spending against an approved budget request (beyond the "
                     "approved amount: leaders only, with a note)")
@policy.api_rule("pipeline.work")
def record_spend(request, request_id: int, payload: SpendIn):
    found = reads.get_request_for_user(request.user, request_id)
    spend = actions.record_spend(request.user, found, **payload.dict())
    return 201, reads.request_spends(found).get(pk=spend.pk)


@router.get("/resource-approvals", response={200: Page[ResourceRequestOut], **ERRORS},
            summary="Requests waiting for a leader, oldest first")
@policy.api_rule("pipeline.approve")
def list_approvals(request, limit: int = Query(50, ge=1, le=100),
                   offset: int = Query(0, ge=0)):
    return page_of(reads.pending_approvals(request.user), limit=limit, offset=offset)


@router.get("/budget-envelopes/{envelope_id}/resource-requests",
            response={200: Page[ResourceRequestOut], **ERRORS},
            summary="Budget requests drawing on an envelope (on initiatives one may see)")
@policy.api_rule("pipeline.portfolio")
def list_envelope_requests(request, envelope_id: int, limit: int = Query(50, ge=1, le=100),
                           offset: int = Query(0, ge=0)):
    envelope = reads.get_envelope_for_user(request.user, envelope_id)
    return page_of(reads.envelope_requests(request.user, envelope), limit=limit, offset=offset)
