"""Focus areas: the register of opportunities and threats, employees' proposals, and the
managers' triage of them (the strategy's feedback loop)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.strategy.actions import focus as actions
from seedbed.strategy.forms.focus import (
    AcceptForm,
    DeclineForm,
    FocusAreaForm,
    MergeForm,
    ProposalForm,
)
from seedbed.strategy.models import FocusArea
from seedbed.strategy.selectors import focus as selectors

PER_PAGE = 25
SORTS = {
    "priority": ("Priority", ("priority", "horizon", "title", "id")),
    "horizon": ("Horizon", ("horizon", "priority", "title", "id")),
    "title": ("Title", ("title", "id")),
    "newest": ("Newest", ("-created_at", "-id")),
}


def _filters(request, sees_proposals: bool) -> tuple[dict, dict]:
    """The valid filters from the query string: (values, queryset lookups)."""
    status_values = FocusArea.Status.values if sees_proposals else ["active", "retired"]
    allowed = {"kind": FocusArea.Kind.values, "horizon": FocusArea.Horizon.values,
               "priority": [str(v) for v in FocusArea.Priority.values], "status": status_values}
    values = {name: request.GET.get(name, "") for name in allowed}
    values = {name: value for name, value in values.items() if value in allowed[name]}
    lookups = dict(values)
    lookups.setdefault("status", FocusArea.Status.ACTIVE)
    return values, lookups


@policy.rule("strategy.read")
def focus_list(request):
    sees_proposals = selectors.sees_proposals(request.user)
    values, lookups = _filters(request, sees_proposals)
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "priority"
    areas = selectors.focus_area_rows(selectors.visible_focus_areas(request.user)) \
        .filter(**lookups).order_by(*SORTS[sort][1])
    page = Paginator(areas, PER_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{name}={value}" for name, value in {**values, "sort": sort}.items())
    statuses = [c for c in FocusArea.Status.choices
                if sees_proposals or c[0] in ("active", "retired")]
    return render(request, "strategy/focus/focus_list.html", {
        "page": page, "query": query, "values": values, "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "kinds": FocusArea.Kind.choices, "horizons": FocusArea.Horizon.choices,
        "priorities": FocusArea.Priority.choices, "statuses": statuses,
        "can_manage": policy.can(request.user, "strategy.manage"),
        "can_propose": policy.can(request.user, "strategy.propose")})


def _detail_context(request, area: FocusArea, **forms) -> dict:
    can_manage = policy.can(request.user, "strategy.manage")
    context = {"area": area, "can_manage": can_manage,
               "context_issues": list(area.context_issues.all()),
               "interested_parties": list(area.interested_parties.all())}
    if can_manage and area.status == FocusArea.Status.PROPOSED:
        targets = selectors.active_focus_areas(request.user).exclude(pk=area.pk) \
            .order_by("title")
        context["accept_form"] = forms.get("accept_form") or AcceptForm(
            prefix="accept", initial={"horizon": area.horizon, "priority": area.priority})
        context["merge_form"] = forms.get("merge_form") or MergeForm(prefix="merge",
                                                                     targets=targets)
        context["decline_form"] = forms.get("decline_form") or DeclineForm(prefix="decline")
    return context


@policy.rule("strategy.read")
def focus_detail(request, pk: int):
    area = selectors.get_focus_area_for_user(request.user, pk)
    return render(request, "strategy/focus/focus_detail.html", _detail_context(request, area))


def _area_initial(area: FocusArea) -> dict:
    return {"title": area.title, "kind": area.kind, "rationale": area.rationale,
            "horizon": area.horizon, "priority": area.priority, "owner": area.owner,
            "status": area.status, "context_issues": list(area.context_issues.all()),
            "interested_parties": list(area.interested_parties.all())}


@policy.rule("strategy.manage")
def focus_create(request):
    form = FocusAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = actions.create_focus_area(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Focus area added to the register.")
            return redirect(area)
    return render(request, "strategy/focus/focus_form.html", {"form": form, "area": None},
                  status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def focus_edit(request, pk: int):
    area = selectors.get_focus_area_for_user(request.user, pk, manage=True)
    if area.status in (FocusArea.Status.MERGED, FocusArea.Status.DECLINED):
        messages.error(request, "A decided proposal can no longer be edited.")
        return redirect(area)
    status_choices = ([c for c in FocusArea.Status.choices if c[0] in actions.EDITABLE_STATUSES]
                      if area.status in actions.EDITABLE_STATUSES else None)
    form = FocusAreaForm(request.POST or None, initial=_area_initial(area),
                         status_choices=status_choices)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_focus_area(request.user, area, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Focus area updated.")
            return redirect(area)
    return render(request, "strategy/focus/focus_form.html", {"form": form, "area": area},
                  status=400 if form.errors else 200)


@policy.rule("strategy.propose")
def focus_propose(request):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = actions.propose_focus_area(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you. Your proposal is with the innovation "
                                      "managers; you can follow it under My proposals.")
            return redirect(area)
    return render(request, "strategy/focus/propose_form.html", {"form": form},
                  status=400 if form.errors else 200)


@policy.rule("strategy.propose")
def focus_my_proposals(request):
    page = Paginator(selectors.my_proposals(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "strategy/focus/my_proposals.html", {"page": page})


@policy.rule("strategy.manage")
def focus_triage(request):
    page = Paginator(selectors.triage_queue(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "strategy/focus/triage.html", {"page": page})


def _decide(request, pk: int, form_class, prefix: str, decide, done: str, **form_kwargs):
    """One triage decision from its form on the proposal page; on bad input, the page again
    with the errors beside that form's fields."""
    area = selectors.get_focus_area_for_user(request.user, pk, manage=True)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if form.is_valid():
        try:
            decide(request.user, area, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            messages.error(request, exc.message)
            return redirect(area)
        else:
            messages.success(request, done)
            return redirect("strategy:focus_triage")
    if area.status != FocusArea.Status.PROPOSED:
        messages.error(request, "This proposal has already been decided.")
        return redirect(area)
    return render(request, "strategy/focus/focus_detail.html",
                  _detail_context(request, area, **{f"{prefix}_form": form}), status=400)


@policy.rule("strategy.manage")
@require_POST
def focus_accept(request, pk: int):
    return _decide(request, pk, AcceptForm, "accept", actions.accept_proposal,
                   "Proposal accepted into the register.")


@policy.rule("strategy.manage")
@require_POST
def focus_merge(request, pk: int):
    targets = selectors.active_focus_areas(request.user).exclude(pk=pk).order_by("title")
    return _decide(request, pk, MergeForm, "merge", actions.merge_proposal,
                   "Proposal merged; the proposer can see where it went.", targets=targets)


@policy.rule("strategy.manage")
@require_POST
def focus_decline(request, pk: int):
    return _decide(request, pk, DeclineForm, "decline", actions.decline_proposal,
                   "Proposal declined; the proposer can read your reason.")
