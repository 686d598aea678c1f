"""Supporting ideas: the support toggle and the token stepper, on the idea page and in idea
rows. Both work as plain forms (a redirect back) and through htmx (the widget alone)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms.support import TokensForm
from seedbed.ideas.selectors.support import my_support


def detail_context(request, idea) -> dict:
    """The idea page's part: one query (two for a tokens-mode challenge)."""
    state = my_support(request.user, [idea]).state(idea)
    return {"state": state, "voted": state.supported}


def _widget(request, idea, *, status: int = 200, error: str = "") -> HttpResponse:
    """The vote widget alone (htmx), in the shape it was posted from (idea page or row)."""
    idea.refresh_from_db(fields=["vote_count", "token_count"])
    in_row = request.POST.get("widget") == "row"
    return render(request, "ideas/_vote.html", {
        "idea": idea, "state": my_support(request.user, [idea]).state(idea),
        "widget_id": f"vote-{idea.pk}" if in_row else "vote", "in_row": in_row,
        "next": _next_url(request) or "", "error": error}, status=status)


def _next_url(request) -> str | None:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


def _refused(request, idea, message: str, status: int) -> HttpResponse:
    if request.htmx:
        return _widget(request, idea, status=status, error=message)
    # Without JavaScript: the idea page again, the reason shown at its vote widget.
    from seedbed.ideas.views.ideas import idea_context

    context = idea_context(request, idea)
    context["error"] = message
    return render(request, "ideas/idea_detail.html", context, status=status)


def _done(request, idea) -> HttpResponse:
    if request.htmx:
        return _widget(request, idea)
    return redirect(_next_url(request) or idea.get_absolute_url())


@policy.rule("idea.contribute")
@require_POST
def idea_vote(request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    try:
        actions.toggle_vote(request.user, idea)
    except StateConflict as exc:
        return _refused(request, idea, exc.message, 409)
    return _done(request, idea)


@policy.rule("idea.contribute")
@require_POST
def idea_tokens(request, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    form = TokensForm(request.POST)
    if not form.is_valid():
        return _refused(request, idea, " ".join(form.errors.get("tokens", ["Invalid."])), 400)
    try:
        actions.set_tokens(request.user, idea, form.cleaned_data["tokens"])
    except ValidationError as exc:
        return _refused(request, idea, " ".join(exc.message_dict.get("tokens", exc.messages)),
                        400)
    except StateConflict as exc:
        return _refused(request, idea, exc.message, 409)
    return _done(request, idea)
