# No "from __future__ import annotations": ninja reads these annotations at import time.


from ninja import Router

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    VoteOut,
)

router = Router(tags=["support"])


@router.post("/ideas/{idea_id}/vote", response={200: VoteOut, **ERRORS},
             summary="Toggle your support for an idea")
@policy.api_rule("idea.contribute")
def toggle_vote(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    supported, count = actions.toggle_vote(request.user, idea)
    return {"supported": supported, "vote_count": count}
