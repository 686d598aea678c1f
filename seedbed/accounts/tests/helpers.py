"""Shared by the accounts tests and the audit trail tests."""

from __future__ import annotations

from django.db.models import Max

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent


def last_seq() -> int:
    return AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0


def admin_form_data(user: User, **overrides) -> dict:
    """Everything the admin's user change form posts, with some fields changed."""
    data = {
        "email": user.email, "full_name": user.full_name, "job_title": user.job_title,
        "org_unit": user.org_unit_id or "", "partner_org": user.partner_org_id or "",
        "competencies": [c.pk for c in user.competencies.all()], "role": user.role,
        "is_active": "on" if user.is_active else "",
        "access_until": user.access_until.isoformat() if user.access_until else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
