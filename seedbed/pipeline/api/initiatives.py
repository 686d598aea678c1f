# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: initiatives — list (with the page's filters and search), promote, detail, edit, team."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.lib.markdown import render_markdown
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import initiatives as actions
from seedbed.pipeline.models import Initiative, Stage, TeamMember, WorkflowTemplate
from seedbed.pipeline.selectors import initiatives as reads

router = Router(tags=["pipeline initiatives"])

# Inline values, not the models' enums: their class names ("Status", "Role") are taken.
InitiativeStatus = Literal[tuple(Initiative.Status.values)]
Horizon = Literal[tuple(Initiative.Horizon.values)]
# The same with "" for "any" (a filter) or "the default" (promote).
AnyStatus = Literal[("", *Initiative.Status.values)]
AnyHorizon = Literal[("", *Initiative.Horizon.values)]
AnyPhase = Literal[("", *Stage.Phase.values)]
TeamRole = Literal[tuple(TeamMember.Role.values)]
Id = Field(..., ge=1, le=2**63 - 1)
Ids = Field(default_factory=list, max_length=200)
Amount = Field(None, ge=0, max_digits=14, decimal_places=2)


class InitiativeTemplateRef(Schema):
    id: int
    code: str
    name: str
    version: int


class InitiativeStageRef(Schema):
    id: int
    key: str
    name: str
    phase: str
    position: int
    risk_appetite: int


class InitiativeNamedRef(Schema):
    id: int
    name: str


class InitiativeTitledRef(Schema):
    id: int
    title: str


class InitiativeOut(Schema):
    id: int
    title: str
    status: InitiativeStatus
    template: InitiativeTemplateRef
    stage: InitiativeStageRef
    gate_round: int
    idea_type: str | None
    lead: PersonOut
    org_unit: InitiativeNamedRef | None
    horizon: Horizon
    confidential: bool
    # 0-100, from the untested critical assumptions; compared with the stage's risk appetite.
    uncertainty: int
    above_appetite: bool
    projected_value: Decimal
    actual_value: Decimal
    committed: Decimal
    spent: Decimal
    score: Decimal | None
    created_at: datetime
    updated_at: datetime
    stage_entered_at: datetime
    stopped_at: datetime | None
    deployed_at: datetime | None

    @staticmethod
    def resolve_template(obj) -> dict:
        template = obj.version.template
        return {"id": template.pk, "code": template.code, "name": template.name,
                "version": obj.version.number}

    @staticmethod
    def resolve_idea_type(obj) -> str | None:
        return obj.idea_type.code if obj.idea_type_id else None

    @staticmethod
    def resolve_org_unit(obj) -> dict | None:
        return {"id": obj.org_unit.pk, "name": obj.org_unit.name} if obj.org_unit_id else None

    @staticmethod
    def resolve_above_appetite(obj) -> bool:
        return obj.uncertainty > obj.stage.risk_appetite


class LinkedIdeaOut(Schema):
    id: int
    title: str
    status: str
    author: PersonOut


class TeamMemberOut(Schema):
    id: int
    person: PersonOut
    role: TeamRole
    # The partner organisation of a partner account.
    organisation: str | None
    added_at: datetime

    @staticmethod
    def resolve_person(obj) -> dict:
        return {"id": obj.user.pk, "full_name": obj.user.full_name}

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.user.partner_org.name if obj.user.partner_org_id else None


class LatestDecisionOut(Schema):
    id: int
    outcome: str
    stage: InitiativeTitledRef
    to_stage: InitiativeTitledRef | None
    rationale: str
    decided_by: PersonOut
    co_deciders: list[PersonOut]
    decided_at: datetime
    uncertainty: int
    risk_appetite: int

    @staticmethod
    def resolve_stage(obj) -> dict:
        return {"id": obj.stage.pk, "title": obj.stage.name}

    @staticmethod
    def resolve_to_stage(obj) -> dict | None:
        return {"id": obj.to_stage.pk, "title": obj.to_stage.name} if obj.to_stage_id else None

    @staticmethod
    def resolve_co_deciders(obj) -> list:
        return list(obj.co_deciders.all())


