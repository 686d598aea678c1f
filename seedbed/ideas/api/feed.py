# No "from __future__ import annotations": ninja reads these annotations at import time.


from django.db.models import Q
from ninja import Query, Router

from seedbed import policy
from seedbed.core.api import ERRORS, Page, page_of
from seedbed.ideas import selectors
from seedbed.ideas.api.schemas import (
    IdeaOut,
)

router = Router(tags=["ideas"])


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


