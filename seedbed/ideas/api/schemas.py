"""Schemas more than one area of the ideation API answers with."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from seedbed import policy
from seedbed.ideas.models import Challenge
from seedbed.ideas.selectors import SEE_CONFIDENTIAL
from seedbed.lib.markdown import render_markdown

Title = Field(..., min_length=1, max_length=200)
LongText = Field(..., min_length=1, max_length=20000)


class PersonOut(Schema):
    id: int
    full_name: str


class ChallengeFocusArea(Schema):
    id: int
    title: str
    kind: str


class IdeaTypeRef(Schema):
    id: int
    code: str
    name: str


class ChallengePartner(Schema):
    id: int
    name: str


class ChallengeOut(Schema):
    id: int
    title: str
    # The brief (Markdown) and its rendered HTML.
    description: str
    description_html: str
    status: str
    opens_on: date | None
    closes_on: date | None
    audience: str
    unit_ids: list[int]
    # "Why we ask".
    focus_areas: list[ChallengeFocusArea]
    focus_area_ids: list[int]
    sponsor: PersonOut | None
    sponsor_id: int | None
    # Partners see only their own organisation here, never the other invited ones.
    partner_orgs: list[ChallengePartner]
    partner_org_ids: list[int]
    idea_types: list[IdeaTypeRef]
    idea_type_ids: list[int]
    voting_mode: str
    token_budget: int
    idea_count: int
    accepts_ideas: bool
    created_by: PersonOut
    created_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return [unit.pk for unit in obj.units.all()]

    @staticmethod
    def resolve_focus_areas(obj) -> list:
        return list(obj.focus_areas.all())

    @staticmethod
    def resolve_focus_area_ids(obj) -> list[int]:
        return [area.pk for area in obj.focus_areas.all()]

    @staticmethod
    def resolve_partner_orgs(obj, context) -> list:
        orgs = list(obj.partner_orgs.all())
        user = context["request"].user if context else None
        if policy.role_of(user) == policy.PARTNER:
            return [org for org in orgs if org.pk == user.partner_org_id]
        return orgs

    @staticmethod
    def resolve_partner_org_ids(obj, context) -> list[int]:
        return [org.pk for org in ChallengeOut.resolve_partner_orgs(obj, context)]

    @staticmethod
    def resolve_idea_types(obj) -> list:
        return list(obj.idea_types.all())

    @staticmethod
    def resolve_idea_type_ids(obj) -> list[int]:
        return [t.pk for t in obj.idea_types.all()]

    @staticmethod
    def resolve_idea_count(obj, context) -> int:
        user = context["request"].user if context else None
        if policy.role_of(user) in SEE_CONFIDENTIAL:
            return obj.idea_count
        return obj.public_idea_count

    @staticmethod
    def resolve_accepts_ideas(obj) -> bool:
        return obj.accepts_ideas()



class ChallengeIn(Schema):
    title: str = Title
    description: str = Field(..., min_length=1, max_length=20000,
                             description="The brief (Markdown).")
    opens_on: date | None = None
    closes_on: date | None = None
    audience: Challenge.Audience = Challenge.Audience.ORGANISATION
    unit_ids: list[int] = Field(default_factory=list, max_length=500)
    focus_area_ids: list[int] = Field(..., min_length=1, max_length=100,
                                      description="Active focus areas (at least one).")
    sponsor_id: int | None = None
    partner_org_ids: list[int] = Field(default_factory=list, max_length=500)
    idea_type_ids: list[int] | None = Field(
        None, max_length=100, description="Accepted idea types; every active one if omitted.")
    voting_mode: Challenge.VotingMode = Challenge.VotingMode.SUPPORT
    token_budget: int = Field(10, ge=1, le=100)


class ChallengePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=20000)
    opens_on: date | None = None
    closes_on: date | None = None
    audience: Challenge.Audience | None = None
    unit_ids: list[int] | None = Field(None, max_length=500)
    focus_area_ids: list[int] | None = Field(None, min_length=1, max_length=100)
    sponsor_id: int | None = None
    partner_org_ids: list[int] | None = Field(None, max_length=500)
    idea_type_ids: list[int] | None = Field(None, min_length=1, max_length=100)
    voting_mode: Challenge.VotingMode | None = None
    token_budget: int | None = Field(None, ge=1, le=100)


class IdeaOut(Schema):
    id: int
    # Exactly one of the two: an idea answers a challenge, or a focus area outside any.
    challenge_id: int | None
    focus_area_id: int | None
    idea_type_id: int | None
    title: str
    status: str
    confidential: bool
    author: PersonOut
    vote_count: int
    comment_count: int
    version: int
    created_at: datetime


class CoAuthorOut(Schema):
    id: int
    user: PersonOut
    status: str
    invited_at: datetime
    responded_at: datetime | None


class IdeaAttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    field_key: str
    uploaded_at: datetime
    uploaded_by: PersonOut
    removed_at: datetime | None


class IdeaDetailOut(IdeaOut):
    description: str
    description_html: str
    supported_by_me: bool
    idea_type: IdeaTypeRef | None
    tags: list[str]
    custom_values: dict[str, Any]
    coauthors: list[CoAuthorOut]
    attachments: list[IdeaAttachmentOut]
    evaluator_ids: list[int]
    submitted_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_description_html(obj) -> str:
        return render_markdown(obj.description)

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_coauthors(obj) -> list:
        # Declined invitations are the invitee's business, not the idea's.
        return [c for c in obj.coauthors.all() if c.status != "declined"]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return [a for a in obj.attachments.all() if a.removed_at is None]

    @staticmethod
    def resolve_evaluator_ids(obj) -> list[int]:
        return [user.pk for user in obj.evaluators.all()]


class IdeaIn(Schema):
    title: str = Title
    description: str = LongText
    idea_type_id: int | None = Field(
        None, description="Required unless the challenge takes only one type.")
    tags: list[str] = Field(default_factory=list, max_length=50,
                            description="Free tags: lower-cased, 1-40 characters, at most 10.")
    confidential: bool = Field(False, description="IP-confidential: only authors, managers, "
                               "leaders and assigned evaluators see it.")
    custom_values: dict[str, Any] = Field(
        default_factory=dict, description="Answers to the custom questions, by key.")
    draft: bool = Field(False, description="Save as a private draft instead of submitting.")


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


