"""Fixtures for tests that touch the append-only audit table outside a rolled-back transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from seedbed.audit import triggers


@pytest.fixture
def audit_rows_cleared(transactional_db):
    """For transaction=True tests: clear the audit table at teardown.

    Django flushes tables between transactional tests with DELETE (SQLite), which the
    append-only triggers refuse. Before that flush runs, lift the triggers, delete the rows
    and put the triggers back, so the next test starts with an empty, protected table.
    """
    yield
    triggers.drop(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {triggers.TABLE}")
    finally:
        triggers.install(connection)
