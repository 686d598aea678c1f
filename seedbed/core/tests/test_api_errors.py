from __future__ import annotations

from django.test import Client


def test_unknown_api_path_answers_with_the_error_body(client_for, users):
    r = client_for("contributor").get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_wrong_method_on_the_api_answers_405_with_the_error_body(client_for, idea):
    r = client_for("contributor").delete(f"/api/v1/ideas/{idea.pk}")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in r["Allow"]


def test_session_write_without_csrf_token_names_the_csrf_failure(users, challenge):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["contributor"])
    r = c.post(f"/api/v1/challenges/{challenge.pk}/ideas",
               data={"title": "t", "description": "d"}, content_type="application/json")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"


def test_html_404_stays_html(client_for):
    r = client_for("contributor").get("/no-such-page/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")
