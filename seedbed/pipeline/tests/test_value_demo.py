"""The value demo module measures the launched demo initiatives through the actions, leaves
alone what the gates demo already recorded, and keeps confidential feedback to those who see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.audit.models import AuditEvent
from seedbed.core.demo.people import PEOPLE
from seedbed.core.demo.pipeline import PLAN
from seedbed.core.demo.pipeline import value as demo
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import value as actions
from seedbed.pipeline.models import Feedback, Initiative, PostLaunchReview, SolutionIndicator
from tests.matrix.pipeline_value import deploy, move_to_stage
from tests.support import new_initiative

SLOTS = {row.slot: row for row in PLAN if row.slot in demo.OUTCOMES}
# Where the gates demo leaves each of them: a deploy-phase stage, or deployed.
WHERE = {"p_launch": "launch", "p_scale": "scale", "pr_standardise": "standardise",
         "bm_launch": "launch", "ci_verify": "verify"}


@pytest.fixture
def ctx(users, challenge, templates):
    """The demo people the module names, and one initiative per slot where gates leaves it."""
    people = dict(users)
    needed = {row.lead for row in SLOTS.values()} | {
        said.author for plan in demo.OUTCOMES.values() for said in plan.feedback}
    for key in sorted(needed - set(people)):
        person = PEOPLE[key]
        people[key] = User.objects.create_user(person.address, "x" * 12,
                                               full_name=person.full_name, role=person.role)
    initiatives = {}
    for slot, row in SLOTS.items():
        idea = idea_actions.submit_idea(users["contributor"], challenge, title=row.title,
                                        description=row.pitch)
        made = new_initiative(users["manager"], idea, template=row.template,
                              lead=people[row.lead], confidential=row.confidential)
        initiatives[slot] = (move_to_stage(made, WHERE[slot]) if slot in WHERE
                             else deploy(made))
    return {"users": people, "initiatives": initiatives, "pipeline_plan": PLAN,
            "today": timezone.localdate()}


def test_demo_measures_every_launched_slot(ctx):
    counts = demo.build(ctx)
    assert counts == {
        "indicators": sum(len(p.measures) for p in demo.OUTCOMES.values()),
        "feedback": sum(len(p.feedback) for p in demo.OUTCOMES.values()),
        "reviews": 2}
    for slot, plan in demo.OUTCOMES.items():
        initiative = Initiative.objects.get(pk=ctx["initiatives"][slot].pk)
        rows = list(SolutionIndicator.objects.filter(initiative=initiative))
        assert all(r.actual is not None and r.measured_on for r in rows), slot
        money = sum((Decimal(m.actual) for m in plan.measures
                     if m.kind in ("revenue", "cost_saving")), Decimal(0))
        assert initiative.actual_value == money, slot
        assert Feedback.objects.filter(initiative=initiative).count() == len(plan.feedback)
    reviewed = set(PostLaunchReview.objects.values_list("initiative_id", flat=True))
    assert reviewed == {ctx["initiatives"]["p_deployed"].pk, ctx["initiatives"]["ci_deployed"].pk}
    assert AuditEvent.objects.filter(verb="solution_indicator.measured").count() == (
        counts["indicators"])


def test_demo_leaves_what_gates_recorded(ctx):
    deployed = ctx["initiatives"]["p_deployed"]
    lead = ctx["users"]["priya"]
    first = demo.OUTCOMES["p_deployed"].measures[0]
    actions.add_indicator(lead, deployed, kind=first.kind, name=first.name.upper(),
                          unit=first.unit, projected=Decimal(first.projected))
    actions.record_post_launch_review(lead, deployed, summary="Written at the scale gate.")
    counts = demo.build(ctx)
    assert counts["reviews"] == 1  # only ci_deployed's
    assert PostLaunchReview.objects.get(initiative=deployed).summary == (
        "Written at the scale gate.")
    assert SolutionIndicator.objects.filter(initiative=deployed,
                                            name__iexact=first.name).count() == 1


def test_confidential_slot_hears_only_from_people_who_see_it(ctx):
    assert SLOTS["p_launch"].confidential
    demo.build(ctx)
    authors = set(Feedback.objects.filter(initiative=ctx["initiatives"]["p_launch"])
                  .values_list("author__role", flat=True))
    assert authors <= {"admin", "manager", "leader"}
