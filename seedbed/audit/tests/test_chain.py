"""The hash chain verifies, the database refuses to rewrite it, and tampering is pinpointed."""

from __future__ import annotations

import json
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from seedbed.audit import service, triggers
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.ideas import actions

TABLE = triggers.TABLE


@pytest.fixture
def trail(users, challenge, idea):
    """A short, real trail: a focus area, challenge created and opened, an idea, a comment and
    two votes."""
    actions.add_comment(users["evaluator"], idea, body="Worth a pilot.")
    actions.toggle_vote(users["leader"], idea)
    actions.toggle_vote(users["evaluator"], idea)
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == 7  # focus area, challenge created and opened, idea, comment, 2 votes
    return events


@contextmanager
def triggers_lifted():
    """Play the attacker with database access: remove the protection, then put it back."""
    triggers.drop(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def verify_command() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_untouched_chain_verifies(trail):
    result = verify_chain()
    assert (result.ok, result.checked, result.broken_seq) == (True, 7, None)


def test_audit_verify_command_reports_ok_and_the_count(trail):
    assert verify_command().strip() == "Audit chain OK: 7 events verified"


def test_empty_trail_verifies(db):
    assert verify_chain().ok
    assert verify_command().strip() == "Audit chain OK: 0 events verified"


@pytest.mark.parametrize("sql", [
    f"UPDATE {TABLE} SET verb = 'idea.deleted' WHERE seq = 3",
    f"UPDATE {TABLE} SET changes = '{{}}' WHERE seq = 3",
    f"UPDATE {TABLE} SET hash = prev_hash WHERE seq = 3",
    f"DELETE FROM {TABLE} WHERE seq = 3",
    f"DELETE FROM {TABLE}",
])
def test_database_refuses_to_change_or_remove_events(trail, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql)
    assert list(AuditEvent.objects.order_by("seq")) == trail
    assert [e.verb for e in AuditEvent.objects.order_by("seq")] == [e.verb for e in trail]
    assert verify_chain().ok


def test_orm_cannot_change_or_remove_events_either(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(verb="challenge.deleted")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()
    event = AuditEvent.objects.get(seq=2)
    event.verb = "challenge.deleted"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    assert AuditEvent.objects.get(seq=2).verb == "challenge.created"  # after the focus area


def test_triggers_are_back_after_lifting_them(trail):
    with triggers_lifted():
        pass
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE seq = 1")


def assert_broken_at(seq: int, reason_part: str) -> None:
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == seq
    assert result.checked == seq - 1
    assert reason_part in result.reason
    with pytest.raises(CommandError) as excinfo:
        verify_command()
    assert str(excinfo.value).startswith(f"Audit chain BROKEN at event #{seq}:")
    assert f"({seq - 1} events verified before it)" in str(excinfo.value)


def test_altered_verb_is_pinpointed(trail):
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET verb = %s WHERE seq = %s", ["idea.withdrawn", 3])
    assert_broken_at(3, "altered")


def test_altered_changes_are_pinpointed(trail):
    comment = AuditEvent.objects.get(verb="comment.added")
    forged = json.dumps({"body": {"before": None, "after": "Reject it."}})
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET changes = %s WHERE seq = %s", [forged, comment.seq])
    assert AuditEvent.objects.get(seq=comment.seq).changes["body"]["after"] == "Reject it."
    assert_broken_at(comment.seq, "altered")


def test_altered_actor_is_pinpointed(trail, users):
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET actor_id = %s, actor_label = %s WHERE seq = %s",
            [users["admin"].pk, users["admin"].email, 5])
    assert_broken_at(5, "altered")


def test_resealed_row_is_caught_at_the_next_link(trail):
    # An attacker who recomputes the altered row's own hash still breaks its successor.
    target = AuditEvent.objects.get(seq=4)
    target.verb = "comment.removed"
    new_hash = service.chain_hash(target.payload(), target.prev_hash)
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET verb = %s, hash = %s WHERE seq = %s",
            [target.verb, new_hash, 4])
    assert_broken_at(5, "prev_hash does not match")


def test_deleted_row_in_the_middle_is_caught(trail):
    with triggers_lifted():
        raw(f"DELETE FROM {TABLE} WHERE seq = %s", [3])
    result = verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 4, 2)
    assert "expected event #3 next, found #4" in result.reason
    with pytest.raises(CommandError, match="BROKEN at event #4"):
        verify_command()


def test_deleted_first_row_is_caught(trail):
    with triggers_lifted():
        raw(f"DELETE FROM {TABLE} WHERE seq = 1")
    assert verify_chain().broken_seq == 2


def test_only_the_first_break_is_named(trail):
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET verb = 'x' WHERE seq IN (2, 5)")
    assert verify_chain().broken_seq == 2


def test_appending_after_tampering_does_not_hide_it(trail, users):
    with triggers_lifted():
        raw(f"UPDATE {TABLE} SET verb = 'x' WHERE seq = 2")
    service.record(users["manager"], "note.added")
    assert verify_chain().broken_seq == 2


def test_record_outside_a_request_has_no_request_id_or_address(users):
    event = service.record(users["manager"], "note.added", object_type="note", object_id=7)
    assert (event.request_id, event.ip) == ("", None)
    assert (event.object_type, event.object_id, event.changes) == ("note", "7", {})


def test_record_without_a_person_is_labelled_system(db):
    event = service.record(None, "system.migrated")
    assert (event.actor, event.actor_label) == (None, "system")
