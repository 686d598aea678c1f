"""Time-limited access: once access_until has passed, every rule denies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed import policy


def lapse(user, days_ago: int) -> None:
    user.access_until = timezone.localdate() - timedelta(days=days_ago)
    user.save(update_fields=["access_until"])


@pytest.mark.parametrize("role", policy.ROLES)
def test_lapsed_access_denies_every_rule(users, role):
    user = users[role]
    assert any(policy.can(user, name) for name in policy.RULES)
    lapse(user, days_ago=1)
    assert [name for name in policy.RULES if policy.can(user, name)] == []
    assert policy.role_of(user) is None


def test_access_lasts_through_the_last_day(users):
    lapse(users["auditor"], days_ago=0)
    assert policy.can(users["auditor"], "audit.browse")


def test_lapsed_auditor_is_refused_by_pages_and_api(client_for, users):
    c = client_for("auditor")
    assert c.get("/audit/").status_code == 200
    assert c.get("/api/v1/audit/events").status_code == 200
    lapse(users["auditor"], days_ago=1)
    assert c.get("/audit/").status_code == 403
    assert c.get("/").status_code == 403
    r = c.get("/api/v1/audit/events")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    assert c.get("/api/v1/me").status_code == 403


def test_lapsed_user_sees_no_challenges_even_through_selectors(users, challenge):
    from seedbed.ideas import selectors

    lapse(users["manager"], days_ago=3)
    assert list(selectors.visible_challenges(users["manager"])) == []
    assert list(selectors.visible_ideas(users["manager"])) == []
