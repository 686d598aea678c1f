from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.pipeline.selectors import value as value_selectors
from seedbed.strategy.actions import planning as actions
from seedbed.strategy.forms.planning import (
    ActionItemFilterForm,
    ActionItemForm,
    ObjectiveForm,
    ProgressForm,
    RaciForm,
)
from seedbed.strategy.models import ActionItem, Objective
from seedbed.strategy.selectors import planning as selectors

PER_PAGE = 20
UPDATES_PER_PAGE = 20


def _assess(objectives, today=None) -> None:
    today = today or timezone.localdate()
    for objective in objectives:
        objective.assessment = objective.assess(today)


# --- Objectives -------------------------------------------------------------------------------


@policy.rule("strategy.read")
def objective_list(request):
    objectives = selectors.objective_list(selectors.visible_objectives(request.user))
    page = Paginator(objectives, PER_PAGE).get_page(request.GET.get("page"))
    _assess(page.object_list)
    return render(request, "strategy/planning/objective_list.html", {
        "page": page, "can_manage": policy.can(request.user, "strategy.manage")})


def _objective_context(request, objective: Objective, progress_form=None) -> dict:
    objective.assessment = objective.assess()
    updates = Paginator(selectors.updates_for(objective), UPDATES_PER_PAGE).get_page(
        request.GET.get("page"))
    can_record = selectors.can_record_progress(request.user, objective)
    return {
        "objective": objective,
        "focus_areas": list(objective.focus_areas.all()),
        "page": updates,
        "actions": list(selectors.action_items_for(objective)[:20]),
        "can_manage": policy.can(request.user, "strategy.manage"),
        "can_record": can_record,
        "progress_form": progress_form or (
            ProgressForm(initial={"as_of": timezone.localdate()}) if can_record else None),
        # What the initiatives serving it deliver (clause 6.2 via 8.3.6): two queries.
        "value": value_selectors.objective_value(request.user, objective),
        "serving": value_selectors.initiatives_serving(request.user, objective),
        "can_see_rollup": policy.can(request.user, "pipeline.portfolio"),
    }


@policy.rule("strategy.read")
def objective_detail(request, pk: int):
    objective = selectors.get_objective_for_user(request.user, pk)
    return render(request, "strategy/planning/objective_detail.html",
                  _objective_context(request, objective))


def _objective_initial(objective: Objective) -> dict:
    return {name: getattr(objective, name) for name in actions.OBJECTIVE_FIELDS
            if name != "focus_areas"} | {"focus_areas": list(objective.focus_areas.all())}


@policy.rule("strategy.manage")
def objective_create(request):
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objective = actions.create_objective(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Objective saved. Record progress as it is measured.")
            return redirect(objective)
    return render(request, "strategy/planning/objective_form.html",
                  {"form": form, "objective": None}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def objective_edit(request, pk: int):
    objective = selectors.get_objective_for_user(request.user, pk, manage=True)
    form = ObjectiveForm(request.POST or None, objective=objective,
                         initial=_objective_initial(objective))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_objective(request.user, objective, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Objective updated.")
            return redirect(objective)
    return render(request, "strategy/planning/objective_form.html",
                  {"form": form, "objective": objective}, status=400 if form.errors else 200)


# The route admits every reader; the selector then admits only managers and the owner.
@policy.rule("strategy.read")
@require_POST
def objective_progress(request, pk: int):
    objective = selectors.get_objective_for_user(request.user, pk, progress=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            actions.record_progress(request.user, objective, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Progress recorded.")
            return redirect(objective)
    objective.refresh_from_db()
    return render(request, "strategy/planning/objective_detail.html",
                  _objective_context(request, objective, form), status=400)


# --- RACI -------------------------------------------------------------------------------------


def _raci_page(request, form=None, status: int = 200):
    can_manage = policy.can(request.user, "strategy.manage")
    return render(request, "strategy/planning/raci.html", {
        "matrix": selectors.raci_matrix(request.user),
        "can_manage": can_manage,
        "form": form or (RaciForm() if can_manage else None),
    }, status=status)


@policy.rule("strategy.read")
def raci(request):
    return _raci_page(request)


@policy.rule("strategy.manage")
@require_POST
def raci_add(request):
    form = RaciForm(request.POST)
    if form.is_valid():
        try:
            assignment = actions.add_raci_assignment(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{assignment.letter} added for {assignment.process}.")
            return redirect("strategy:planning_raci")
    return _raci_page(request, form, status=400)


@policy.rule("strategy.manage")
@require_POST
def raci_remove(request, pk: int):
    assignment = selectors.get_raci_for_user(request.user, pk)
    actions.remove_raci_assignment(request.user, assignment)
    messages.success(request, f"{assignment.letter} removed from {assignment.process}.")
    return redirect("strategy:planning_raci")


# --- Action items -----------------------------------------------------------------------------


@policy.rule("strategy.read")
def action_item_list(request):
    filters = ActionItemFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    items = selectors.filter_action_items(
        selectors.action_item_list(selectors.visible_action_items(request.user)),
        kind=chosen.get("kind", ""), status=chosen.get("status", ""),
        overdue=chosen.get("overdue", False), today=today)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: ("1" if v is True else v) for k, v in chosen.items() if v})
    return render(request, "strategy/planning/action_item_list.html", {
        "page": page, "filters": filters, "query": query,
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("strategy.read")
def action_item_detail(request, pk: int):
    item = selectors.get_action_item_for_user(request.user, pk)
    can_manage = policy.can(request.user, "strategy.manage")
    next_statuses = [(s, ActionItem.Status(s).label) for s in ActionItem.Status.values
                     if s in actions.TRANSITIONS[item.status]] if can_manage else []
    return render(request, "strategy/planning/action_item_detail.html", {
        "item": item, "can_manage": can_manage, "next_statuses": next_statuses})


def _action_initial(item: ActionItem) -> dict:
    return {name: getattr(item, name) for name in actions.ACTION_ITEM_FIELDS if name != "status"}


@policy.rule("strategy.manage")
def action_item_create(request):
    initial = {}
    # "Add an action" from an objective's page arrives with the objective chosen.
    objective_id = request.GET.get("objective", "")
    if objective_id.isdigit() and len(objective_id) < 19:
        initial["objective"] = selectors.visible_objectives(request.user).filter(
            pk=int(objective_id)).first()
    form = ActionItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.create_action_item(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect(item)
    return render(request, "strategy/planning/action_item_form.html",
                  {"form": form, "item": None}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def action_item_edit(request, pk: int):
    item = selectors.get_action_item_for_user(request.user, pk, manage=True)
    form = ActionItemForm(request.POST or None, item=item, initial=_action_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_action_item(request.user, item, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Action updated.")
            return redirect(item)
    return render(request, "strategy/planning/action_item_form.html",
                  {"form": form, "item": item}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
@require_POST
def action_item_status(request, pk: int):
    item = selectors.get_action_item_for_user(request.user, pk, manage=True)
    status = request.POST.get("status", "")
    try:
        if status not in ActionItem.Status.values:
            raise ValidationError({"status": "Choose a status."})
        item = actions.set_action_item_status(request.user, item, status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Action marked {item.get_status_display().lower()}.")
    return redirect(reverse("strategy:planning_action_item_detail", args=[pk]))
