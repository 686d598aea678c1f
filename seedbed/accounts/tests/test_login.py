"""Signing in with an e-mail address, throttling of guessing, and signing out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from seedbed.audit.models import AuditEvent

EMAIL = "contributor@example.test"


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def attempt(client: Client, password: str, ip: str = "127.0.0.1", email: str = EMAIL):
    return client.post("/accounts/login/", {"username": email, "password": password},
                       REMOTE_ADDR=ip)


def test_login_page_asks_for_an_email_address(client, db):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert 'type="email"' in r.content.decode()
    assert 'name="username"' in r.content.decode()


def test_right_email_and_password_sign_in_and_go_home(client, users):
    r = attempt(client, PASSWORD)
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert signed_in_user_id(client) == str(users["contributor"].pk)
    assert client.get("/").status_code == 200


def test_login_follows_a_local_next_but_not_an_external_one(client, users):
    r = client.post("/accounts/login/?next=/challenges/",
                    {"username": EMAIL, "password": PASSWORD, "next": "/challenges/"})
    assert r["Location"] == "/challenges/"
    other = Client()
    r = other.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD,
                                        "next": "https://evil.example/phish"})
    assert r["Location"] == "/"


def test_wrong_password_shows_an_error_and_signs_nobody_in(client, users):
    r = attempt(client, "not-the-password")
    assert r.status_code == 200
    assert "Please enter a correct email and password" in r.content.decode()
    assert signed_in_user_id(client) is None
    assert not AuditEvent.objects.filter(verb="user.logged_in").exists()


def test_unknown_email_shows_the_same_error(client, users):
    r = attempt(client, PASSWORD, email="nobody@example.test")
    assert "Please enter a correct email and password" in r.content.decode()
    assert signed_in_user_id(client) is None


def test_repeated_failures_lock_the_account_from_that_address_even_with_the_right_password(
        client, users):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        assert attempt(client, "guess").status_code == 200
    r = attempt(client, "guess")
    assert r.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in r.templates]

    r = attempt(client, PASSWORD)
    assert r.status_code == 429
    assert "Too many failed sign-in attempts" in r.content.decode()
    assert signed_in_user_id(client) is None


def test_lockout_is_for_the_account_and_address_pair(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "guess")
    # The same person from another address, and another account from the same address, still
    # get in: one attacker cannot lock everybody out.
    elsewhere = Client()
    assert attempt(elsewhere, PASSWORD, ip="198.51.100.7").status_code == 302
    colleague = Client()
    assert attempt(colleague, PASSWORD, email="leader@example.test").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "guess")
    assert attempt(client, PASSWORD).status_code == 302
    again = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(again, "guess")
    assert attempt(again, PASSWORD).status_code == 302


@pytest.mark.parametrize("change", [{"is_active": False}, {"access_until": "2000-01-01"}])
def test_inactive_or_lapsed_account_cannot_use_the_site(client, users, change):
    user = users["auditor"]
    for name, value in change.items():
        setattr(user, name, value)
    user.save()
    attempt(client, PASSWORD, email=user.email)
    assert client.get("/").status_code in (302, 403)
    assert client.get("/audit/").status_code in (302, 403)


def test_logout_is_a_post_that_ends_the_session(client_for, users):
    c = client_for("contributor")
    assert c.get("/accounts/logout/").status_code == 405
    assert signed_in_user_id(c) == str(users["contributor"].pk)
    r = c.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/"
    assert signed_in_user_id(c) is None
    assert c.get("/")["Location"].startswith("/accounts/login/")
    logouts = AuditEvent.objects.filter(verb="user.logged_out", actor=users["contributor"])
    assert logouts.count() == 1


def test_anonymous_visitor_is_sent_to_login(client, db):
    r = client.get("/challenges/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/challenges/"


def test_login_accepts_the_email_in_any_case(client, users):
    r = client.post("/accounts/login/", {"username": "Contributor@Example.TEST",
                                         "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_failures_in_different_cases_share_one_lockout_budget(client, users):
    for i in range(5):
        variant = "contributor@example.test".upper() if i % 2 else "Contributor@example.test"
        client.post("/accounts/login/", {"username": variant, "password": "wrong-password-1"})
    r = client.post("/accounts/login/", {"username": "contributor@example.test",
                                         "password": PASSWORD})
    assert r.status_code == 429
