# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: workflow templates, their versions, stages, gate items and scorecard criteria.

Every role reads templates (drafts only those who run the IMS); innovation managers change them,
and only draft versions change (published and superseded ones answer 409)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.pipeline.actions import templates as actions
from seedbed.pipeline.actions._criteria import SCALE_LIMIT
from seedbed.pipeline.models import GateItem, Stage, TemplateVersion
from seedbed.pipeline.selectors import templates as selectors

router = Router(tags=["pipeline templates"])

# Inline values, not the models' enums: their class names ("Status", "Kind") are taken in the
# schema document.
VersionStatus = Literal[tuple(TemplateVersion.Status.values)]
StagePhase = Literal[tuple(Stage.Phase.values)]
ItemKind = Literal[tuple(GateItem.Kind.values)]
EvidenceRule = Literal[("", *GateItem.Rule.values)]
DeciderRole = Literal[actions.DECIDER_ROLES]
Key = Field(..., min_length=1, max_length=40, description="Lower-case letters, digits, hyphens "
            "and underscores, starting with a letter.")
Weight = Field(..., gt=0, le=999.99, max_digits=5, decimal_places=2)


class TemplatePersonRef(Schema):
    id: int
    full_name: str


class TemplateIdeaTypeRef(Schema):
    id: int
    code: str
    name: str


class TemplateVersionSummary(Schema):
    id: int
    number: int
    status: VersionStatus
    note: str
    created_by: TemplatePersonRef | None
    created_at: datetime
    published_at: datetime | None
    running: int = Field(..., description="Initiatives on this version, active or on hold.")
    initiative_count: int = Field(..., description="Initiatives ever started on it.")


class WorkflowTemplateOut(Schema):
    id: int
    code: str
    name: str
    description: str
    idea_type: TemplateIdeaTypeRef | None
    active: bool
    position: int
    current_version: int | None = Field(..., description="Number of the published version.")
    versions: list[TemplateVersionSummary] = Field(..., description="Newest first.")

    @staticmethod
    def resolve_current_version(obj) -> int | None:
        return obj.current.number if obj.current_id else None

    @staticmethod
    def resolve_versions(obj) -> list:
        return obj.history


class TemplateGateItemOut(Schema):
    id: int
    stage_id: int
    position: int
    kind: ItemKind
    label: str
    rule: EvidenceRule = Field(..., description="For evidence items: what the system checks.")


class TemplateStageOut(Schema):
    id: int
    version_id: int
    position: int
    key: str
    name: str
    description: str
    phase: StagePhase
    gate_name: str
    gate_criteria: str
    decider_roles: list[DeciderRole]
    risk_appetite: int
    items: list[TemplateGateItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.gate_items.all())


class TemplateCriterionOut(Schema):
    id: int
    key: str
    name: str
    description: str
    weight: Decimal
    min_score: int
    max_score: int
    higher_is_better: bool
    position: int


class TemplateScorecardOut(Schema):
    id: int
    name: str
    blind: bool
    criteria: list[TemplateCriterionOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())


class TemplateVersionOut(TemplateVersionSummary):
    template_id: int
    stages: list[TemplateStageOut]
    scorecard: TemplateScorecardOut | None

    @staticmethod
    def resolve_stages(obj) -> list:
        return list(obj.stages.all())

    @staticmethod
    def resolve_scorecard(obj):
        return getattr(obj, "scorecard", None)


class WorkflowTemplateDetail(WorkflowTemplateOut):
    current: TemplateVersionOut | None = Field(..., description="The published version.")
    draft: TemplateVersionOut | None = Field(
        ..., description="The draft being prepared (only for those who run the IMS).")

    @staticmethod
    def resolve_current(obj):
        return obj.current_contents

    @staticmethod
    def resolve_draft(obj):
        return obj.draft_contents


class TemplateIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    code: str = Field("", max_length=40, description="Made from the name when empty; fixed.")
    description: str = Field("", max_length=5000)
    idea_type_id: int | None = Field(None, description="One template per idea type.")


class TemplatePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    idea_type_id: int | None = Field(None, description="null unlinks the idea type.")
    active: bool | None = None


class VersionStartIn(Schema):
    note: str = Field("", max_length=300, description="What the new version will change.")


class VersionPatch(Schema):
    note: str | None = Field(None, max_length=300)
    scorecard_name: str | None = Field(None, min_length=1, max_length=120)
    blind: bool | None = None


class PublishIn(Schema):
    note: str | None = Field(None, max_length=300, description="Replaces the draft's note.")


class StageIn(Schema):
    key: str = Key
    name: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=5000)
    phase: StagePhase
    gate_name: str = Field("", max_length=120, description="“<name> gate” when empty.")
    gate_criteria: str = Field("", max_length=5000)
    decider_roles: list[DeciderRole] = Field(default_factory=list, max_length=2)
    risk_appetite: int = Field(50, ge=0, le=100)


