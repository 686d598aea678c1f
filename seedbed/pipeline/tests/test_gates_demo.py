"""The demo's gate walk: every initiative of the PLAN reaches its target through real
decisions, with one iterate, one pivot, one hold, one stop with learnings and deployed ones
with measured value; every stage of every template keeps an active initiative."""

from __future__ import annotations

from collections import defaultdict

from seedbed.core.demo.pipeline import PLAN
from seedbed.core.demo.pipeline import gates as demo_gates
from seedbed.pipeline.models import GateDecision, GateItemState, Initiative, Stage


class People(dict):
    """The demo's people keys: the fixture's role accounts, two more leaders (the operations
    and finance directors), and the manager standing in for every initiative lead."""

    def __init__(self, users):
        from seedbed.accounts.models import User

        super().__init__(users)
        for key in ("claire", "tom"):
            self[key] = User.objects.create_user(f"{key}@example.test", "x" * 12,
                                                 full_name=key.title(), role="leader")

    def __missing__(self, key: str):
        return self["manager"]


def test_demo_walks_every_initiative_to_its_target(users, templates, challenge):
    from django.utils import timezone

    from seedbed.ideas import actions as idea_actions
    from seedbed.pipeline.actions.initiatives import promote_ideas

    made = {}
    for row in PLAN:
        idea = idea_actions.submit_idea(users["contributor"], challenge, title=row.title,
                                        description=row.pitch)
        made[row.slot] = promote_ideas(users["manager"], [idea],
                                       template=templates[row.template])
    ctx = {"users": People(users), "initiatives": made, "pipeline_plan": PLAN,
           "today": timezone.localdate()}
    walked = demo_gates.build(ctx)

    for row in PLAN:
        initiative = Initiative.objects.select_related("stage").get(pk=made[row.slot].pk)
        kind, _, key = row.target.rpartition(":")
        if row.target == "deployed":
            assert initiative.status == "deployed" and initiative.actual_value > 0, row.slot
        else:
            status = {"hold": "on_hold", "stop": "stopped", "": "active"}[kind]
            assert (initiative.stage.key, initiative.status) == (key, status), row.slot
    stopped = Initiative.objects.get(status="stopped")
    assert "Freezer space" in stopped.learnings
    outcomes = set(GateDecision.objects.values_list("outcome", flat=True))
    assert outcomes == {"go", "iterate", "pivot", "hold", "stop"}
    assert GateDecision.objects.filter(projected_value__gt=0).count() >= walked["decisions"] - 4
    # Nothing recorded evidence here but the walk itself (the value records): every other
    # evidence item had to be waived, each with its reason.
    waived = GateItemState.objects.filter(waived=True)
    assert waived.count() == walked["waivers"] and not waived.filter(waiver_reason="").exists()
    active = defaultdict(int)
    for initiative in Initiative.objects.filter(status="active"):
        active[initiative.stage_id] += 1
    for code, template in templates.items():
        for stage in Stage.objects.filter(version=template.current):
            assert active[stage.pk] >= 1, (code, stage.key)
