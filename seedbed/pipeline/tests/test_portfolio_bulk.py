"""The benchmark's bulk initiatives (``make bench``): one for every ten bulk ideas, spread over
templates, stages and statuses, with rows that agree with their denormalised figures."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Sum

from seedbed.core.demo.bulk import bulk_load
from seedbed.ideas.models import Idea
from seedbed.pipeline.actions._derived import uncertainty_of
from seedbed.pipeline.actions._ideas import FOLLOW
from seedbed.pipeline.models import (
    GateDecision,
    Initiative,
    ResourceRequest,
    SolutionIndicator,
    Spend,
)
from seedbed.pipeline.selectors import portfolio as reads
from seedbed.pipeline.tests.portfolio_helpers import focus_area


def test_bulk_load_adds_a_consistent_spread_of_initiatives(users, templates):
    from seedbed.accounts.models import User

    # The bulk load belongs to the demo organisation: its manager promotes the initiatives.
    User.objects.filter(pk=users["manager"].pk).update(email="manager@demo.seedbed.test")
    focus_area(users["manager"])
    summary = bulk_load(400, seed=7)
    assert summary.initiatives == 40 == Initiative.objects.count()
    initiatives = list(Initiative.objects.select_related("stage", "version__template")
                       .annotate(ideas_n=Count("links")))
    assert all(i.ideas_n == 1 for i in initiatives)
    assert len({i.version.template.code for i in initiatives}) >= 3
    assert len({i.status for i in initiatives}) >= 3
    assert len({(i.version.template.code, i.stage.key) for i in initiatives}) >= 8
    for i in initiatives:
        idea = Idea.objects.get(initiative_link__initiative=i)
        assert idea.status == FOLLOW[i.status]
        assert i.uncertainty == uncertainty_of(i)
        approved = ResourceRequest.objects.filter(initiative=i, status="approved").aggregate(
            n=Sum("amount"))["n"] or Decimal(0)
        spent = Spend.objects.filter(request__initiative=i).aggregate(n=Sum("amount"))["n"]
        actual = SolutionIndicator.objects.filter(initiative=i).aggregate(n=Sum("actual"))["n"]
        assert (i.committed, i.spent, i.actual_value) == (
            approved, spent or Decimal(0), actual or Decimal(0))
        assert i.gate_round == GateDecision.objects.filter(initiative=i).count() + 1
        if i.status == "deployed":
            assert i.stage.position == i.version.stages.count() - 1
    outcomes = Counter(GateDecision.objects.values_list("outcome", flat=True))
    assert outcomes["go"] > 0
    # What the portfolio reads is all there.
    board = reads.board(users["manager"], {"template": "product"})
    assert board.total == sum(i.version.template.code == "product" for i in initiatives)
    assert reads.balance(users["manager"]).total_count == sum(
        i.status != "stopped" for i in initiatives)
