"""Appends from many connections at once must not fork the chain (two events, one parent)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from seedbed.audit import service
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain

THREADS = 8
PER_THREAD = 6


def run_in_threads(target, count: int) -> list[BaseException]:
    """Start ``count`` threads together; each uses (and closes) its own database connection."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            target(index)
        except BaseException as exc:  # reported to the test, which fails with it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain(audit_rows_cleared):
    def append(index: int) -> None:
        for n in range(PER_THREAD):
            service.record(None, "test.concurrent", object_type="thread",
                           object_id=f"{index}-{n}")

    assert run_in_threads(append, THREADS) == []

    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == THREADS * PER_THREAD
    assert [e.seq for e in events] == list(range(1, THREADS * PER_THREAD + 1))
    assert events[0].prev_hash == "0" * 64
    for previous, current in zip(events, events[1:], strict=False):
        assert current.prev_hash == previous.hash
    assert len({e.object_id for e in events}) == THREADS * PER_THREAD
    result = verify_chain()
    assert (result.ok, result.checked) == (True, THREADS * PER_THREAD)
