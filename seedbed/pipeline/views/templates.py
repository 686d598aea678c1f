"""Workflow templates: every role reads them (process documentation); innovation managers
create templates, start draft versions, edit their stages, gate items and criteria, and publish
or discard them. The actions enforce the rules; these views parse, call and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors
from seedbed.pipeline.actions import templates as actions
from seedbed.pipeline.forms.templates import (
    CriterionForm,
    DraftForm,
    GateItemForm,
    PublishForm,
    StageForm,
    TemplateForm,
    VersionStartForm,
)
from seedbed.pipeline.models import TemplateVersion
from seedbed.pipeline.selectors import templates as selectors

FORM_PAGE = "pipeline/templates/form.html"


def _refused(request: HttpRequest, message: str, back: str, status: int = 409) -> HttpResponse:
    return render(request, "pipeline/templates/refused.html",
                  {"message": message, "back": back}, status=status)


def _version_url(version_id: int) -> str:
    return reverse("pipeline:template_version", args=[version_id])


def _locked(request: HttpRequest, version: TemplateVersion) -> HttpResponse | None:
    """A published or superseded version offers no edit form (the action would refuse)."""
    if version.status == TemplateVersion.Status.DRAFT:
        return None
    return _refused(request, f"Version {version.number} is "
                             f"{version.get_status_display().lower()}: it never changes, so "
                             "initiatives on it keep their history. Start a new version to make "
                             "changes.", _version_url(version.pk))


def _form_page(request: HttpRequest, form, *, run: Callable[[dict], Any],
               done: Callable[[Any], str], success: str, context: dict) -> HttpResponse:
    """GET shows the form; a valid POST runs the action and redirects to ``done(result)``.
    The action's field errors go back on the form (400); a refusing state answers 409."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = run(form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except StateConflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, success)
                return redirect(done(result))
    return render(request, FORM_PAGE, {"form": form, **context}, status=status)


def _post_action(request: HttpRequest, run: Callable[[], Any], *, back: str, success: str,
                 done: Callable[[Any], str] | None = None) -> HttpResponse:
    """A button: run the action, say so and go back; a refusing state answers 409."""
    try:
        result = run()
    except StateConflict as exc:
        return _refused(request, exc.message, back)
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages), back, status=400)
    messages.success(request, success)
    return redirect(done(result) if done else back)


# --- templates -------------------------------------------------------------------------------

@policy.rule("pipeline.browse")
def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pipeline/templates/template_list.html", {
        "templates": list(selectors.template_rows(request.user)),
        "can_manage": policy.can(request.user, "pipeline.manage")})


@policy.rule("pipeline.browse")
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template(request.user, pk)
    return render(request, "pipeline/templates/template_detail.html", {
        "template": template, "version": selectors.shown_version(request.user, template),
        "draft": selectors.draft_of(template),
        "can_manage": policy.can(request.user, "pipeline.manage"),
        "start_form": VersionStartForm()})


@policy.rule("pipeline.manage")
def template_create(request: HttpRequest) -> HttpResponse:
    back = reverse("pipeline:template_list")
    return _form_page(
        request, TemplateForm(request.POST or None),
        run=lambda data: actions.create_template(request.user, **data),
        done=lambda template: template.get_absolute_url(),
        success="Template created with a draft version 1: add its stages and criteria.",
        context={"title": "New workflow template", "back": back, "back_label": "Templates"})


@policy.rule("pipeline.manage")
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template(request.user, pk)
    return _form_page(
        request, TemplateForm.for_edit(template, request.POST or None),
        run=lambda data: actions.update_template(request.user, template, **data),
        done=lambda t: t.get_absolute_url(), success="Template saved.",
        context={"title": f"Edit “{template.name}”", "back": template.get_absolute_url(),
                 "back_label": template.name})


