"""Tokens placed at the same moment never overspend a budget, and the counters stay exact.

Real threads, real transactions (SQLite queues writers with IMMEDIATE transactions; PostgreSQL
with the budget row lock). Run on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test SEEDBED_TEST_DB=test_seedbed_support
python -m pytest seedbed/ideas/tests/test_support_concurrency.py
"""

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
from seedbed.ideas.models import Idea, SupportBudget, Vote
from tests.support import api_call, new_challenge

BUDGET = 5


@pytest.fixture
def tokens_ideas(users):
    ch = actions.open_challenge(users["manager"], new_challenge(
        users["manager"], title="Fresher soups", description="Shelf life.",
        voting_mode="tokens", token_budget=BUDGET))
    return [actions.submit_idea(users["contributor"], ch, title=f"Soup idea {n}",
                                description="x") for n in range(8)]


def run_together(jobs) -> list[str]:
    """Start every job at the same moment; return what went wrong."""
    barrier = threading.Barrier(len(jobs))
    failures: list[str] = []

    def run(job) -> None:
        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:  # reported by the caller's assertion
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    return failures


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_one_person_spending_from_many_tabs_never_overspends(audit_rows_cleared, users,
                                                             tokens_ideas):
    voter = users["evaluator"]
    clients = [logged_in(voter) for _ in tokens_ideas]
    statuses: list[int] = []
    start_events = AuditEvent.objects.count()

    def spend(client, idea):
        def job():
            r = api_call(client, "put", f"/api/v1/ideas/{idea.pk}/tokens", {"tokens": 1})
            statuses.append(r.status_code)
            if r.status_code == 409:
                assert r.json()["error"]["code"] == "not_enough_tokens"
        return job

    failures = run_together([spend(c, i) for c, i in zip(clients, tokens_ideas, strict=True)])
    assert failures == []
    # Eight requests for one token each against a budget of five: exactly five succeed.
    assert sorted(statuses) == [200] * BUDGET + [409] * (len(tokens_ideas) - BUDGET)
    budget = SupportBudget.objects.get(voter=voter)
    assert budget.spent == BUDGET == sum(Vote.objects.filter(voter=voter)
                                         .values_list("tokens", flat=True))
    for idea in Idea.objects.filter(pk__in=[i.pk for i in tokens_ideas]):
        placed = list(Vote.objects.filter(idea=idea).values_list("tokens", flat=True))
        assert (idea.vote_count, idea.token_count) == (len(placed), sum(placed))
    assert AuditEvent.objects.count() - start_events == BUDGET
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_many_people_moving_tokens_at_once_keep_every_counter_exact(audit_rows_cleared,
                                                                    users, tokens_ideas):
    voters = [User.objects.create_user(f"taster{i}@example.test", PASSWORD,
                                       full_name=f"Taster {i}", role="contributor")
              for i in range(6)]
    first, second = tokens_ideas[0], tokens_ideas[1]

    def shuffle(voter):
        client = logged_in(voter)

        def job():
            # Place three, raise to four, take two back, then 2, 3, 2 on the second: 2 + 2.
            for idea, tokens in ((first, 3), (first, 4), (first, 2), (second, 2), (second, 3),
                                 (second, 2)):
                r = api_call(client, "put", f"/api/v1/ideas/{idea.pk}/tokens",
                             {"tokens": tokens})
                assert r.status_code == 200, r.content
        return job

    assert run_together([shuffle(v) for v in voters]) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.vote_count, first.token_count) == (6, 12)
    assert (second.vote_count, second.token_count) == (6, 12)
    assert list(SupportBudget.objects.values_list("spent", flat=True)) == [4] * 6
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_overspent_budget(audit_rows_cleared, users, tokens_ideas):
    """The last line of defence, should a code path ever skip the lock."""
    from django.db import IntegrityError, transaction

    actions.set_tokens(users["leader"], tokens_ideas[0], BUDGET)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportBudget.objects.filter(voter=users["leader"]).update(spent=BUDGET + 1)
