"""Two leaders approving at the same moment against one envelope never over-commit it: the
envelope row is locked, so the second approval sees the first one's commitment.

Real threads, real transactions (SQLite queues writers with IMMEDIATE transactions; PostgreSQL
with the row locks). Run on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test SEEDBED_TEST_DB=test_seedbed_resources
python -m pytest seedbed/pipeline/tests/test_resources_concurrency.py --nomigrations
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.audit.tests.conftest import audit_rows_cleared  # noqa: F401  (shared fixture)
from seedbed.ideas import actions as idea_actions
from seedbed.ideas.tests.test_support_concurrency import logged_in, run_together
from seedbed.pipeline.actions import resources as actions
from seedbed.pipeline.models import Initiative, ResourceRequest
from seedbed.strategy.actions import resources as budgets
from tests.support import api_call, new_initiative


@pytest.fixture
def crowded(users, org, challenge, templates):
    """An envelope of 1,000 for Operations and two initiatives of Plant Leeds asking 700 each:
    either fits, both do not."""
    year = timezone.localdate().year
    envelope = budgets.create_budget_envelope(
        users["manager"], org_unit=org["ops"], period_start=date(year, 1, 1),
        period_end=date(year, 12, 31), allocated="1000.00", currency="GBP")
    asks = []
    for title in ("Soup pouches", "Lentil bowls"):
        idea = idea_actions.submit_idea(users["contributor"], challenge, title=title,
                                        description="Chilled range.")
        initiative = new_initiative(users["manager"], idea)
        asks.append(actions.request_resources(users["manager"], initiative, kind="budget",
                                              amount="700", justification="Pilot run"))
    return envelope, asks


@pytest.mark.django_db(transaction=True)
def test_two_leaders_cannot_both_commit_what_only_one_fits(audit_rows_cleared, users,  # noqa: F811
                                                           crowded):
    envelope, asks = crowded
    claire = User.objects.create_user("claire@example.test", PASSWORD,
                                      full_name="Claire Whitfield", role="leader")
    statuses: list[int] = []
    codes: list[str] = []
    start_events = AuditEvent.objects.filter(verb="resource_request.approved").count()

    def approve(leader, resource_request):
        client = logged_in(leader)

        def job():
            r = api_call(client, "post",
                         f"/api/v1/pipeline/resource-requests/{resource_request.pk}/approve", {})
            statuses.append(r.status_code)
            if r.status_code == 409:
                codes.append(r.json()["error"]["code"])
        return job

    failures = run_together([approve(users["leader"], asks[0]), approve(claire, asks[1])])
    assert failures == []
    assert sorted(statuses) == [200, 409] and codes == ["over_budget"]
    envelope.refresh_from_db()
    assert (envelope.committed, envelope.remaining) == (Decimal("700"), Decimal("300"))
    statuses_now = sorted(ResourceRequest.objects.values_list("status", flat=True))
    assert statuses_now == ["approved", "requested"]
    committed = sorted(Initiative.objects.filter(
        pk__in=[a.initiative_id for a in asks]).values_list("committed", flat=True))
    assert committed == [Decimal("0"), Decimal("700")]
    assert AuditEvent.objects.filter(verb="resource_request.approved").count() == start_events + 1
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_spending_at_once_keeps_every_total_exact(audit_rows_cleared, users,  # noqa: F811
                                                  crowded):
    envelope, asks = crowded
    approved = actions.approve_request(users["leader"], asks[0])
    people = [users["manager"], users["admin"]] * 3

    def spend(person):
        def job():
            actions.record_spend(person, approved, amount="50", spent_on=timezone.localdate())
        return job

    assert run_together([spend(p) for p in people]) == []
    approved.refresh_from_db()
    envelope.refresh_from_db()
    initiative = Initiative.objects.get(pk=approved.initiative_id)
    assert approved.spent == envelope.spent == initiative.spent == Decimal("300")
    assert approved.spends.count() == 6
