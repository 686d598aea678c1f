"""Probes for ideas: drafts, focus-area ideas, edits and history, co-authors, attachments,
status and evaluators."""

from __future__ import annotations

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"


def build(users, org) -> dict:
    from seedbed.ideas import actions
    from seedbed.ideas.models import IdeaType
    from seedbed.strategy.models import FocusArea
    from tests.support import new_challenge

    manager, contributor = users[M], users[C]
    challenge = actions.open_challenge(manager, new_challenge(
        manager, title="Less food waste", description="Where do we throw food away?"))
    idea = actions.submit_idea(contributor, challenge, title="Surplus to food banks",
                               description="Give unsold surplus to food banks daily.")
    draft = actions.create_idea(contributor, challenge=challenge, title="Half-formed idea",
                                description="Still thinking.", draft=True)
    invitation = actions.invite_coauthor(contributor, idea, users[E])
    attachment = actions.add_attachment(contributor, idea, SimpleUploadedFile(
        "notes.txt", b"Food bank pick-ups: Tuesdays."))
    return {"challenge": challenge, "idea": idea, "draft": draft, "invitation": invitation,
            "attachment": attachment,
            "focus_area": FocusArea.objects.get(title="Less waste in operations"),
            "product_type": IdeaType.objects.get(code="product"),
            "coauthor_candidate": users[L], "assigned_evaluator": users[E]}


def _x(key: str, name: str = "pk"):
    return lambda w: {name: w.extra["ideas_ideas"][key].pk}


EDITORS = {C: 302, A: 302, M: 302, P: 404}  # the author and those who run the IMS

HTML_SAMPLES = {
    "ideas:idea_create_focus": Probe("idea.contribute", per_role={P: 404}),
    "ideas:invitations": Probe("idea.contribute"),
    "ideas:idea_edit": Probe("idea.contribute", kwargs=_x("idea"), allowed=403,
                             per_role={C: 200, A: 200, M: 200, P: 404}),
    # A draft is its author's alone: everyone else cannot even see it.
    "ideas:idea_submit": Probe("idea.contribute", "post", kwargs=_x("draft"), allowed=404,
                               per_role={C: 302}),
    "ideas:idea_history": Probe("idea.browse", kwargs=_x("idea"), per_role={P: 404}),
    "ideas:coauthor_invite": Probe(
        "idea.contribute", "post", kwargs=_x("idea"), allowed=403, per_role={C: 302, P: 404},
        data=lambda w: {"user": str(w.users[L].pk)}),
    # Only the invitee may answer; for anyone else the invitation does not exist.
    "ideas:coauthor_accept": Probe("idea.contribute", "post", kwargs=_x("invitation"),
                                   allowed=404, per_role={E: 302}),
    "ideas:coauthor_decline": Probe("idea.contribute", "post", kwargs=_x("invitation"),
                                    allowed=404, per_role={E: 302}),
    "ideas:attachment_upload": Probe(
        "idea.contribute", "post", kwargs=_x("idea"), allowed=403, per_role=EDITORS,
        data=lambda w: {"file": SimpleUploadedFile("plan.txt", b"Step one: ask.")}),
    "ideas:attachment_download": Probe("idea.browse", kwargs=_x("attachment"),
                                       per_role={P: 404}),
    "ideas:attachment_remove": Probe("idea.contribute", "post", kwargs=_x("attachment"),
                                     allowed=403, per_role=EDITORS),
    "ideas:idea_status": Probe("idea.manage", "post", kwargs=_x("idea"), allowed=302,
                               data={"status": "under_review", "reason": "Worth a closer look."}),
}

API_EDITORS = {C: 200, A: 200, M: 200, P: 404}
NOTE = {"name": "plan.txt", "content_base64": base64.b64encode(b"Step one: ask.").decode()}

