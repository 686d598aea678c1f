"""Two deciders submitting the same gate at the same moment: exactly one decision wins, the
other is told the gate was already decided, and the audit chain stays whole.

Real threads, real transactions (SQLite queues writers with IMMEDIATE transactions; PostgreSQL
with the initiative's row lock). Run on PostgreSQL too:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/test SEEDBED_TEST_DB=gates_pg
python -m pytest seedbed/pipeline/tests/test_gates_concurrency.py --nomigrations
"""

from __future__ import annotations

import pytest

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.audit.tests.conftest import audit_rows_cleared  # noqa: F401  (shared fixture)
from seedbed.ideas.tests.test_support_concurrency import logged_in, run_together
from seedbed.pipeline.models import GateDecision, Initiative
from tests.support import api_call


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outcomes", [("iterate", "hold"), ("hold", "hold")])
def test_concurrent_decisions_cannot_both_win(outcomes, audit_rows_cleared, users,  # noqa: F811
                                              initiative):
    deciders = [users["manager"], User.objects.create_user(
        "second.manager@example.test", "x" * 12, full_name="Second Manager", role="manager")]
    statuses: list[int] = []
    codes: list[str] = []
    url = f"/api/v1/pipeline/initiatives/{initiative.pk}/gate/decisions"

    def decide(person, outcome):
        client = logged_in(person)

        def job():
            response = api_call(client, "post", url, {
                "outcome": outcome, "rationale": f"{person.full_name} says {outcome}.",
                "stage_id": initiative.stage_id, "round": 1})
            statuses.append(response.status_code)
            if response.status_code == 409:
                codes.append(response.json()["error"]["code"])

        return job

    jobs = [decide(p, o) for p, o in zip(deciders, outcomes, strict=True)]
    start = AuditEvent.objects.count()  # signing in is audited too
    failures = run_together(jobs)
    assert failures == []
    assert sorted(statuses) == [201, 409] and codes == ["already_decided"]
    assert GateDecision.objects.count() == 1
    assert Initiative.objects.get(pk=initiative.pk).gate_round == 2
    assert AuditEvent.objects.filter(verb="gate.decided").count() == 1
    assert AuditEvent.objects.count() - start == 1
    assert verify_chain().ok
