"""Pages: the assumptions ledger and experiments tab, the risk register tab, and their forms.

Reads go through ``selectors`` (the initiative's visibility: 404 for what one may not see);
writes through ``actions.validation``, which checks who may work on the initiative (403)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.forms.validation import (
    AssumptionForm,
    ConcludeForm,
    ExperimentForm,
    ResultForm,
    RiskForm,
)
from seedbed.pipeline.models import Initiative
from seedbed.pipeline.selectors import validation as records
from seedbed.pipeline.views import frame

VALIDATION_TAB = "pipeline:initiative_validation"
RISKS_TAB = "pipeline:initiative_risks"


def _tab_context(request: HttpRequest, initiative: Initiative, tab: str) -> dict:
    context = frame(request, initiative, tab)
    # Records change only while the initiative is open; afterwards only learnings are written.
    context["editable"] = context["can_work"] and initiative.status not in actions.CLOSED
    return context


def _submit(request: HttpRequest, form: Form, do: Callable[[dict], object],
            success: str) -> int | None:
    """Run ``do(cleaned_data)`` for a valid POST. None once it succeeded; otherwise the status
    the form page answers with (the action's refusal shown on the form)."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 400
    try:
        do(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return 400
    except StateConflict as exc:
        form.add_error(None, exc.message)
        return 409
    messages.success(request, success)
    return None


def _form_page(request: HttpRequest, initiative: Initiative, tab: str, form: Form,
               status: int, *, heading: str, intro: str = "", record=None) -> HttpResponse:
    context = _tab_context(request, initiative, tab) | {
        "form": form, "heading": heading, "intro": intro, "record": record,
        "back": reverse(tab, args=[initiative.pk])}
    return render(request, "pipeline/validation/form.html", context, status=status)


def _worker(request: HttpRequest, initiative: Initiative) -> Initiative:
    """The initiative of a form page, once the viewer is known to work on it (else 403)."""
    selectors.require_work(request.user, initiative)
    return initiative


def _refusal(request: HttpRequest, exc: StateConflict, tab: str, initiative_id: int):
    messages.error(request, exc.message)
    return redirect(tab, initiative_id)


# --- assumptions ledger and experiments -------------------------------------------------------


@policy.rule("pipeline.browse")
def validation(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    sort = request.GET.get("sort", "")
    sort = sort if sort in records.LEDGER_SORTS else "importance"
    assumptions = records.ledger(initiative, sort)
    context = _tab_context(request, initiative, VALIDATION_TAB) | {
        "assumptions": assumptions, "sort": sort,
        "sorts": [(key, label) for key, label in (
            ("importance", "Importance"), ("kind", "Kind"), ("evidence", "Evidence"),
            ("status", "Status"), ("experiments", "Experiments"))]}
    if request.htmx:
        return render(request, "pipeline/validation/validation.html#ledger", context)
    context |= {"summary": records.uncertainty_summary(initiative, assumptions),
                "experiments": records.experiments_of(initiative)}
    return render(request, "pipeline/validation/validation.html", context)


@policy.rule("pipeline.work")
def assumption_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _worker(request, selectors.get_initiative_for_user(request.user, pk))
    form = AssumptionForm(request.POST or None)
    status = _submit(request, form, lambda data: actions.create_assumption(
        request.user, initiative, **data), "Assumption recorded.")
    if status is None:
        return redirect(VALIDATION_TAB, initiative.pk)
    return _form_page(request, initiative, VALIDATION_TAB, form, status,
                      heading="New assumption",
                      intro="Importance 4 and 5 mark a critical assumption: the initiative's "
                            "uncertainty counts those not yet tested.")


@policy.rule("pipeline.work")
def assumption_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assumption = records.get_assumption_for_user(request.user, pk)
    initiative = _worker(request, assumption.initiative)
    form = AssumptionForm(request.POST or None, initial=AssumptionForm.initial_for(assumption))
    status = _submit(request, form, lambda data: actions.update_assumption(
        request.user, assumption, **data), "Assumption updated.")
    if status is None:
        return redirect(VALIDATION_TAB, initiative.pk)
    return _form_page(request, initiative, VALIDATION_TAB, form, status,
                      heading="Edit assumption", record=assumption)


@policy.rule("pipeline.work")
@require_POST
def assumption_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assumption = records.get_assumption_for_user(request.user, pk)
    try:
        actions.delete_assumption(request.user, assumption)
    except StateConflict as exc:
        return _refusal(request, exc, VALIDATION_TAB, assumption.initiative_id)
    messages.success(request, f"Assumption “{assumption.statement}” deleted.")
    return redirect(VALIDATION_TAB, assumption.initiative_id)


@policy.rule("pipeline.work")
def experiment_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _worker(request, selectors.get_initiative_for_user(request.user, pk))
    form = ExperimentForm(request.POST or None, initiative=initiative,
                          initial={"assumptions": request.GET.getlist("assumption")})
    status = _submit(request, form, lambda data: actions.create_experiment(
        request.user, initiative, **data), "Experiment planned.")
    if status is None:
        return redirect(VALIDATION_TAB, initiative.pk)
    return _form_page(request, initiative, VALIDATION_TAB, form, status,
                      heading="Plan an experiment",
                      intro="Test the riskiest assumptions first: a clear hypothesis, how you "
                            "will measure it and what result counts as success.")


@policy.rule("pipeline.work")
def experiment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = records.get_experiment_for_user(request.user, pk)
    initiative = _worker(request, experiment.initiative)
    if initiative.status in actions.CLOSED:
        form = ResultForm(request.POST or None, learning_only=True,
                          initial=ResultForm.initial_for(experiment))
        heading = "Record what was learned"
    elif experiment.status in actions.OUTCOMES:
        form = ResultForm(request.POST or None, initial=ResultForm.initial_for(experiment))
        heading = "Correct the result"
    else:
        form = ExperimentForm(request.POST or None, initiative=initiative,
                              initial=ExperimentForm.initial_for(experiment))
        heading = "Edit experiment"
    status = _submit(request, form, lambda data: actions.update_experiment(
        request.user, experiment, **data), "Experiment updated.")
    if status is None:
        return redirect(VALIDATION_TAB, initiative.pk)
    return _form_page(request, initiative, VALIDATION_TAB, form, status, heading=heading,
                      record=experiment)


@policy.rule("pipeline.work")
def experiment_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = records.get_experiment_for_user(request.user, pk)
    initiative = _worker(request, experiment.initiative)
    form = ConcludeForm(request.POST or None)
    status = _submit(request, form, lambda data: actions.conclude_experiment(
        request.user, experiment, **data),
        "Result recorded; the assumptions it tests and the uncertainty are updated.")
    if status is None:
        return redirect(VALIDATION_TAB, initiative.pk)
    return _form_page(request, initiative, VALIDATION_TAB, form, status,
                      heading="Record the result", record=experiment)


@policy.rule("pipeline.work")
@require_POST
def experiment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = records.get_experiment_for_user(request.user, pk)
    try:
        actions.delete_experiment(request.user, experiment)
    except StateConflict as exc:
        return _refusal(request, exc, VALIDATION_TAB, experiment.initiative_id)
    messages.success(request, "Experiment deleted.")
    return redirect(VALIDATION_TAB, experiment.initiative_id)


# --- risk register ----------------------------------------------------------------------------


@policy.rule("pipeline.browse")
def risks(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    rows = records.risks_of(initiative)
    open_rows = [r for r in rows if r.status == r.Status.OPEN]
    context = _tab_context(request, initiative, RISKS_TAB) | {
        "risks": rows, "heat_map": records.heat_map(rows),
        "open_count": len(open_rows),
        "high_count": sum(1 for r in open_rows if r.level == "high"),
        "untreated": [r for r in rows if r.needs_treatment]}
    return render(request, "pipeline/validation/risks.html", context)


@policy.rule("pipeline.work")
def risk_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _worker(request, selectors.get_initiative_for_user(request.user, pk))
    form = RiskForm(request.POST or None, initiative=initiative)
    status = _submit(request, form, lambda data: actions.create_risk(
        request.user, initiative, **data), "Risk added to the register.")
    if status is None:
        return redirect(RISKS_TAB, initiative.pk)
    return _form_page(request, initiative, RISKS_TAB, form, status, heading="New risk",
                      intro="Score = likelihood × impact: 15 or more is high, 8 to 14 medium, "
                            "below 8 low. A high risk needs a treatment before the gates that "
                            "check it.")


@policy.rule("pipeline.work")
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = records.get_risk_for_user(request.user, pk)
    initiative = _worker(request, risk.initiative)
    form = RiskForm(request.POST or None, initiative=initiative,
                    initial=RiskForm.initial_for(risk))
    status = _submit(request, form, lambda data: actions.update_risk(
        request.user, risk, **data), "Risk updated.")
    if status is None:
        return redirect(RISKS_TAB, initiative.pk)
    return _form_page(request, initiative, RISKS_TAB, form, status, heading="Edit risk",
                      record=risk)


@policy.rule("pipeline.work")
@require_POST
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    risk = records.get_risk_for_user(request.user, pk)
    try:
        actions.delete_risk(request.user, risk)
    except StateConflict as exc:
        return _refusal(request, exc, RISKS_TAB, risk.initiative_id)
    messages.success(request, f"Risk “{risk.title}” deleted.")
    return redirect(RISKS_TAB, risk.initiative_id)
