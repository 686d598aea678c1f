# No "from __future__ import annotations": ninja reads these annotations at import time.


from ninja import Query, Router

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    CommentIn,
    CommentOut,
)

router = Router(tags=["discussion"])


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


