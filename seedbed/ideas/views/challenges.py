"""Challenge pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.core.pagination import CountedPaginator
from seedbed.ideas import actions, selectors
from seedbed.ideas.forms import ChallengeForm, CustomFieldForm
from seedbed.ideas.models import Challenge

IDEAS_PER_PAGE = 20

_TRANSITIONS = {
    "open": (actions.open_challenge, "Challenge opened."),
    "close": (actions.close_challenge, "Challenge closed."),
    "schedule": (actions.schedule_challenge, "Challenge scheduled: it opens by itself on its "
                                             "opening date."),
    "unschedule": (actions.unschedule_challenge, "Challenge taken back to draft."),
}


@policy.rule("challenge.browse")
def challenge_list(request: HttpRequest) -> HttpResponse:
    can_manage = policy.can(request.user, "challenge.manage")
    challenges = selectors.visible_challenges(request.user).select_related("created_by")
    status = request.GET.get("status", "")
    if status in Challenge.Status.values:
        challenges = challenges.filter(status=status)
    page = Paginator(challenges.order_by("-created_at", "-id"), 20).get_page(
        request.GET.get("page"))
    hidden = (Challenge.Status.DRAFT, Challenge.Status.SCHEDULED)
    return render(request, "ideas/challenge_list.html", {
        "page": page, "status": status,
        "statuses": [choice for choice in Challenge.Status.choices
                     if can_manage or choice[0] not in hidden],
        "query": f"status={status}" if status in Challenge.Status.values else "",
        "can_manage": can_manage,
        "all_counts": policy.role_of(request.user) in selectors.SEE_CONFIDENTIAL})


@policy.rule("challenge.manage")
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = actions.create_challenge(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Challenge saved as a draft. Schedule or open it when it "
                                      "is ready.")
            return redirect(challenge)
    return render(request, "ideas/challenge_form.html", {"form": form, "challenge": None},
                  status=400 if form.errors else 200)


@policy.rule("challenge.manage")
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    form = ChallengeForm(request.POST or None, initial=ChallengeForm.initial_for(challenge))
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
    return render(request, "ideas/challenge_form.html", {
        "form": form, "challenge": challenge,
        "fields": list(challenge.custom_fields.all()),
        "field_form": CustomFieldForm(),
    }, status=400 if form.errors else 200)


@policy.rule("challenge.manage")
@require_POST
def challenge_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    change, done = _TRANSITIONS[action]
    try:
        change(request.user, challenge)
    except StateConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(challenge)


def _invited_partners_shown(user, partner_orgs: list) -> list:
    """Partners see whether their own organisation is invited, never the names of the other
    invited organisations (who else a company works with is itself confidential)."""
    if policy.role_of(user) == policy.PARTNER:
        return [org for org in partner_orgs if org.pk == user.partner_org_id]
    return partner_orgs


@policy.rule("challenge.browse")
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk)
    can_manage = policy.can(request.user, "challenge.manage")
    ideas = selectors.idea_list(selectors.visible_ideas(request.user).filter(challenge=challenge))
    # The challenge's own counters give the page count: no COUNT(*) over its ideas. Those who
    # may not see confidential ideas get the count without them.
    idea_count = (challenge.idea_count
                  if policy.role_of(request.user) in selectors.SEE_CONFIDENTIAL
                  else challenge.public_idea_count)
    page = CountedPaginator(ideas, IDEAS_PER_PAGE, count=idea_count).get_page(
        request.GET.get("page"))
    context = {
        "challenge": challenge,
        "idea_count": idea_count,
        "page": page,
        "voted": selectors.voted_idea_ids(request.user, page.object_list),
        "can_manage": can_manage,
        "can_contribute": policy.can(request.user, "idea.contribute")
        and challenge.accepts_ideas(),
    }
    template = "ideas/challenge_detail.html"
    if request.htmx and request.htmx.target == "idea-list":
        return render(request, template + "#idea-list", context)
    # A fixed number of queries whatever the challenge links to: one per relation.
    prefetch_related_objects([challenge], "focus_areas", "idea_types", "partner_orgs", "units")
    context.update({
        "sponsor": challenge.sponsor,
        "units": list(challenge.units.all())
        if challenge.audience == Challenge.Audience.UNITS else [],
        "focus_areas": list(challenge.focus_areas.all()),
        "idea_types": list(challenge.idea_types.all()),
        "partners": _invited_partners_shown(request.user, list(challenge.partner_orgs.all())),
        "can_read_strategy": policy.can(request.user, "strategy.read"),
        "fields": list(challenge.custom_fields.all()) if can_manage else [],
    })
    return render(request, template, context)
