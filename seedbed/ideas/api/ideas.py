# No "from __future__ import annotations": ninja reads these annotations at import time.


from ninja import Router

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    IdeaDetailOut,
    IdeaIn,
)

router = Router(tags=["ideas"])


@router.post("/challenges/{challenge_id}/ideas", response={201: IdeaDetailOut, **ERRORS},
             summary="Submit an idea to an open challenge")
@policy.api_rule("idea.contribute")
def submit_idea(request, challenge_id: int, payload: IdeaIn):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    idea = actions.submit_idea(request.user, challenge, **payload.dict())
    idea = selectors.get_idea_for_user(request.user, idea.pk)
    idea.supported_by_me = False
    return 201, idea


@router.get("/ideas/{idea_id}", response={200: IdeaDetailOut, **ERRORS})
@policy.api_rule("idea.browse")
def get_idea(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    idea.supported_by_me = idea.pk in selectors.voted_idea_ids(request.user, [idea])
    return idea


