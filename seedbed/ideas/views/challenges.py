"""Challenge pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.core.pagination import CountedPaginator
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms import ChallengeForm
from seedbed.ideas.models import Challenge

IDEAS_PER_PAGE = 20


@policy.rule("challenge.browse")
def challenge_list(request):
    can_manage = policy.can(request.user, "challenge.manage")
    challenges = selectors.visible_challenges(request.user).select_related("created_by")
    status = request.GET.get("status", "")
    if status in Challenge.Status.values:
        challenges = challenges.filter(status=status)
    page = Paginator(challenges.order_by("-created_at", "-id"), 20).get_page(
        request.GET.get("page"))
    return render(request, "ideas/challenge_list.html", {
        "page": page, "status": status,
        "statuses": [choice for choice in Challenge.Status.choices
                     if can_manage or choice[0] != Challenge.Status.DRAFT],
        "query": f"status={status}" if status in Challenge.Status.values else "",
        "can_manage": can_manage})


@policy.rule("challenge.manage")
def challenge_create(request):
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = actions.create_challenge(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Challenge saved as a draft. Open it when it is ready.")
            return redirect(challenge)
    return render(request, "ideas/challenge_form.html", {"form": form, "challenge": None},
                  status=400 if form.errors else 200)


@policy.rule("challenge.manage")
def challenge_edit(request, pk: int):
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    initial = {"title": challenge.title, "description": challenge.description,
               "opens_on": challenge.opens_on, "closes_on": challenge.closes_on,
               "audience": challenge.audience, "units": list(challenge.units.all())}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_challenge(request.user, challenge, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Challenge updated.")
            return redirect(challenge)
    return render(request, "ideas/challenge_form.html", {"form": form, "challenge": challenge},
                  status=400 if form.errors else 200)


@policy.rule("challenge.manage")
@require_POST
def challenge_transition(request, pk: int, action: str):
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    change = {"open": actions.open_challenge, "close": actions.close_challenge}[action]
    try:
        change(request.user, challenge)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Challenge {'opened' if action == 'open' else 'closed'}.")
    return redirect(challenge)


@policy.rule("challenge.browse")
def challenge_detail(request, pk: int):
    challenge = selectors.get_challenge_for_user(request.user, pk)
    ideas = selectors.idea_list(selectors.visible_ideas(request.user).filter(challenge=challenge))
    # The challenge's own counter gives the page count: no COUNT(*) over its ideas.
    page = CountedPaginator(ideas, IDEAS_PER_PAGE, count=challenge.idea_count).get_page(
        request.GET.get("page"))
    context = {
        "challenge": challenge,
        "units": list(challenge.units.all()) if challenge.audience == "units" else [],
        "page": page,
        "voted": selectors.voted_idea_ids(request.user, page.object_list),
        "can_manage": policy.can(request.user, "challenge.manage"),
        "can_contribute": policy.can(request.user, "idea.contribute")
        and challenge.accepts_ideas(),
    }
    template = "ideas/challenge_detail.html"
    if request.htmx and request.htmx.target == "idea-list":
        template += "#idea-list"
    return render(request, template, context)


