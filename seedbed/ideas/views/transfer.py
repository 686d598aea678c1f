"""Export a challenge's ideas (CSV, XLSX) and import ideas from CSV.

The import is two steps: the upload is checked (a dry run that writes nothing) and kept in the
manager's own session under a random token; confirming imports exactly that file, checked
again. The session is server-side (database sessions), private to the person, and the entry
is removed once used, so no one else can confirm or read it.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from seedbed import policy
from seedbed.core.forms import apply_errors
from seedbed.ideas import selectors
from seedbed.ideas.actions import transfer as actions
from seedbed.ideas.forms.transfer import ImportConfirmForm, ImportUploadForm
from seedbed.ideas.models import Challenge
from seedbed.ideas.selectors.transfer import export_fields

_SESSION_KEY = "ideas.import.{pk}"


def download(export: actions.ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # confidential ideas must not linger in caches
    return response


@policy.rule("challenge.manage")
def challenge_export(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    fmt = request.GET.get("format")
    if fmt in actions.FORMATS:
        return download(actions.export_challenge(
            request.user, challenge, fmt=fmt, base_url=request.build_absolute_uri("/")))
    return render(request, "ideas/transfer/export.html", {
        "challenge": challenge,
        "fields": export_fields(challenge),
        "count": selectors.listed(selectors.visible_ideas(request.user)
                                  .filter(challenge_id=challenge.pk)).count(),
    }, status=400 if fmt else 200)


def _columns(challenge: Challenge) -> list[dict]:
    """The columns an import of this challenge takes, for the upload page."""
    standard = [
        {"name": "title", "required": True, "help": "Up to 200 characters."},
        {"name": "description", "required": True, "help": "Markdown."},
        {"name": "author e-mail", "required": True,
         "help": "An active colleague (or an invited partner) who may take part."},
        {"name": "type", "required": False,
         "help": "Idea type code: " + ", ".join(t.code for t in challenge.idea_types.all())
                 + " (may be left out when the challenge takes one type)."},
        {"name": "tags", "required": False, "help": "Separated by commas."},
        {"name": "confidential", "required": False, "help": "yes or no."},
    ]
    custom = [{"name": f.key, "required": f.required,
               "help": f"{f.label} ({f.get_kind_display().lower()}"
                       + (f", ideas of type {f.idea_type.name}" if f.idea_type_id else "")
                       + ")"}
              for f in export_fields(challenge) if f.active]
    return standard + custom


def _page(request, challenge, *, form=None, report=None, token="", status=200):
    return render(request, "ideas/transfer/import.html", {
        "challenge": challenge,
        "form": form or ImportUploadForm(),
        "columns": _columns(challenge),
        "max_rows": actions.max_import_rows(),
        "max_mb": actions.max_import_bytes() / 1024 / 1024,
        "report": report,
        "confirm": ImportConfirmForm(initial={"token": token}) if token else None,
    }, status=status)


@policy.rule("challenge.manage")
def challenge_import(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.get_challenge_for_user(request.user, pk, manage=True)
    key = _SESSION_KEY.format(pk=challenge.pk)
    if request.method != "POST":
        return _page(request, challenge)
    if "token" in request.POST:
        return _confirm(request, challenge, key)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, challenge, form=form, status=400)
    try:
        data = actions.read_upload(form.cleaned_data["file"])
        report = actions.check_import(request.user, challenge, data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _page(request, challenge, form=form, status=400)
    token = ""
    if report.ok:
        token = secrets.token_urlsafe(24)
        # Decoding cannot fail: check_import has read it as UTF-8 already.
        request.session[key] = {"token": token, "csv": data.decode("utf-8-sig")}
    else:
        request.session.pop(key, None)
    return _page(request, challenge, report=report, token=token,
                 status=200 if report.ok else 400)


def _confirm(request: HttpRequest, challenge: Challenge, key: str) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    kept = request.session.get(key)
    if not form.is_valid() or not kept or not secrets.compare_digest(
            str(kept.get("token", "")), form.cleaned_data["token"]):
        messages.error(request, "That upload is no longer waiting for confirmation; upload "
                                "the file again.")
        return redirect("ideas:challenge_import", pk=challenge.pk)
    try:
        report = actions.import_ideas(request.user, challenge, kept["csv"].encode("utf-8"))
    except actions.ImportRejected as exc:
        request.session.pop(key, None)
        return _page(request, challenge, report=exc.report, status=400)
    except ValidationError as exc:
        request.session.pop(key, None)
        form = ImportUploadForm()
        apply_errors(form, exc)
        return _page(request, challenge, form=form, status=400)
    request.session.pop(key, None)
    count = len(report.created)
    messages.success(request, f"Imported {count} idea{'s' if count != 1 else ''}.")
    return redirect(challenge)

