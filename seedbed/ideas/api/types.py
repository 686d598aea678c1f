# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Idea types and custom submission fields."""

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import selectors
from seedbed.ideas.actions import types as type_actions
from seedbed.ideas.models import CustomField, IdeaType
from seedbed.lib.validation import is_valid_id

router = Router(tags=["idea types"])

# Inline values, not the model's enum: its class name ("Kind") is taken in the schema document.
FieldKind = Literal[tuple(CustomField.Kind.values)]


class IdeaTypeOut(Schema):
    id: int
    code: str
    name: str
    description: str
    active: bool
    position: int


class IdeaTypeIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    code: str = Field("", max_length=40, description="Made from the name when empty.")
    description: str = Field("", max_length=300)


class IdeaTypePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    code: str | None = Field(None, min_length=1, max_length=40)
    description: str | None = Field(None, max_length=300)
    active: bool | None = None
    position: int | None = Field(None, ge=0, le=1000)


class CustomFieldOut(Schema):
    id: int
    challenge_id: int | None
    idea_type_id: int | None
    key: str
    label: str
    help_text: str
    kind: FieldKind
    choices: list[str]
    required: bool
    position: int
    active: bool


class CustomFieldIn(Schema):
    label: str = Field(..., min_length=1, max_length=200)
    kind: FieldKind
    key: str = Field("", max_length=40, description="Made from the label when empty.")
    help_text: str = Field("", max_length=300)
    choices: list[str] = Field(default_factory=list, max_length=50)
    required: bool = False


class CustomFieldPatch(Schema):
    label: str | None = Field(None, min_length=1, max_length=200)
    kind: FieldKind | None = None
    key: str | None = Field(None, min_length=1, max_length=40)
    help_text: str | None = Field(None, max_length=300)
    choices: list[str] | None = Field(None, max_length=50)
    required: bool | None = None
    active: bool | None = None


class FieldOrderIn(Schema):
    field_ids: list[int] = Field(..., max_length=100)


def _type_or_404(type_id: int) -> IdeaType:
    idea_type = IdeaType.objects.filter(pk=type_id).first() if is_valid_id(type_id) else None
    if idea_type is None:
        raise Http404("No such idea type")
    return idea_type


def _visible_type(request, type_id: int) -> IdeaType:
    idea_type = _type_or_404(type_id)
    if not idea_type.active and not policy.can(request.user, "challenge.manage"):
        raise Http404("No such idea type")
    return idea_type


@router.get("/idea-types", response={200: Page[IdeaTypeOut], **ERRORS},
            summary="Idea types (inactive ones only for managers)")
@policy.api_rule("challenge.browse")
def list_idea_types(request, include_inactive: bool = False,
                    limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = IdeaType.objects.all()
    if not (include_inactive and policy.can(request.user, "challenge.manage")):
        qs = qs.filter(active=True)
    return page_of(qs.order_by("position", "name", "id"), limit=limit, offset=offset)


@router.post("/idea-types", response={201: IdeaTypeOut, **ERRORS},
             summary="Add an idea type")
@policy.api_rule("challenge.manage")
def create_idea_type(request, payload: IdeaTypeIn):
    return 201, type_actions.create_idea_type(request.user, **payload.dict())


@router.get("/idea-types/{type_id}", response={200: IdeaTypeOut, **ERRORS})
@policy.api_rule("challenge.browse")
def get_idea_type(request, type_id: int):
    return _visible_type(request, type_id)


@router.patch("/idea-types/{type_id}", response={200: IdeaTypeOut, **ERRORS},
              summary="Rename, describe, move, deactivate or reactivate an idea type")
@policy.api_rule("challenge.manage")
def update_idea_type(request, type_id: int, payload: IdeaTypePatch):
    return type_actions.update_idea_type(request.user, _type_or_404(type_id),
                                         **payload.dict(exclude_unset=True))


@router.get("/idea-types/{type_id}/fields", response={200: list[CustomFieldOut], **ERRORS},
            summary="Custom fields every idea of this type answers")
@policy.api_rule("challenge.browse")
def list_type_fields(request, type_id: int):
    idea_type = _visible_type(request, type_id)
    qs = idea_type.custom_fields.all()
    if not policy.can(request.user, "challenge.manage"):
        qs = qs.filter(active=True)
    return list(qs)


@router.post("/idea-types/{type_id}/fields", response={201: CustomFieldOut, **ERRORS},
             summary="Add a custom field to an idea type")
@policy.api_rule("challenge.manage")
def add_type_field(request, type_id: int, payload: CustomFieldIn):
    return 201, type_actions.add_custom_field(request.user, idea_type=_type_or_404(type_id),
                                              **payload.dict())


@router.put("/idea-types/{type_id}/fields/order", response={200: list[CustomFieldOut], **ERRORS},
            summary="Order an idea type's custom fields (every field, once)")
@policy.api_rule("challenge.manage")
def order_type_fields(request, type_id: int, payload: FieldOrderIn):
    return type_actions.reorder_custom_fields(request.user, idea_type=_type_or_404(type_id),
                                              field_ids=payload.field_ids)


@router.get("/challenges/{challenge_id}/fields", response={200: list[CustomFieldOut], **ERRORS},
            summary="Custom fields of a challenge (its own; see also its idea types')")
@policy.api_rule("challenge.browse")
def list_challenge_fields(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    qs = challenge.custom_fields.all()
    if not policy.can(request.user, "challenge.manage"):
        qs = qs.filter(active=True)
    return list(qs)


@router.post("/challenges/{challenge_id}/fields", response={201: CustomFieldOut, **ERRORS},
             summary="Add a custom field to a challenge")
@policy.api_rule("challenge.manage")
def add_challenge_field(request, challenge_id: int, payload: CustomFieldIn):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    return 201, type_actions.add_custom_field(request.user, challenge=challenge,
                                              **payload.dict())


@router.put("/challenges/{challenge_id}/fields/order",
            response={200: list[CustomFieldOut], **ERRORS},
            summary="Order a challenge's custom fields (every field, once)")
@policy.api_rule("challenge.manage")
def order_challenge_fields(request, challenge_id: int, payload: FieldOrderIn):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    return type_actions.reorder_custom_fields(request.user, challenge=challenge,
                                              field_ids=payload.field_ids)


@router.patch("/custom-fields/{field_id}", response={200: CustomFieldOut, **ERRORS},
              summary="Edit, deactivate or reactivate a custom field")
@policy.api_rule("challenge.manage")
def update_custom_field(request, field_id: int, payload: CustomFieldPatch):
    field = CustomField.objects.filter(pk=field_id).first() if is_valid_id(field_id) else None
    if field is None:
        raise Http404("No such field")
    if field.challenge_id:
        selectors.get_challenge_for_user(request.user, field.challenge_id, manage=True)
    return type_actions.update_custom_field(request.user, field,
                                            **payload.dict(exclude_unset=True))
