# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Co-creation API: threaded comments with mentions, following, experts, people's profiles."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.accounts.models import Competency
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import CommentOut, PersonOut
from seedbed.ideas.selectors import discussion as reads

router = Router(tags=["discussion"])

Id = Field(..., ge=1, le=2**63 - 1)


class PersonRef(Schema):
    id: int
    full_name: str
    handle: str

    @staticmethod
    def resolve_handle(obj) -> str:
        return reads.handle_of(obj)


class ThreadedCommentOut(CommentOut):
    # The thread's first comment, for a reply; null for a comment that starts a thread.
    parent_id: int | None = None
    # People the comment mentions who may see the idea (others are ignored).
    mentions: list[PersonRef] = []

    @staticmethod
    def resolve_mentions(obj) -> list:
        return list(obj.mentions.all())


class ThreadedCommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)
    parent_id: int | None = Field(None, ge=1, le=2**63 - 1,
                                  description="Reply to this comment (of the same idea).")


class FollowOut(Schema):
    following: bool
    follower_count: int


class CompetencyOut(Schema):
    id: int
    name: str


class ExpertInvitationOut(Schema):
    id: int
    idea_id: int
    expert: PersonRef
    competency: CompetencyOut | None
    message: str
    invited_by: PersonOut
    created_at: datetime


class ExpertInvitationIn(Schema):
    expert_id: int = Id
    competency_id: int | None = Field(None, ge=1, le=2**63 - 1)
    message: str = Field("", max_length=500)


class CandidateOut(PersonRef):
    job_title: str
    competencies: list[CompetencyOut]

    @staticmethod
    def resolve_competencies(obj) -> list:
        return list(obj.competencies.all())


class ProfileIdeaOut(Schema):
    id: int
    challenge_id: int | None
    title: str
    status: str
    vote_count: int
    comment_count: int
    created_at: datetime


class ProfileCommentOut(Schema):
    id: int
    idea_id: int
    idea_title: str
    parent_id: int | None
    body: str
    created_at: datetime

    @staticmethod
    def resolve_idea_title(obj) -> str:
        return obj.idea.title


class ProfileCounts(Schema):
    ideas: int
    coauthored: int
    comments: int


class ProfileOut(Schema):
    id: int
    full_name: str
    handle: str
    # Internal details: null for a partner looking at an employee.
    job_title: str | None
    org_unit: str | None
    organisation: str | None
    competencies: list[CompetencyOut]
    counts: ProfileCounts
    ideas: list[ProfileIdeaOut]
    coauthored: list[ProfileIdeaOut]
    comments: list[ProfileCommentOut]


@router.get("/ideas/{idea_id}/comments", response={200: Page[ThreadedCommentOut], **ERRORS})
@policy.api_rule("idea.browse")
def list_comments(request, idea_id: int, limit: int = Query(50, ge=1, le=100),
                  offset: int = Query(0, ge=0)):
    """Every comment on the idea, oldest first; a reply names its thread in ``parent_id``."""
    idea = selectors.get_idea_for_user(request.user, idea_id)
    return page_of(reads.comment_page(idea), limit=limit, offset=offset,
                   count=idea.comment_count)


@router.post("/ideas/{idea_id}/comments", response={201: ThreadedCommentOut, **ERRORS})
@policy.api_rule("idea.contribute")
def add_comment(request, idea_id: int, payload: ThreadedCommentIn):
    """Comment, or reply with ``parent_id``. ``@handle`` mentions people who may see the idea."""
    idea = selectors.get_idea_for_user(request.user, idea_id)
    comment = actions.add_comment(request.user, idea, body=payload.body,
                                  parent_id=payload.parent_id)
    return 201, comment


@router.post("/ideas/{idea_id}/follow", response={200: FollowOut, **ERRORS})
@policy.api_rule("idea.contribute")
def follow(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    following, count = actions.follow_idea(request.user, idea)
    return {"following": following, "follower_count": count}


@router.delete("/ideas/{idea_id}/follow", response={200: FollowOut, **ERRORS})
@policy.api_rule("idea.contribute")
def unfollow(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    following, count = actions.unfollow_idea(request.user, idea)
    return {"following": following, "follower_count": count}


@router.get("/ideas/{idea_id}/experts", response={200: Page[ExpertInvitationOut], **ERRORS})
@policy.api_rule("idea.browse")
def list_experts(request, idea_id: int, limit: int = Query(50, ge=1, le=100),
                 offset: int = Query(0, ge=0)):
    """The experts invited to the idea, first invited first."""
    idea = selectors.get_idea_for_user(request.user, idea_id)
    return page_of(reads.expert_invitations(idea), limit=limit, offset=offset)


@router.post("/ideas/{idea_id}/experts", response={201: ExpertInvitationOut, **ERRORS})
@policy.api_rule("idea.contribute")
def invite_expert(request, idea_id: int, payload: ExpertInvitationIn):
    """Invite an employee (found by competency) to the idea: its authors and managers only."""
    idea = selectors.get_idea_for_user(request.user, idea_id)
    reads.require_expert_inviter(request.user, idea)
    expert = get_user_model().objects.filter(pk=payload.expert_id).first()
    competency = None
    if payload.competency_id is not None:
        competency = Competency.objects.filter(pk=payload.competency_id).first()
        if competency is None:
            raise ValidationError({"competency_id": "No such competency."})
    invitation = actions.invite_expert(request.user, idea, expert=expert, competency=competency,
                                       message=payload.message)
    return 201, invitation


@router.get("/ideas/{idea_id}/expert-candidates", response={200: list[CandidateOut], **ERRORS})
@policy.api_rule("idea.contribute")
def expert_candidates(request, idea_id: int,
                      competency_id: int | None = Query(None, ge=1, le=2**63 - 1),
                      q: str = Query("", max_length=100)):
    """Employees holding the competency (and/or whose name contains ``q``) who may see the idea
    and are not invited yet; at most 20, by name."""
    idea = selectors.get_idea_for_user(request.user, idea_id)
    reads.require_expert_inviter(request.user, idea)
    competency = None
    if competency_id is not None:
        competency = Competency.objects.filter(pk=competency_id).first()
        if competency is None:
            raise Http404("No such competency")
    return reads.expert_candidates(request.user, idea, competency=competency, q=q.strip())


@router.get("/people/{person_id}", response={200: ProfileOut, **ERRORS})
@policy.api_rule("idea.browse")
def person(request, person_id: int):
    """A person's profile: only the ideas and comments the caller may see."""
    who = reads.get_person_for_user(request.user, person_id)
    profile = reads.profile_of(request.user, who)
    internal = profile["show_unit"]
    return {
        "id": who.pk, "full_name": who.full_name, "handle": profile["handle"],
        "job_title": who.job_title if internal else None,
        "org_unit": who.org_unit.name if internal and who.org_unit_id else None,
        "organisation": profile["organisation"] or None,
        "competencies": profile["competencies"], "counts": profile["counts"],
        "ideas": profile["ideas"], "coauthored": profile["coauthored"],
        "comments": profile["comments"],
    }
