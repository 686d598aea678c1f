"""The gate tab (what the gate needs, the decision form for its deciders, the history) and the
board's moves, which are gate decisions too."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import gates as gate_actions
from seedbed.pipeline.forms.gates import BoardMoveForm, GateDecisionForm
from seedbed.pipeline.models import GateDecision, Initiative
from seedbed.pipeline.selectors.gates import co_decider_candidates, gate_view
from seedbed.pipeline.views import frame


def _page(request: HttpRequest, initiative: Initiative, *, data=None,
          refused: ValidationError | None = None, error: str = "",
          status: int = 200) -> HttpResponse:
    """The gate tab; with ``data`` the posted decision re-shown with its errors (the form's,
    and the action's ``refused``), with ``error`` why it could not be taken."""
    context = frame(request, initiative, "pipeline:initiative_gate")
    view = gate_view(initiative, stages=context["stages"])
    decides = initiative.is_open and selectors.can_decide(request.user, view.stage)
    form = None
    if decides:
        form = GateDecisionForm(data, view=view,
                                candidates=co_decider_candidates(view.stage, request.user))
        if refused is not None and form.is_valid():
            apply_errors(form, refused)
    context.update(view=view, form=form, decides=decides, error=error,
                   rows=form.rows() if form else [{"status": s} for s in view.items])
    return render(request, "pipeline/gates/gate.html", context, status=status)


@policy.rule("pipeline.browse")
def initiative_gate(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    return _page(request, initiative)


def _decided_message(decision: GateDecision, initiative: Initiative) -> str:
    if initiative.status == Initiative.Status.DEPLOYED:
        return f"Go: “{initiative.title}” passed its last gate and is deployed."
    if initiative.status == Initiative.Status.STOPPED:
        return f"“{initiative.title}” is stopped; what was learned is kept with it."
    if initiative.status == Initiative.Status.ON_HOLD:
        return f"“{initiative.title}” is on hold."
    return f"{decision.get_outcome_display()}: “{initiative.title}” is now in {initiative.stage}."


@policy.rule("pipeline.decide")
@require_POST
def initiative_gate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    view = gate_view(initiative)
    form = GateDecisionForm(request.POST, view=view,
                            candidates=co_decider_candidates(view.stage, request.user))
    if not form.is_valid():
        return _page(request, initiative, data=request.POST, status=400)
    try:
        decision = gate_actions.decide_gate(request.user, initiative, **form.decision())
    except ValidationError as exc:
        return _page(request, initiative, data=request.POST, refused=exc, status=400)
    except StateConflict as exc:
        return _page(request, initiative, error=exc.message, status=409)
    initiative.refresh_from_db()
    messages.success(request, _decided_message(decision, initiative))
    return redirect("pipeline:initiative_gate", initiative.pk)


def _next_url(request: HttpRequest) -> str | None:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


@policy.rule("pipeline.decide")
@require_POST
def initiative_board_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Forward (a go) or back (a pivot to the previous stage) from the portfolio board, by
    buttons or drag; back to ``next`` (a local URL) when done, else the reasons it was refused
    (400 invalid, 409 already moved)."""
    initiative = selectors.get_initiative_for_user(request.user, pk)
    back = _next_url(request) or reverse("pipeline:board")
    form = BoardMoveForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            decision = gate_actions.move_on_board(request.user, initiative,
                                                  **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            initiative.refresh_from_db()
            messages.success(request, _decided_message(decision, initiative))
            return HttpResponseClientRedirect(back) if request.htmx else redirect(back)
    template = "pipeline/gates/board_move.html"
    if request.htmx:
        template += "#refusal"
    return render(request, template, {"initiative": initiative, "form": form, "back": back},
                  status=status)
