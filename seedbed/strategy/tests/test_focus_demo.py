"""The demo organisation's context register and focus areas: believable, linked, and with the
feedback loop visible (a pending, an accepted and a declined proposal)."""

from __future__ import annotations

from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.core.demo.build import seed_demo_organisation
from seedbed.strategy.models import ContextIssue, FocusArea, InterestedParty


def test_demo_context_and_focus_areas(db):
    seed_demo_organisation()
    assert 8 <= ContextIssue.objects.count() <= 12
    assert set(ContextIssue.objects.values_list("category", flat=True)) >= {
        "environmental", "economic", "legal", "technological", "social", "internal"}
    assert ContextIssue.objects.filter(review_on__lt=timezone.localdate()).exists()
    assert 6 <= InterestedParty.objects.count() <= 8
    active = FocusArea.objects.filter(status="active")
    assert 6 <= active.count() <= 10
    assert set(active.values_list("kind", flat=True)) == {"opportunity", "threat"}
    assert set(active.values_list("horizon", flat=True)) == {"h1", "h2", "h3"}
    assert not active.filter(owner__isnull=True).exists()
    assert not active.filter(context_issues__isnull=True).exists()
    proposals = [area for area in FocusArea.objects.all() if area.is_proposal]
    assert sorted(area.status for area in proposals) == ["active", "declined", "proposed"]
    declined = FocusArea.objects.get(status="declined")
    assert declined.decision_reason and declined.decided_by.role == "manager"
    assert declined.proposed_by.role == "contributor"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"context_issue.created", "interested_party.created", "focus_area.created",
            "focus_area.proposed", "focus_area.accepted", "focus_area.declined"} <= verbs
