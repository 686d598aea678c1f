# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Controlled documents (intent, scope, strategy, policy), their versions, acknowledgements and
the awareness rates, under /api/v1/strategy/."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.lib.markdown import render_markdown
from seedbed.strategy.actions import documents as actions
from seedbed.strategy.models import ControlledDocument, DocumentVersion
from seedbed.strategy.selectors import documents as selectors

router = Router(tags=["strategy"])


class PersonOut(Schema):
    id: int
    full_name: str


class VersionSummaryOut(Schema):
    id: int
    document_id: int
    number: int
    status: str
    change_summary: str
    effective_on: date | None
    author: PersonOut
    approver: PersonOut | None
    approved_at: datetime | None
    created_at: datetime


class VersionOut(VersionSummaryOut):
    body: str
    body_html: str
    focus_area_ids: list[int]
    resources_needed: str
    progress_measures: str
    next_review_on: date | None
    submitted_at: datetime | None
    return_reason: str

    @staticmethod
    def resolve_body_html(obj) -> str:
        return render_markdown(obj.body)

    @staticmethod
    def resolve_focus_area_ids(obj) -> list[int]:
        return sorted(area.pk for area in obj.focus_areas.all())


def _first(items) -> object | None:
    return items[0] if items else None


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    owner: PersonOut
    requires_acknowledgement: bool
    created_at: datetime
    current_version: VersionSummaryOut | None = Field(
        None, description="The approved version in force; null until one is approved.")
    open_version: VersionSummaryOut | None = Field(
        None, description="The draft or version in review; only for those who see drafts.")

    @staticmethod
    def resolve_current_version(obj):
        return _first(obj.approved)

    @staticmethod
    def resolve_open_version(obj):
        return _first(getattr(obj, "open", None))


class DocumentDetailOut(DocumentOut):
    current_version: VersionOut | None = None
    acknowledged_by_me: bool | None = Field(
        None, description="For documents you are asked to acknowledge: whether you have "
                          "confirmed reading the current version; otherwise null.")


class DocumentIn(Schema):
    kind: ControlledDocument.Kind
    title: str = Field(..., min_length=1, max_length=200)


class DraftIn(Schema):
    body: str | None = Field(None, max_length=100000, description="Markdown.")
    change_summary: str | None = Field(None, max_length=500)
    focus_area_ids: list[int] | None = Field(None, max_length=200,
                                             description="Strategy only: active focus areas.")
    resources_needed: str | None = Field(None, max_length=10000)
    progress_measures: str | None = Field(None, max_length=10000)
    next_review_on: date | None = None


class ApproveIn(Schema):
    effective_on: date | None = Field(None, description="Defaults to today.")


class ReturnIn(Schema):
    reason: str = Field(..., min_length=1, max_length=5000)


class DiffLineOut(Schema):
    kind: str = Field(..., description="same, added or removed")
    text: str


class DiffOut(Schema):
    version: VersionSummaryOut
    against: VersionSummaryOut | None
    added: int
    removed: int
    lines: list[DiffLineOut]


class AcknowledgementOut(Schema):
    id: int
    version_id: int
    user: PersonOut
    acknowledged_at: datetime


class AwarenessRowOut(Schema):
    org_unit_id: int | None
    org_unit: str | None
    depth: int
    asked: int
    acknowledged: int
    rate: float | None


class AwarenessOut(Schema):
    version: VersionSummaryOut
    document_title: str
    document_kind: str
    asked: int
    acknowledged: int
    rate: float | None
    units: list[AwarenessRowOut]


class AwarenessReportOut(Schema):
    counting: str
    versions: list[AwarenessOut]


def _content(data: dict) -> dict:
    """The API's field names to the action's."""
    if "focus_area_ids" in data:
        data["focus_areas"] = data.pop("focus_area_ids") or []
    return data


def _api_field_names(exc: ValidationError) -> ValidationError:
    if hasattr(exc, "error_dict") and "focus_areas" in exc.error_dict:
        errors = dict(exc.message_dict)
        errors["focus_area_ids"] = errors.pop("focus_areas")
        return ValidationError(errors)
    return exc


def _version(pk: int) -> DocumentVersion:
    return (selectors.with_focus_areas(DocumentVersion.objects.filter(pk=pk))
            .select_related("author", "approver").get())


def _document_detail(request, document: ControlledDocument) -> ControlledDocument:
    current = selectors.current_version(document)
    document.approved = [current] if current else []
    if selectors.sees_drafts(request.user):
        document.open = [v for v in [selectors.open_version(document)] if v]
    document.acknowledged_by_me = (
        selectors.has_acknowledged(request.user, current)
        if document.requires_acknowledgement and current
        and policy.can(request.user, "strategy.acknowledge") else None)
    return document


@router.get("/documents", response={200: Page[DocumentOut], **ERRORS},
            summary="Controlled documents you may see, with their current version")
@policy.api_rule("strategy.read")
def list_documents(request, kind: ControlledDocument.Kind | None = None,
                   limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.document_list(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return page_of(qs, limit=limit, offset=offset)


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS},
             summary="Create a controlled document (its content goes into versions)")
