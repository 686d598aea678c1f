"""Personal API tokens: shown once, stored as a digest, revocable."""

from __future__ import annotations

import hashlib
import re

from django.apps import apps
from django.db import connection
from django.test import Client

from seedbed.accounts.models import ApiToken
from seedbed.audit.models import AuditEvent


def create_token(c: Client, name: str = "Power BI") -> str:
    r = c.post("/accounts/tokens/", {"name": name})
    assert r.status_code == 200
    match = re.search(r'<code class="token-value">(sbt_[A-Za-z0-9_-]+)</code>', r.content.decode())
    assert match, "the new secret is shown on the page"
    return match.group(1)


def database_contains(text: str) -> bool:
    """Whether any column of any row of any table holds this text."""
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            for row in cursor.fetchall():
                if any(text in str(value) for value in row):
                    return True
    return False


def bearer(secret: str) -> dict:
    return {"headers": {"Authorization": f"Bearer {secret}"}}


def test_new_token_is_shown_once_and_only_its_digest_is_stored(client_for, users):
    c = client_for("contributor")
    secret = create_token(c)
    token = ApiToken.objects.get(user=users["contributor"])
    assert token.name == "Power BI"
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.lookup == secret[:10]
    assert not database_contains(secret)
    assert database_contains(token.digest)  # the scan does see stored values

    page = c.get("/accounts/profile/").content.decode()
    assert secret not in page
    assert token.lookup in page
    assert "Power BI" in page


def test_token_authenticates_api_calls_as_its_owner(client_for, users):
    secret = create_token(client_for("contributor"))
    r = Client().get("/api/v1/me", **bearer(secret))
    assert r.status_code == 200
    assert r.json()["email"] == "contributor@example.test"
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_gets_401(client_for, users):
    c = client_for("contributor")
    secret = create_token(c)
    token = ApiToken.objects.get()
    r = c.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    r = Client().get("/api/v1/me", **bearer(secret))
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"
    assert "revoked" in c.get("/accounts/profile/").content.decode()


def test_made_up_or_malformed_tokens_get_401(db):
    for value in ["sbt_" + "x" * 43, "not-a-token", "sbt_" + "y" * 300, ""]:
        r = Client().get("/api/v1/me", **bearer(value))
        assert r.status_code == 401


def test_nobody_can_revoke_someone_elses_token(client_for, users):
    create_token(client_for("contributor"))
    token = ApiToken.objects.get()
    r = client_for("manager").post(f"/accounts/tokens/{token.pk}/revoke/")
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_of_a_deactivated_user_stops_working(client_for, users):
    secret = create_token(client_for("contributor"))
    users["contributor"].is_active = False
    users["contributor"].save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401


def test_token_needs_a_name(client_for, users):
    c = client_for("contributor")
    before = AuditEvent.objects.count()
    r = c.post("/accounts/tokens/", {"name": ""})
    assert r.status_code == 400
    assert 'id="id_name_error"' in r.content.decode()
    r = c.post("/accounts/tokens/", {"name": "n" * 81})
    assert r.status_code == 400
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.count() == before


def test_token_creation_is_post_only(client_for, users):
    assert client_for("contributor").get("/accounts/tokens/").status_code == 405
