"""The validation demo keeps its promises for every initiative of the demo PLAN: uncertainty
falls along the pipeline, one initiative is left above appetite, every critical assumption of
an initiative past the validate phase has a concluded experiment, the stopped one learned why
from a failed experiment, and one early high risk is left untreated."""

from __future__ import annotations

import pytest
from django.utils import timezone

from seedbed import policy
from seedbed.core.demo.pipeline import PLAN
from seedbed.core.demo.pipeline import validation as demo
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions.initiatives import promote_ideas
from seedbed.pipeline.models import Assumption, Experiment, Risk, Stage


@pytest.fixture
def demo_ctx(users, challenge, templates):
    """What the initiatives demo module hands on: one initiative per PLAN row, led by its
    lead, at the first stage of its template (the gates module moves them on later)."""
    from seedbed.accounts.models import User

    people = {"manager": users["manager"], "admin": users["admin"], "partner": users["partner"]}
    initiatives = {}
    for row in PLAN:
        if row.lead not in people:
            people[row.lead] = User.objects.create_user(
                f"{row.lead}@example.test", "x" * 12, full_name=row.lead.title(),
                role=policy.CONTRIBUTOR)
        idea = idea_actions.submit_idea(users["contributor"], challenge, title=row.title,
                                        description=row.pitch)
        initiatives[row.slot] = promote_ideas(users["manager"], [idea],
                                              template=templates[row.template],
                                              lead=people[row.lead])
    return {"users": people, "initiatives": initiatives, "pipeline_plan": PLAN,
            "today": timezone.localdate()}


def target_of(initiative, target: str) -> tuple[Stage, bool]:
    return demo._target_stage(list(initiative.version.stages.order_by("position")), target)


def test_validation_demo(demo_ctx):
    built = demo.build(demo_ctx)
    assert built["assumptions"] >= 3 * len(PLAN) and built["risks"] >= len(PLAN)
    above = []
    for row in PLAN:
        initiative = demo_ctx["initiatives"][row.slot]
        initiative.refresh_from_db()
        stage, past_last = target_of(initiative, row.target)
        experiments = Experiment.objects.filter(initiative=initiative)
        risks = Risk.objects.filter(initiative=initiative)
        assert 1 <= risks.count() <= 4, row.slot
        if stage.position == 0 and not past_last:
            assert not experiments.exists(), row.slot
        if initiative.uncertainty > stage.risk_appetite and not past_last:
            above.append(row.slot)
        if past_last or stage.phase in (Stage.Phase.DEVELOP, Stage.Phase.DEPLOY):
            untested = Assumption.objects.filter(initiative=initiative, importance__gte=4) \
                .exclude(experiments__status__in=Experiment.CONCLUDED)
            assert not untested.exists(), row.slot
            assert initiative.uncertainty == 0, row.slot
    assert above == [demo.ABOVE_APPETITE]
    # Uncertainty falls along each template's path.
    for code in {row.template for row in PLAN}:
        path = sorted(((target_of(demo_ctx["initiatives"][r.slot], r.target), r.slot)
                       for r in PLAN if r.template == code and ":" not in r.target),
                      key=lambda t: (t[0][0].position, t[0][1]))
        values = [demo_ctx["initiatives"][slot].uncertainty for _, slot in path]
        assert values == sorted(values, reverse=True), (code, values)


def test_the_stopped_initiative_learned_why_and_one_early_risk_is_untreated(demo_ctx):
    demo.build(demo_ctx)
    failed = Experiment.objects.get(initiative=demo_ctx["initiatives"]["p_stopped"],
                                    status=Experiment.Status.FAILED)
    assert "Stop" in failed.learning
    assert failed.assumptions.get().status == Assumption.Status.REFUTED
    untreated = [r for r in Risk.objects.select_related("initiative") if r.needs_treatment]
    assert [r.initiative_id for r in untreated] == [demo_ctx["initiatives"]["bm_explore"].pk]
    # The partner on the packaging initiative would run its feasibility tests; here they are
    # not on its team, so the lead did.
    assert not Experiment.objects.filter(created_by=demo_ctx["users"]["partner"]).exists()
