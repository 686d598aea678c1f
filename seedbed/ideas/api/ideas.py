# No "from __future__ import annotations": ninja reads these annotations at import time.

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, attachments, selectors
from seedbed.ideas.api.schemas import (
    CoAuthorOut,
    IdeaAttachmentOut,
    IdeaDetailOut,
    IdeaIn,
    PersonOut,
)
from seedbed.ideas.models import Idea, IdeaType
from seedbed.ideas.selectors import ideas as reads
from seedbed.lib import filetypes
from seedbed.lib.validation import is_valid_id
from seedbed.strategy.selectors import focus as focus_reads

router = Router(tags=["ideas"])


class IdeaPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=20000)
    tags: list[str] | None = Field(None, max_length=50)
    confidential: bool | None = None
    custom_values: dict[str, Any] | None = Field(
        None, description="Every answer (answers left out are cleared; file answers stay).")


class IdeaVersionOut(Schema):
    number: int
    title: str
    description: str
    custom_values: dict[str, Any]
    edited_by: PersonOut
    edited_at: datetime


class IdeaDiffLineOut(Schema):
    kind: str = Field(..., description="added, removed, same or hunk")
    text: str


class IdeaVersionDiffOut(Schema):
    from_version: int
    to_version: int
    lines: list[IdeaDiffLineOut]


class CoAuthorIn(Schema):
    user_id: int


class CoAuthorInvitationOut(CoAuthorOut):
    idea_id: int
    idea_title: str
    invited_by: PersonOut

    @staticmethod
    def resolve_idea_title(obj) -> str:
        return obj.idea.title


class IdeaStatusIn(Schema):
    status: Idea.Status
    reason: str = Field(..., min_length=1, max_length=2000)


class IdeaEvaluatorsIn(Schema):
    user_ids: list[int] = Field(..., max_length=100)


def _detail(request, pk: int) -> Idea:
    idea = reads.get_idea_with_frame(request.user, pk)
    idea.supported_by_me = idea.pk in selectors.voted_idea_ids(request.user, [idea])
    return idea


def _idea_type(pk: int | None) -> IdeaType | None:
    if pk is None:
        return None
    idea_type = IdeaType.objects.filter(pk=pk).first() if is_valid_id(pk) else None
    if idea_type is None:
        raise ValidationError({"idea_type_id": "No such idea type."})
    return idea_type


def _create(request, payload: IdeaIn, **target) -> Idea:
    data = payload.dict()
    idea = actions.create_idea(
        request.user, title=data["title"], description=data["description"],
        idea_type=_idea_type(data["idea_type_id"]), tags=data["tags"],
        confidential=data["confidential"], custom_values=data["custom_values"],
        draft=data["draft"], **target)
    return _detail(request, idea.pk)


@router.post("/challenges/{challenge_id}/ideas", response={201: IdeaDetailOut, **ERRORS},
             summary="Submit an idea to an open challenge (or save it as a draft)")
@policy.api_rule("idea.contribute")
def submit_idea(request, challenge_id: int, payload: IdeaIn):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    return 201, _create(request, payload, challenge=challenge)


@router.post("/focus-areas/{focus_area_id}/ideas", response={201: IdeaDetailOut, **ERRORS},
             summary="Submit an idea outside any challenge, against an active focus area")
@policy.api_rule("idea.contribute")
def submit_idea_on_focus_area(request, focus_area_id: int, payload: IdeaIn):
    area = focus_reads.get_focus_area_for_user(request.user, focus_area_id)
    return 201, _create(request, payload, focus_area=area)


@router.get("/ideas/{idea_id}", response={200: IdeaDetailOut, **ERRORS})
@policy.api_rule("idea.browse")
def get_idea(request, idea_id: int):
    return _detail(request, idea_id)


@router.patch("/ideas/{idea_id}", response={200: IdeaDetailOut, **ERRORS},
              summary="Edit an idea (a new version); authors, co-authors and managers")
@policy.api_rule("idea.contribute")
def update_idea(request, idea_id: int, payload: IdeaPatch):
    idea = reads.get_idea_to_edit(request.user, idea_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None
               or k == "custom_values"}
    actions.update_idea(request.user, idea, **changes)
    return _detail(request, idea.pk)


@router.post("/ideas/{idea_id}/submit", response={200: IdeaDetailOut, **ERRORS},
             summary="Submit a draft")
@policy.api_rule("idea.contribute")
def submit_draft(request, idea_id: int):
    idea = reads.get_idea_to_edit(request.user, idea_id)
    actions.submit_draft(request.user, idea)
    return _detail(request, idea.pk)


@router.get("/ideas/{idea_id}/versions", response={200: Page[IdeaVersionOut], **ERRORS},
            summary="The idea's edit history, newest first")
