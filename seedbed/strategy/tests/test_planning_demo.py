"""The demo organisation's objectives, RACI and actions: believable, and built through the
actions (so audited)."""

from __future__ import annotations

import pytest

from seedbed.audit.models import AuditEvent
from seedbed.core.demo.build import seed_demo_organisation
from seedbed.strategy.models import ActionItem, Objective, RaciAssignment


@pytest.mark.django_db
def test_demo_objectives_show_a_mix_of_health_and_the_raci_and_actions_are_there():
    seed_demo_organisation()
    healths = {o.title: o.assess().health for o in Objective.objects.all()}
    assert 4 <= len(healths) <= 6
    assert {"on_track", "at_risk", "off_track"} <= set(healths.values())
    assert Objective.objects.filter(updates__isnull=False).distinct().count() >= 4
    processes = set(RaciAssignment.objects.values_list("process", flat=True))
    assert {"Set innovation strategy", "Run challenges", "Evaluate ideas", "Decide gates",
            "Allocate budget", "Internal audit", "Management review"} <= processes
    for process in processes:
        assert RaciAssignment.objects.filter(process=process, letter="A").count() == 1
    items = list(ActionItem.objects.all())
    assert 5 <= len(items) <= 8
    assert {i.kind for i in items} == {"risk", "opportunity", "change"}
    assert sum(i.is_overdue for i in items) == 1
    assert AuditEvent.objects.filter(verb="objective.progress_recorded").count() >= 12
