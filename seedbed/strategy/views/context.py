"""The context register pages: issues (clause 4.1) and interested parties (4.2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from seedbed import policy
from seedbed.core.forms import apply_errors
from seedbed.strategy.actions import context as actions
from seedbed.strategy.forms.context import ContextIssueForm, InterestedPartyForm
from seedbed.strategy.models import ContextIssue
from seedbed.strategy.selectors import context as selectors
from seedbed.strategy.selectors import focus as focus_selectors

PER_PAGE = 25
LINKED_SHOWN = 50


@policy.rule("strategy.read")
def issue_list(request):
    issues = selectors.visible_context_issues(request.user)
    category = request.GET.get("category", "")
    if category in ContextIssue.Category.values:
        issues = issues.filter(category=category)
    else:
        category = ""
    overdue_only = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    if overdue_only:
        issues = issues.filter(review_on__lt=today)
    page = Paginator(issues.order_by("category", "title", "id"), PER_PAGE).get_page(
        request.GET.get("page"))
    query = "&".join(part for part in (f"category={category}" if category else "",
                                       "overdue=1" if overdue_only else "") if part)
    return render(request, "strategy/context/issue_list.html", {
        "page": page, "category": category, "categories": ContextIssue.Category.choices,
        "overdue_only": overdue_only, "query": query, "today": today,
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("strategy.read")
def issue_detail(request, pk: int):
    issue = selectors.get_context_issue_for_user(request.user, pk)
    focus_areas = list(focus_selectors.visible_focus_areas(request.user)
                       .filter(context_issues=issue).order_by("status", "priority", "title")
                       [:LINKED_SHOWN])
    return render(request, "strategy/context/issue_detail.html", {
        "issue": issue, "focus_areas": focus_areas, "today": timezone.localdate(),
        "can_manage": policy.can(request.user, "strategy.manage")})


def _issue_initial(issue) -> dict:
    return {name: getattr(issue, name) for name in actions.ISSUE_FIELDS}


@policy.rule("strategy.manage")
def issue_create(request):
    form = ContextIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = actions.create_context_issue(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Context issue added to the register.")
            return redirect(issue)
    return render(request, "strategy/context/issue_form.html", {"form": form, "issue": None},
                  status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def issue_edit(request, pk: int):
    issue = selectors.get_context_issue_for_user(request.user, pk, manage=True)
    form = ContextIssueForm(request.POST or None, initial=_issue_initial(issue))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_context_issue(request.user, issue, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Context issue updated.")
            return redirect(issue)
    return render(request, "strategy/context/issue_form.html", {"form": form, "issue": issue},
                  status=400 if form.errors else 200)


@policy.rule("strategy.read")
def party_list(request):
    parties = selectors.visible_interested_parties(request.user)
    page = Paginator(parties.order_by("name", "id"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/context/party_list.html", {
        "page": page, "today": timezone.localdate(),
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("strategy.read")
def party_detail(request, pk: int):
    party = selectors.get_interested_party_for_user(request.user, pk)
    focus_areas = list(focus_selectors.visible_focus_areas(request.user)
                       .filter(interested_parties=party).order_by("status", "priority", "title")
                       [:LINKED_SHOWN])
    return render(request, "strategy/context/party_detail.html", {
        "party": party, "focus_areas": focus_areas, "today": timezone.localdate(),
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("strategy.manage")
def party_create(request):
    form = InterestedPartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            party = actions.create_interested_party(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Interested party added to the register.")
            return redirect(party)
    return render(request, "strategy/context/party_form.html", {"form": form, "party": None},
                  status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def party_edit(request, pk: int):
    party = selectors.get_interested_party_for_user(request.user, pk, manage=True)
    form = InterestedPartyForm(request.POST or None,
                               initial={name: getattr(party, name)
                                        for name in actions.PARTY_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_interested_party(request.user, party, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Interested party updated.")
            return redirect(party)
    return render(request, "strategy/context/party_form.html", {"form": form, "party": party},
                  status=400 if form.errors else 200)
