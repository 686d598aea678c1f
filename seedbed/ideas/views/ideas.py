"""Idea pages: submit (to a challenge or against a focus area), drafts, edit with versions,
history, co-authors, attachments, status and evaluators, and the idea page's frame."""

from __future__ import annotations

import difflib
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from seedbed import policy
from seedbed.core.errors import StateConflict
from seedbed.core.forms import apply_errors as _apply_errors
from seedbed.ideas import actions, attachments, customfields, selectors
from seedbed.ideas.forms.ideas import (
    AttachmentForm,
    IdeaForm,
    InviteCoauthorForm,
    StatusForm,
    form_errors,
)
from seedbed.ideas.models import Attachment, CoAuthor, Idea, IdeaType
from seedbed.ideas.selectors import ideas as reads
from seedbed.strategy.selectors import focus as focus_reads

IDEAS_PER_PAGE = 20
CONFIDENTIAL_NOTE = ("Confidential: visible to its authors, innovation managers, leaders and "
                     "assigned evaluators.")


def _offered_types(challenge) -> list[IdeaType]:
    if challenge is not None:
        return [t for t in challenge.idea_types.all() if t.active]
    return list(IdeaType.objects.filter(active=True))


def _questions(challenge, types: list[IdeaType]) -> list:
    """Every question the form may ask: the challenge's and each offered type's (the action
    keeps only those of the type chosen)."""
    seen, questions = set(), []
    for idea_type in types or [None]:
        for field in customfields.definitions_for(challenge, idea_type):
            if field.key not in seen:
                seen.add(field.key)
                questions.append(field)
    return questions


def _for_type(challenge, idea_type, arguments: dict) -> dict:
    keys = {f.key for f in customfields.definitions_for(challenge, idea_type)}
    arguments["custom_values"] = {k: v for k, v in arguments["custom_values"].items()
                                  if k in keys}
    arguments["files"] = {k: v for k, v in arguments["files"].items() if k in keys}
    return arguments


def _submit_form(request: HttpRequest, *, challenge=None, focus_area=None) -> HttpResponse:
    types = _offered_types(challenge)
    questions = _questions(challenge, types)
    form = IdeaForm(request.POST or None, request.FILES or None, types=types,
                    definitions=questions)
    if request.method == "POST" and form.is_valid():
        draft = request.POST.get("save") == "draft"
        arguments = form.action_arguments()
        idea_type = arguments.get("idea_type") or (types[0] if len(types) == 1 else None)
        arguments = _for_type(challenge, idea_type, arguments)
        try:
            idea = actions.create_idea(request.user, challenge=challenge, focus_area=focus_area,
                                       draft=draft, **arguments)
        except ValidationError as exc:
            _apply_errors(form, form_errors(exc))
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Draft saved: only you and your co-authors can see it."
                             if draft else
                             "Thank you, your idea is in. Colleagues can build on it now.")
            return redirect(idea)
    return render(request, "ideas/idea_form.html", {
        "form": form, "challenge": challenge, "focus_area": focus_area, "idea": None},
        status=400 if form.errors else 200)


@policy.rule("idea.contribute")
def idea_create(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk)
    return _submit_form(request, challenge=challenge)


@policy.rule("idea.contribute")
def idea_create_focus(request: HttpRequest) -> HttpResponse:
    """An idea outside any challenge, against an active focus area (?focus_area=<id>); without
    one, a list of the active focus areas to choose from."""
    raw = request.GET.get("focus_area", "")
    if not raw:
        if policy.role_of(request.user) not in policy.EMPLOYEES:
            raise Http404("Partners submit ideas to the challenges they are invited to.")
        return render(request, "ideas/idea_focus_choose.html", {
            "focus_areas": focus_reads.active_focus_areas(request.user).order_by("title")})
    if not raw.isdigit():
        raise Http404("No such focus area")
    area = focus_reads.get_focus_area_for_user(request.user, int(raw))
    if area.status != area.Status.ACTIVE:
        raise Http404("This focus area takes no ideas.")
    return _submit_form(request, focus_area=area)


