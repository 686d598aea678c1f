# No "from __future__ import annotations": ninja reads these annotations at import time.
"""The context register over the API: issues (clause 4.1) and interested parties (4.2)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas.api.schemas import PersonOut
from seedbed.lib.markdown import render_markdown
from seedbed.strategy.actions import context as actions
from seedbed.strategy.models import ContextIssue
from seedbed.strategy.models.context import Level
from seedbed.strategy.selectors import context as selectors

router = Router(tags=["strategy"])


class ContextIssueOut(Schema):
    id: int
    title: str
    description: str
    description_html: str
    category: str
    impact: str
    trend: str
    source: str
    review_on: date | None
    review_overdue: bool
    created_by: PersonOut
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_review_overdue(obj) -> bool:
        return obj.review_overdue()


class ContextIssueIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    category: ContextIssue.Category
    description: str = Field("", max_length=10000)
    impact: Level = Level.MEDIUM
    trend: ContextIssue.Trend = ContextIssue.Trend.STABLE
    source: str = Field("", max_length=300)
    review_on: date | None = None


class ContextIssuePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    category: ContextIssue.Category | None = None
    description: str | None = Field(None, max_length=10000)
    impact: Level | None = None
    trend: ContextIssue.Trend | None = None
    source: str | None = Field(None, max_length=300)
    review_on: date | None = None


class InterestedPartyOut(Schema):
    id: int
    name: str
    needs: str
    needs_html: str
    expectations: str
    expectations_html: str
    importance: str
    review_on: date | None
    review_overdue: bool
    created_by: PersonOut
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_needs_html(obj) -> str:
        return render_markdown(obj.needs)

    @staticmethod
    def resolve_expectations_html(obj) -> str:
        return render_markdown(obj.expectations)

    @staticmethod
    def resolve_review_overdue(obj) -> bool:
        return obj.review_overdue()


class InterestedPartyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    needs: str = Field("", max_length=5000)
    expectations: str = Field("", max_length=5000)
    importance: Level = Level.MEDIUM
    review_on: date | None = None


class InterestedPartyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    needs: str | None = Field(None, max_length=5000)
    expectations: str | None = Field(None, max_length=5000)
    importance: Level | None = None
    review_on: date | None = None


def _patch_data(payload: Schema, nullable: tuple[str, ...] = ("review_on",)) -> dict:
    """The fields sent; null clears only what may be empty, elsewhere it is an error."""
    data = payload.dict(exclude_unset=True)
    bad = [name for name, value in data.items() if value is None and name not in nullable]
    if bad:
        raise ValidationError({name: "This field may not be null." for name in bad})
    return data


@router.get("/context-issues", response={200: Page[ContextIssueOut], **ERRORS},
            summary="The context register: internal and external issues (clause 4.1)")
@policy.api_rule("strategy.read")
def list_context_issues(request, category: ContextIssue.Category | None = None,
                        limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.visible_context_issues(request.user)
    if category:
        qs = qs.filter(category=category)
    return page_of(qs.order_by("category", "title", "id"), limit=limit, offset=offset)


@router.post("/context-issues", response={201: ContextIssueOut, **ERRORS},
             summary="Add a context issue")
@policy.api_rule("strategy.manage")
def create_context_issue(request, payload: ContextIssueIn):
    issue = actions.create_context_issue(request.user, **payload.dict())
    return 201, selectors.get_context_issue_for_user(request.user, issue.pk)


@router.get("/context-issues/{issue_id}", response={200: ContextIssueOut, **ERRORS})
@policy.api_rule("strategy.read")
def get_context_issue(request, issue_id: int):
    return selectors.get_context_issue_for_user(request.user, issue_id)


@router.patch("/context-issues/{issue_id}", response={200: ContextIssueOut, **ERRORS},
              summary="Change a context issue's fields")
@policy.api_rule("strategy.manage")
def update_context_issue(request, issue_id: int, payload: ContextIssuePatch):
    issue = selectors.get_context_issue_for_user(request.user, issue_id, manage=True)
    actions.update_context_issue(request.user, issue, **_patch_data(payload))
    return selectors.get_context_issue_for_user(request.user, issue_id)


@router.get("/interested-parties", response={200: Page[InterestedPartyOut], **ERRORS},
            summary="Interested parties and their needs and expectations (clause 4.2)")
@policy.api_rule("strategy.read")
def list_interested_parties(request, limit: int = Query(20, ge=1, le=100),
                            offset: int = Query(0, ge=0)):
    qs = selectors.visible_interested_parties(request.user)
    return page_of(qs.order_by("name", "id"), limit=limit, offset=offset)


@router.post("/interested-parties", response={201: InterestedPartyOut, **ERRORS},
             summary="Add an interested party")
@policy.api_rule("strategy.manage")
def create_interested_party(request, payload: InterestedPartyIn):
    party = actions.create_interested_party(request.user, **payload.dict())
    return 201, selectors.get_interested_party_for_user(request.user, party.pk)


@router.get("/interested-parties/{party_id}", response={200: InterestedPartyOut, **ERRORS})
@policy.api_rule("strategy.read")
def get_interested_party(request, party_id: int):
    return selectors.get_interested_party_for_user(request.user, party_id)


@router.patch("/interested-parties/{party_id}", response={200: InterestedPartyOut, **ERRORS},
              summary="Change an interested party's fields")
@policy.api_rule("strategy.manage")
def update_interested_party(request, party_id: int, payload: InterestedPartyPatch):
    party = selectors.get_interested_party_for_user(request.user, party_id, manage=True)
    actions.update_interested_party(request.user, party, **_patch_data(payload))
    return selectors.get_interested_party_for_user(request.user, party_id)
