"""Initiative pages: the list, promote, the overview with its team, and edit."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline import selectors
from seedbed.pipeline.actions import initiatives as actions
from seedbed.pipeline.forms.initiatives import (
    InitiativeFilterForm,
    InitiativeForm,
    PromoteForm,
    TeamMemberForm,
    parse_ids,
)
from seedbed.pipeline.selectors import initiatives as reads
from seedbed.pipeline.views import frame

PER_PAGE = 25
CANDIDATES = 20  # ideas the promote page's search lists


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 8 else 1


# --- List -------------------------------------------------------------------------------------


@policy.rule("pipeline.browse")
def initiative_list(request: HttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET, options=reads.filter_options(request.user))
    page, filters, status = None, None, 200
    if form.is_valid():
        filters = form.filters()
        qs = reads.filtered(request.user, filters)
        page = Paginator(qs, PER_PAGE).get_page(_page_number(request.GET.get("page")))
    else:
        status = 400
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {"form": form, "page": page, "filters": filters, "query": kept.urlencode(),
               "filtered": bool(kept),
               "can_promote": policy.can(request.user, "pipeline.manage")}
    template = ("pipeline/initiatives/initiative_list.html#results" if request.htmx
                else "pipeline/initiatives/initiative_list.html")
    return render(request, template, context, status=status)


# --- Promote ----------------------------------------------------------------------------------


def _promote_url(ids: list[int], q: str = "") -> str:
    params = {"ideas": ",".join(map(str, ids))}
    if q:
        params["q"] = q
    return f"{reverse('pipeline:initiative_promote')}?{urlencode(params)}"


def _promote_initial(request: HttpRequest, ideas: list, defaults: dict | None) -> dict:
    initial = {"ideas": ",".join(str(i.pk) for i in ideas), "lead": request.user.pk}
    if defaults is None:
        return initial
    initial.update({
        "title": defaults["title"], "summary": defaults["summary"],
        "template": defaults["template"].pk if defaults["template"] else None,
        "horizon": defaults["horizon"], "confidential": defaults["confidential"],
        "focus_areas": [a.pk for a in defaults["focus_areas"]]})
    return initial


@policy.rule("pipeline.manage")
def initiative_promote(request: HttpRequest) -> HttpResponse:
    """Promote one idea or several (merged) into an initiative. ``?ideas=1,2`` names the ideas
    chosen so far; ``q`` searches for more among the promotable ideas this manager may see."""
    source = request.POST if request.method == "POST" else request.GET
    ids = parse_ids(source.get("ideas", ""))
    chosen = reads.chosen_ideas(request.user, ids)
    q = request.GET.get("q", "").strip()[:200]
    defaults = reads.promotion_defaults(chosen) if chosen else None
    form = PromoteForm(request.POST or None, initial=_promote_initial(request, chosen, defaults),
                       current_areas=defaults["focus_areas"] if defaults else [])
    if request.method == "POST" and form.is_valid():
        try:
            initiative = actions.promote_ideas(request.user, form.cleaned_data["ideas"],
                                               **form.promotion())
        except ValidationError as exc:
            apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            count = len(form.cleaned_data["ideas"])
            messages.success(request, f"Initiative “{initiative.title}” created from {count} "
                                      f"idea{'s' if count > 1 else ''}.")
            return redirect(initiative)
    kept = [i.pk for i in chosen]
    candidates = list(reads.promotable_ideas(request.user, q, exclude=kept)[:CANDIDATES])
    for idea in chosen:
        idea.remove_url = _promote_url([pk for pk in kept if pk != idea.pk], q)
    for idea in candidates:
        idea.add_url = _promote_url([*kept, idea.pk], q)
    return render(request, "pipeline/initiatives/initiative_promote.html", {
        "form": form, "chosen": chosen, "candidates": candidates, "q": q,
        "ideas_value": ",".join(map(str, kept)), "promotable": reads.PROMOTABLE,
    }, status=400 if form.errors else 200)


# --- Overview and team ------------------------------------------------------------------------


def _overview_context(request: HttpRequest, initiative, **overrides) -> dict:
    context = frame(request, initiative, "pipeline:initiative_detail")
    may_manage = reads.may_manage(request.user, initiative)
    context.update({
        "overview": reads.overview(request.user, initiative),
        "above_appetite": initiative.uncertainty > initiative.stage.risk_appetite,
        "may_manage": may_manage,
        "team_form": TeamMemberForm() if may_manage else None,
    })
    context.update(overrides)
    return context


@policy.rule("pipeline.browse")
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    return render(request, "pipeline/initiatives/initiative_detail.html",
                  _overview_context(request, initiative))


@policy.rule("pipeline.work")
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Managers edit every field; the lead the title, summary and projected value."""
    initiative = selectors.get_initiative_for_user(request.user, pk)
    fields = reads.editable_fields(request.user, initiative)
    if fields is not None and not fields:
        raise PermissionDenied("Only innovation managers and the initiative's lead may edit it.")
    current_areas = list(initiative.focus_areas.all())
    form = InitiativeForm(request.POST or None, initial=InitiativeForm.initial_for(initiative),
                          fields=fields, current_areas=current_areas)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_initiative(request.user, initiative, **form.changes())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Initiative updated.")
            return redirect(initiative)
    context = frame(request, initiative, "pipeline:initiative_detail")
    context["form"] = form
    return render(request, "pipeline/initiatives/initiative_form.html", context,
                  status=400 if form.errors else 200)


def _initiative_to_manage(request: HttpRequest, pk: int):
    initiative = selectors.get_initiative_for_user(request.user, pk)
    if not reads.may_manage(request.user, initiative):
        raise PermissionDenied("Only innovation managers and the initiative's lead may change "
                               "its team.")
    return initiative


@policy.rule("pipeline.work")
@require_POST
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _initiative_to_manage(request, pk)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            member = actions.add_team_member(request.user, initiative, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{member.user.full_name} joined the team as "
                                      f"{member.get_role_display().lower()}.")
            return redirect(reverse("pipeline:initiative_detail", args=[pk]) + "#team")
    return render(request, "pipeline/initiatives/initiative_detail.html",
                  _overview_context(request, initiative, team_form=form), status=400)


@policy.rule("pipeline.work")
@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    initiative = _initiative_to_manage(request, pk)
    member = reads.get_team_member(initiative, member_pk)
    try:
        actions.remove_team_member(request.user, initiative, member)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{member.user.full_name} left the team.")
    return redirect(reverse("pipeline:initiative_detail", args=[pk]) + "#team")


def idea_detail_context(request: HttpRequest, idea) -> dict:
    """The idea page's part about the pipeline (one query): the initiative the idea feeds, when
    the viewer may see it, and whether the viewer may promote the idea."""
    initiative = reads.initiative_of_idea(request.user, idea)
    return {
        "idea_initiative": initiative,
        "can_promote_idea": (initiative is None and idea.status in reads.PROMOTABLE
                             and policy.can(request.user, "pipeline.manage")),
    }