@policy.api_rule("strategy.manage")
def create_document(request, payload: DocumentIn):
    document = actions.create_document(request.user, **payload.dict())
    document = selectors.get_document_for_user(request.user, document.pk)
    return 201, _document_detail(request, document)


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS},
            summary="A document with its current approved version")
@policy.api_rule("strategy.read")
def get_document(request, document_id: int):
    document = selectors.get_document_for_user(request.user, document_id)
    return _document_detail(request, document)


@router.get("/documents/{document_id}/versions", response={200: Page[VersionSummaryOut],
                                                           **ERRORS},
            summary="A document's versions you may see, newest first")
@policy.api_rule("strategy.read")
def list_versions(request, document_id: int, limit: int = Query(20, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    document = selectors.get_document_for_user(request.user, document_id)
    return page_of(selectors.history(request.user, document), limit=limit, offset=offset)


@router.post("/documents/{document_id}/versions", response={201: VersionOut, **ERRORS},
             summary="Start a new draft (a copy of the current approved version)")
@policy.api_rule("strategy.manage")
def create_draft(request, document_id: int, payload: DraftIn):
    document = selectors.get_document_for_user(request.user, document_id, manage=True)
    try:
        version = actions.create_draft(request.user, document,
                                       **_content(payload.dict(exclude_unset=True)))
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _version(version.pk)


@router.get("/versions/{version_id}", response={200: VersionOut, **ERRORS})
@policy.api_rule("strategy.read")
def get_version(request, version_id: int):
    return _version(selectors.get_version_for_user(request.user, version_id).pk)


@router.patch("/versions/{version_id}", response={200: VersionOut, **ERRORS},
              summary="Change a draft (approved versions never change)")
@policy.api_rule("strategy.manage")
def update_version(request, version_id: int, payload: DraftIn):
    version = selectors.get_version_for_user(request.user, version_id)
    try:
        actions.update_draft(request.user, version, **_content(payload.dict(exclude_unset=True)))
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _version(version.pk)


@router.post("/versions/{version_id}/submit", response={200: VersionOut, **ERRORS},
             summary="Submit a draft for a leader's review")
@policy.api_rule("strategy.manage")
def submit_version(request, version_id: int):
    version = selectors.get_version_for_user(request.user, version_id)
    actions.submit_version(request.user, version)
    return _version(version.pk)


@router.post("/versions/{version_id}/approve", response={200: VersionOut, **ERRORS},
             summary="Approve a version in review (top management); supersedes the previous")
@policy.api_rule("strategy.approve")
def approve_version(request, version_id: int, payload: ApproveIn | None = None):
    version = selectors.get_version_for_user(request.user, version_id)
    effective_on = payload.effective_on if payload else None
    actions.approve_version(request.user, version, effective_on=effective_on)
    return _version(version.pk)


@router.post("/versions/{version_id}/return", response={200: VersionOut, **ERRORS},
             summary="Send a version in review back to its author, with a reason")
@policy.api_rule("strategy.approve")
def return_version(request, version_id: int, payload: ReturnIn):
    version = selectors.get_version_for_user(request.user, version_id)
    actions.return_version(request.user, version, reason=payload.reason)
    return _version(version.pk)


@router.get("/versions/{version_id}/diff", response={200: DiffOut, **ERRORS},
            summary="Line diff of the Markdown source against another version")
@policy.api_rule("strategy.read")
def diff_version(request, version_id: int, against: int | None = Query(
        None, description="Another version of the same document; defaults to the closest "
                          "earlier version you may see.")):
    version = selectors.get_version_for_user(request.user, version_id)
    base = selectors.diff_base(request.user, version, against)
    lines = selectors.diff_lines(base.body if base else "", version.body)
    return {"version": version, "against": base, "lines": lines,
            "added": sum(line.kind == "added" for line in lines),
            "removed": sum(line.kind == "removed" for line in lines)}


@router.post("/versions/{version_id}/acknowledge", response={201: AcknowledgementOut, **ERRORS},
             summary="Confirm you have read the current approved version (once per version)")
@policy.api_rule("strategy.acknowledge")
def acknowledge_version(request, version_id: int):
    version = selectors.get_version_for_user(request.user, version_id)
    ack = actions.acknowledge_version(request.user, version)
    ack.user = request.user
    return 201, ack


@router.get("/awareness", response={200: AwarenessReportOut, **ERRORS},
            summary="Acknowledgement rate per current policy/strategy version and org unit")
@policy.api_rule("strategy.records")
def get_awareness(request):
    report = []
    for entry in selectors.awareness(request.user):
        report.append({
            "version": entry.version,
            "document_title": entry.version.document.title,
            "document_kind": entry.version.document.kind,
            "asked": entry.total.asked, "acknowledged": entry.total.acknowledged,
            "rate": entry.total.rate,
            "units": [{"org_unit_id": row.unit.pk if row.unit else None,
                       "org_unit": row.unit.name if row.unit else None,
                       "depth": row.unit.depth if row.unit else 0,
                       "asked": row.asked, "acknowledged": row.acknowledged, "rate": row.rate}
                      for row in entry.rows],
        })
    return {"counting": "A unit counts the active employees placed in it or in any unit below "
                        "it; people in no unit appear in a row with a null org_unit_id.",
            "versions": report}
