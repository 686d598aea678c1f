"""Managers deciding the same proposal at the same moment: exactly one decision wins, the
others are told it is already decided, and the trail holds one decision."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.audit.tests.conftest import audit_rows_cleared  # noqa: F401  (shared fixture)
from seedbed.strategy.actions import focus as actions
from seedbed.strategy.models import FocusArea

DECIDERS = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_rows_cleared")
def test_simultaneous_decisions_leave_exactly_one(users):
    proposal = actions.propose_focus_area(users["contributor"], title="Refill sauces",
                                          kind="opportunity", rationale="Less packaging.")
    clients = []
    for role in ("manager", "admin") * (DECIDERS // 2):
        client = Client()
        client.force_login(users[role])
        clients.append(client)
    bodies = [("accept", '{"horizon": "h2", "priority": 1}'),
              ("decline", '{"reason": "Covered elsewhere."}')]
    barrier = threading.Barrier(DECIDERS)
    statuses: list[int] = []
    failures: list[str] = []

    def decide(index: int) -> None:
        action, body = bodies[index % 2]
        try:
            barrier.wait(timeout=10)
            r = clients[index].post(f"/api/v1/strategy/focus-areas/{proposal.pk}/{action}",
                                    body, content_type="application/json")
            statuses.append(r.status_code)
        except BaseException as exc:  # reported by the assertion below
            failures.append(f"{index}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(DECIDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(statuses) == [200] + [409] * (DECIDERS - 1)
    proposal = FocusArea.objects.get(pk=proposal.pk)
    assert proposal.status in ("active", "declined") and proposal.decided_by is not None
    decisions = AuditEvent.objects.filter(verb__in=("focus_area.accepted",
                                                    "focus_area.declined"))
    assert decisions.count() == 1
    assert verify_chain().ok
