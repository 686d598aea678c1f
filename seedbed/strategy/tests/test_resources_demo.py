"""The demo organisation's budgets, time allowances, competence matrix, training records and
partner register: believable, built through the actions (so audited), with gaps to close."""

from __future__ import annotations

import pytest
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.core.demo.build import seed_demo_organisation
from seedbed.strategy.models import (
    BudgetEnvelope,
    PartnerAgreement,
    PartnerOrganisation,
    TimeAllowance,
    TrainingRecord,
)
from seedbed.strategy.selectors.resources import competence_matrix


@pytest.mark.django_db
def test_demo_resources_competence_and_partners():
    seed_demo_organisation()
    year = timezone.localdate().year
    budgets = BudgetEnvelope.objects.all()
    assert 4 <= budgets.count() <= 6
    assert {b.period_start.year for b in budgets} == {year}
    # Committed and spent come from the pipeline demo's approvals and spending (checked in
    # seedbed/pipeline/tests/test_resources_demo.py); the strategy demo leaves them alone.
    assert budgets.filter(committed__gt=0).exists()
    assert TimeAllowance.objects.filter(org_unit__name="Product Development",
                                        percent_of_time=10).exists()
    assert TimeAllowance.objects.filter(org_unit__name="Leeds Plant", percent_of_time=5).exists()
    manager = User.objects.get(email="manager@demo.seedbed.test")
    matrix = competence_matrix(manager)
    assert matrix.rows_with_gap >= 3 and any(not row.gap for row in matrix.required)
    assert matrix.held_not_required
    assert 8 <= TrainingRecord.objects.count() <= 12
    assert TrainingRecord.objects.filter(person__email="contributor@demo.seedbed.test").exists()
    partners = set(PartnerOrganisation.objects.values_list("kind", flat=True))
    assert {"supplier", "university", "startup", "customer"} <= partners
    assert set(PartnerAgreement.objects.values_list("kind", flat=True)) >= {"nda", "ip"}
    today = timezone.localdate()
    statuses = {a.status_on(today) for a in PartnerAgreement.objects.all()}
    assert {"active", "expired"} <= statuses
    partner = User.objects.get(email="partner@demo.seedbed.test")
    assert partner.partner_org.name == "Kestrel Packaging Ltd"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"budget_envelope.created", "time_allowance.created", "required_competency.created",
            "training_record.created", "partner.registered", "partner_agreement.added",
            "user.partner_org_assigned"} <= verbs
