from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seedbed import policy
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.strategy.actions import resources as actions
from seedbed.strategy.forms.resources import (
    BudgetEnvelopeForm,
    RequiredCompetencyEditForm,
    RequiredCompetencyForm,
    TimeAllowanceForm,
    TrainingFilterForm,
    TrainingRecordForm,
)
from seedbed.strategy.selectors import resources as selectors

PER_PAGE = 25


def _year(request) -> int:
    """The calendar year a list shows: ?year=, or this year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 1900 <= int(raw) <= 9998:
        return int(raw)
    return timezone.localdate().year


# --- Budget envelopes -------------------------------------------------------------------------


@policy.rule("strategy.records")
def budget_list(request):
    year = _year(request)
    envelopes = selectors.visible_budgets(request.user).filter(selectors.overlapping_year(year))
    page = Paginator(envelopes, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/resources/budget_list.html", {
        "page": page, "query": f"year={year}", "year": year,
        "totals": selectors.budget_totals(envelopes),
        "can_manage": policy.can(request.user, "strategy.manage")})


def _budget_form(request, envelope=None):
    initial = {}
    if envelope is not None:
        initial = {field: getattr(envelope, field) for field in
                   ("org_unit", "period_start", "period_end", "allocated", "currency", "note")}
    form = BudgetEnvelopeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if envelope is None:
                envelope = actions.create_budget_envelope(request.user, **form.cleaned_data)
                messages.success(request, "Budget envelope created.")
            else:
                actions.update_budget_envelope(request.user, envelope, **form.cleaned_data)
                messages.success(request, "Budget envelope updated.")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("strategy:resources_budget_list")
                            + f"?year={envelope.period_start.year}")
    return render(request, "strategy/resources/budget_form.html",
                  {"form": form, "envelope": envelope}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def budget_create(request):
    return _budget_form(request)


@policy.rule("strategy.manage")
def budget_edit(request, pk: int):
    return _budget_form(request, selectors.get_budget_for_user(request.user, pk))


# --- Time allowances --------------------------------------------------------------------------


@policy.rule("strategy.records")
def time_list(request):
    year = _year(request)
    allowances = selectors.visible_time_allowances(request.user).filter(
        selectors.overlapping_year(year))
    page = Paginator(allowances, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/resources/time_list.html", {
        "page": page, "query": f"year={year}", "year": year,
        "can_manage": policy.can(request.user, "strategy.manage")})


def _time_form(request, allowance=None):
    initial = {}
    if allowance is not None:
        initial = {field: getattr(allowance, field) for field in actions.TIME_FIELDS}
    form = TimeAllowanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if allowance is None:
                allowance = actions.create_time_allowance(request.user, **form.cleaned_data)
                messages.success(request, "Time allowance created.")
            else:
                actions.update_time_allowance(request.user, allowance, **form.cleaned_data)
                messages.success(request, "Time allowance updated.")
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect(reverse("strategy:resources_time_list")
                            + f"?year={allowance.period_start.year}")
    return render(request, "strategy/resources/time_form.html",
                  {"form": form, "allowance": allowance}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def time_create(request):
    return _time_form(request)


@policy.rule("strategy.manage")
def time_edit(request, pk: int):
    return _time_form(request, selectors.get_time_allowance_for_user(request.user, pk))


# --- Competence -------------------------------------------------------------------------------


@policy.rule("strategy.records")
def competence_matrix(request):
    return render(request, "strategy/resources/competence_matrix.html", {
        "matrix": selectors.competence_matrix(request.user),
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("strategy.manage")
def required_create(request):
    form = RequiredCompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.require_competency(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Required competency added to the matrix.")
            return redirect("strategy:resources_competence_matrix")
    return render(request, "strategy/resources/required_form.html",
                  {"form": form, "requirement": None}, status=400 if form.errors else 200)


@policy.rule("strategy.manage")
def required_edit(request, pk: int):
    requirement = selectors.get_required_competency_for_user(request.user, pk)
    form = RequiredCompetencyEditForm(request.POST or None, initial={
        "people_needed": requirement.people_needed, "rationale": requirement.rationale})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_required_competency(request.user, requirement, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Required competency updated.")
            return redirect("strategy:resources_competence_matrix")
    return render(request, "strategy/resources/required_form.html",
                  {"form": form, "requirement": requirement},
                  status=400 if form.errors else 200)


# --- Training records -------------------------------------------------------------------------


@policy.rule("strategy.records")
def training_list(request):
    filters = TrainingFilterForm(request.GET or None)
    records = selectors.visible_training_records(request.user)
    query = []
    if filters.is_valid():
        for name in ("person", "competency"):
            chosen = filters.cleaned_data.get(name)
            if chosen is not None:
                records = records.filter(**{name: chosen})
                query.append(f"{name}={chosen.pk}")
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/resources/training_list.html", {
        "page": page, "filters": filters, "query": "&".join(query), "mine": False,
        "can_manage": policy.can(request.user, "strategy.manage")})


@policy.rule("account.self")
def training_mine(request):
    records = selectors.visible_training_records(request.user).filter(person=request.user)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/resources/training_list.html",
                  {"page": page, "query": "", "mine": True, "can_manage": False})


@policy.rule("strategy.manage")
def training_create(request):
    form = TrainingRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_training(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Training recorded.")
            return redirect("strategy:resources_training_list")
    return render(request, "strategy/resources/training_form.html", {"form": form},
                  status=400 if form.errors else 200)
