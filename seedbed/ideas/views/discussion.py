"""Co-creation on an idea: threaded comments, mentions, follows, expert invitations, and the
profile page of the people taking part."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms.discussion import (
    CommentForm,
    ExpertInviteForm,
    ExpertSearchForm,
    FollowForm,
)
from seedbed.ideas.models import Idea
from seedbed.ideas.selectors import discussion as reads

# Threads shown on the idea page; the rest are in the API (paginated).
THREADS_SHOWN = 50


def detail_context(request: HttpRequest, idea: Idea) -> dict:
    """The idea page's discussion part: threads with replies, follow state, invited experts.
    A fixed number of queries: threads, replies, mentions (x2), follow, experts."""
    threads = reads.threads_for(idea, THREADS_SHOWN)
    shown = sum(1 + len(thread.replies.all()) for thread in threads)
    can_invite = reads.can_invite_experts(request.user, idea)
    return {
        "threads": threads,
        "more_comments": max(idea.comment_count - shown, 0),
        "comment_form": CommentForm(),
        "following": reads.is_following(request.user, idea),
        "experts": list(reads.expert_invitations(idea)),
        "can_invite_experts": can_invite,
        "expert_search_form": ExpertSearchForm(auto_id="expert_%s") if can_invite else None,
    }


def _discussion(request: HttpRequest, idea: Idea, status: int = 200, **overrides) -> HttpResponse:
    from seedbed.ideas.views.ideas import idea_context

    idea.refresh_from_db(fields=["comment_count", "follower_count", "last_activity_at"])
    template = "ideas/_discussion.html" if request.htmx else "ideas/idea_detail.html"
    return render(request, template, idea_context(request, idea, **overrides), status=status)


@policy.rule("idea.contribute")
@require_POST
def idea_comment(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(request.user, idea, body=form.cleaned_data["body"],
                                parent_id=form.cleaned_data["parent_id"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            if request.htmx:
                return _discussion(request, idea)
            messages.success(request, "Comment added.")
            return redirect(idea)
    if "parent_id" in form.errors:
        # The comment answered is not on this page (or not a comment): say so above the form.
        form.add_error(None, form.errors.pop("parent_id"))
        return _discussion(request, idea, status=400, comment_form=form)
    reply_to = form.data.get("parent_id") or ""
    overrides = ({"reply_form": form, "reply_to": reply_to} if reply_to.isdigit()
                 else {"comment_form": form})
    return _discussion(request, idea, status=400, **overrides)


@policy.rule("idea.contribute")
@require_POST
def idea_follow(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Say whether to follow (follow=1) or unfollow (follow=0).",
                            status=400, content_type="text/plain")
    change = actions.follow_idea if form.cleaned_data["follow"] else actions.unfollow_idea
    try:
        following, count = change(request.user, idea)
    except StateConflict as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=409, content_type="text/plain")
        messages.error(request, exc.message)
        return redirect(idea)
    if request.htmx:
        idea.follower_count = count
        return render(request, "ideas/_follow.html", {
            "idea": idea, "following": following, "can_contribute": True})
    messages.success(request, "You follow this idea now." if following
                     else "You no longer follow this idea.")
    return redirect(idea)


@policy.rule("idea.contribute")
@require_GET
def idea_experts(request: HttpRequest, pk: int) -> HttpResponse:
    """Find people by competency to invite to the idea (authors, co-authors, managers)."""
    idea = selectors.get_idea_for_user(request.user, pk)
    reads.require_expert_inviter(request.user, idea)
    form = ExpertSearchForm(request.GET or None)
    candidates = None
    if form.is_bound and form.is_valid():
        candidates = reads.expert_candidates(
            request.user, idea, competency=form.cleaned_data["competency"],
            q=form.cleaned_data["q"].strip())
    context = {"idea": idea, "form": form, "candidates": candidates,
               "competency": form.cleaned_data.get("competency") if form.is_bound
               and form.is_valid() else None,
               "invite_form": ExpertInviteForm()}
    template = "ideas/expert_search.html"
    if request.htmx:
        template += "#expert-results"
    return render(request, template, context, status=400 if form.errors else 200)


@policy.rule("idea.contribute")
@require_POST
def idea_expert_invite(request: HttpRequest, pk: int) -> HttpResponse:
    from seedbed.accounts.models import Competency

    idea = selectors.get_idea_for_user(request.user, pk)
    reads.require_expert_inviter(request.user, idea)
    form = ExpertInviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        expert = get_user_model().objects.filter(pk=data["expert_id"]).first()
        competency = (Competency.objects.filter(pk=data["competency_id"]).first()
                      if data["competency_id"] else None)
        try:
            invitation = actions.invite_expert(request.user, idea, expert=expert,
                                               competency=competency, message=data["message"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{invitation.expert.full_name} is invited to the idea.")
            return redirect(f"{idea.get_absolute_url()}#experts")
    return render(request, "ideas/expert_search.html", {
        "idea": idea, "form": ExpertSearchForm(), "candidates": None,
        "invite_form": form, "invite_errors": True}, status=400)


@policy.rule("idea.browse")
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = reads.get_person_for_user(request.user, pk)
    return render(request, "ideas/person_detail.html", reads.profile_of(request.user, person))
