"""What people type is shown, never run: script and event-handler payloads in challenges,
ideas and comments come out inert on every page that shows them."""

from __future__ import annotations

import pytest

from seedbed.audit.models import AuditEvent
from seedbed.ideas.models import Challenge, Comment, Idea
from seedbed.ideas.tests.helpers import api, parse
from tests.support import new_challenge_form

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "<iframe src=javascript:alert(1)></iframe>",
    "[y](  JaVaScRiPt:alert(1))",
    "<body onpageshow=alert(1)>",
]
EVERYTHING = "\n\n".join(PAYLOADS)


def assert_inert(html: str) -> None:
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in {"iframe", "svg", "img", "object", "embed"}, tag
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            if name.lower() in {"href", "src", "action", "formaction", "hx-get", "hx-post"}:
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value
        if tag == "script":
            # Only the page's own, external scripts: never inline code from anyone.
            assert attrs.get("src", "").startswith("/static/"), attrs
    for body in page.scripts:
        assert "alert" not in body
        assert body.strip() == ""


@pytest.fixture
def hostile(client_for, users, org):
    """A challenge, an idea and comments, each full of payloads, posted through the pages."""
    manager, contributor = client_for("manager"), client_for("contributor")
    r = manager.post("/challenges/new/", new_challenge_form(
        users["manager"], title="<script>alert(1)</script> Waste", description=EVERYTHING))
    assert r.status_code == 302
    challenge = Challenge.objects.get()
    manager.post(f"/challenges/{challenge.pk}/open/")
    r = contributor.post(f"/challenges/{challenge.pk}/ideas/new/", {
        "title": '<img src=x onerror=alert(1)> "crates"', "description": EVERYTHING})
    assert r.status_code == 302
    idea = Idea.objects.get()
    for payload in PAYLOADS:
        assert contributor.post(f"/ideas/{idea.pk}/comments/",
                                {"body": payload}).status_code == 302
    # The text is kept exactly as typed: escaping happens on the way out, not in storage.
    assert Challenge.objects.get().description == EVERYTHING
    assert Comment.objects.count() == len(PAYLOADS)
    return {"challenge": challenge, "idea": idea, "clients": {"manager": manager,
                                                               "contributor": contributor}}


def pages(hostile) -> list[str]:
    ch, idea = hostile["challenge"].pk, hostile["idea"].pk
    return ["/", "/challenges/", f"/challenges/{ch}/", f"/challenges/{ch}/edit/",
            f"/challenges/{ch}/ideas/new/", "/ideas/", f"/ideas/{idea}/", "/audit/"]


@pytest.mark.parametrize("index", range(8))
def test_pages_showing_hostile_text_contain_nothing_that_runs(hostile, index):
    url = pages(hostile)[index]
    r = hostile["clients"]["manager"].get(url)
    assert r.status_code == 200, url
    assert_inert(r.content.decode())


def test_hostile_text_is_visible_as_text(hostile):
    html = hostile["clients"]["contributor"].get(f"/ideas/{hostile['idea'].pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[x](javascript:alert(1))" in html


def test_htmx_partials_are_inert_too(hostile):
    c = hostile["clients"]["contributor"]
    idea = hostile["idea"]
    r = c.post(f"/ideas/{idea.pk}/comments/", {"body": PAYLOADS[1]},
               headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert_inert(r.content.decode())
    r = c.get(f"/challenges/{hostile['challenge'].pk}/",
              headers={"HX-Request": "true", "HX-Target": "idea-list"})
    assert_inert(r.content.decode())
    r = c.post(f"/ideas/{idea.pk}/vote/", headers={"HX-Request": "true"})
    assert_inert(r.content.decode())


def test_api_rendered_html_is_inert_and_raw_text_is_returned_as_typed(client_for, users):
    manager = client_for("manager")
    form = new_challenge_form(users["manager"])
    r = api(manager, "post", "/api/v1/challenges", {
        "title": "T", "description": EVERYTHING, "focus_area_ids": form["focus_areas"],
        "idea_type_ids": form["idea_types"]})
    assert r.status_code == 201
    assert r.json()["description"] == EVERYTHING
    assert_inert(r.json()["description_html"])
    cid = r.json()["id"]
    api(manager, "post", f"/api/v1/challenges/{cid}/open")
    r = api(client_for("contributor"), "post", f"/api/v1/challenges/{cid}/ideas",
            {"title": PAYLOADS[0], "description": EVERYTHING})
    assert r.status_code == 201
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert_inert(r.json()["description_html"])


def test_links_in_descriptions_still_work_and_are_marked_external(client_for, challenge,
                                                                  users):
    from seedbed.ideas import actions

    idea = actions.submit_idea(users["contributor"], challenge, title="See",
                               description="Read [the study](https://example.org/study).")
    html = client_for("contributor").get(f"/ideas/{idea.pk}/").content.decode()
    links = [attrs for tag, attrs in parse(html).tags
             if tag == "a" and attrs.get("href") == "https://example.org/study"]
    assert len(links) == 1
    assert set(links[0]["rel"].split()) >= {"noopener", "noreferrer"}


@pytest.mark.parametrize("url", ["/", "/challenges/", "/accounts/login/", "/audit/"])
def test_every_page_sends_a_content_security_policy_without_inline_script(client_for, url):
    r = client_for("manager").get(url)
    policy = r["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_error_pages_send_the_policy_too(client_for):
    r = client_for("contributor").get("/challenges/new/")
    assert r.status_code == 403
    assert "script-src 'self'" in r["Content-Security-Policy"]


def test_audit_trail_stores_the_payload_as_data(hostile):
    event = AuditEvent.objects.get(verb="challenge.created")
    assert event.changes["description"]["after"] == EVERYTHING
