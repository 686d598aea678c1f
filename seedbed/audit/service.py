"""Recording and verifying the hash-chained audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from seedbed.audit import context
from seedbed.audit.models import AuditEvent
from seedbed.lib.canonical import GENESIS_HASH, chain_hash, to_jsonable

# Any constant works: it names the lock that serialises appends on PostgreSQL.
_PG_CHAIN_LOCK = 56001


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, ready to diff (foreign keys by id)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = getattr(instance, name).all() if instance.pk else []
            values[name] = sorted(obj.pk for obj in related)
        else:
            values[name] = getattr(instance, field.attname)
    return to_jsonable(values)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields that changed, as {field: {"before": …, "after": …}}."""
    before, after = to_jsonable(before), to_jsonable(after)
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def created(instance: models.Model, fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    return diff({}, snapshot(instance, fields))


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_CHAIN_LOCK])
    # SQLite: every write transaction begins IMMEDIATE (settings), so the database's single
    # write lock already serialises appends.


def record(
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the action's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            seq=seq,
            at=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.email if actor_obj else (str(actor) if actor else "system")),
            verb=verb,
            object_type=object_type,
            object_id=str(object_id) if object_id != "" else "",
            object_repr=str(object_repr)[:200],
            changes=to_jsonable(changes or {}),
            request_id=context.request_id.get(),
            ip=context.client_ip.get(),
            prev_hash=prev_hash,
        )
        event.hash = chain_hash(event.payload(), prev_hash)
        event.save(force_insert=True)
    return event


@dataclass
class Verification:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> Verification:
    """Walk the chain from the first event; report the first link that does not hold."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return Verification(False, checked, event.seq,
                                f"expected event #{expected_seq} next, found #{event.seq}")
        if event.prev_hash != expected_prev:
            return Verification(False, checked, event.seq,
                                "prev_hash does not match the previous event's hash")
        if chain_hash(event.payload(), event.prev_hash) != event.hash:
            return Verification(False, checked, event.seq,
                                "contents do not match the stored hash (the row was altered)")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return Verification(True, checked)
