from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from seedbed import policy
from seedbed.audit.models import AuditEvent


def visible_events(user) -> QuerySet[AuditEvent]:
    if not policy.can(user, "audit.browse"):
        raise PermissionDenied("Only managers, administrators and auditors read the audit trail.")
    return AuditEvent.objects.select_related("actor").order_by("-seq")


def filter_events(qs: QuerySet[AuditEvent], *, actor: str = "", verb: str = "",
                  object_type: str = "", object_id: str = "", since: date | None = None,
                  until: date | None = None) -> QuerySet[AuditEvent]:
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if verb:
        qs = qs.filter(verb__startswith=verb)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    # The first and last representable days bound nothing (and the day after the last one
    # does not exist).
    if since and since > date.min:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until and until < date.max:
        qs = qs.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz))
    return qs


def known_object_types() -> list[str]:
    return list(AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True)
                .distinct())
