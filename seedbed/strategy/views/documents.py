from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.strategy.actions import documents as actions
from seedbed.strategy.forms.documents import (
    ApproveForm,
    DocumentForm,
    ReturnForm,
    draft_form_for,
)
from seedbed.strategy.models import ControlledDocument
from seedbed.strategy.selectors import documents as selectors

DOCUMENTS_PER_PAGE = 20
VERSIONS_PER_PAGE = 20
ACKNOWLEDGEMENTS_PER_PAGE = 25


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@policy.rule("strategy.read")
def document_list(request):
    page = Paginator(selectors.document_list(request.user), DOCUMENTS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "strategy/documents/list.html", {
        "page": page,
        "sees_drafts": selectors.sees_drafts(request.user),
        "can_manage": policy.can(request.user, "strategy.manage"),
    })


@policy.rule("strategy.manage")
def document_create(request):
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.create_document(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Document created. Start its first draft.")
            return redirect(document)
    return render(request, "strategy/documents/document_form.html", {"form": form},
                  status=400 if form.errors else 200)


@policy.rule("strategy.read")
def document_detail(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk)
    current = selectors.current_version(document)
    asked = (document.requires_acknowledgement and current is not None
             and policy.can(request.user, "strategy.acknowledge"))
    return render(request, "strategy/documents/detail.html", {
        "document": document,
        "current": current,
        "open": selectors.open_version(document) if selectors.sees_drafts(request.user) else None,
        "asked": asked,
        "acknowledged": asked and selectors.has_acknowledged(request.user, current),
        "can_manage": policy.can(request.user, "strategy.manage"),
        "today": timezone.localdate(),
    })


@policy.rule("strategy.read")
def document_history(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk)
    page = Paginator(selectors.history(request.user, document), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "strategy/documents/history.html", {
        "document": document, "page": page})


@policy.rule("strategy.manage")
@require_POST
def draft_start(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk, manage=True)
    try:
        version = actions.create_draft(request.user, document)
    except StateConflict as exc:
        messages.error(request, exc.message)
        return redirect(document)
    messages.success(request, f"Version {version.number} started as a draft.")
    return redirect("strategy:documents_version_edit", pk=version.pk)


@policy.rule("strategy.read")
def version_detail(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    focus_areas = (list(version.focus_areas.all())
                   if version.document.kind == ControlledDocument.Kind.STRATEGY else [])
    return render(request, "strategy/documents/version.html", {
        "version": version,
        "document": version.document,
        "focus_areas": focus_areas,
        "can_manage": policy.can(request.user, "strategy.manage"),
        "can_approve": policy.can(request.user, "strategy.approve")
        and version.author_id != request.user.pk,
        "approve_form": ApproveForm(),
        "return_form": ReturnForm(),
        "today": timezone.localdate(),
    })


def _initial(version) -> dict:
    initial = {"body": version.body, "change_summary": version.change_summary}
    if version.document.kind == ControlledDocument.Kind.STRATEGY:
        initial.update(focus_areas=list(version.focus_areas.all()),
                       resources_needed=version.resources_needed,
                       progress_measures=version.progress_measures,
                       next_review_on=version.next_review_on)
    return initial


@policy.rule("strategy.manage")
def version_edit(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    if version.status != version.Status.DRAFT:
        messages.error(request, f"Version {version.number} is "
                                f"{version.get_status_display().lower()} and cannot be edited.")
        return redirect(version)
    form = draft_form_for(version.document, request.POST or None, initial=_initial(version))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_draft(request.user, version, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Draft saved.")
            return redirect(version)
    return render(request, "strategy/documents/version_form.html", {
        "form": form, "version": version, "document": version.document},
        status=400 if form.errors else 200)


@policy.rule("strategy.manage")
@require_POST
def version_submit(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    try:
        actions.submit_version(request.user, version)
    except ValidationError as exc:
        messages.error(request, f"Not submitted: {_error_text(exc)}")
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Submitted for review. A leader will approve it or send it "
                                  "back.")
    return redirect(version)


@policy.rule("strategy.approve")
@require_POST
def version_approve(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not approved: give the effective date as a valid date.")
        return redirect(version)
    try:
        actions.approve_version(request.user, version, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f"Not approved: {_error_text(exc)}")
    except (StateConflict, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
    else:
        messages.success(request, f"Version {version.number} approved.")
    return redirect(version)


@policy.rule("strategy.approve")
@require_POST
def version_return(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not sent back: say why the version goes back to its author.")
        return redirect(version)
    try:
        actions.return_version(request.user, version, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, f"Not sent back: {_error_text(exc)}")
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Version {version.number} sent back to its author.")
    return redirect(version)


@policy.rule("strategy.read")
def version_diff(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    against = request.GET.get("against", "")
    base = selectors.diff_base(request.user, version,
                               int(against) if against.isdigit() and len(against) < 19 else None)
    lines = selectors.diff_lines(base.body if base else "", version.body)
    choices = list(selectors.history(request.user, version.document).exclude(pk=version.pk)
                   .values_list("pk", "number", "status"))
    return render(request, "strategy/documents/diff.html", {
        "version": version, "base": base, "document": version.document, "lines": lines,
        "choices": choices,
        "added": sum(line.kind == "added" for line in lines),
        "removed": sum(line.kind == "removed" for line in lines),
    })


@policy.rule("strategy.acknowledge")
@require_POST
def version_acknowledge(request, pk: int):
    version = selectors.get_version_for_user(request.user, pk)
    try:
        actions.acknowledge_version(request.user, version)
    except StateConflict as exc:
        if exc.code == "already_acknowledged":
            messages.info(request, exc.message)
        else:
            messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you: your reading is recorded.")
    return redirect(version.document)


@policy.rule("strategy.records")
def awareness(request):
    rates = selectors.awareness(request.user)
    version = request.GET.get("version", "")
    version_id = int(version) if version.isdigit() and len(version) < 19 else None
    page = Paginator(selectors.acknowledgement_log(request.user, version_id),
                     ACKNOWLEDGEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "strategy/documents/awareness.html", {
        "rates": rates, "page": page, "version_id": version_id,
        "query": f"version={version_id}" if version_id else ""})
