"""Browsing, filtering and verifying the audit trail in the UI and the API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection

from seedbed.audit import service, triggers
from seedbed.audit.models import AuditEvent
from seedbed.ideas import actions
from tests.support import new_challenge


@pytest.fixture
def history(users, org):
    """Events on three days by three people, on two kinds of record."""
    with time_machine.travel(datetime(2024, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        challenge = new_challenge(users["manager"], title="Cut waste",
                                             description="Less plastic.")
        actions.open_challenge(users["manager"], challenge)
    with time_machine.travel(datetime(2024, 2, 14, 9, 0, tzinfo=UTC), tick=False):
        idea = actions.submit_idea(users["contributor"], challenge, title="Crates",
                                   description="Returnable crates.")
    with time_machine.travel(datetime(2024, 3, 20, 9, 0, tzinfo=UTC), tick=False):
        actions.toggle_vote(users["evaluator"], idea)
    return {"challenge": challenge, "idea": idea}


def listed_verbs(response) -> list[str]:
    return [e.verb for e in response.context["page"].object_list]


@pytest.mark.parametrize("role", ["admin", "manager", "auditor"])
def test_people_who_run_or_audit_the_ims_browse_the_trail(client_for, history, role):
    r = client_for(role).get("/audit/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "idea.submitted" in page
    assert "contributor@example.test" in page
    # user.logged_in from signing this client in comes first; the history below it.
    assert listed_verbs(r)[1:] == ["vote.cast", "idea.submitted", "challenge.opened",
                                   "challenge.created", "focus_area.created"]


@pytest.mark.parametrize("role", ["leader", "evaluator", "contributor", "partner"])
def test_everyone_else_is_refused_the_trail(client_for, history, role):
    c = client_for(role)
    assert c.get("/audit/").status_code == 403
    assert c.get("/audit/verify/").status_code == 403
    r = c.get("/api/v1/audit/events")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_anonymous_visitor_is_sent_to_login(client, db):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/audit/events").status_code == 401


def test_filter_by_actor(client_for, history):
    r = client_for("auditor").get("/audit/", {"actor": "contributor@"})
    assert listed_verbs(r) == ["idea.submitted"]


def test_filter_by_verb_prefix(client_for, history):
    r = client_for("auditor").get("/audit/", {"verb": "challenge."})
    assert listed_verbs(r) == ["challenge.opened", "challenge.created"]


def test_filter_by_record_type_and_id(client_for, history):
    c = client_for("auditor")
    r = c.get("/audit/", {"object_type": "ideas.idea"})
    assert listed_verbs(r) == ["vote.cast", "idea.submitted"]
    r = c.get("/audit/", {"object_type": "ideas.challenge",
                          "object_id": str(history["challenge"].pk)})
    assert listed_verbs(r) == ["challenge.opened", "challenge.created"]


def test_filter_by_dates_includes_both_ends(client_for, history):
    c = client_for("auditor")
    r = c.get("/audit/", {"since": "2024-02-14", "until": "2024-03-20"})
    assert listed_verbs(r) == ["vote.cast", "idea.submitted"]
    r = c.get("/audit/", {"until": "2024-01-10"})
    # The challenge's focus area ("why we ask") was created that day too.
    assert listed_verbs(r) == ["challenge.opened", "challenge.created", "focus_area.created"]
    r = c.get("/audit/", {"since": "2024-03-21", "until": "2024-03-21"})
    assert listed_verbs(r) == []


def test_filters_combine(client_for, history):
    r = client_for("manager").get("/audit/", {"actor": "manager@", "verb": "challenge.open",
                                              "since": "2024-01-01"})
    assert listed_verbs(r) == ["challenge.opened"]


def test_reversed_dates_show_an_error_and_no_events(client_for, history):
    r = client_for("auditor").get("/audit/", {"since": "2024-03-01", "until": "2024-02-01"})
    assert r.status_code == 200
    assert "The end date must be on or after the start date." in r.content.decode()
    assert listed_verbs(r) == []


def test_unknown_record_type_is_a_form_error_not_a_crash(client_for, history):
    r = client_for("auditor").get("/audit/", {"object_type": "nope.nothing", "since": "bad"})
    assert r.status_code == 200
    assert listed_verbs(r) == []


def test_trail_pages_by_fifty(client_for, users):
    for n in range(55):
        service.record(users["manager"], "note.added", object_type="note", object_id=n)
    c = client_for("auditor")
    first = c.get("/audit/", {"verb": "note."})
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = c.get("/audit/", {"verb": "note.", "page": 2})
    assert [e.object_id for e in second.context["page"].object_list] == [
        str(n) for n in range(4, -1, -1)]


def test_api_lists_events_newest_first_with_hashes(client_for, history):
    r = client_for("auditor").get("/api/v1/audit/events", {"verb": "idea.", "limit": 10})
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    [item] = body["items"]
    event = AuditEvent.objects.get(verb="idea.submitted")
    assert item["seq"] == event.seq
    assert item["actor"] == "contributor@example.test"
    assert item["hash"] == event.hash
    assert item["prev_hash"] == event.prev_hash
    assert item["changes"]["title"] == {"before": None, "after": "Crates"}


def test_api_filters_by_dates_and_record_type(client_for, history):
    r = client_for("manager").get("/api/v1/audit/events", {
        "since": "2024-01-01", "until": "2024-02-28", "object_type": "ideas.challenge"})
    assert [i["verb"] for i in r.json()["items"]] == ["challenge.opened", "challenge.created"]


def test_api_rejects_a_bad_date_with_a_field_error(client_for, history):
    r = client_for("manager").get("/api/v1/audit/events", {"since": "yesterday"})
    assert r.status_code == 422
    assert "since" in r.json()["error"]["fields"]


def test_verify_page_says_the_chain_holds(client_for, history):
    r = client_for("auditor").get("/audit/verify/")
    assert r.status_code == 200
    count = AuditEvent.objects.count()
    assert f"The chain holds: {count} events verified" in r.content.decode()


def test_verify_page_names_the_broken_event_after_tampering(client_for, history):
    c = client_for("auditor")
    target = AuditEvent.objects.get(verb="idea.submitted")
    triggers.drop(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {triggers.TABLE} SET actor_label = %s WHERE seq = %s",
                           ["someone.else@example.test", target.seq])
    finally:
        triggers.install(connection)
    r = c.get("/audit/verify/")
    page = r.content.decode()
    assert f"The chain is broken at event #{target.seq}" in page
    assert "The chain holds" not in page
