"""The resource pages cost a fixed number of queries whatever the number of requests, spends,
people and initiatives (DESIGN rule 6). Each page is measured at two sizes and pinned."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from seedbed.accounts.models import User
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import resources as actions
from seedbed.pipeline.models import TeamMember
from seedbed.strategy.actions import partners as partner_actions
from seedbed.strategy.actions import resources as budgets
from tests.support import new_initiative

TODAY = timezone.localdate()


@pytest.fixture
def envelope(users, org):
    return budgets.create_budget_envelope(
        users["manager"], org_unit=org["ops"], period_start=date(TODAY.year, 1, 1),
        period_end=date(TODAY.year, 12, 31), allocated="900000.00", currency="GBP")


@pytest.fixture
def partner(users):
    kestrel = partner_actions.register_partner(users["manager"], name="Kestrel Packaging Ltd",
                                               kind="supplier")
    partner_actions.add_agreement(users["manager"], kestrel, kind="nda", title="NDA",
                                  starts_on=TODAY - timedelta(days=10))
    return kestrel


def grow(users, initiative, partner, start: int, n: int) -> None:
    """n more rounds on the initiative: each by a new team member, with an approved budget
    request and two spends (recorded by different people), a pending one, a rejected hours
    request, an approved partner request and a request for a later stage."""
    develop = initiative.version.stages.get(key="develop")
    for k in range(start, start + n):
        member = User.objects.create_user(f"member{k}@example.test", PASSWORD,
                                          full_name=f"Member {k}", role="contributor")
        TeamMember.objects.create(initiative=initiative, user=member, added_by=users["manager"])
        budget = actions.request_resources(member, initiative, kind="budget", amount="1000",
                                           justification=f"Trial {k}")
        actions.approve_request(users["leader"], budget, note=f"OK {k}")
        actions.record_spend(member, budget, amount="100", spent_on=TODAY, note="Film")
        actions.record_spend(users["manager"], budget, amount="50", spent_on=TODAY)
        actions.request_resources(member, initiative, kind="budget", amount="10",
                                  justification=f"Pending {k}")
        hours = actions.request_resources(member, initiative, kind="hours", hours="8",
                                          justification=f"Analyst {k}")
        actions.reject_request(users["leader"], hours, note="Use the pool")
        ally = actions.request_resources(users["manager"], initiative, kind="partner",
                                         partner_org=partner, justification=f"Trays {k}")
        actions.approve_request(users["leader"], ally)
        actions.request_resources(member, initiative, kind="budget", amount="20", stage=develop,
                                  justification=f"Later {k}")


def more_initiatives(users, challenge, start: int, n: int) -> None:
    """n more initiatives of Plant Leeds, each with a pending budget request."""
    for k in range(start, start + n):
        idea = idea_actions.submit_idea(users["evaluator"], challenge, title=f"Idea {k}",
                                        description="More.")
        made = new_initiative(users["manager"], idea)
        actions.request_resources(users["manager"], made, kind="budget", amount="5",
                                  justification=f"Queue {k}")


def measure(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


# Every signed-in HTML request costs 3: session, user, the bell's unread count.
@pytest.mark.parametrize(("role", "queries"), [
    # + initiative, frame (stages; the team check for a contributor), totals per stage, requests
    # with their relations, their spends with who recorded them, the envelope for the unit
    ("manager", 9),
    ("contributor", 10),
])
def test_the_resources_tab_costs_a_fixed_number_of_queries(role, queries, users, initiative,
                                                           envelope, partner, client_for):
    url = reverse("pipeline:initiative_resources", args=[initiative.pk])
    client = client_for(role)
    grow(users, initiative, partner, 0, 2)
    small = measure(client, url)
    grow(users, initiative, partner, 2, 6)
    assert measure(client, url) == small == queries


def test_the_approvals_page_costs_a_fixed_number_of_queries(users, challenge, envelope,
                                                            client_for):
    client = client_for("leader")
    url = reverse("pipeline:approvals")
    more_initiatives(users, challenge, 0, 2)
    small = measure(client, url)
    more_initiatives(users, challenge, 2, 8)
    # + count, the page of requests with initiative, stage, people, partner and envelope
    assert measure(client, url) == small == 5


def test_the_envelope_page_costs_a_fixed_number_of_queries(users, challenge, envelope,
                                                           client_for):
    client = client_for("auditor")
    url = reverse("pipeline:envelope_requests", args=[envelope.pk])
    more_initiatives(users, challenge, 0, 2)
    small = measure(client, url)
    more_initiatives(users, challenge, 2, 8)
    # + envelope, count, the page of requests, requests on initiatives hidden from me
    assert measure(client, url) == small == 7
