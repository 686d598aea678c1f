"""Similar ideas, merging duplicates and undoing a merge.

No "from __future__ import annotations": ninja reads these annotations at import time.
"""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS, Page
from seedbed.ideas import selectors
from seedbed.ideas.actions import duplicates as actions
from seedbed.ideas.selectors import duplicates as dup_selectors

router = Router(tags=["duplicates"])


class SimilarQuery(Schema):
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    challenge: int | None = Field(None, ge=1, le=2**63 - 1,
                                  description="Prefer ideas of this challenge slightly.")
    limit: int = Field(5, ge=1, le=10)


class SimilarIdeaOut(Schema):
    id: int
    title: str
    challenge_id: int | None
    vote_count: int
    score: float = Field(..., description="0..1; higher is more similar.")


class MergeIn(Schema):
    target_id: int = Field(..., ge=1, le=2**63 - 1, description="The idea that survives.")
    reason: str = Field("", max_length=500)


class MergePerson(Schema):
    id: int
    full_name: str


class MergeOut(Schema):
    id: int
    source_id: int
    target_id: int
    reason: str
    moved: dict[str, Any] = Field(..., description="Every row moved, dropped or created.")
    merged_by: MergePerson
    merged_at: datetime
    undone_by: MergePerson | None
    undone_at: datetime | None
    audit_seq: int | None


@router.get("/ideas/similar", response={200: Page[SimilarIdeaOut], **ERRORS},
            summary="Ideas similar to a title and description (that you may see)")
@policy.api_rule("idea.browse")
def similar_ideas(request, filters: Query[SimilarQuery]):
    found = dup_selectors.similar_ideas(request.user, filters.title, filters.description,
                                        challenge_id=filters.challenge, limit=filters.limit)
    items = [{"id": s.idea.pk, "title": s.idea.title, "challenge_id": s.idea.challenge_id,
              "vote_count": s.idea.vote_count, "score": s.score} for s in found]
    return {"items": items, "count": len(items), "limit": filters.limit, "offset": 0}


@router.post("/ideas/{idea_id}/merge", response={200: MergeOut, **ERRORS},
             summary="Mark an idea as a duplicate and merge it into another")
@policy.api_rule("challenge.manage")
def merge_idea(request, idea_id: int, payload: MergeIn):
    source = selectors.get_idea_for_user(request.user, idea_id)
    target = selectors.get_idea_for_user(request.user, payload.target_id)
    merge = actions.merge_ideas(request.user, source, target, reason=payload.reason)
    return dup_selectors.get_merge_for_user(request.user, merge.pk)


@router.get("/merges/{merge_id}", response={200: MergeOut, **ERRORS},
            summary="A merge record: what moved, who merged, whether it was undone")
@policy.api_rule("challenge.manage")
def get_merge(request, merge_id: int):
    return dup_selectors.get_merge_for_user(request.user, merge_id)


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, **ERRORS},
             summary="Undo a merge: put back exactly what moved")
@policy.api_rule("challenge.manage")
def undo_merge(request, merge_id: int):
    merge = dup_selectors.get_merge_for_user(request.user, merge_id)
    actions.undo_merge(request.user, merge)
    return dup_selectors.get_merge_for_user(request.user, merge_id)
