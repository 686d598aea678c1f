"""Co-creation on an idea: threaded comments, mentions, follows, expert invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms import CommentForm
from seedbed.ideas.views.ideas import idea_context

IDEAS_PER_PAGE = 20


COMMENTS_SHOWN = 100


def detail_context(request, idea) -> dict:
    comments = list(selectors.comments_for(idea)[:COMMENTS_SHOWN])
    return {
        "comments": comments,
        "more_comments": max(idea.comment_count - len(comments), 0),
        "comment_form": CommentForm(),
    }


@policy.rule("idea.contribute")
@require_POST
def idea_comment(request, pk: int):
    idea = selectors.get_idea_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(request.user, idea, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if request.htmx:
                idea.refresh_from_db(fields=["comment_count"])
                return render(request, "ideas/idea_detail.html#discussion",
                              idea_context(request, idea))
            messages.success(request, "Comment added.")
            return redirect(idea)
    template = "ideas/idea_detail.html#discussion" if request.htmx else "ideas/idea_detail.html"
    return render(request, template, idea_context(request, idea, comment_form=form), status=400)
