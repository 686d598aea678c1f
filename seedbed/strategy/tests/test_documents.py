"""Controlled documents: draft → in review → approved → superseded, through the pages and the
API, audited; approved versions never change; only a leader approves, never their own version;
who sees drafts; the line diff; strategy fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas.tests.helpers import texts_with_class
from seedbed.strategy.actions import documents as actions
from seedbed.strategy.models import ControlledDocument, DocumentVersion, FocusArea
from tests.support import api_call as api
from tests.support import assert_error_body

API = "/api/v1/strategy"


def audit_count() -> int:
    """Audit events other than signing in (force_login is audited too)."""
    return AuditEvent.objects.exclude(verb__startswith="user.").count()


def events(prefix: str = "document") -> list[str]:
    return list(AuditEvent.objects.filter(verb__startswith=prefix).order_by("seq")
                .values_list("verb", flat=True))


def approved(users, document, body="Text.", summary="First issue.", **content):
    version = actions.create_draft(users["manager"], document, body=body, change_summary=summary,
                                   **content)
    actions.submit_version(users["manager"], version)
    return actions.approve_version(users["leader"], version)


def in_review(users, document, body="Proposed text.", summary="Proposed change.", **content):
    version = actions.create_draft(users["manager"], document, body=body, change_summary=summary,
                                   **content)
    return actions.submit_version(users["manager"], version)


def review_date(days: int = 365):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def policy_doc(users):
    return actions.create_document(users["manager"], kind="policy", title="Innovation policy")


@pytest.fixture
def strategy_doc(users):
    return actions.create_document(users["manager"], kind="strategy", title="Innovation strategy")


def focus_area(users, title: str, status=FocusArea.Status.ACTIVE) -> FocusArea:
    # Focus areas belong to another area's actions; a plain row is all these tests need.
    return FocusArea.objects.create(title=title, kind="opportunity", rationale="Why.",
                                    status=status, proposed_by=users["manager"])


# --- The lifecycle --------------------------------------------------------------------------------


def test_manager_drafts_and_a_leader_approves_through_the_pages(users, client_for):
    manager, leader = client_for("manager"), client_for("leader")
    response = manager.post(reverse("strategy:documents_create"),
                            {"kind": "policy", "title": "Innovation policy"})
    document = ControlledDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.requires_acknowledgement and document.owner == users["manager"]

    response = manager.post(reverse("strategy:documents_draft_start", args=[document.pk]))
    version = DocumentVersion.objects.get()
    assert response["Location"] == reverse("strategy:documents_version_edit", args=[version.pk])
    assert (version.number, version.status, version.body) == (1, "draft", "")

    response = manager.post(reverse("strategy:documents_version_edit", args=[version.pk]),
                            {"body": "Everyone may **propose** ideas.",
                             "change_summary": "First issue."})
    assert response.status_code == 302
    manager.post(reverse("strategy:documents_version_submit", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == "in_review" and version.submitted_at is not None

    page = leader.get(version.get_absolute_url()).content.decode()
    assert "Approve version 1" in page and "Send back" in page
    assert "Approve version" not in manager.get(version.get_absolute_url()).content.decode()
    response = leader.post(reverse("strategy:documents_version_approve", args=[version.pk]), {})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "approved" and version.approver == users["leader"]
    assert version.effective_on == timezone.localdate() and version.approved_at is not None
    assert events() == ["document.created", "document_version.drafted",
                        "document_version.updated", "document_version.submitted",
                        "document_version.approved"]

    page = client_for("contributor").get(document.get_absolute_url()).content.decode()
    assert "<strong>propose</strong>" in page
    assert "Hannah" not in page and "Manager Person" in page and "Leader Person" in page
    assert "First issue." in page and "I have read this" in page


def test_new_draft_copies_the_current_version_and_approval_supersedes_it(users, strategy_doc):
    area = focus_area(users, "Healthier recipes")
    v1 = approved(users, strategy_doc, body="Line one\nLine two", focus_areas=[area],
                  resources_needed="£100k", progress_measures="Ideas per month",
                  next_review_on=review_date())
    v2 = actions.create_draft(users["manager"], strategy_doc)
    assert (v2.number, v2.body, v2.change_summary) == (2, "Line one\nLine two", "")
    assert (v2.resources_needed, v2.progress_measures) == ("£100k", "Ideas per month")
    assert list(v2.focus_areas.all()) == [area] and v2.next_review_on == v1.next_review_on
    actions.update_draft(users["manager"], v2, body="Line one\nLine 2", change_summary="Fix.")
    actions.submit_version(users["manager"], v2)
    actions.approve_version(users["leader"], v2, effective_on=review_date(10))
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("superseded", "approved")
    assert v2.effective_on == review_date(10)
    approval = AuditEvent.objects.filter(verb="document_version.approved").order_by("seq").last()
    assert approval.changes["superseded_version"] == {"before": None, "after": 1}


def test_full_lifecycle_through_the_api(users, client_for, policy_doc):
    manager, leader = client_for("manager"), client_for("leader")
    created = api(manager, "post", f"{API}/documents",
                  {"kind": "intent", "title": "Innovation intent"}).json()
    assert created["requires_acknowledgement"] is False and created["current_version"] is None
    draft = api(manager, "post", f"{API}/documents/{created['id']}/versions",
                {"body": "We *grow*.", "change_summary": "First."})
    assert draft.status_code == 201, draft.content
    vid = draft.json()["id"]
    patched = api(manager, "patch", f"{API}/versions/{vid}", {"body": "We *grow* chilled."})
    assert patched.json()["body_html"] == "<p>We <em>grow</em> chilled.</p>\n"
    assert patched.json()["change_summary"] == "First."
    assert api(manager, "post", f"{API}/versions/{vid}/submit").json()["status"] == "in_review"
    assert_error_body(api(manager, "patch", f"{API}/versions/{vid}", {"body": "x"}), 409,
                      "in_review")
    returned = api(leader, "post", f"{API}/versions/{vid}/return", {"reason": "Say more."})
    assert returned.json()["status"] == "draft" and returned.json()["return_reason"] == "Say more."
    api(manager, "post", f"{API}/versions/{vid}/submit")
    body = api(leader, "post", f"{API}/versions/{vid}/approve",
               {"effective_on": "2030-01-01"}).json()
    assert body["status"] == "approved" and body["effective_on"] == "2030-01-01"
    assert body["approver"]["id"] == users["leader"].pk and body["return_reason"] == ""
    detail = api(client_for("evaluator"), "get", f"{API}/documents/{created['id']}").json()
    assert detail["current_version"]["id"] == vid and detail["acknowledged_by_me"] is None
    assert detail["open_version"] is None
    listed = api(client_for("contributor"), "get", f"{API}/documents").json()
    assert [d["id"] for d in listed["items"]] == [created["id"]]  # the policy has no version yet


# --- Immutability and the rules of approval -------------------------------------------------------


def test_approved_and_superseded_versions_never_change(users, client_for, policy_doc):
    v1 = approved(users, policy_doc, body="Original.")
    v2 = in_review(users, policy_doc)
    actions.approve_version(users["leader"], v2)
    manager, leader = client_for("manager"), client_for("leader")
    before = audit_count()
    for version, code in ((v1, "version_immutable"), (v2, "version_immutable")):
        error = assert_error_body(api(manager, "patch", f"{API}/versions/{version.pk}",
                                      {"body": "Rewritten."}), 409, code)
        assert "never change" in error["message"]
    assert_error_body(api(leader, "post", f"{API}/versions/{v2.pk}/approve", {}), 409,
                      "already_approved")
    assert_error_body(api(leader, "post", f"{API}/versions/{v1.pk}/approve", {}), 409,
                      "version_immutable")
    assert_error_body(api(leader, "post", f"{API}/versions/{v1.pk}/return", {"reason": "x"}),
                      409, "version_immutable")
    assert_error_body(api(manager, "post", f"{API}/versions/{v1.pk}/submit"), 409,
                      "version_immutable")
    # The HTML edit form refuses too, and says why.
    response = manager.post(reverse("strategy:documents_version_edit", args=[v1.pk]),
                            {"body": "Rewritten.", "change_summary": "x"}, follow=True)
    assert "cannot be edited" in response.content.decode()
    v1.refresh_from_db()
    assert v1.body == "Original." and v1.status == "superseded"
    assert audit_count() == before


def test_a_draft_never_submitted_cannot_be_approved(users, client_for, policy_doc):
    draft = actions.create_draft(users["manager"], policy_doc, body="B", change_summary="S")
    error = assert_error_body(api(client_for("leader"), "post",
                                  f"{API}/versions/{draft.pk}/approve", {}), 409, "not_in_review")
    assert "submitted for review" in error["message"]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.approver is None


def test_only_a_leader_approves_and_never_their_own_version(users, client_for, policy_doc):
    version = in_review(users, policy_doc)
    for role in ("manager", "admin"):
        assert_error_body(api(client_for(role), "post", f"{API}/versions/{version.pk}/approve", {}),
                          403, "forbidden")
    # Actions do not ask for roles (views do); a version a leader wrote is still theirs.
    other = actions.create_document(users["manager"], kind="scope", title="Scope")
    own = actions.create_draft(users["leader"], other, body="B", change_summary="S")
    actions.submit_version(users["leader"], own)
    error = assert_error_body(
        api(client_for("leader"), "post", f"{API}/versions/{own.pk}/approve", {}), 403,
        "forbidden")
    assert "you wrote" in error["message"]
    page = client_for("leader").get(own.get_absolute_url()).content.decode()
    assert "Approve version" not in page
    assert DocumentVersion.objects.filter(status="approved").count() == 0


def test_one_draft_or_review_at_a_time(users, client_for, policy_doc):
    approved(users, policy_doc)
    manager = client_for("manager")
    first = api(manager, "post", f"{API}/documents/{policy_doc.pk}/versions", {})
    assert first.status_code == 201
    error = assert_error_body(api(manager, "post", f"{API}/documents/{policy_doc.pk}/versions",
                                  {}), 409, "draft_exists")
    assert "Version 2" in error["message"]
    assert policy_doc.versions.count() == 2


def test_the_database_refuses_two_approved_or_two_open_versions(users, policy_doc):
    approved(users, policy_doc)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(document=policy_doc, number=5, status="approved",
                                       body="x", change_summary="x", author=users["manager"])
    actions.create_draft(users["manager"], policy_doc)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentVersion.objects.create(document=policy_doc, number=6, status="in_review",
                                       body="x", change_summary="x", author=users["manager"])


def test_return_needs_a_reason_which_the_author_sees(users, client_for, policy_doc):
    version = in_review(users, policy_doc)
    leader = client_for("leader")
    error = assert_error_body(api(leader, "post", f"{API}/versions/{version.pk}/return",
                                  {"reason": "   "}), 422, "invalid")
    assert set(error["fields"]) == {"reason"}
    response = leader.post(reverse("strategy:documents_version_return", args=[version.pk]),
                           {"reason": ""}, follow=True)
    assert "say why" in response.content.decode()
    version.refresh_from_db()
    assert version.status == "in_review"
    leader.post(reverse("strategy:documents_version_return", args=[version.pk]),
                {"reason": "Mention <b>partners</b>."})
    version.refresh_from_db()
    assert version.status == "draft"
    page = client_for("manager").get(version.get_absolute_url()).content.decode()
    assert "Mention &lt;b&gt;partners&lt;/b&gt;." in page
    actions.submit_version(users["manager"], version)
    version.refresh_from_db()
    assert version.return_reason == ""


def test_submitting_an_incomplete_version_names_the_missing_fields(users, client_for,
                                                                   strategy_doc):
    manager = client_for("manager")
    draft = api(manager, "post", f"{API}/documents/{strategy_doc.pk}/versions", {}).json()
    error = assert_error_body(api(manager, "post", f"{API}/versions/{draft['id']}/submit"), 422)
    assert set(error["fields"]) == {"body", "change_summary", "next_review_on"}
    response = manager.post(reverse("strategy:documents_version_submit", args=[draft["id"]]),
                            follow=True)
    assert "Not submitted" in response.content.decode()
    assert DocumentVersion.objects.get(pk=draft["id"]).status == "draft"


def test_effective_date_cannot_go_before_the_version_it_replaces(users, client_for, policy_doc):
    v1 = approved(users, policy_doc)
    v2 = in_review(users, policy_doc)
    error = assert_error_body(api(client_for("leader"), "post", f"{API}/versions/{v2.pk}/approve",
                                  {"effective_on": "2001-01-01"}), 422, "invalid")
    assert set(error["fields"]) == {"effective_on"}
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("approved", "in_review")


# --- Strategy fields (clause 5.3) -----------------------------------------------------------------


def test_strategy_versions_link_only_active_focus_areas(users, client_for, strategy_doc):
    active = focus_area(users, "Recyclable trays")
    proposed = focus_area(users, "Drone deliveries", FocusArea.Status.PROPOSED)
    manager = client_for("manager")
    url = f"{API}/documents/{strategy_doc.pk}/versions"
    for ids in ([987654], [proposed.pk], [2**70]):
        error = assert_error_body(api(manager, "post", url, {"focus_area_ids": ids}), 422)
        assert set(error["fields"]) == {"focus_area_ids"}
    assert not strategy_doc.versions.exists()
    created = api(manager, "post", url, {
        "body": "Strategy", "change_summary": "First", "focus_area_ids": [active.pk],
        "resources_needed": "£420k", "next_review_on": str(review_date())}).json()
    assert created["focus_area_ids"] == [active.pk]
    error = assert_error_body(api(manager, "patch", f"{API}/versions/{created['id']}",
                                  {"next_review_on": "2001-01-01"}), 422)
    assert set(error["fields"]) == {"next_review_on"}
    # The form offers only active focus areas and refuses any other.
    edit = reverse("strategy:documents_version_edit", args=[created["id"]])
    page = manager.get(edit).content.decode()
    assert "Recyclable trays" in page and "Drone deliveries" not in page
    response = manager.post(edit, {"body": "S", "change_summary": "F",
                                   "focus_areas": [proposed.pk]})
    assert response.status_code == 400
    assert list(DocumentVersion.objects.get(pk=created["id"]).focus_areas.all()) == [active]


def test_other_kinds_carry_no_strategy_fields(users, client_for, policy_doc):
    error = assert_error_body(api(client_for("manager"), "post",
                                  f"{API}/documents/{policy_doc.pk}/versions",
                                  {"resources_needed": "Money", "next_review_on": "2031-01-01"}),
                              422)
    assert set(error["fields"]) == {"resources_needed", "next_review_on"}
    assert not policy_doc.versions.exists()


def test_strategy_page_shows_focus_areas_resources_and_measures(users, client_for, strategy_doc):
    area = focus_area(users, "Healthier recipes")
    approved(users, strategy_doc, body="Strategy body", focus_areas=[area],
             resources_needed="**£420k** a year", progress_measures="Ideas per challenge",
             next_review_on=review_date(30))
    page = client_for("auditor").get(strategy_doc.get_absolute_url()).content.decode()
    assert "Healthier recipes" in page and "<strong>£420k</strong>" in page
    assert "Ideas per challenge" in page and "overdue" not in page


# --- Who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["evaluator", "contributor", "auditor"])
def test_readers_see_only_approved_current_documents_and_their_history(role, users, client_for,
                                                                       policy_doc, strategy_doc):
    v1 = approved(users, policy_doc, body="Old policy")
    v2 = in_review(users, policy_doc, body="New policy")
    actions.approve_version(users["leader"], v2)
    v3 = actions.create_draft(users["manager"], policy_doc, body="Secret draft wording")
    draft_only = in_review(users, strategy_doc, body="Strategy draft",
                           next_review_on=review_date())
    client = client_for(role)
    listing = client.get(reverse("strategy:documents_list")).content.decode()
    assert "Innovation policy" in listing and "Innovation strategy" not in listing
    assert client.get(strategy_doc.get_absolute_url()).status_code == 404
    for version in (v3, draft_only):
        assert client.get(version.get_absolute_url()).status_code == 404
        assert_error_body(client.get(f"{API}/versions/{version.pk}"), 404, "not_found")
        assert client.get(reverse("strategy:documents_version_diff",
                                  args=[version.pk])).status_code == 404
    assert_error_body(client.get(f"{API}/versions/{v2.pk}/diff?against={v3.pk}"), 404)
    page = client.get(policy_doc.get_absolute_url()).content.decode()
    assert "New policy" in page and "Secret draft" not in page and "Version 3" not in page
    history = client.get(reverse("strategy:documents_history", args=[policy_doc.pk]))
    assert "Version 1" in history.content.decode() and "Version 3" not in history.content.decode()
    versions = client.get(f"{API}/documents/{policy_doc.pk}/versions").json()
    assert [v["id"] for v in versions["items"]] == [v2.pk, v1.pk]
    documents = client.get(f"{API}/documents").json()
    assert [d["id"] for d in documents["items"]] == [policy_doc.pk]
    assert documents["items"][0]["open_version"] is None
    assert_error_body(client.get(f"{API}/documents/{strategy_doc.pk}"), 404, "not_found")


@pytest.mark.parametrize("role", ["admin", "manager", "leader"])
def test_drafts_are_for_those_who_write_and_approve_them(role, users, client_for, strategy_doc):
    version = in_review(users, strategy_doc, body="Strategy draft", next_review_on=review_date())
    client = client_for(role)
    assert "Innovation strategy" in client.get(reverse("strategy:documents_list")).content.decode()
    assert client.get(version.get_absolute_url()).status_code == 200
    listed = client.get(f"{API}/documents").json()["items"][0]
    assert listed["current_version"] is None and listed["open_version"]["id"] == version.pk


def test_partner_sees_no_document(users, client_for, policy_doc):
    version = approved(users, policy_doc)
    partner = client_for("partner")
    for url in (reverse("strategy:documents_list"), policy_doc.get_absolute_url(),
                version.get_absolute_url()):
        assert partner.get(url).status_code == 403
    assert_error_body(partner.get(f"{API}/documents"), 403, "forbidden")
    assert_error_body(partner.get(f"{API}/versions/{version.pk}"), 403, "forbidden")
    assert "Innovation policy" not in partner.get(reverse("core:home")).content.decode()


# --- Diff -----------------------------------------------------------------------------------------


def test_diff_marks_added_and_removed_lines_and_escapes_them(users, client_for, policy_doc):
    v1 = approved(users, policy_doc, body="Keep this\nDrop <b>this</b>\nSame end")
    v2 = in_review(users, policy_doc, body="Keep this\nAdd <script>alert(1)</script>\nSame end")
    actions.approve_version(users["leader"], v2)
    client = client_for("contributor")
    response = client.get(reverse("strategy:documents_version_diff", args=[v2.pk]))
    html = response.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert texts_with_class(html, "diff-removed") == ["Removed: Drop <b>this</b>"]
    assert texts_with_class(html, "diff-added") == ["Added: Add <script>alert(1)</script>"]
    assert texts_with_class(html, "diff-same") == ["Keep this", "Same end"]
    body = client.get(f"{API}/versions/{v2.pk}/diff").json()
    assert body["against"]["id"] == v1.pk and (body["added"], body["removed"]) == (1, 1)
    assert body["lines"][1] == {"kind": "removed", "text": "Drop <b>this</b>"}
    reverse_diff = client.get(f"{API}/versions/{v1.pk}/diff?against={v2.pk}").json()
    assert reverse_diff["lines"][1] == {"kind": "removed",
                                        "text": "Add <script>alert(1)</script>"}
    first = client.get(f"{API}/versions/{v1.pk}/diff").json()
    assert first["against"] is None and first["added"] == 3


def test_diff_against_another_documents_version_is_404(users, client_for, policy_doc,
                                                       strategy_doc):
    version = approved(users, policy_doc)
    other = approved(users, strategy_doc, next_review_on=review_date())
    client = client_for("manager")
    assert_error_body(client.get(f"{API}/versions/{version.pk}/diff?against={other.pk}"), 404)
    assert_error_body(client.get(f"{API}/versions/{version.pk}/diff?against=abc"), 422)
    url = reverse("strategy:documents_version_diff", args=[version.pk])
    assert client.get(url + f"?against={other.pk}").status_code == 404
    assert client.get(url + "?against=abc").status_code == 200  # ignored: the previous version


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body", "status"), [
    ("post", "/documents", {"kind": "manual", "title": "T"}, 422),
    ("post", "/documents", {"kind": "policy", "title": ""}, 422),
    ("post", "/documents", {"kind": "policy", "title": "T\x00"}, 422),
    ("post", "/documents", {"kind": "policy", "title": "T" * 201}, 422),
    ("post", "/documents", [1, 2], 422),
    ("get", "/documents/99999999999999999999", None, 404),
    ("get", "/documents/0", None, 404),
    ("get", "/documents?kind=manual", None, 422),
    ("get", "/documents?offset=99999999999999999999", None, 200),
    ("get", "/versions/-1", None, 404),
    ("get", "/versions/{v}/diff?against=99999999999999999999", None, 404),
    ("patch", "/versions/{v}", {"body": "b" * 100001}, 422),
    ("patch", "/versions/{v}", {"change_summary": "c" * 501}, 422),
    ("patch", "/versions/{v}", {"next_review_on": "2030-02-30"}, 422),
    ("patch", "/versions/{v}", {"focus_area_ids": "all"}, 422),
    ("patch", "/versions/{v}", {"focus_area_ids": [1.5]}, 422),
    ("patch", "/versions/99999999999999999999", {"body": "x"}, 404),
    ("post", "/versions/{v}/approve", {"effective_on": "soon"}, 422),
    ("post", "/versions/{v}/return", {}, 422),
    ("post", "/versions/{v}/return", {"reason": "r" * 5001}, 422),
])
def test_bad_input_is_a_4xx_and_changes_nothing(method, path, body, status, users, client_for,
                                                strategy_doc):
    version = in_review(users, strategy_doc, next_review_on=review_date())
    actions.return_version(users["leader"], version, reason="Again")
    before = (audit_count(), DocumentVersion.objects.count(),
              ControlledDocument.objects.count())
    role = "leader" if path.endswith(("approve", "return")) else "manager"
    if role == "leader":
        actions.submit_version(users["manager"], version)
        before = (before[0] + 1, *before[1:])
    response = api(client_for(role), method, API + path.format(v=version.pk), body)
    assert response.status_code == status, response.content
    if status >= 400:
        assert_error_body(response, status)
    assert (audit_count(), DocumentVersion.objects.count(),
            ControlledDocument.objects.count()) == before


def test_html_forms_show_field_errors_with_400(users, client_for, policy_doc):
    manager = client_for("manager")
    response = manager.post(reverse("strategy:documents_create"), {"kind": "x", "title": ""})
    assert response.status_code == 400
    assert len(texts_with_class(response.content.decode(), "field-error")) == 2
    draft = actions.create_draft(users["manager"], policy_doc)
    response = manager.post(reverse("strategy:documents_version_edit", args=[draft.pk]),
                            {"body": "x", "change_summary": "c" * 501})
    assert response.status_code == 400
    assert ControlledDocument.objects.count() == 1