@policy.rule("idea.contribute")
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = reads.get_idea_to_edit(request.user, pk)
    prefetch_related_objects([idea], "tags")
    questions = customfields.definitions_for(idea.challenge, idea.idea_type)
    form = IdeaForm(request.POST or None, request.FILES or None, definitions=questions,
                    idea=idea)
    if request.method == "POST" and form.is_valid():
        arguments = form.action_arguments()
        try:
            actions.update_idea(request.user, idea, **arguments)
            if request.POST.get("save") == "submit" and idea.is_draft:
                actions.submit_draft(request.user, idea)
        except ValidationError as exc:
            _apply_errors(form, form_errors(exc))
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Idea saved.")
            return redirect(idea)
    return render(request, "ideas/idea_form.html", {
        "form": form, "challenge": idea.challenge, "focus_area": idea.focus_area, "idea": idea},
        status=400 if form.errors else 200)


@policy.rule("idea.contribute")
@require_POST
def idea_submit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = reads.get_idea_to_edit(request.user, pk)
    try:
        actions.submit_draft(request.user, idea)
    except ValidationError as exc:
        messages.error(request, "Answer the required questions first: edit the draft. "
                       + " ".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("ideas:idea_edit", pk=idea.pk)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you, your idea is in. Colleagues can build on it now.")
    return redirect(idea)


# --- The idea page ----------------------------------------------------------------------------


def _answers(idea: Idea) -> list[dict]:
    """The custom answers in the questions' order, with their labels (one query)."""
    questions = customfields.definitions_for(idea.challenge, idea.idea_type)
    shown = []
    for field in questions:
        value = idea.custom_values.get(field.key)
        if value in (None, "", []):
            continue
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        shown.append({"label": field.label, "value": value, "kind": field.kind,
                      "key": field.key})
    return shown


def frame_context(request: HttpRequest, idea: Idea) -> dict:
    """The frame of the idea page: where it belongs, type, people, tags, status, answers,
    attachments, version, and the forms of those who may act on it. A fixed number of
    queries whatever the numbers of co-authors, tags, files or evaluators."""
    user = request.user
    prefetch_related_objects(
        [idea],
        Prefetch("coauthors", queryset=CoAuthor.objects.select_related("user")
                 .order_by("invited_at", "id")),
        "tags",
        Prefetch("attachments", queryset=Attachment.objects.filter(removed_at__isnull=True)
                 .order_by("uploaded_at", "id"), to_attr="live_attachments"),
        "evaluators",
    )
    coauthors = list(idea.coauthors.all())
    can_edit = reads.may_edit(user, idea) and idea.status != Idea.Status.MERGED
    can_manage = policy.can(user, "idea.manage") and idea.status != Idea.Status.DRAFT
    my_invitation = next((c for c in coauthors if c.user_id == user.pk
                          and c.status == CoAuthor.Status.INVITED), None)
    can_invite = reads.may_invite(user, idea) and idea.status != Idea.Status.MERGED
    return {
        "coauthors": [c for c in coauthors if c.status == CoAuthor.Status.ACCEPTED],
        "pending_coauthors": [c for c in coauthors if c.status == CoAuthor.Status.INVITED],
        "my_invitation": my_invitation,
        "answers": _answers(idea),
        "files": [a for a in idea.live_attachments if not a.field_key],
        "answer_files": {a.pk: a for a in idea.live_attachments if a.field_key},
        "can_edit": can_edit,
        "can_invite": can_invite,
        "invite_form": InviteCoauthorForm()
        if can_invite else None,
        "attachment_form": AttachmentForm() if can_edit else None,
        "can_manage_idea": can_manage,
        "status_form": StatusForm(initial={"status": idea.status}) if can_manage else None,
        "confidential_note": CONFIDENTIAL_NOTE,
    }


def idea_context(request, idea, **overrides) -> dict:
    """Everything the idea page shows. Each area contributes its part of the page (and of its
    query budget) through ``detail_context(request, idea)``; ``overrides`` lets a view re-render
    the page with a bound form that failed validation."""
    from seedbed.ideas.views import discussion, duplicates, support

    context = {
        "idea": idea,
        "can_contribute": policy.can(request.user, "idea.contribute"),
    }
    context.update(frame_context(request, idea))
    for area in (support, discussion, duplicates):
        context.update(area.detail_context(request, idea))
    # The pipeline's part: the initiative the idea feeds, or the manager's "Promote" button.
    from seedbed.pipeline.views.initiatives import idea_detail_context

    context.update(idea_detail_context(request, idea))
    context.update(overrides)
    return context


@policy.rule("idea.browse")
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    from seedbed.ideas.views.duplicates import redirect_if_merged

    if (moved_on := redirect_if_merged(request, idea)) is not None:
        return moved_on
    return render(request, "ideas/idea_detail.html", idea_context(request, idea))


# --- History ----------------------------------------------------------------------------------


def _version_lines(version) -> list[str]:
    lines = [f"# {version.title}", ""]
    lines += version.description.splitlines()
    if version.custom_values:
        lines += ["", "---"]
        lines += [f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}"
                  for key, value in sorted(version.custom_values.items())]
    return lines


