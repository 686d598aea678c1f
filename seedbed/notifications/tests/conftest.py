from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from seedbed import policy


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn) → runs fn in a transaction and then its on-commit work (the dispatch),
    as a real request would."""

    def run(fn):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            result = fn()
        return result

    return run


@pytest.fixture
def emit(committed):
    """emit(event, **kwargs): an action's announcement, dispatched as after a commit."""
    from seedbed.notifications import events

    def run(event, **kwargs):
        committed(lambda: events.emit(event, **kwargs))

    return run


@pytest.fixture
def person(org):
    from seedbed.accounts.models import User

    def make(key: str, role: str = policy.CONTRIBUTOR, unit: str | None = "plant", **extra):
        return User.objects.create_user(f"{key}@example.test", "x" * 12,
                                        full_name=f"{key.title()} Person", role=role,
                                        org_unit=org[unit] if unit else None, **extra)

    return make


@pytest.fixture(autouse=True)
def _clean_outbox():
    mail.outbox = []