@policy.rule("pipeline.manage")
@require_POST
def template_version_start(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template(request.user, pk)
    form = VersionStartForm(request.POST)
    if not form.is_valid():
        return _refused(request, " ".join(form.errors.get("note", [])),
                        template.get_absolute_url(), status=400)
    return _post_action(
        request, lambda: actions.start_version(request.user, template, **form.cleaned_data),
        back=template.get_absolute_url(),
        success="New draft started from the current version: change it, then publish it.",
        done=lambda version: _version_url(version.pk))


# --- versions --------------------------------------------------------------------------------

def _version_page(request: HttpRequest, version: TemplateVersion, *, status: int = 200,
                  publish_form: PublishForm | None = None,
                  problems: dict[str, list[str]] | None = None) -> HttpResponse:
    editable = (version.status == TemplateVersion.Status.DRAFT
                and policy.can(request.user, "pipeline.manage"))
    stages = list(version.stages.all())
    criteria = list(version.scorecard.criteria.all()) if hasattr(version, "scorecard") else []
    if problems is None and editable:
        problems = actions.publish_problems(stages, criteria)
    return render(request, "pipeline/templates/version_detail.html", {
        "version": version, "template": version.template, "editable": editable,
        "problems": problems or {}, "publish_form": publish_form or PublishForm()},
        status=status)


@policy.rule("pipeline.browse")
def template_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _version_page(request, selectors.get_version_for_user(request.user, pk))


@policy.rule("pipeline.manage")
def template_version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version_for_user(request.user, pk)
    refused = _locked(request, version)
    if refused is not None and request.method != "POST":
        return refused
    return _form_page(
        request, DraftForm(request.POST or None, initial=DraftForm.initial_for(version)),
        run=lambda data: actions.update_draft(request.user, version, **data),
        done=lambda v: _version_url(v.pk), success="Draft saved.",
        context={"title": f"Edit draft version {version.number} of “{version.template.name}”",
                 "back": _version_url(version.pk),
                 "back_label": f"{version.template.name} v{version.number}"})


@policy.rule("pipeline.manage")
@require_POST
def template_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version_for_user(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, status=400, publish_form=form,
                             problems={"note": form.errors["note"]})
    try:
        # An empty note keeps the one given when the draft was started.
        actions.publish_version(request.user, version, note=form.cleaned_data["note"] or None)
    except StateConflict as exc:
        return _refused(request, exc.message, _version_url(version.pk))
    except ValidationError as exc:
        return _version_page(request, version, status=400, publish_form=form,
                             problems=exc.message_dict)
    messages.success(request, f"Version {version.number} is published: new initiatives start "
                              "on it; running ones stay on the version they started on.")
    return redirect(version.template.get_absolute_url())


@policy.rule("pipeline.manage")
@require_POST
def template_version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version_for_user(request.user, pk)
    return _post_action(
        request, lambda: actions.discard_draft(request.user, version),
        back=_version_url(version.pk), success=f"Draft version {version.number} discarded.",
        done=lambda template: template.get_absolute_url())


# --- stages ----------------------------------------------------------------------------------

@policy.rule("pipeline.manage")
def template_stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version_for_user(request.user, pk)
    refused = _locked(request, version)
    if refused is not None and request.method != "POST":
        return refused
    return _form_page(
        request, StageForm(request.POST or None),
        run=lambda data: actions.add_stage(request.user, version, **data),
        done=lambda stage: _version_url(version.pk) + f"#stage-{stage.pk}",
        success="Stage added.",
        context={"title": f"New stage in “{version.template.name}” v{version.number}",
                 "back": _version_url(version.pk),
                 "back_label": f"{version.template.name} v{version.number}"})


@policy.rule("pipeline.manage")
def template_stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage(pk)
    refused = _locked(request, stage.version)
    if refused is not None and request.method != "POST":
        return refused
    return _form_page(
        request, StageForm(request.POST or None, initial=StageForm.initial_for(stage)),
        run=lambda data: actions.update_stage(request.user, stage, **data),
        done=lambda s: _version_url(s.version_id) + f"#stage-{s.pk}", success="Stage saved.",
        context={"title": f"Edit stage “{stage.name}”", "back": _version_url(stage.version_id),
                 "back_label": f"{stage.version.template.name} v{stage.version.number}"})


@policy.rule("pipeline.manage")
@require_POST
def template_stage_remove(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage(pk)
    return _post_action(request, lambda: actions.remove_stage(request.user, stage),
                        back=_version_url(stage.version_id),
                        success=f"Stage “{stage.name}” removed.")


@policy.rule("pipeline.manage")
@require_POST
def template_stage_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    stage = selectors.get_stage(pk)
    return _post_action(request, lambda: actions.move_stage(request.user, stage, direction),
                        back=_version_url(stage.version_id) + f"#stage-{stage.pk}",
                        success=f"Stage “{stage.name}” moved {direction}.")


# --- gate items ------------------------------------------------------------------------------

@policy.rule("pipeline.manage")
def template_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    stage = selectors.get_stage(pk)
    refused = _locked(request, stage.version)
    if refused is not None and request.method != "POST":
        return refused
    back = _version_url(stage.version_id) + f"#stage-{stage.pk}"
    return _form_page(
        request, GateItemForm(request.POST or None),
        run=lambda data: actions.add_gate_item(request.user, stage, **data),
        done=lambda item: back, success="Gate item added.",
        context={"title": f"New item at the gate of “{stage.name}”", "back": back,
                 "back_label": f"{stage.version.template.name} v{stage.version.number}"})


@policy.rule("pipeline.manage")
def template_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_gate_item(pk)
    version = item.stage.version
    refused = _locked(request, version)
    if refused is not None and request.method != "POST":
        return refused
    back = _version_url(version.pk) + f"#stage-{item.stage_id}"
    return _form_page(
        request, GateItemForm(request.POST or None, initial=GateItemForm.initial_for(item)),
        run=lambda data: actions.update_gate_item(request.user, item, **data),
        done=lambda i: back, success="Gate item saved.",
        context={"title": f"Edit gate item “{item.label}”", "back": back,
                 "back_label": f"{version.template.name} v{version.number}"})


@policy.rule("pipeline.manage")
@require_POST
def template_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_gate_item(pk)
    back = _version_url(item.stage.version_id) + f"#stage-{item.stage_id}"
    return _post_action(request, lambda: actions.remove_gate_item(request.user, item),
                        back=back, success=f"Gate item “{item.label}” removed.")


# --- criteria --------------------------------------------------------------------------------

@policy.rule("pipeline.manage")
def template_criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version_for_user(request.user, pk)
    refused = _locked(request, version)
    if refused is not None and request.method != "POST":
        return refused
    back = _version_url(version.pk) + "#scorecard"
    return _form_page(
        request, CriterionForm(request.POST or None),
        run=lambda data: actions.add_criterion(request.user, version, **data),
        done=lambda c: back, success="Criterion added.",
        context={"title": f"New criterion for “{version.template.name}” v{version.number}",
                 "back": back, "back_label": f"{version.template.name} v{version.number}"})


@policy.rule("pipeline.manage")
def template_criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.get_criterion(pk)
    version = criterion.scorecard.version
    refused = _locked(request, version)
    if refused is not None and request.method != "POST":
        return refused
    back = _version_url(version.pk) + "#scorecard"
    return _form_page(
        request, CriterionForm(request.POST or None,
                               initial=CriterionForm.initial_for(criterion)),
        run=lambda data: actions.update_criterion(request.user, criterion, **data),
        done=lambda c: back, success="Criterion saved.",
        context={"title": f"Edit criterion “{criterion.name}”", "back": back,
                 "back_label": f"{version.template.name} v{version.number}"})


@policy.rule("pipeline.manage")
@require_POST
def template_criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.get_criterion(pk)
    back = _version_url(criterion.scorecard.version_id) + "#scorecard"
    return _post_action(request, lambda: actions.remove_criterion(request.user, criterion),
                        back=back, success=f"Criterion “{criterion.name}” removed.")