class StagePatch(Schema):
    key: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = Field(None, max_length=5000)
    phase: StagePhase | None = None
    gate_name: str | None = Field(None, max_length=120)
    gate_criteria: str | None = Field(None, max_length=5000)
    decider_roles: list[DeciderRole] | None = Field(None, max_length=2)
    risk_appetite: int | None = Field(None, ge=0, le=100)


class StageOrderIn(Schema):
    stage_ids: list[int] = Field(..., max_length=actions.MAX_STAGES)


class GateItemIn(Schema):
    kind: ItemKind
    label: str = Field(..., min_length=1, max_length=200)
    rule: EvidenceRule = ""


class GateItemPatch(Schema):
    kind: ItemKind | None = None
    label: str | None = Field(None, min_length=1, max_length=200)
    rule: EvidenceRule | None = None


class CriterionIn(Schema):
    key: str = Key
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=500)
    weight: Decimal = Weight
    min_score: int = Field(1, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    max_score: int = Field(5, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    higher_is_better: bool = True


class CriterionPatch(Schema):
    key: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=500)
    weight: Decimal | None = Field(None, gt=0, le=999.99, max_digits=5, decimal_places=2)
    min_score: int | None = Field(None, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    max_score: int | None = Field(None, ge=-SCALE_LIMIT, le=SCALE_LIMIT)
    higher_is_better: bool | None = None


def _detail(request, template_id: int):
    """The template with its current version and draft in full (``WorkflowTemplateDetail``)."""
    template = selectors.get_template(request.user, template_id)
    draft = selectors.draft_of(template)
    template.current_contents = (selectors.get_version_for_user(request.user, template.current_id)
                                 if template.current_id else None)
    template.draft_contents = (selectors.get_version_for_user(request.user, draft.pk)
                               if draft else None)
    return template


def _with_api_names(exc: ValidationError) -> ValidationError:
    """The action names the idea type ``idea_type``; the API calls it ``idea_type_id``."""
    return ValidationError({("idea_type_id" if k == "idea_type" else k): v
                            for k, v in exc.message_dict.items()})


def _version(request, version_id: int) -> TemplateVersion:
    return selectors.get_version_for_user(request.user, version_id)


@router.get("/templates", response={200: Page[WorkflowTemplateOut], **ERRORS},
            summary="Workflow templates with their versions (drafts only for managers)")
@policy.api_rule("pipeline.browse")
def list_templates(request, limit: int = Query(50, ge=1, le=100), offset: int = Query(0, ge=0)):
    return page_of(selectors.template_rows(request.user), limit=limit, offset=offset)


@router.post("/templates", response={201: WorkflowTemplateDetail, **ERRORS},
             summary="Create a template (it starts with an empty draft version 1)")
@policy.api_rule("pipeline.manage")
def create_template(request, payload: TemplateIn):
    data = payload.dict()
    try:
        template = actions.create_template(request.user, idea_type=data.pop("idea_type_id"),
                                           **data)
    except ValidationError as exc:
        raise _with_api_names(exc) from None
    return 201, _detail(request, template.pk)


@router.get("/templates/{template_id}", response={200: WorkflowTemplateDetail, **ERRORS},
            summary="A template with its history, current version and draft")
@policy.api_rule("pipeline.browse")
def get_template(request, template_id: int):
    return _detail(request, template_id)


@router.patch("/templates/{template_id}", response={200: WorkflowTemplateDetail, **ERRORS},
              summary="Rename, describe, link to an idea type, (de)activate")
@policy.api_rule("pipeline.manage")
def update_template(request, template_id: int, payload: TemplatePatch):
    changes = payload.dict(exclude_unset=True)
    if "idea_type_id" in changes:
        changes["idea_type"] = changes.pop("idea_type_id")
    template = selectors.get_template(request.user, template_id)
    try:
        actions.update_template(request.user, template, **changes)
    except ValidationError as exc:
        raise _with_api_names(exc) from None
    return _detail(request, template_id)


@router.post("/templates/{template_id}/versions", response={201: TemplateVersionOut, **ERRORS},
             summary="Start a draft version, copied from the current one")
@policy.api_rule("pipeline.manage")
def start_version(request, template_id: int, payload: VersionStartIn):
    template = selectors.get_template(request.user, template_id)
    version = actions.start_version(request.user, template, note=payload.note)
    return 201, _version(request, version.pk)


@router.get("/template-versions/{template_version_id}",
            response={200: TemplateVersionOut, **ERRORS},
            summary="A version with its stages, gate items and scorecard")
@policy.api_rule("pipeline.browse")
def get_version(request, template_version_id: int):
    return _version(request, template_version_id)


@router.patch("/template-versions/{template_version_id}",
              response={200: TemplateVersionOut, **ERRORS},
              summary="Edit a draft's note and scorecard settings")
@policy.api_rule("pipeline.manage")
def update_version(request, template_version_id: int, payload: VersionPatch):
    version = _version(request, template_version_id)
    actions.update_draft(request.user, version, **payload.dict(exclude_unset=True))
    return _version(request, template_version_id)


@router.delete("/template-versions/{template_version_id}",
               response={200: WorkflowTemplateDetail, **ERRORS},
               summary="Discard a draft (answers with its template)")
@policy.api_rule("pipeline.manage")
def discard_version(request, template_version_id: int):
    template = actions.discard_draft(request.user, _version(request, template_version_id))
    return _detail(request, template.pk)


@router.post("/template-versions/{template_version_id}/publish",
             response={200: TemplateVersionOut, **ERRORS},
             summary="Publish a draft: it becomes current, the previous version is superseded")
@policy.api_rule("pipeline.manage")
def publish_version(request, template_version_id: int, payload: PublishIn):
    actions.publish_version(request.user, _version(request, template_version_id),
                            note=payload.note)
    return _version(request, template_version_id)


@router.post("/template-versions/{template_version_id}/stages",
             response={201: TemplateStageOut, **ERRORS}, summary="Add a stage to a draft")
@policy.api_rule("pipeline.manage")
def add_stage(request, template_version_id: int, payload: StageIn):
    version = _version(request, template_version_id)
    return 201, actions.add_stage(request.user, version, **payload.dict())


@router.put("/template-versions/{template_version_id}/stages/order",
            response={200: TemplateVersionOut, **ERRORS},
            summary="Order a draft's stages (every stage, once)")
@policy.api_rule("pipeline.manage")
def order_stages(request, template_version_id: int, payload: StageOrderIn):
    actions.reorder_stages(request.user, _version(request, template_version_id),
                           payload.stage_ids)
    return _version(request, template_version_id)


@router.patch("/template-stages/{template_stage_id}", response={200: TemplateStageOut, **ERRORS},
              summary="Edit a draft's stage")
@policy.api_rule("pipeline.manage")
def update_stage(request, template_stage_id: int, payload: StagePatch):
    return actions.update_stage(request.user, selectors.get_stage(template_stage_id),
                                **payload.dict(exclude_unset=True))


@router.delete("/template-stages/{template_stage_id}",
               response={200: TemplateVersionOut, **ERRORS},
               summary="Remove a draft's stage (answers with its version)")
@policy.api_rule("pipeline.manage")
def remove_stage(request, template_stage_id: int):
    version = actions.remove_stage(request.user, selectors.get_stage(template_stage_id))
    return _version(request, version.pk)


@router.post("/template-stages/{template_stage_id}/items",
             response={201: TemplateGateItemOut, **ERRORS},
             summary="Add a required item to a draft stage's gate")
@policy.api_rule("pipeline.manage")
def add_gate_item(request, template_stage_id: int, payload: GateItemIn):
    return 201, actions.add_gate_item(request.user, selectors.get_stage(template_stage_id),
                                      **payload.dict())


@router.patch("/template-items/{template_item_id}",
              response={200: TemplateGateItemOut, **ERRORS}, summary="Edit a gate item")
@policy.api_rule("pipeline.manage")
def update_gate_item(request, template_item_id: int, payload: GateItemPatch):
    return actions.update_gate_item(request.user, selectors.get_gate_item(template_item_id),
                                    **payload.dict(exclude_unset=True))


@router.delete("/template-items/{template_item_id}", response={200: TemplateStageOut, **ERRORS},
               summary="Remove a gate item (answers with its stage)")
@policy.api_rule("pipeline.manage")
def remove_gate_item(request, template_item_id: int):
    return actions.remove_gate_item(request.user, selectors.get_gate_item(template_item_id))


@router.post("/template-versions/{template_version_id}/criteria",
             response={201: TemplateCriterionOut, **ERRORS},
             summary="Add a criterion to a draft's scorecard")
@policy.api_rule("pipeline.manage")
def add_criterion(request, template_version_id: int, payload: CriterionIn):
    version = _version(request, template_version_id)
    return 201, actions.add_criterion(request.user, version, **payload.dict())


@router.patch("/template-criteria/{template_criterion_id}",
              response={200: TemplateCriterionOut, **ERRORS},
              summary="Edit a criterion of a draft's scorecard")
@policy.api_rule("pipeline.manage")
def update_criterion(request, template_criterion_id: int, payload: CriterionPatch):
    return actions.update_criterion(request.user, selectors.get_criterion(template_criterion_id),
                                    **payload.dict(exclude_unset=True))


@router.delete("/template-criteria/{template_criterion_id}",
               response={200: TemplateVersionOut, **ERRORS},
               summary="Remove a criterion (answers with its version)")
@policy.api_rule("pipeline.manage")
def remove_criterion(request, template_criterion_id: int):
    version = actions.remove_criterion(request.user,
                                       selectors.get_criterion(template_criterion_id))
    return _version(request, version.pk)
