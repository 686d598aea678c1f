"""Changing and resetting a password: through the pages, audited, and never written down."""

from __future__ import annotations

import json
import re

from django.core import mail
from django.test import Client

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain

NEW_PASSWORD = "plum-orchard-lantern-1987"


def can_sign_in(email: str, password: str) -> bool:
    r = Client().post("/accounts/login/", {"username": email, "password": password})
    return r.status_code == 302


def trail_text() -> str:
    return json.dumps(list(AuditEvent.objects.values()), default=str)


def test_password_change_through_the_page(client_for, users):
    c = client_for("contributor")
    assert c.get("/accounts/password/change/").status_code == 200
    r = c.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/profile/"
    # The person stays signed in on this device after changing it.
    assert c.get("/accounts/profile/").status_code == 200
    assert can_sign_in("contributor@example.test", NEW_PASSWORD)
    assert not can_sign_in("contributor@example.test", PASSWORD)


def test_password_change_is_audited_without_the_password(client_for, users):
    c = client_for("contributor")
    c.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    [event] = AuditEvent.objects.filter(verb="user.password_changed")
    assert event.actor == users["contributor"]
    assert event.object_id == str(users["contributor"].pk)
    assert event.changes == {"password": {"before": "***", "after": "*** (changed)"}}
    user = User.objects.get(pk=users["contributor"].pk)
    text = trail_text()
    assert NEW_PASSWORD not in text
    assert PASSWORD not in text
    assert user.password not in text
    assert verify_chain().ok


def test_password_change_needs_the_old_password(client_for, users):
    c = client_for("contributor")
    before = AuditEvent.objects.count()
    r = c.post("/accounts/password/change/", {
        "old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 400
    assert 'id="id_old_password_error"' in r.content.decode()
    assert AuditEvent.objects.count() == before
    assert can_sign_in("contributor@example.test", PASSWORD)


def test_password_change_refuses_a_weak_password(client_for, users):
    c = client_for("contributor")
    r = c.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert 'id="id_new_password2_error"' in r.content.decode()
    assert can_sign_in("contributor@example.test", PASSWORD)
    assert not AuditEvent.objects.filter(verb="user.password_changed").exists()


def reset_link(email: str) -> str:
    r = Client().post("/accounts/password/reset/", {"email": email})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == [email]
    assert message.subject == "Reset your Seedbed password"
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_password_reset_by_email_link(users):
    link = reset_link("leader@example.test")
    c = Client()
    r = c.get(link)
    # Django moves the token out of the URL into the session before showing the form.
    assert r.status_code == 302
    form_url = r["Location"]
    assert form_url.endswith("/set-password/")
    r = c.get(form_url)
    assert r.status_code == 200
    assert "Choose a new password" in r.content.decode()

    r = c.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/complete/"
    assert can_sign_in("leader@example.test", NEW_PASSWORD)
    assert not can_sign_in("leader@example.test", PASSWORD)

    [event] = AuditEvent.objects.filter(verb="user.password_reset")
    assert event.actor == users["leader"]
    assert event.object_id == str(users["leader"].pk)
    assert event.changes == {"password": {"before": "***", "after": "*** (changed)"}}
    assert NEW_PASSWORD not in trail_text()
    assert verify_chain().ok


def test_a_reset_link_works_only_once(users):
    link = reset_link("leader@example.test")
    c = Client()
    form_url = c.get(link)["Location"]
    c.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    r = Client().get(link, follow=True)
    assert "This link no longer works" in r.content.decode()
    assert AuditEvent.objects.filter(verb="user.password_reset").count() == 1


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(db):
    r = Client().post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_tampered_reset_link_is_refused(users):
    link = reset_link("leader@example.test")
    bad = re.sub(r"/([^/]+)/$", lambda m: "/" + m.group(1)[:-3] + "abc/", link)
    r = Client().get(bad)
    assert r.status_code == 200
    assert "This link no longer works" in r.content.decode()
