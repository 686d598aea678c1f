# No "from __future__ import annotations": ninja reads these annotations at import time.

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.accounts.models import OrgUnit
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, selectors
from seedbed.ideas.models import Challenge
from seedbed.lib.markdown import render_markdown
from seedbed.lib.validation import is_valid_id

router = Router(tags=["ideas"])

Title = Field(..., min_length=1, max_length=200)
LongText = Field(..., min_length=1, max_length=20000)


class PersonOut(Schema):
    id: int
    full_name: str


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    description_html: str
    status: str
    opens_on: date | None
    closes_on: date | None
    audience: str
    unit_ids: list[int]
    idea_count: int
    accepts_ideas: bool
    created_by: PersonOut
    created_at: datetime

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return [unit.pk for unit in obj.units.all()]

    @staticmethod
    def resolve_accepts_ideas(obj) -> bool:
        return obj.accepts_ideas()


class ChallengeIn(Schema):
    title: str = Title
    description: str = LongText
    opens_on: date | None = None
    closes_on: date | None = None
    audience: Challenge.Audience = Challenge.Audience.ORGANISATION
    unit_ids: list[int] = Field(default_factory=list, max_length=500)


class ChallengePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=20000)
    opens_on: date | None = None
    closes_on: date | None = None
    audience: Challenge.Audience | None = None
    unit_ids: list[int] | None = Field(None, max_length=500)


class IdeaOut(Schema):
    id: int
    challenge_id: int
    title: str
    status: str
    author: PersonOut
    vote_count: int
    comment_count: int
    created_at: datetime


class IdeaDetailOut(IdeaOut):
    description: str
    description_html: str
    supported_by_me: bool

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)


class IdeaIn(Schema):
    title: str = Title
    description: str = LongText


class CommentOut(Schema):
    id: int
    idea_id: int
    author: PersonOut
    body: str
    created_at: datetime


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class VoteOut(Schema):
    supported: bool
    vote_count: int


def _units(unit_ids: list[int] | None) -> list[OrgUnit] | None:
    if unit_ids is None:
        return None
    # An id beyond 64 bits names no unit (and SQLite cannot even compare it).
    units = list(OrgUnit.objects.filter(pk__in={i for i in unit_ids if is_valid_id(i)}))
    missing = set(unit_ids) - {u.pk for u in units}
    if missing:
        raise ValidationError({"unit_ids": f"Unknown org units: {sorted(missing)}"})
    return units


def _api_field_names(exc: ValidationError) -> ValidationError:
    """Report the action's `units` errors under the API's own field name, `unit_ids`."""
    if hasattr(exc, "error_dict") and "units" in exc.error_dict:
        errors = dict(exc.message_dict)
        errors["unit_ids"] = errors.pop("units")
        return ValidationError(errors)
    return exc


def _challenge_qs(qs):
    return qs.select_related("created_by").prefetch_related("units")


@router.get("/challenges", response={200: Page[ChallengeOut], **ERRORS},
            summary="Challenges you may see")
@policy.api_rule("challenge.browse")
def list_challenges(request, status: Challenge.Status | None = None,
                    limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    qs = selectors.visible_challenges(request.user)
    if status:
        qs = qs.filter(status=status)
    return page_of(_challenge_qs(qs).order_by("-created_at", "-id"), limit=limit, offset=offset)


@router.post("/challenges", response={201: ChallengeOut, **ERRORS},
             summary="Create a challenge (as a draft)")
@policy.api_rule("challenge.manage")
def create_challenge(request, payload: ChallengeIn):
    data = payload.dict()
    units = _units(data.pop("unit_ids"))
    try:
        challenge = actions.create_challenge(request.user, units=units, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return 201, _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.get("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.browse")
def get_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.patch("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS},
              summary="Change a challenge's fields")
@policy.api_rule("challenge.manage")
def update_challenge(request, challenge_id: int, payload: ChallengePatch):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    data = payload.dict(exclude_unset=True)
    if "unit_ids" in data:
        data["units"] = _units(data.pop("unit_ids"))
    try:
        actions.update_challenge(request.user, challenge, **data)
    except ValidationError as exc:
        raise _api_field_names(exc) from None
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.post("/challenges/{challenge_id}/open", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def open_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    actions.open_challenge(request.user, challenge)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.post("/challenges/{challenge_id}/close", response={200: ChallengeOut, **ERRORS})
@policy.api_rule("challenge.manage")
def close_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    actions.close_challenge(request.user, challenge)
    return _challenge_qs(Challenge.objects.filter(pk=challenge.pk)).get()


@router.post("/challenges/{challenge_id}/ideas", response={201: IdeaDetailOut, **ERRORS},
             summary="Submit an idea to an open challenge")
@policy.api_rule("idea.contribute")
def submit_idea(request, challenge_id: int, payload: IdeaIn):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    idea = actions.submit_idea(request.user, challenge, **payload.dict())
    idea = selectors.get_idea_for_user(request.user, idea.pk)
    idea.supported_by_me = False
    return 201, idea


@router.get("/ideas", response={200: Page[IdeaOut], **ERRORS},
            summary="Ideas you may see, newest first")
@policy.api_rule("idea.browse")
def list_ideas(request, challenge: int | None = None, q: str = Query("", max_length=200),
               limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    ideas = selectors.visible_ideas(request.user)
    count = None
    if challenge is not None:
        found = selectors.get_challenge_for_user(request.user, challenge)
        ideas = ideas.filter(challenge=found)
        count = found.idea_count
    if q:
        ideas = ideas.filter(Q(title__icontains=q) | Q(description__icontains=q))
    elif challenge is None:
        count = selectors.count_visible_ideas(request.user)
    return page_of(selectors.idea_list(ideas), limit=limit, offset=offset, count=count)


@router.get("/ideas/{idea_id}", response={200: IdeaDetailOut, **ERRORS})
@policy.api_rule("idea.browse")
def get_idea(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    idea.supported_by_me = idea.pk in selectors.voted_idea_ids(request.user, [idea])
    return idea


@router.get("/ideas/{idea_id}/comments", response={200: Page[CommentOut], **ERRORS})
@policy.api_rule("idea.browse")
def list_comments(request, idea_id: int, limit: int = Query(50, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    return page_of(selectors.comments_for(idea), limit=limit, offset=offset,
                   count=idea.comment_count)


@router.post("/ideas/{idea_id}/comments", response={201: CommentOut, **ERRORS})
@policy.api_rule("idea.contribute")
def add_comment(request, idea_id: int, payload: CommentIn):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    comment = actions.add_comment(request.user, idea, body=payload.body)
    return 201, comment


@router.post("/ideas/{idea_id}/vote", response={200: VoteOut, **ERRORS},
             summary="Toggle your support for an idea")
@policy.api_rule("idea.contribute")
def toggle_vote(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    supported, count = actions.toggle_vote(request.user, idea)
    return {"supported": supported, "vote_count": count}
