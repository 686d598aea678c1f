"""Resource pages: an initiative's requests per stage, the request form, a leader's decision,
spending, the approvals queue and the requests drawing on one budget envelope."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import resources as actions
from seedbed.pipeline.forms.resources import DecisionForm, ResourceRequestForm, SpendForm
from seedbed.pipeline.models import ResourceRequest
from seedbed.pipeline.selectors import resources as reads
from seedbed.pipeline.views import frame

PER_PAGE = 25


def _tab_url(resource_request: ResourceRequest) -> str:
    return (reverse("pipeline:initiative_resources", args=[resource_request.initiative_id])
            + f"?stage={resource_request.stage_id}")


def _render_form(request: HttpRequest, template: str, context: dict,
                 conflict: StateConflict | None = None) -> HttpResponse:
    """The form again, with its errors: 409 when the record's state refused the change, 400 for
    bad input."""
    form = context["form"]
    if conflict is not None:
        form.add_error(None, conflict.message)
    status = 409 if conflict is not None else (400 if form.errors else 200)
    return render(request, template, context, status=status)


@policy.rule("pipeline.browse")
def initiative_resources(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    context = frame(request, initiative, "pipeline:initiative_resources")
    stage = reads.stage_of(initiative, context["stages"], request.GET.get("stage"))
    totals = reads.summary(initiative)
    user = request.user
    context.update({
        "stage": stage,
        "stage_links": [(s, totals.of(s)) for s in context["stages"]],
        "totals": totals.of(stage),
        "rows": list(reads.request_rows(reads.initiative_requests(initiative, stage))),
        "envelope": reads.envelope_for(initiative.org_unit, timezone.localdate()),
        "can_request": context["can_work"] and initiative.is_open,
        "can_approve": policy.can(user, "pipeline.approve"),
        "can_spend": reads.may_record_spend(user, initiative, can_work=context["can_work"]),
    })
    return render(request, "pipeline/resources/initiative_resources.html", context)


@policy.rule("pipeline.work")
def resource_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    selectors.require_work(request.user, initiative)
    context = frame(request, initiative, "pipeline:initiative_resources")
    today = timezone.localdate()
    envelope = reads.envelope_for(initiative.org_unit, today)
    stages = [s for s in context["stages"] if s.position >= initiative.stage.position]
    partners = (None if policy.role_of(request.user) == policy.PARTNER
                else reads.active_partners(today))
    form = ResourceRequestForm(request.POST or None, stages=stages, partners=partners,
                               currency=envelope.currency if envelope else None,
                               initial={"stage": initiative.stage_id})
    context.update({"form": form, "envelope": envelope})
    template = "pipeline/resources/request_form.html"
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.request_resources(request.user, initiative, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            return _render_form(request, template, context, exc)
        else:
            messages.success(request, f"{made.get_kind_display()} requested for "
                                      f"{made.stage.name}; a leader will decide.")
            return redirect(_tab_url(made))
    return _render_form(request, template, context)


@policy.rule("pipeline.approve")
def resource_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    resource_request = reads.get_request_for_user(request.user, pk)
    initiative = resource_request.initiative
    envelope = resource_request.envelope
    form = DecisionForm(request.POST or None)
    context = {"form": form, "req": resource_request, "initiative": initiative,
               "envelope": envelope,
               "own": resource_request.requested_by_id == request.user.pk}
    template = "pipeline/resources/decide.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                actions.approve_request(request.user, resource_request, note=data["note"],
                                        override=data["override"],
                                        override_reason=data["override_reason"])
            else:
                actions.reject_request(request.user, resource_request, note=data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            return _render_form(request, template, context, exc)
        else:
            verb = "approved" if data["decision"] == "approve" else "rejected"
            messages.success(request, f"Request {verb}.")
            return redirect("pipeline:approvals")
    return _render_form(request, template, context)


@policy.rule("pipeline.work")
@require_POST
def resource_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    resource_request = reads.get_request_for_user(request.user, pk)
    try:
        actions.withdraw_request(request.user, resource_request)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Request withdrawn.")
    return redirect(_tab_url(resource_request))


@policy.rule("pipeline.work")
def spend_create(request: HttpRequest, pk: int) -> HttpResponse:
    resource_request = reads.get_request_for_user(request.user, pk)
    initiative = resource_request.initiative
    if not reads.may_record_spend(request.user, initiative):
        raise PermissionDenied("Only the initiative's team, innovation managers and leaders "
                               "record spending.")
    form = SpendForm(request.POST or None, initial={"spent_on": timezone.localdate()})
    context = {"form": form, "req": resource_request, "initiative": initiative,
               "envelope": resource_request.envelope,
               "spends": list(reads.request_spends(resource_request))}
    template = "pipeline/resources/spend_form.html"
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_spend(request.user, resource_request, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            return _render_form(request, template, context, exc)
        else:
            messages.success(request, "Spending recorded.")
            return redirect(_tab_url(resource_request))
    return _render_form(request, template, context)


@policy.rule("pipeline.approve")
def approvals(request: HttpRequest) -> HttpResponse:
    page = Paginator(reads.pending_approvals(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "pipeline/resources/approvals.html", {"page": page})


@policy.rule("pipeline.portfolio")
def envelope_requests(request: HttpRequest, pk: int) -> HttpResponse:
    envelope = reads.get_envelope_for_user(request.user, pk)
    page = Paginator(reads.envelope_requests(request.user, envelope), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "pipeline/resources/envelope_requests.html", {
        "envelope": envelope, "page": page,
        "hidden": reads.hidden_envelope_requests(request.user, envelope)})
