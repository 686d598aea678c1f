"""Idea pages: submit, edit, read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms import IdeaForm

IDEAS_PER_PAGE = 20


@policy.rule("idea.contribute")
def idea_create(request, pk: int):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = actions.submit_idea(request.user, challenge, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Thank you, your idea is in. Colleagues can build on it now.")
            return redirect(idea)
    return render(request, "ideas/idea_form.html", {"form": form, "challenge": challenge},
                  status=400 if form.errors else 200)


def idea_context(request, idea, **overrides) -> dict:
    """Everything the idea page shows. Each area contributes its part of the page (and of its
    query budget) through ``detail_context(request, idea)``; ``overrides`` lets a view re-render
    the page with a bound form that failed validation."""
    from seedbed.ideas.views import discussion, duplicates, support

    context = {
        "idea": idea,
        "can_contribute": policy.can(request.user, "idea.contribute"),
    }
    for area in (support, discussion, duplicates):
        context.update(area.detail_context(request, idea))
    context.update(overrides)
    return context


@policy.rule("idea.browse")
def idea_detail(request, pk: int):
    idea = selectors.get_idea_for_user(request.user, pk)
    return render(request, "ideas/idea_detail.html", idea_context(request, idea))


