"""Attachments (type by content, size limit, private serving, soft removal), custom field
answers, and the idea page's fixed query count."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from seedbed.ideas.models import Attachment, CustomField, Idea

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def api(client, method, url, body=None):
    return getattr(client, method)(url, data=json.dumps(body) if body is not None else None,
                                   content_type="application/json")


def upload(client, idea, name, content):
    return client.post(reverse("ideas:attachment_upload", args=[idea.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type="image/png")})


# --- Attachments ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("photo.png", PNG, "image/png"),
    ("report.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("notes.txt", "Crates: 40 per pallet. Ça marche.".encode(), "text/plain"),
    ("figures.csv", b"site,crates\nLeeds,40\n", "text/csv"),
    ("brief.docx", docx_bytes(),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_files_are_stored_under_a_token_and_served_privately(
        name, content, content_type, client_for, idea, settings):
    author = client_for("contributor")
    assert upload(author, idea, name, content).status_code == 302
    attachment = Attachment.objects.get(idea=idea)
    assert attachment.content_type == content_type and attachment.size == len(content)
    assert attachment.original_name == name and name not in attachment.file.name
    assert attachment.token in attachment.file.name
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    response = client_for("auditor").get(reverse("ideas:attachment_download",
                                                 args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for("partner").get(reverse("ideas:attachment_download",
                                             args=[attachment.pk])).status_code == 404


@pytest.mark.parametrize(("name", "content"), [
    ("setup.png", b"MZ\x90\x00" + b"\x00" * 60),  # a Windows program called a picture
    ("page.html", b"<html><script>alert(1)</script></html>"),  # text, but not an allowed name
    ("photo.pdf", PNG),  # content and name disagree
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 40),  # a broken ZIP
    ("empty.txt", b""),
])
def test_disallowed_files_are_refused_and_nothing_is_stored(name, content, client_for, idea,
                                                            settings):
    client = client_for("contributor")
    before = AuditEvent.objects.count()
    files_before = sorted(settings.MEDIA_ROOT.rglob("*"))
    response = upload(client, idea, name, content)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == before
    assert sorted(settings.MEDIA_ROOT.rglob("*")) == files_before


def test_oversized_file_is_refused_in_html_and_api(client_for, idea, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = b"a" * 1025
    assert upload(client_for("contributor"), idea, "big.txt", big).status_code == 400
    response = api(client_for("contributor"), "post", f"/api/v1/ideas/{idea.pk}/attachments",
                   {"name": "big.txt", "content_base64": base64.b64encode(big).decode()})
    assert response.status_code == 422
    assert "at most" in response.json()["error"]["fields"]["file"][0]
    multipart = client_for("contributor").post(
        f"/api/v1/ideas/{idea.pk}/attachments", {"file": SimpleUploadedFile("big.txt", big)})
    assert multipart.status_code == 422
    assert not Attachment.objects.exists()


def test_api_multipart_upload_list_download_and_soft_removal(client_for, idea):
    author = client_for("contributor")
    made = author.post(f"/api/v1/ideas/{idea.pk}/attachments",
                       {"file": SimpleUploadedFile("photo.png", PNG)})
    assert made.status_code == 201, made.content
    attachment_id = made.json()["id"]
    assert made.json()["content_type"] == "image/png"
    listing = client_for("leader").get(f"/api/v1/ideas/{idea.pk}/attachments").json()
    assert [a["id"] for a in listing["items"]] == [attachment_id]
    assert client_for("leader").get(f"/api/v1/attachments/{attachment_id}").status_code == 200
    # Leaders may read, not remove.
    assert client_for("leader").delete(f"/api/v1/attachments/{attachment_id}").status_code \
        == 403
    removed = author.delete(f"/api/v1/attachments/{attachment_id}")
    assert removed.status_code == 200 and removed.json()["removed_at"]
    assert Attachment.objects.get(pk=attachment_id).removed_at is not None
    assert client_for("leader").get(f"/api/v1/attachments/{attachment_id}").status_code == 404
    assert client_for("leader").get(f"/api/v1/ideas/{idea.pk}/attachments").json()["count"] == 0


def test_files_of_a_confidential_idea_are_served_only_to_those_who_see_it(client_for, users,
                                                                          challenge):
    idea = actions.submit_idea(users["contributor"], challenge, title="Formula",
                               description="x", confidential=True)
    attachment = actions.add_attachment(users["contributor"], idea,
                                        SimpleUploadedFile("f.txt", b"secret"))
    url = reverse("ideas:attachment_download", args=[attachment.pk])
    for role, status in (("manager", 200), ("leader", 200), ("evaluator", 404),
                         ("auditor", 404), ("partner", 404), ("contributor", 200)):
        assert client_for(role).get(url).status_code == status, role


# --- Custom field answers ---------------------------------------------------------------------


@pytest.fixture
def questions(challenge):
    made = {}
    for position, (key, kind, required, choices) in enumerate((
            ("saving", "number", True, []),
            ("site", "choice", True, ["Leeds", "York"]),
            ("start", "date", False, []),
            ("retail", "yes_no", False, []),
            ("lines", "multi_choice", False, ["A", "B", "C"]),
            ("sketch", "file", False, []))):
        made[key] = CustomField.objects.create(
            challenge=challenge, key=key, label=key.title(), kind=kind, required=required,
            choices=choices, position=position)
    return made


def test_custom_answers_are_validated_stored_and_shown(client_for, challenge, questions):
    client = client_for("contributor")
    url = reverse("ideas:idea_create", args=[challenge.pk])
    form = client.get(url).content.decode()
    assert 'name="cf_saving"' in form and 'name="cf_sketch"' in form and "York" in form
    bad = client.post(url, {"title": "T", "description": "D", "cf_saving": "lots",
                            "cf_site": "Paris", "cf_start": "2025-02-30", "save": "submit"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Enter a number." in html and "Enter a date as YYYY-MM-DD." in html
    assert not Idea.objects.exists()
    # Required answers: a draft may leave them out, a submission may not.
    missing = client.post(url, {"title": "T", "description": "D", "save": "submit"})
    assert missing.status_code == 400 and "This question is required." in missing.content.decode()
    good = client.post(url, {
        "title": "Crates", "description": "D", "cf_saving": "12,500.50", "cf_site": "York",
        "cf_start": "2030-01-15", "cf_retail": "yes", "cf_lines": ["C", "A"],
        "cf_sketch": SimpleUploadedFile("sketch.png", PNG), "save": "submit"})
    assert good.status_code == 302, good.content.decode()[:2000]
    idea = Idea.objects.get()
    sketch = Attachment.objects.get(idea=idea, field_key="sketch")
    assert idea.custom_values == {
        "saving": 12500.5, "site": "York", "start": "2030-01-15", "retail": True,
        "lines": ["A", "C"], "sketch": {"attachment_id": sketch.pk, "name": "sketch.png"}}
    page = client_for("leader").get(idea.get_absolute_url()).content.decode()
    assert "12500.5" in page and "2030-01-15" in page and "sketch.png" in page
    detail = client_for("leader").get(f"/api/v1/ideas/{idea.pk}").json()
    assert detail["custom_values"]["site"] == "York"


def test_api_accepts_and_checks_custom_values(client_for, challenge, questions):
    client = client_for("contributor")
    url = f"/api/v1/challenges/{challenge.pk}/ideas"
    bad = api(client, "post", url, {"title": "T", "description": "D", "custom_values": {
        "saving": True, "site": "Leeds", "unknown": 1, "lines": ["Z"]}})
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {
        "custom_values.saving", "custom_values.unknown", "custom_values.lines"}
    draft = api(client, "post", url, {"title": "T", "description": "D", "draft": True,
                                      "custom_values": {"site": "Leeds"}})
    assert draft.status_code == 201 and draft.json()["status"] == "draft"
    idea_id = draft.json()["id"]
    refused = client.post(f"/api/v1/ideas/{idea_id}/submit")
    assert refused.status_code == 422
    assert "custom_values.saving" in refused.json()["error"]["fields"]
    api(client, "patch", f"/api/v1/ideas/{idea_id}",
        {"custom_values": {"site": "Leeds", "saving": 300}})
    submitted = client.post(f"/api/v1/ideas/{idea_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["custom_values"] == {"site": "Leeds", "saving": 300}


# --- The idea page ----------------------------------------------------------------------------


def _page_queries(client, idea) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(idea.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_idea_page_costs_the_same_whatever_the_numbers_of_people_tags_and_files(
        client_for, users, challenge, questions):
    from seedbed.accounts.models import User

    def make(n: int) -> Idea:
        idea = actions.submit_idea(
            users["contributor"], challenge, title=f"Idea {n}", description="x",
            tags=[f"t{n}-{i}" for i in range(n)],
            custom_values={"saving": n, "site": "Leeds"})
        for i in range(n):
            actions.add_attachment(users["contributor"], idea,
                                   SimpleUploadedFile(f"f{i}.txt", b"x"))
            person = User.objects.create_user(f"p{n}-{i}@example.test", "x" * 12,
                                              full_name=f"P {i}", role="contributor")
            invitation = actions.invite_coauthor(users["contributor"], idea, person)
            actions.respond_to_invitation(person, invitation, accept=True)
        actions.assign_evaluators(users["manager"], idea, [users["evaluator"]])
        return idea

    small, large = make(1), make(6)
    for role in ("manager", "contributor", "evaluator"):
        client = client_for(role)
        _page_queries(client, small)  # warm the session
        assert _page_queries(client, small) == _page_queries(client, large), role
    html = client_for("manager").get(large.get_absolute_url()).content.decode()
    assert "P 5" in html and "f5.txt" in html and "t6-5" in html


def test_idea_page_query_budget_is_pinned(client_for, idea, django_assert_max_num_queries):
    client = client_for("contributor")
    client.get(idea.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(idea.get_absolute_url()).status_code == 200