class InitiativeDetailOut(InitiativeOut):
    summary: str
    summary_html: str
    # What was learned, recorded when it stopped (clause 7.1.6).
    learnings: str
    # Only the ideas the caller may see.
    ideas: list[LinkedIdeaOut]
    # Empty for partners: the strategy is internal.
    objectives: list[InitiativeTitledRef]
    focus_areas: list[InitiativeTitledRef]
    team: list[TeamMemberOut]
    latest_decision: LatestDecisionOut | None

    @staticmethod
    def resolve_summary_html(obj) -> str:
        return render_markdown(obj.summary)

    @staticmethod
    def resolve_ideas(obj) -> list:
        return obj.overview.ideas

    @staticmethod
    def resolve_objectives(obj) -> list:
        return obj.overview.objectives

    @staticmethod
    def resolve_focus_areas(obj) -> list:
        return obj.overview.focus_areas

    @staticmethod
    def resolve_team(obj) -> list:
        return obj.overview.team

    @staticmethod
    def resolve_latest_decision(obj):
        return obj.overview.latest_decision


class InitiativeQuery(Schema):
    template: str = Field("", max_length=40, description="A workflow template's code")
    stage: str = Field("", max_length=40, description="A stage key, across templates")
    phase: AnyPhase = ""
    status: AnyStatus = ""
    horizon: AnyHorizon = ""
    idea_type: str = Field("", max_length=40, description="An idea type's code")
    focus_area: int | None = Field(None, ge=1, le=2**63 - 1)
    org_unit: int | None = Field(None, ge=1, le=2**63 - 1, description="This unit and below")
    lead: int | None = Field(None, ge=1, le=2**63 - 1)
    mine: bool = Field(False, description="Only those I lead or am on the team of")
    q: str = Field("", max_length=200,
                   description="Words in the title, summary or learnings (every word must match)")


class PromoteIn(Schema):
    idea_ids: list[int] = Field(..., min_length=1, max_length=actions.MAX_IDEAS)
    title: str = Field("", max_length=200, description="Default: the first idea's title")
    summary: str = Field("", max_length=20000,
                         description="Markdown. Default: the first idea's description")
    template_id: int | None = Field(None, description="Default: the template of the idea type")
    lead_id: int | None = Field(None, description="Default: you")
    org_unit_id: int | None = Field(None, description="Default: the lead's unit")
    horizon: AnyHorizon = Field("", description="Default: the focus area's")
    confidential: bool | None = Field(None, description="Default: confidential if any idea is")
    objective_ids: list[int] = Ids
    focus_area_ids: list[int] = Field(default_factory=list, max_length=200,
                                      description="Default: those of the ideas and challenges")
    projected_value: Decimal | None = Amount


class InitiativePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=20000)
    lead_id: int | None = None
    org_unit_id: int | None = None
    horizon: Horizon | None = None
    confidential: bool | None = None
    objective_ids: list[int] | None = Field(None, max_length=200)
    focus_area_ids: list[int] | None = Field(None, max_length=200)
    projected_value: Decimal | None = Amount


class TeamMemberIn(Schema):
    email: str = Field(..., min_length=3, max_length=254)
    role: TeamRole = TeamMember.Role.MEMBER


# API field names ↔ the actions' keyword arguments.
NAMES = {"lead": "lead_id", "org_unit": "org_unit_id", "objectives": "objective_ids",
         "focus_areas": "focus_area_ids", "template": "template_id", "ideas": "idea_ids"}


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({NAMES.get(k, k): v for k, v in exc.message_dict.items()})


def _one(model, pk, field: str, label: str, errors: dict):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first() if is_valid_id(pk) else None
    if found is None:
        errors[field] = f"No {label} has id {pk}."
    return found


def _many(model, ids: list[int], field: str, label: str, errors: dict) -> list:
    wanted = list(dict.fromkeys(ids))
    found = {obj.pk: obj for obj in model.objects.filter(
        pk__in=[pk for pk in wanted if is_valid_id(pk)])}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        errors[field] = f"No {label} has id {missing[0]}."
    return [found[pk] for pk in wanted if pk in found]