@policy.api_rule("idea.browse")
def list_versions(request, idea_id: int, limit: int = Query(20, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    return page_of(reads.versions_of(idea), limit=limit, offset=offset, count=idea.version)


@router.get("/ideas/{idea_id}/versions/diff", response={200: IdeaVersionDiffOut, **ERRORS},
            summary="A line diff between two versions")
@policy.api_rule("idea.browse")
def diff_versions(request, idea_id: int,
                  from_version: int | None = Query(None, ge=1, le=10**6,
                                                   description="Default: the one before"),
                  to_version: int | None = Query(None, ge=1, le=10**6,
                                                 description="Default: the latest")):
    from seedbed.ideas.views.ideas import version_diff

    idea = selectors.get_idea_for_user(request.user, idea_id)
    to_version = to_version or idea.version
    from_version = from_version or max(to_version - 1, 1)
    found = {v.number: v for v in idea.versions.filter(number__in=[from_version, to_version])
             .select_related("edited_by")}
    if from_version not in found or to_version not in found:
        raise Http404("No such version")
    return {"from_version": from_version, "to_version": to_version,
            "lines": version_diff(found[from_version], found[to_version])}


@router.post("/ideas/{idea_id}/coauthors", response={201: CoAuthorOut, **ERRORS},
             summary="Invite a co-author (the idea's authors)")
@policy.api_rule("idea.contribute")
def invite_coauthor(request, idea_id: int, payload: CoAuthorIn):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    invitee = (get_user_model().objects.filter(pk=payload.user_id, is_active=True).first()
               if is_valid_id(payload.user_id) else None)
    if invitee is None:
        raise ValidationError({"user_id": "No such person."})
    invitation = actions.invite_coauthor(request.user, idea, invitee)
    return 201, invitation


@router.get("/coauthor-invitations", response={200: Page[CoAuthorInvitationOut], **ERRORS},
            summary="Co-author invitations waiting for my answer")
@policy.api_rule("idea.contribute")
def list_invitations(request, limit: int = Query(20, ge=1, le=100),
                     offset: int = Query(0, ge=0)):
    return page_of(reads.pending_invitations(request.user).select_related("user"),
                   limit=limit, offset=offset)


@router.post("/coauthor-invitations/{invitation_id}/accept",
             response={200: CoAuthorOut, **ERRORS})
@policy.api_rule("idea.contribute")
def accept_invitation(request, invitation_id: int):
    invitation = reads.get_invitation_for_user(request.user, invitation_id)
    return actions.respond_to_invitation(request.user, invitation, accept=True)


@router.post("/coauthor-invitations/{invitation_id}/decline",
             response={200: CoAuthorOut, **ERRORS})
@policy.api_rule("idea.contribute")
def decline_invitation(request, invitation_id: int):
    invitation = reads.get_invitation_for_user(request.user, invitation_id)
    return actions.respond_to_invitation(request.user, invitation, accept=False)


@router.get("/ideas/{idea_id}/attachments", response={200: Page[IdeaAttachmentOut], **ERRORS})
@policy.api_rule("idea.browse")
def list_attachments(request, idea_id: int, limit: int = Query(50, ge=1, le=100),
                     offset: int = Query(0, ge=0)):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    files = idea.attachments.filter(removed_at__isnull=True).select_related("uploaded_by")
    return page_of(files.order_by("uploaded_at", "id"), limit=limit, offset=offset)


_UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {
        "type": "object", "required": ["name", "content_base64"],
        "properties": {"name": {"type": "string", "maxLength": 200},
                       "content_base64": {"type": "string"}},
        "description": "For small files: the request body limit applies."}}}}}


def _uploaded_file(request):
    """The upload: multipart field "file", or a JSON body {"name", "content_base64"}."""
    import base64
    import binascii
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    if request.content_type == "multipart/form-data":
        return request.FILES.get("file")
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) \
            or not isinstance(data.get("content_base64"), str) or "\x00" in data["name"]:
        raise ValidationError({"file": "Send the file as multipart field \"file\", or JSON "
                                       "with \"name\" and \"content_base64\"."})
    try:
        content = base64.b64decode(data["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"file": "content_base64 is not valid base64."}) from None
    return SimpleUploadedFile(data["name"][:200], content)


@router.post("/ideas/{idea_id}/attachments", response={201: IdeaAttachmentOut, **ERRORS},
             summary="Upload a file (multipart field \"file\", or JSON with base64 content)",
             openapi_extra=_UPLOAD_BODY)
@policy.api_rule("idea.contribute")
def upload_attachment(request, idea_id: int):
    idea = reads.get_idea_to_edit(request.user, idea_id)
    return 201, actions.add_attachment(request.user, idea, _uploaded_file(request))


@router.get("/attachments/{attachment_id}", response=ERRORS,
            summary="Download a file (served only to those who may see its idea)",
            openapi_extra={"responses": {"200": {
                "description": "The file, as an attachment, with its detected content type.",
                "content": {kind.content_type: {"schema": {"type": "string",
                                                           "format": "binary"}}
                            for kind in filetypes.ALLOWED}}}})
@policy.api_rule("idea.browse")
def download_attachment(request, attachment_id: int):
    return attachments.download_response(reads.get_attachment_for_user(request.user,
                                                                       attachment_id))


@router.delete("/attachments/{attachment_id}", response={200: IdeaAttachmentOut, **ERRORS},
               summary="Remove a file (kept on record, no longer served)")
@policy.api_rule("idea.contribute")
def remove_attachment(request, attachment_id: int):
    attachment = reads.get_attachment_for_user(request.user, attachment_id)
    reads.get_idea_to_edit(request.user, attachment.idea_id)
    return actions.remove_attachment(request.user, attachment)


@router.post("/ideas/{idea_id}/status", response={200: IdeaDetailOut, **ERRORS},
             summary="Change an idea's status, with a reason (innovation managers)")
@policy.api_rule("idea.manage")
def change_status(request, idea_id: int, payload: IdeaStatusIn):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    actions.change_status(request.user, idea, status=payload.status, reason=payload.reason)
    return _detail(request, idea.pk)


@router.put("/ideas/{idea_id}/evaluators", response={200: IdeaDetailOut, **ERRORS},
            summary="Set the evaluators assigned to an idea (innovation managers)")
@policy.api_rule("idea.manage")
def set_evaluators(request, idea_id: int, payload: IdeaEvaluatorsIn):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    ids = {pk for pk in payload.user_ids if is_valid_id(pk)}
    people = list(get_user_model().objects.filter(pk__in=ids))
    if len(people) != len(set(payload.user_ids)):
        raise ValidationError({"user_ids": "Unknown people in the list."})
    actions.assign_evaluators(request.user, idea, people)
    return _detail(request, idea.pk)
