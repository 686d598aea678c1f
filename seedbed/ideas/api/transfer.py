# No "from __future__ import annotations": ninja reads these annotations at import time.
"""Export a challenge's ideas as CSV or XLSX; import ideas from a CSV upload."""

from typing import Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.ideas import selectors, tabular
from seedbed.ideas.actions import transfer as actions
from seedbed.ideas.views.transfer import download

router = Router(tags=["import and export"])


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class PlannedIdeaOut(Schema):
    row: int
    title: str
    author_email: str
    idea_type: str
    tags: list[str]
    confidential: bool


class ImportReportOut(Schema):
    dry_run: bool
    ok: bool
    rows: int
    errors: list[RowErrorOut]
    planned: list[PlannedIdeaOut]
    created: list[int]


# Optional in the signature so that a call without a file is answered by the access rule first
# (403 for other roles) and then with the error body naming "file", not ninja's own 422.
_OPTIONAL_FILE = File(None)

_FILE_RESPONSE = {"200": {
    "description": "The file, as an attachment.",
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        tabular.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}},
    },
}}


@router.get("/challenges/{challenge_id}/export", response={**ERRORS},
            summary="Export a challenge's ideas as CSV or XLSX",
            description="One row per listed idea you may see (no drafts or merged ideas), with "
                        "supporters, tokens, comments, followers and every custom field. Each "
                        "export is recorded in the audit trail.",
            openapi_extra={"responses": _FILE_RESPONSE})
@policy.api_rule("challenge.manage")
def export_ideas(request, challenge_id: int, format: Literal["csv", "xlsx"] = "csv"):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    return download(actions.export_challenge(
        request.user, challenge, fmt=format, base_url=request.build_absolute_uri("/")))


@router.post("/challenges/{challenge_id}/import",
             response={200: ImportReportOut, 201: ImportReportOut, **ERRORS},
             summary="Import ideas from a CSV file (multipart field `file`)",
             description="With `dry_run=true` nothing is written: the answer (200) reports "
                         "every row's problems and the ideas an import would create. Without "
                         "it, every row is imported in one transaction (201), or none: 422 "
                         "lists each problem under \"row N: column\".")
@policy.api_rule("challenge.manage")
def import_ideas(request, challenge_id: int, dry_run: bool = False,
                 file: UploadedFile = _OPTIONAL_FILE):
    challenge = selectors.get_challenge_for_user(request.user, challenge_id, manage=True)
    data = actions.read_upload(file)
    if dry_run:
        report = actions.check_import(request.user, challenge, data)
        return 200, _report(report, dry_run=True)
    report = actions.import_ideas(request.user, challenge, data)
    return 201, _report(report, dry_run=False)


def _report(report: actions.ImportReport, *, dry_run: bool) -> dict:
    return {"dry_run": dry_run, "ok": report.ok, "rows": report.rows,
            "errors": report.errors, "planned": report.planned, "created": report.created}