def _references(payload: dict) -> dict:
    """The records a body names by id, as the actions take them; unknown ids are field errors
    (a bad body, not a bad URL)."""
    from seedbed.accounts.models import OrgUnit, User
    from seedbed.strategy.models import FocusArea, Objective

    errors: dict[str, str] = {}
    found = {}
    singles = {"template_id": ("template", WorkflowTemplate, "workflow template"),
               "lead_id": ("lead", User, "person"), "org_unit_id": ("org_unit", OrgUnit,
                                                                    "org unit")}
    for field, (name, model, label) in singles.items():
        if field in payload:
            found[name] = _one(model, payload.pop(field), field, label, errors)
    lists = {"objective_ids": ("objectives", Objective, "objective"),
             "focus_area_ids": ("focus_areas", FocusArea, "focus area")}
    for field, (name, model, label) in lists.items():
        if field in payload and payload[field] is not None:
            found[name] = _many(model, payload.pop(field), field, label, errors)
        payload.pop(field, None)
    if errors:
        raise ValidationError(errors)
    return {**payload, **found}


def _detail(request, initiative: Initiative) -> Initiative:
    initiative.overview = reads.overview(request.user, initiative)
    return initiative


def _refetch(request, pk: int) -> Initiative:
    return _detail(request, selectors.get_initiative_for_user(request.user, pk))


@router.get("/initiatives", response={200: Page[InitiativeOut], **ERRORS},
            summary="Initiatives you may see, filtered and searched like the list page")
@policy.api_rule("pipeline.browse")
def list_initiatives(request, params: Query[InitiativeQuery],
                     limit: int = Query(25, ge=1, le=100), offset: int = Query(0, ge=0)):
    filters = reads.InitiativeFilters(**params.dict())
    return page_of(reads.filtered(request.user, filters), limit=limit, offset=offset)


@router.post("/initiatives", response={201: InitiativeDetailOut, **ERRORS},
             summary="Promote one idea, or several merged ideas, into an initiative")
@policy.api_rule("pipeline.manage")
def promote(request, payload: PromoteIn):
    data = payload.dict()
    ideas = data.pop("idea_ids")
    try:
        data = _references(data)
        if data.get("lead") is None:
            data.pop("lead", None)
        initiative = actions.promote_ideas(request.user, ideas, **data)
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return 201, _refetch(request, initiative.pk)


@router.get("/initiatives/{initiative_id}", response={200: InitiativeDetailOut, **ERRORS},
            summary="An initiative: facts, summary, linked ideas, strategy, team, last decision")
@policy.api_rule("pipeline.browse")
def get_initiative(request, initiative_id: int):
    return _refetch(request, initiative_id)


@router.patch("/initiatives/{initiative_id}", response={200: InitiativeDetailOut, **ERRORS},
              summary="Edit an initiative (managers: everything; its lead: title, summary and "
                      "projected value). Stage and status change only at gates.")
@policy.api_rule("pipeline.work")
def update_initiative(request, initiative_id: int, payload: InitiativePatch):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    data = payload.dict(exclude_unset=True)
    for name in ("title", "horizon", "confidential"):
        if name in data and data[name] is None:
            raise ValidationError({name: "This field cannot be empty."})
    try:
        changes = _references(data)
        actions.update_initiative(request.user, initiative, **changes)
    except ValidationError as exc:
        raise _renamed(exc) from exc
    return _refetch(request, initiative.pk)


@router.post("/initiatives/{initiative_id}/team", response={201: TeamMemberOut, **ERRORS},
             summary="Add a person to the team by e-mail address (managers and the lead)")
@policy.api_rule("pipeline.work")
def add_team_member(request, initiative_id: int, payload: TeamMemberIn):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    member = actions.add_team_member(request.user, initiative, **payload.dict())
    return 201, reads.team_of(initiative).get(pk=member.pk)


@router.delete("/initiatives/{initiative_id}/team/{member_id}",
               response={200: TeamMemberOut, **ERRORS},
               summary="Take a person off the team (answers with who was removed)")
@policy.api_rule("pipeline.work")
def remove_team_member(request, initiative_id: int, member_id: int):
    initiative = selectors.get_initiative_for_user(request.user, initiative_id)
    member = reads.get_team_member(initiative, member_id)
    removed = actions.remove_team_member(request.user, initiative, member)
    removed.user = member.user
    return removed
