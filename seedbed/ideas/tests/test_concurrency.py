"""Votes arriving at the same moment from many people keep the counter exact."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.ideas import actions
from seedbed.ideas.models import Idea, Vote

VOTERS = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_vote_toggles_keep_the_count_equal_to_the_votes(audit_rows_cleared,
                                                                      users, idea):
    voters = [User.objects.create_user(f"voter{i}@example.test", PASSWORD,
                                       full_name=f"Voter {i}", role="contributor")
              for i in range(VOTERS)]
    clients = []
    for voter in voters:
        c = Client()
        c.force_login(voter)
        clients.append(c)
    # Odd voters toggle three times (they end up supporting), even voters twice (they do not).
    toggles = [3 if i % 2 else 2 for i in range(VOTERS)]
    start_events = AuditEvent.objects.count()

    barrier = threading.Barrier(VOTERS)
    failures: list[str] = []

    def vote(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(toggles[index]):
                r = clients[index].post(f"/api/v1/ideas/{idea.pk}/vote")
                if r.status_code != 200:
                    failures.append(f"{index}: {r.status_code} {r.content[:200]!r}")
        except BaseException as exc:  # reported by the assertion below
            failures.append(f"{index}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(VOTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []

    idea = Idea.objects.get(pk=idea.pk)
    supporters = {v.voter_id for v in Vote.objects.filter(idea=idea)}
    assert supporters == {voters[i].pk for i in range(VOTERS) if toggles[i] % 2}
    assert idea.vote_count == len(supporters) == VOTERS // 2
    assert AuditEvent.objects.count() - start_events == sum(toggles)
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_same_person_double_clicking_from_two_tabs_never_double_counts(audit_rows_cleared,
                                                                           users, idea):
    voter = users["leader"]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def click() -> None:
        try:
            barrier.wait(timeout=10)
            actions.toggle_vote(voter, idea)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # Two toggles: on, then off. Serialised by the idea's row lock, never two rows.
    idea.refresh_from_db()
    assert idea.vote_count == 0 == Vote.objects.count()
    assert sorted(AuditEvent.objects.filter(verb__startswith="vote.").values_list(
        "verb", flat=True)) == ["vote.cast", "vote.withdrawn"]
