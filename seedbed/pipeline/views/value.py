"""The Value tab of an initiative (clause 8.3.6): indicators projected against measured, the
projected value at each gate against the actual value now, feedback and the post-launch review;
and the roll-up of value to the innovation objectives (clause 6.2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.forms.value import (
    FeedbackForm,
    IndicatorForm,
    MeasurementForm,
    ReviewForm,
)
from seedbed.pipeline.models import Initiative
from seedbed.pipeline.selectors import value as value_selectors
from seedbed.pipeline.views import frame

TAB = "pipeline:initiative_value"
FEEDBACK_PER_PAGE = 20


def _tab_url(initiative: Initiative, anchor: str = "") -> str:
    return reverse(TAB, args=[initiative.pk]) + (f"#{anchor}" if anchor else "")


def _page_number(raw: str | None, pages: int) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), pages)


def _indicator_page(request: HttpRequest, pk: int, indicator_pk: int):
    initiative = selectors.get_initiative_for_user(request.user, pk)
    selectors.require_work(request.user, initiative)
    return initiative, value_selectors.get_indicator(initiative, indicator_pk)


def _error_status(form) -> int:
    """409 when the record's state refused the action, 400 for bad input, else 200."""
    return 409 if getattr(form, "conflict", False) else 400 if form.errors else 200


def _form_page(request: HttpRequest, template: str, context: dict, form) -> HttpResponse:
    return render(request, f"pipeline/value/{template}", {**context, "form": form},
                  status=_error_status(form))


def _run(form, action, *args, **kwargs):
    """Call an action for a bound, valid form; its refusals land on the form."""
    try:
        return action(*args, **kwargs)
    except ValidationError as exc:
        apply_errors(form, exc)
    except StateConflict as exc:
        form.add_error(None, exc.message)
        form.conflict = True
    return None


def _tab_context(request: HttpRequest, initiative: Initiative, *, indicator_form=None,
                 feedback_form=None, review_form=None) -> dict:
    """Everything the tab shows, in a fixed number of queries (see the pinned test)."""
    context = frame(request, initiative, TAB)
    indicators = value_selectors.indicators_of(initiative)
    projections = value_selectors.projections_of(initiative)
    summary = value_selectors.feedback_summary(initiative)
    pages = max(1, -(-summary.count // FEEDBACK_PER_PAGE))
    number = _page_number(request.GET.get("feedback_page"), pages)
    start = (number - 1) * FEEDBACK_PER_PAGE
    review = value_selectors.review_of(initiative)
    can_work = context["can_work"] and initiative.status != Initiative.Status.STOPPED
    launched = value_selectors.is_launched(initiative)
    can_review = (can_work and launched
                  and value_selectors.may_revise_review(request.user, initiative, review))
    can_feedback = value_selectors.can_give_feedback(request.user, initiative)
    context.update({
        "indicators": indicators,
        "money": value_selectors.money_totals(indicators),
        "projections": projections,
        "chart_max": value_selectors.chart_max(projections),
        "summary": summary,
        "feedback": list(value_selectors.feedback_for(initiative)[start:start + FEEDBACK_PER_PAGE]),
        "feedback_page": {"number": number, "pages": pages},
        "review": review,
        "launched": launched,
        "can_edit": can_work,
        "can_measure": can_work and launched,
        "can_review": can_review,
        "can_feedback": can_feedback,
        "indicator_form": indicator_form or (IndicatorForm() if can_work else None),
        "feedback_form": feedback_form or (FeedbackForm() if can_feedback else None),
        "review_form": review_form or (
            ReviewForm(initial=ReviewForm.initial_for(review)) if can_review else None),
    })
    return context


def _render_tab(request: HttpRequest, initiative: Initiative, status: int = 200,
                **forms) -> HttpResponse:
    return render(request, "pipeline/value/initiative_value.html",
                  _tab_context(request, initiative, **forms), status=status)


@policy.rule("pipeline.browse")
def initiative_value(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    return _render_tab(request, initiative)


@policy.rule("pipeline.work")
@require_POST
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    selectors.require_work(request.user, initiative)
    form = IndicatorForm(request.POST)
    if form.is_valid() and _run(form, actions.add_indicator, request.user, initiative,
                                **form.cleaned_data):
        messages.success(request, f"Indicator “{form.cleaned_data['name']}” added.")
        return redirect(_tab_url(initiative, "indicators"))
    return _render_tab(request, initiative, _error_status(form), indicator_form=form)


@policy.rule("pipeline.work")
def indicator_edit(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    initiative, row = _indicator_page(request, pk, indicator)
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_for(row))
    if request.method == "POST" and form.is_valid() and _run(
            form, actions.update_indicator, request.user, row, **form.cleaned_data):
        messages.success(request, f"Indicator “{form.cleaned_data['name']}” updated.")
        return redirect(_tab_url(initiative, "indicators"))
    return _form_page(request, "indicator_form.html",
                      {**frame(request, initiative, TAB), "indicator": row}, form)


@policy.rule("pipeline.work")
def indicator_measure(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    initiative, row = _indicator_page(request, pk, indicator)
    form = MeasurementForm(request.POST or None, initial={
        "actual": row.actual, "measured_on": row.measured_on})
    if request.method == "POST" and form.is_valid() and _run(
            form, actions.record_indicator_value, request.user, row, **form.cleaned_data):
        messages.success(request, f"Value of “{row.name}” recorded.")
        return redirect(_tab_url(initiative, "indicators"))
    return _form_page(request, "measure_form.html", {
        **frame(request, initiative, TAB), "indicator": row,
        "launched": value_selectors.is_launched(initiative)}, form)


@policy.rule("pipeline.work")
@require_POST
def indicator_remove(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    initiative, row = _indicator_page(request, pk, indicator)
    try:
        actions.remove_indicator(request.user, row)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Indicator “{row.name}” removed.")
    return redirect(_tab_url(initiative, "indicators"))


@policy.rule("pipeline.work")
@require_POST
def feedback_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid() and _run(form, actions.add_feedback, request.user, initiative,
                                **form.cleaned_data):
        messages.success(request, "Thank you: your feedback was added.")
        return redirect(_tab_url(initiative, "feedback"))
    return _render_tab(request, initiative, _error_status(form), feedback_form=form)


@policy.rule("pipeline.work")
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    review = value_selectors.review_of(initiative)
    if not value_selectors.can_edit_review(request.user, initiative, review):
        raise PermissionDenied("Only the initiative's team and innovation managers write the "
                               "post-launch review; once written, its lead, writer and "
                               "managers change it.")
    form = ReviewForm(request.POST or None, initial=ReviewForm.initial_for(review))
    if request.method == "POST" and form.is_valid() and _run(
            form, actions.record_post_launch_review, request.user, initiative,
            **form.cleaned_data):
        messages.success(request, "Post-launch review saved.")
        return redirect(_tab_url(initiative, "review"))
    return _form_page(request, "review_form.html", {
        **frame(request, initiative, TAB), "review": review,
        "launched": value_selectors.is_launched(initiative)}, form)


@policy.rule("pipeline.portfolio")
def value_rollup(request: HttpRequest) -> HttpResponse:
    rows = value_selectors.with_returns(value_selectors.value_by_objective(request.user))
    return render(request, "pipeline/value/rollup.html", {"rows": rows})
