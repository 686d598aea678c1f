# No "from __future__ import annotations": ninja reads these annotations at import time.


from ninja import Field, Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.ideas import actions, selectors
from seedbed.ideas.api.schemas import (
    VoteOut,
)
from seedbed.ideas.selectors.support import my_budget

router = Router(tags=["support"])


class IdeaTokensIn(Schema):
    # The challenge's budget is the real upper bound (checked by the action, 422 beyond it).
    tokens: int = Field(..., ge=0, le=32767, description="Tokens on this idea; 0 withdraws.")


class IdeaSupportOut(Schema):
    idea_id: int
    voting_mode: str
    tokens: int = Field(..., description="Your tokens on the idea (1 or 0 in support mode).")
    vote_count: int = Field(..., description="People supporting the idea.")
    token_count: int = Field(..., description="Tokens placed on the idea by everyone.")
    budget: int | None = Field(..., description="Tokens mode: your budget in the challenge.")
    remaining: int | None = Field(..., description="Tokens mode: what is left of it.")


class SupportBudgetOut(Schema):
    challenge_id: int
    voting_mode: str
    budget: int | None = Field(..., description="Tokens each person may place (tokens mode).")
    spent: int = Field(..., description="Tokens placed (tokens mode) or ideas supported.")
    remaining: int | None
    ideas_supported: int


@router.post("/ideas/{idea_id}/vote", response={200: VoteOut, **ERRORS},
             summary="Toggle your support for an idea")
@policy.api_rule("idea.contribute")
def toggle_vote(request, idea_id: int):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    supported, count = actions.toggle_vote(request.user, idea)
    return {"supported": supported, "vote_count": count}


@router.put("/ideas/{idea_id}/tokens", response={200: IdeaSupportOut, **ERRORS},
            summary="Set how many of your tokens are on an idea",
            description="In a tokens-mode challenge, between 0 and the challenge's budget, "
                        "within what you have left (409 not_enough_tokens otherwise). In "
                        "support mode 1 supports and 0 withdraws.")
@policy.api_rule("idea.contribute")
def set_tokens(request, idea_id: int, payload: IdeaTokensIn):
    idea = selectors.get_idea_for_user(request.user, idea_id)
    result = actions.set_tokens(request.user, idea, payload.tokens)
    return {"idea_id": result.idea_id, "voting_mode": result.voting_mode,
            "tokens": result.tokens, "vote_count": result.vote_count,
            "token_count": result.token_count, "budget": result.budget,
            "remaining": result.remaining}


@router.get("/challenges/{challenge_id}/my-budget", response={200: SupportBudgetOut, **ERRORS},
            summary="Your support in a challenge: budget, tokens placed, what is left")
@policy.api_rule("idea.contribute")
def my_budget_in_challenge(request, challenge_id: int):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id)
    budget = my_budget(request.user, challenge)
    return {"challenge_id": challenge.pk, "voting_mode": budget.mode, "budget": budget.budget,
            "spent": budget.spent, "remaining": budget.remaining,
            "ideas_supported": budget.ideas_supported}
