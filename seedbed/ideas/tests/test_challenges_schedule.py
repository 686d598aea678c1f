"""Challenges open and close on their dates by themselves: the "scheduled" status, the periodic
job (seedbed/ideas/tasks.py) and the registry that runs it (seedbed/core/periodic.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.core import periodic
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge
from seedbed.ideas.tests.helpers import api
from seedbed.notifications import events
from tests.support import new_challenge

DAY_ONE = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_schedule(db):
    # Job runs are database rows, rolled back after each test; start from none.
    periodic.forget_runs()


@pytest.fixture
def announced(monkeypatch):
    """The events the actions emit (what notifications and webhooks would hear)."""
    heard: list[dict] = []
    monkeypatch.setattr("seedbed.notifications.dispatch.handle", heard.append)
    return heard


def test_schedule_then_the_job_opens_on_the_day_and_closes_after_the_last(
        users, announced, django_capture_on_commit_callbacks):
    manager = users["manager"]
    with time_machine.travel(DAY_ONE, tick=False):
        ch = new_challenge(manager, title="Night shift", description="Ideas for nights.",
                           opens_on=date(2030, 3, 10), closes_on=date(2030, 3, 20))
        ch = actions.schedule_challenge(manager, ch)
        assert ch.status == "scheduled"
        assert "ideas.challenge_dates" in periodic.run_due()
    assert Challenge.objects.get(pk=ch.pk).status == "scheduled"
    with (time_machine.travel(datetime(2030, 3, 10, 0, 10, tzinfo=UTC), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        assert "ideas.challenge_dates" in periodic.run_due()
    ch.refresh_from_db()
    assert ch.status == "open" and ch.accepts_ideas(date(2030, 3, 10))
    opened = AuditEvent.objects.get(verb="challenge.opened")
    assert opened.actor is None and opened.actor_label == "system"
    assert opened.changes == {"status": {"before": "scheduled", "after": "open"}}
    assert [e["event"] for e in announced] == [events.CHALLENGE_OPENED]
    assert announced[0]["challenge_id"] == ch.pk and announced[0]["actor_id"] is None
    # Still open on its closing day; closed the day after.
    with time_machine.travel(datetime(2030, 3, 20, 23, 0, tzinfo=UTC), tick=False):
        periodic.run_due(force=True)
    assert Challenge.objects.get(pk=ch.pk).status == "open"
    with time_machine.travel(datetime(2030, 3, 21, 0, 10, tzinfo=UTC), tick=False):
        periodic.run_due(force=True)
    ch.refresh_from_db()
    assert ch.status == "closed" and ch.closed_at is not None
    closed = AuditEvent.objects.get(verb="challenge.closed")
    assert closed.actor is None
    assert verify_chain().ok


def test_scheduling_for_today_opens_now_with_one_event(client_for, users, announced,
                                                       django_capture_on_commit_callbacks):
    with time_machine.travel(DAY_ONE, tick=False):
        ch = new_challenge(users["manager"], title="Now", description="D",
                           opens_on=date(2030, 3, 1))
        client = client_for("manager")
        start = AuditEvent.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(f"/challenges/{ch.pk}/schedule/")
    assert r.status_code == 302
    ch.refresh_from_db()
    assert ch.status == "open"
    [event] = AuditEvent.objects.order_by("seq")[start:]
    assert (event.verb, event.actor) == ("challenge.opened", users["manager"])
    assert event.changes["scheduled"] is True
    assert [e["event"] for e in announced] == [events.CHALLENGE_OPENED]


def test_a_manual_open_announces_too_and_starts_a_future_challenge_today(
        users, announced, django_capture_on_commit_callbacks):
    with time_machine.travel(DAY_ONE, tick=False):
        ch = new_challenge(users["manager"], title="Early", description="D",
                           opens_on=date(2030, 4, 1))
        with django_capture_on_commit_callbacks(execute=True):
            ch = actions.open_challenge(users["manager"], ch)
    assert (ch.status, ch.opens_on) == ("open", date(2030, 3, 1))
    assert [e["event"] for e in announced] == [events.CHALLENGE_OPENED]


def test_schedule_needs_a_date_and_only_drafts_can_be_scheduled(client_for, users, challenge):
    draft = new_challenge(users["manager"], title="No date", description="D")
    c = client_for("manager")
    r = api(c, "post", f"/api/v1/challenges/{draft.pk}/schedule")
    assert r.status_code == 422 and set(r.json()["error"]["fields"]) == {"opens_on"}
    r = api(c, "post", f"/api/v1/challenges/{challenge.pk}/schedule")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert Challenge.objects.get(pk=draft.pk).status == "draft"


def test_scheduled_challenge_is_hidden_from_participants_and_can_go_back_to_draft(
        client_for, users):
    with time_machine.travel(DAY_ONE, tick=False):
        ch = actions.schedule_challenge(users["manager"], new_challenge(
            users["manager"], title="Later", description="D", opens_on=date(2030, 5, 1)))
        assert client_for("contributor").get(f"/challenges/{ch.pk}/").status_code == 404
        assert client_for("leader").get(f"/challenges/{ch.pk}/").status_code == 200
        r = api(client_for("manager"), "post", f"/api/v1/challenges/{ch.pk}/unschedule")
    assert r.status_code == 200 and r.json()["status"] == "draft"
    assert AuditEvent.objects.filter(verb="challenge.unscheduled").count() == 1


def test_a_job_runs_again_only_after_its_interval(users):
    with time_machine.travel(DAY_ONE, tick=False):
        assert "ideas.challenge_dates" in periodic.run_due()
        assert "ideas.challenge_dates" not in periodic.run_due()
    with time_machine.travel(DAY_ONE + timedelta(minutes=6), tick=False):
        assert "ideas.challenge_dates" in periodic.run_due()


def test_one_failing_job_does_not_stop_the_others(db, monkeypatch):
    ran = []

    @periodic.periodic("test.broken", every=timedelta(minutes=1))
    def broken():
        raise RuntimeError("boom")

    @periodic.periodic("test.fine", every=timedelta(minutes=1))
    def fine():
        ran.append(1)

    try:
        done = periodic.run_due()
        assert "test.fine" in done and "test.broken" not in done and ran == [1]
        # Not marked as run: it is tried again next time.
        assert periodic.last_run("test.broken") is None
    finally:
        periodic._registry.pop("test.broken")
        periodic._registry.pop("test.fine")


def test_command_runs_due_jobs_and_lists_them(users):
    with time_machine.travel(DAY_ONE, tick=False):
        ch = actions.schedule_challenge(users["manager"], new_challenge(
            users["manager"], title="Cron", description="D", opens_on=date(2030, 3, 2)))
    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        out = StringIO()
        call_command("run_scheduled_jobs", stdout=out)
        assert "ideas.challenge_dates" in out.getvalue()
        listing = StringIO()
        call_command("run_scheduled_jobs", "--list", stdout=listing)
        assert "ideas.challenge_dates\tevery 0:05:00\tlast run 2030-03-02" in listing.getvalue()
    assert Challenge.objects.get(pk=ch.pk).status == "open"


def test_tick_task_runs_the_jobs_and_does_not_loop_without_a_deferring_backend(users):
    with time_machine.travel(DAY_ONE, tick=False):
        ch = actions.schedule_challenge(users["manager"], new_challenge(
            users["manager"], title="Worker", description="D", opens_on=date(2030, 3, 2)))
    with time_machine.travel(DAY_ONE + timedelta(days=1), tick=False):
        result = periodic.tick.enqueue()  # the immediate backend of the test settings
        assert "ideas.challenge_dates" in result.return_value
        assert periodic.enqueue_tick() is False
    assert Challenge.objects.get(pk=ch.pk).status == "open"