def version_diff(older, newer) -> list[dict]:
    """A line diff of two versions (title, description, answers) for the template, which
    escapes every line like any other text."""
    rows = []
    for line in difflib.unified_diff(_version_lines(older), _version_lines(newer),
                                     f"version {older.number}", f"version {newer.number}",
                                     lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")
        rows.append({"kind": kind, "text": line})
    return rows


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else default


@policy.rule("idea.browse")
def idea_history(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    versions = list(reads.versions_of(idea))
    by_number = {v.number: v for v in versions}
    newest = versions[0].number if versions else 1
    b = _number(request.GET.get("b"), newest)
    a = _number(request.GET.get("a"), max(b - 1, 1))
    older, newer = by_number.get(a), by_number.get(b)
    diff = version_diff(older, newer) if older and newer and older != newer else []
    return render(request, "ideas/idea_history.html", {
        "idea": idea, "versions": versions, "a": a, "b": b, "older": older, "newer": newer,
        "diff": diff})


# --- Co-authors -------------------------------------------------------------------------------


@policy.rule("idea.contribute")
@require_POST
def coauthor_invite(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    prefetch_related_objects([idea], "coauthors")
    if not reads.may_invite(request.user, idea):
        raise PermissionDenied("Only the idea's authors may invite co-authors.")
    form = InviteCoauthorForm(request.POST)
    if form.is_valid():
        try:
            actions.invite_coauthor(request.user, idea, form.cleaned_data["user"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except StateConflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{form.cleaned_data['user'].full_name} is invited to "
                             "co-author this idea.")
            return redirect(idea)
    else:
        messages.error(request, " ".join(form.errors.get("user", ["Choose a colleague."])))
    return redirect(idea)


@policy.rule("idea.contribute")
@require_POST
def coauthor_respond(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    invitation = reads.get_invitation_for_user(request.user, pk)
    try:
        actions.respond_to_invitation(request.user, invitation, accept=answer == "accept")
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "You are now a co-author." if answer == "accept"
                         else "Invitation declined.")
    # Someone who declined no longer sees a draft or confidential idea: back to their list.
    return redirect(invitation.idea) if answer == "accept" else redirect("ideas:invitations")


@policy.rule("idea.contribute")
def invitations(request: HttpRequest) -> HttpResponse:
    return render(request, "ideas/idea_invitations.html", {
        "invitations": list(reads.pending_invitations(request.user)[:100])})


# --- Attachments ------------------------------------------------------------------------------


@policy.rule("idea.contribute")
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    idea = reads.get_idea_to_edit(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(request.user, idea, form.cleaned_data["file"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "File added.")
            return redirect(idea)
    return render(request, "ideas/idea_detail.html",
                  idea_context(request, idea, attachment_form=form), status=400)


@policy.rule("idea.browse")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = reads.get_attachment_for_user(request.user, pk)
    return attachments.download_response(attachment)


@policy.rule("idea.contribute")
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = reads.get_attachment_for_user(request.user, pk)
    idea = reads.get_idea_to_edit(request.user, attachment.idea_id)
    try:
        actions.remove_attachment(request.user, attachment)
    except StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{attachment.original_name}” removed.")
    return redirect(idea)


# --- Managing ---------------------------------------------------------------------------------


@policy.rule("idea.manage")
@require_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    idea = selectors.get_idea_for_user(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.change_status(request.user, idea, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except StateConflict as exc:
            form.add_error(None, exc.message)
        else:
            label = dict(Idea.Status.choices)[form.cleaned_data["status"]]
            messages.success(request, f"Status changed to “{label}”.")
            return redirect(idea)
    return render(request, "ideas/idea_detail.html",
                  idea_context(request, idea, status_form=form), status=400)
