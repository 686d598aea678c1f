"""Probes for exporting a challenge's ideas and importing ideas from CSV (managers only)."""

from __future__ import annotations

from seedbed import policy
from tests.matrix._base import Probe


def build(users, org) -> dict:
    return {}


def _challenge(w) -> dict:
    return {"pk": w.challenge.pk}


def _challenge_id(w) -> dict:
    return {"challenge_id": w.challenge.pk}


HTML_SAMPLES = {
    # Without ?format= the page offers the downloads; with it, the file (tested in
    # seedbed/ideas/tests/test_transfer*.py together with the upload and confirm steps).
    "ideas:challenge_export": Probe("challenge.manage", kwargs=_challenge),
    "ideas:challenge_import": Probe("challenge.manage", kwargs=_challenge),
}

API_SAMPLES = {
    # The export is a read that records an audit event ("challenge.exported").
    "GET /api/v1/challenges/{challenge_id}/export": Probe(
        "challenge.manage", kwargs=_challenge_id, audited=True),
    # The matrix sends no multipart file: admitted roles are told which field is missing,
    # everyone else is refused before the upload is looked at.
    "POST /api/v1/challenges/{challenge_id}/import": Probe(
        "challenge.manage", "post", kwargs=_challenge_id, allowed=422),
}

API_SUCCESSES = {
    "GET /api/v1/challenges/{challenge_id}/export": (policy.MANAGER, None, 200),
    # Needs a multipart upload, which the shared caller cannot send: the successful dry run
    # and import are checked against the document in seedbed/ideas/tests/test_transfer_api.py.
    "POST /api/v1/challenges/{challenge_id}/import": (policy.ADMIN, None, 422),
}