API_SAMPLES = {
    "POST /api/v1/focus-areas/{focus_area_id}/ideas": Probe(
        "idea.contribute", "post", kwargs=_x("focus_area", "focus_area_id"), allowed=201,
        per_role={P: 404},
        data=lambda w: {"title": "Compost the peelings", "description": "On site.",
                        "idea_type_id": w.extra["ideas_ideas"]["product_type"].pk}),
    "PATCH /api/v1/ideas/{idea_id}": Probe(
        "idea.contribute", "patch", kwargs=_x("idea", "idea_id"), allowed=403,
        per_role=API_EDITORS, data={"title": "Surplus food to local charities"}),
    "POST /api/v1/ideas/{idea_id}/submit": Probe(
        "idea.contribute", "post", kwargs=_x("draft", "idea_id"), allowed=404,
        per_role={C: 200}),
    "GET /api/v1/ideas/{idea_id}/versions": Probe(
        "idea.browse", kwargs=_x("idea", "idea_id"), per_role={P: 404}),
    "GET /api/v1/ideas/{idea_id}/versions/diff": Probe(
        "idea.browse", kwargs=_x("idea", "idea_id"), per_role={P: 404}),
    "POST /api/v1/ideas/{idea_id}/coauthors": Probe(
        "idea.contribute", "post", kwargs=_x("idea", "idea_id"), allowed=403,
        per_role={C: 201, P: 404}, data=lambda w: {"user_id": w.users[L].pk}),
    "GET /api/v1/coauthor-invitations": Probe("idea.contribute"),
    "POST /api/v1/coauthor-invitations/{invitation_id}/accept": Probe(
        "idea.contribute", "post", kwargs=_x("invitation", "invitation_id"), allowed=404,
        per_role={E: 200}),
    "POST /api/v1/coauthor-invitations/{invitation_id}/decline": Probe(
        "idea.contribute", "post", kwargs=_x("invitation", "invitation_id"), allowed=404,
        per_role={E: 200}),
    "GET /api/v1/ideas/{idea_id}/attachments": Probe(
        "idea.browse", kwargs=_x("idea", "idea_id"), per_role={P: 404}),
    "POST /api/v1/ideas/{idea_id}/attachments": Probe(
        "idea.contribute", "post", kwargs=_x("idea", "idea_id"), allowed=403,
        per_role={C: 201, A: 201, M: 201, P: 404}, data=NOTE),
    "GET /api/v1/attachments/{attachment_id}": Probe(
        "idea.browse", kwargs=_x("attachment", "attachment_id"), per_role={P: 404}),
    "DELETE /api/v1/attachments/{attachment_id}": Probe(
        "idea.contribute", "delete", kwargs=_x("attachment", "attachment_id"), allowed=403,
        per_role=API_EDITORS),
    "POST /api/v1/ideas/{idea_id}/status": Probe(
        "idea.manage", "post", kwargs=_x("idea", "idea_id"),
        data={"status": "under_review", "reason": "Worth a closer look."}),
    "PUT /api/v1/ideas/{idea_id}/evaluators": Probe(
        "idea.manage", "put", kwargs=_x("idea", "idea_id"),
        data=lambda w: {"user_ids": [w.users[E].pk]}),
}

# For tests/test_api_schema.py: one successful call each (path ids from PATH_OBJECTS).
API_SUCCESSES = {
    "POST /api/v1/focus-areas/{focus_area_id}/ideas": (
        C, lambda product_type_id: {"title": "Compost the peelings", "description": "On site.",
                                    "idea_type_id": product_type_id, "tags": ["Waste"],
                                    "confidential": True}, 201),
    "PATCH /api/v1/ideas/{idea_id}": (C, {"title": "Returnable crates", "tags": ["crates"]},
                                      200),
    "POST /api/v1/ideas/{idea_id}/submit": (C, None, 200),
    "GET /api/v1/ideas/{idea_id}/versions": (AU, None, 200),
    "GET /api/v1/ideas/{idea_id}/versions/diff": (E, None, 200),
    "POST /api/v1/ideas/{idea_id}/coauthors": (
        C, lambda coauthor_candidate_id: {"user_id": coauthor_candidate_id}, 201),
    "GET /api/v1/coauthor-invitations": (E, None, 200),
    "POST /api/v1/coauthor-invitations/{invitation_id}/accept": (E, None, 200),
    "POST /api/v1/coauthor-invitations/{invitation_id}/decline": (E, None, 200),
    "GET /api/v1/ideas/{idea_id}/attachments": (L, None, 200),
    "POST /api/v1/ideas/{idea_id}/attachments": (C, NOTE, 201),
    "GET /api/v1/attachments/{attachment_id}": (L, None, 200),
    "DELETE /api/v1/attachments/{attachment_id}": (M, None, 200),
    "POST /api/v1/ideas/{idea_id}/status": (
        M, {"status": "under_review", "reason": "Worth a closer look."}, 200),
    "PUT /api/v1/ideas/{idea_id}/evaluators": (
        A, lambda assigned_evaluator_id: {"user_ids": [assigned_evaluator_id]}, 200),
}

PATH_OBJECTS = {
    "focus_area_id in /api/v1/focus-areas/{focus_area_id}/ideas": "focus_area",
    "product_type_id": "product_type",
    "idea_id in /api/v1/ideas/{idea_id}/submit": "draft",
    "invitation_id": "invitation",
    "attachment_id": "attachment",
    "coauthor_candidate_id": "coauthor_candidate",
    "assigned_evaluator_id": "assigned_evaluator",
}
