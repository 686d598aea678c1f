"""Supporting ideas (simple support or tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions, selectors

IDEAS_PER_PAGE = 20



def detail_context(request, idea) -> dict:
    return {
        "voted": idea.pk in selectors.voted_idea_ids(request.user, [idea]),
        "voting_open": idea.challenge is not None and idea.challenge.accepts_ideas(),
    }


@policy.rule("idea.contribute")
@require_POST
def idea_vote(request, pk: int):
    idea = selectors.get_idea_for_user(request.user, pk)
    try:
        voted, count = actions.toggle_vote(request.user, idea)
    except StateConflict as exc:
        if request.htmx:
            return render(request, "ideas/_vote.html", {
                "idea": idea, "voted": False, "voting_open": False, "error": exc.message},
                status=409)
        messages.error(request, exc.message)
        return redirect(idea)
    if request.htmx:
        idea.vote_count = count
        return render(request, "ideas/_vote.html",
                      {"idea": idea, "voted": voted, "voting_open": True,
                       "can_contribute": True})
    return redirect(idea)


