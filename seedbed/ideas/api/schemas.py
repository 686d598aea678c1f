"""Schemas more than one area of the ideation API answers with."""

from datetime import date, datetime

from ninja import Field, Schema

from seedbed.ideas.models import Challenge
from seedbed.lib.markdown import render_markdown

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


