"""Gate decisions through the action: every outcome, the items a go needs, stale and skipping
decisions, who decides, the ideas following and being told, board moves, evidence rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Follow, Idea
from seedbed.notifications.models import Notification
from seedbed.pipeline.actions.gates import decide_gate, move_on_board
from seedbed.pipeline.models import (
    Assumption,
    Evaluation,
    Experiment,
    GateDecision,
    GateItem,
    GateItemState,
    Initiative,
    PostLaunchReview,
    ResourceRequest,
    Risk,
    SolutionIndicator,
    Stage,
)
from seedbed.pipeline.selectors.gates import evidence_status, gate_view
from seedbed.pipeline.tests.gates_helpers import (
    at_stage,
    checks_of,
    decide,
    items_of,
    placed_at,
    record_evidence,
    stage_of,
)


def fresh(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_related("stage").get(pk=initiative.pk)


def test_go_with_every_item_met_moves_on_and_records_the_gate(initiative, users):
    record_evidence(initiative, users["manager"])
    before = AuditEvent.objects.count()
    entered = initiative.stage_entered_at
    decision = decide(users["manager"], initiative, outcome="go",
                      rationale="Clear problem, customers care.", checked=checks_of(initiative))
    moved = fresh(initiative)
    assert moved.stage.key == "validate" and moved.status == "active"
    assert moved.gate_round == 2 and moved.stage_entered_at > entered
    assert (decision.outcome, decision.stage.key, decision.to_stage.key, decision.round) == (
        "go", "concept", "validate", 1)
    assert decision.risk_appetite == 90 and decision.uncertainty == moved.uncertainty
    states = {s.item.label: (s.met, s.waived) for s in decision.items.select_related("item")}
    assert states == {"Problem and customer segment described": (True, False),
                      "At least one assumption recorded": (True, False),
                      "At least one evaluation submitted": (True, False)}
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(verb="gate.decided")
    assert event.object_id == str(initiative.pk)
    assert event.changes["gate"]["after"]["outcome"] == "go"
    assert event.changes["stage"]["after"] == moved.stage_id


def test_go_with_unmet_items_lists_them_and_stores_nothing(initiative, users):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="go", rationale="Looks good.")
    message = refused.value.message_dict["items"][0]
    for label in ("Problem and customer segment described", "At least one assumption recorded",
                  "At least one evaluation submitted"):
        assert label in message
    assert not GateDecision.objects.exists() and not GateItemState.objects.exists()
    assert fresh(initiative).stage.key == "concept" and fresh(initiative).gate_round == 1
    assert AuditEvent.objects.count() == before


def test_waiver_needs_a_reason_and_is_kept_with_it(initiative, users):
    items = items_of(initiative)
    check = checks_of(initiative)
    evidence = [i.pk for i in items if i.kind == GateItem.Kind.EVIDENCE]
    for reason in ("", "   ", "too short"):
        with pytest.raises(ValidationError) as refused:
            decide(users["manager"], initiative, outcome="go", rationale="Go.", checked=check,
                   waivers={pk: reason for pk in evidence})
        assert set(refused.value.message_dict) == {"waivers"}
        assert "is waived" in refused.value.message_dict["waivers"][0]
    assert not GateDecision.objects.exists()
    decision = decide(users["manager"], initiative, outcome="go", rationale="Go.",
                      checked=check, waivers={pk: "Scored informally at the June review panel."
                                              for pk in evidence})
    waived = decision.items.filter(waived=True)
    assert sorted(w.item_id for w in waived) == sorted(evidence)
    assert {w.waiver_reason for w in waived} == {"Scored informally at the June review panel."}
    event = AuditEvent.objects.get(verb="gate.decided")
    assert set(event.changes["waivers"]["after"]) == {str(pk) for pk in evidence}


def test_waiver_or_confirmation_of_another_gates_item_is_refused(initiative, users):
    foreign = GateItem.objects.exclude(stage=initiative.stage).first()
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="iterate", rationale="Again.",
               checked=[foreign.pk], waivers={foreign.pk: "Not relevant to this initiative."})
    assert set(refused.value.message_dict) == {"checked", "waivers"}
    evidence = next(i for i in items_of(initiative) if i.rule)
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="iterate", rationale="Again.",
               checked=[evidence.pk])
    assert "records" in refused.value.message_dict["checked"][0]


def test_deciding_the_same_round_twice_is_a_conflict(initiative, users):
    seen = {"stage_id": initiative.stage_id, "round": initiative.gate_round}
    decide_gate(users["manager"], initiative, outcome="iterate", rationale="One more round.",
                **seen)
    with pytest.raises(StateConflict) as conflict:
        decide_gate(users["admin"], initiative, outcome="hold", rationale="Pause it.", **seen)
    assert conflict.value.code == "already_decided"
    assert GateDecision.objects.count() == 1 and fresh(initiative).status == "active"


def test_the_unique_constraint_backs_the_round_check(initiative, users):
    """Should a decision for this round exist without the round having moved on (a writer that
    skipped the lock), the database refuses the second one and the action answers 409."""
    GateDecision.objects.create(
        initiative=initiative, stage=initiative.stage, round=initiative.gate_round,
        outcome="iterate", rationale="Recorded elsewhere.", decided_by=users["manager"],
        uncertainty=100, risk_appetite=90)
    with pytest.raises(StateConflict) as conflict:
        decide(users["manager"], initiative, outcome="iterate", rationale="Again.")
    assert conflict.value.code == "already_decided"
    assert GateDecision.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="gate.decided").exists()


def test_stages_cannot_be_skipped(initiative, users):
    record_evidence(initiative, users["manager"])
    develop = stage_of(initiative, "develop")
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="go", rationale="Straight to develop.",
               checked=checks_of(initiative), to_stage=develop)
    assert "cannot be skipped" in refused.value.message_dict["to_stage"][0]
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="pivot", rationale="Jump.",
               to_stage=develop)
    assert "cannot be skipped" in refused.value.message_dict["to_stage"][0]
    assert fresh(initiative).stage.key == "concept" and not GateDecision.objects.exists()
    # Naming the next stage is fine.
    decide(users["manager"], initiative, outcome="go", rationale="On to validation.",
           checked=checks_of(initiative), to_stage=stage_of(initiative, "validate"))
    assert fresh(initiative).stage.key == "validate"


def test_iterate_stays_with_a_new_round(initiative, users):
    decision = decide(users["manager"], initiative, outcome="iterate",
                      rationale="Interview five more chefs first.")
    again = fresh(initiative)
    assert again.stage.key == "concept" and again.gate_round == 2
    assert decision.to_stage_id == again.stage_id
    decide(users["manager"], again, outcome="iterate", rationale="And five more.")
    assert fresh(initiative).gate_round == 3


def test_pivot_goes_back_to_this_or_an_earlier_stage(initiative, users):
    at_stage(initiative, "develop", users)
    with pytest.raises(ValidationError) as refused:
        decide(users["leader"], initiative, outcome="pivot", rationale="Rethink.")
    assert set(refused.value.message_dict) == {"to_stage"}
    decision = decide(users["leader"], initiative, outcome="pivot",
                      rationale="Retailers want trays, not pots: validate the new format.",
                      to_stage=stage_of(initiative, "validate"))
    assert fresh(initiative).stage.key == "validate" and decision.to_stage.key == "validate"
    decide(users["leader"], initiative, outcome="pivot", rationale="Same stage, new angle.",
           to_stage=stage_of(initiative, "validate"))
    assert fresh(initiative).stage.key == "validate"
    other = Stage.objects.exclude(version=initiative.version).first()
    with pytest.raises(ValidationError) as refused:
        decide(users["leader"], initiative, outcome="pivot", rationale="Elsewhere.",
               to_stage=other)
    assert "workflow" in refused.value.message_dict["to_stage"][0]


def test_hold_parks_the_ideas_and_a_later_decision_resumes(initiative, users, idea):
    decide(users["manager"], initiative, outcome="hold", rationale="Budget frozen until Q3.")
    assert fresh(initiative).status == "on_hold"
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PARKED
    decide(users["manager"], initiative, outcome="iterate", rationale="Budget is back.")
    assert fresh(initiative).status == "active"
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SELECTED
    event = AuditEvent.objects.filter(verb="gate.decided").order_by("-seq").first()
    assert event.changes["status"] == {"before": "on_hold", "after": "active"}
    assert event.changes["idea_status"]["after"] == {
        str(idea.pk): {"before": "parked", "after": "selected"}}


def test_stop_requires_learnings_and_keeps_them(initiative, users, idea):
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="stop", rationale="No market.")
    assert set(refused.value.message_dict) == {"learnings"}
    decide(users["manager"], initiative, outcome="stop", rationale="No market.",
           learnings="Retailers will not take back crates without a deposit scheme.")
    stopped = fresh(initiative)
    assert stopped.status == "stopped" and stopped.stopped_at is not None
    assert stopped.learnings == "Retailers will not take back crates without a deposit scheme."
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DECLINED
    decision = GateDecision.objects.get()
    assert decision.to_stage is None
    with pytest.raises(StateConflict) as conflict:
        decide(users["manager"], initiative, outcome="go", rationale="Changed our minds.")
    assert conflict.value.code == "initiative_closed"


def test_learnings_belong_to_a_stop(initiative, users):
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="iterate", rationale="Again.",
               learnings="Something.")
    assert set(refused.value.message_dict) == {"learnings"}


def test_go_from_the_last_stage_deploys_and_ideas_are_implemented(users, idea, templates):
    from tests.support import new_initiative

    initiative = new_initiative(users["manager"], idea, template="continuous_improvement")
    for key in ("assess", "implement"):
        decide(users["manager"], initiative, outcome="go", rationale=f"{key} done.",
               checked=checks_of(initiative))
    assert fresh(initiative).stage.key == "verify"
    SolutionIndicator.objects.create(initiative=initiative, kind="cost_saving",
                                     name="Minutes saved per changeover", unit="min",
                                     actual=Decimal("12"), created_by=users["manager"])
    decision = decide(users["manager"], initiative, outcome="go",
                      rationale="Measured: twelve minutes saved per changeover.")
    deployed = fresh(initiative)
    assert deployed.status == "deployed" and deployed.deployed_at is not None
    assert deployed.stage.key == "verify" and decision.to_stage is None
    idea.refresh_from_db()
    assert idea.status == Idea.Status.IMPLEMENTED
    with pytest.raises(StateConflict):
        decide(users["manager"], initiative, outcome="iterate", rationale="More.")


def test_ideas_follow_and_their_author_and_followers_are_told(
        initiative, users, idea, django_capture_on_commit_callbacks):
    Follow.objects.create(idea=idea, user=users["evaluator"])
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        decide(users["manager"], initiative, outcome="hold", rationale="Waiting for the "
               "retailer's packaging review.")
    told = set(Notification.objects.filter(kind="idea.status_changed", idea=idea)
               .values_list("recipient__email", flat=True))
    assert told == {"contributor@example.test", "evaluator@example.test"}
    assert Notification.objects.filter(idea=idea).first().text == \
        "“Reusable crates” is now parked"


@pytest.mark.parametrize(("role", "stage"), [("manager", "validate"), ("admin", "validate"),
                                             ("leader", "concept"), ("evaluator", "concept"),
                                             ("contributor", "concept"), ("auditor", "concept"),
                                             ("partner", "concept")])
def test_only_the_stages_deciders_decide(role, stage, initiative, users):
    if stage != "concept":
        at_stage(initiative, stage, users)
    with pytest.raises(PermissionDenied):
        decide(users[role], initiative, outcome="iterate", rationale="Mine to decide?")
    assert not GateDecision.objects.filter(stage__key=stage).exists()


def test_co_deciders_must_be_deciders_of_this_gate(initiative, users):
    from seedbed.accounts.models import User

    for people in ([users["contributor"]], [users["manager"]], [987654]):
        with pytest.raises(ValidationError) as refused:
            decide(users["manager"], initiative, outcome="iterate", rationale="Together.",
                   co_deciders=people)
        assert set(refused.value.message_dict) == {"co_deciders"}
    colleague = User.objects.create_user("second.manager@example.test", "x" * 12,
                                         full_name="Second Manager", role="manager")
    decision = decide(users["manager"], initiative, outcome="iterate", rationale="Together.",
                      co_deciders=[colleague, users["admin"]])
    assert set(decision.co_deciders.all()) == {colleague, users["admin"]}


def test_projected_value_is_kept_on_the_decision_and_the_initiative(initiative, users):
    for bad in ("-1", "1e20", "12.345", "abc"):
        with pytest.raises(ValidationError) as refused:
            decide(users["manager"], initiative, outcome="iterate", rationale="Value.",
                   projected_value=bad)
        assert set(refused.value.message_dict) == {"projected_value"}
    decision = decide(users["manager"], initiative, outcome="iterate", rationale="Value.",
                      projected_value=Decimal("180000"))
    assert decision.projected_value == Decimal("180000")
    assert fresh(initiative).projected_value == Decimal("180000")
    kept = decide(users["manager"], initiative, outcome="iterate", rationale="Unchanged.")
    assert kept.projected_value == Decimal("180000")


def test_every_field_error_at_once(initiative, users):
    with pytest.raises(ValidationError) as refused:
        decide(users["manager"], initiative, outcome="promote", rationale=" ",
               learnings="x", projected_value="-5", co_deciders=[users["partner"]])
    assert set(refused.value.message_dict) == {"outcome", "rationale", "learnings",
                                               "projected_value", "co_deciders"}


def test_value_projected_in_the_decision_meets_the_value_rule(initiative, users):
    placed_at(initiative, "validate")
    statuses = {s.item.rule: s for s in evidence_status(fresh(initiative))}
    assert statuses["value_projected"].met is False
    with pytest.raises(ValidationError) as refused:
        decide(users["leader"], initiative, outcome="go", rationale="Go.",
               checked=checks_of(initiative), projected_value=Decimal("250000"))
    message = refused.value.message_dict["items"][0]
    assert "Projected value recorded" not in message
    assert "One concluded experiment on each critical assumption" in message


# --- the board ------------------------------------------------------------------------------


def _bm_initiative(users, idea):
    from tests.support import new_initiative

    initiative = new_initiative(users["manager"], idea, template="business_model")
    assert initiative.stage.key == "explore"
    return initiative


def test_board_forward_is_a_go_when_the_evidence_is_there(users, idea, templates):
    initiative = _bm_initiative(users, idea)
    with pytest.raises(ValidationError) as refused:
        move_on_board(users["manager"], initiative, direction="forward", rationale="Ready.",
                      stage_id=initiative.stage_id, round=1)
    assert "Open the gate page" in refused.value.message_dict["items"][0]
    record_evidence(initiative, users["manager"])
    decision = move_on_board(users["manager"], initiative, direction="forward",
                             rationale="Ready.", stage_id=initiative.stage_id, round=1)
    assert decision.via_board and decision.outcome == "go"
    assert fresh(initiative).stage.key == "test"


def test_board_back_is_a_pivot_to_the_previous_stage(users, idea, templates):
    initiative = _bm_initiative(users, idea)
    with pytest.raises(ValidationError) as refused:
        move_on_board(users["manager"], initiative, direction="back", rationale="Back.",
                      stage_id=initiative.stage_id, round=1)
    assert set(refused.value.message_dict) == {"direction"}
    record_evidence(initiative, users["manager"])
    move_on_board(users["manager"], initiative, direction="forward", rationale="Ready.",
                  stage_id=initiative.stage_id, round=1)
    moved = fresh(initiative)
    with pytest.raises(PermissionDenied):  # "test the model" is the leaders' gate
        move_on_board(users["manager"], moved, direction="back", rationale="Back.",
                      stage_id=moved.stage_id, round=moved.gate_round)
    decision = move_on_board(users["leader"], moved, direction="back",
                             rationale="The riskiest assumption changed: explore again.",
                             stage_id=moved.stage_id, round=moved.gate_round)
    assert (decision.outcome, decision.via_board, decision.to_stage.key) == (
        "pivot", True, "explore")
    assert fresh(initiative).stage.key == "explore"
    with pytest.raises(StateConflict):  # the same move again, from a stale board
        move_on_board(users["leader"], moved, direction="back", rationale="Back.",
                      stage_id=moved.stage_id, round=moved.gate_round)
    with pytest.raises(ValidationError):
        move_on_board(users["manager"], moved, direction="sideways", rationale="?",
                      stage_id=moved.stage_id, round=moved.gate_round)


# --- evidence rules -------------------------------------------------------------------------


def test_evidence_rules_read_the_records(initiative, users):
    manager = users["manager"]
    initiative = placed_at(initiative, "develop")
    by_rule = {s.item.rule: s for s in evidence_status(initiative) if s.item.rule}
    assert not by_rule["resources_approved"].met and not by_rule["risks_assessed"].met
    assert by_rule["high_risks_treated"].met  # nothing high yet
    high = Risk.objects.create(initiative=initiative, title="Tray supplier fails audit",
                               likelihood=4, impact=5, created_by=manager)
    Risk.objects.create(initiative=initiative, title="Minor delay", likelihood=1, impact=2,
                        created_by=manager)
    ResourceRequest.objects.create(initiative=initiative, stage=initiative.stage, kind="budget",
                                   amount=5000, justification="Pilot run", status="approved",
                                   requested_by=manager)
    by_rule = {s.item.rule: s for s in evidence_status(initiative) if s.item.rule}
    assert by_rule["resources_approved"].met and by_rule["risks_assessed"].met
    assert not by_rule["high_risks_treated"].met
    assert by_rule["high_risks_treated"].detail == "1 of 1 high risk without a treatment."
    high.treatment = "reduce"
    high.save()
    assert {s.item.rule: s.met for s in evidence_status(initiative)}["high_risks_treated"]


def test_experiment_rule_needs_a_concluded_test_of_each_critical_assumption(initiative, users):
    initiative = placed_at(initiative, "validate")

    def rule() -> tuple[bool, str]:
        status = next(s for s in evidence_status(initiative)
                      if s.item.rule == "experiment_per_critical")
        return status.met, status.detail

    assert rule()[0] is False and "No assumptions" in rule()[1]
    kw = {"initiative": initiative, "kind": "desirability", "created_by": users["manager"]}
    critical = [Assumption.objects.create(statement=f"Critical {n}", importance=5, **kw)
                for n in range(2)]
    Assumption.objects.create(statement="Minor", importance=2, **kw)
    assert rule() == (False, "2 of 2 critical assumptions without a concluded experiment.")
    running = Experiment.objects.create(initiative=initiative, hypothesis="Chefs reorder",
                                        status="running", created_by=users["manager"])
    running.assumptions.set(critical)
    assert rule()[0] is False
    done = Experiment.objects.create(initiative=initiative, hypothesis="Chefs pay more",
                                     status="failed", created_by=users["manager"])
    done.assumptions.set([critical[0]])
    assert rule() == (False, "1 of 2 critical assumptions without a concluded experiment.")
    done.assumptions.add(critical[1])
    assert rule()[0] is True


def test_value_stage_rules(users, idea, templates):
    from tests.support import new_initiative

    initiative = new_initiative(users["manager"], idea, template="business_model")
    initiative = placed_at(initiative, "launch")
    met = {s.item.rule: s.met for s in evidence_status(initiative)}
    assert met == {"indicators_measured": False, "post_launch_review": False}
    SolutionIndicator.objects.create(initiative=initiative, kind="revenue", name="Revenue",
                                     unit="GBP", actual=100, created_by=users["manager"])
    unmeasured = SolutionIndicator.objects.create(initiative=initiative, kind="adoption",
                                                  name="Sites", unit="sites",
                                                  created_by=users["manager"])
    statuses = {s.item.rule: s for s in evidence_status(initiative)}
    assert statuses["indicators_measured"].detail == "1 of 2 indicators measured."
    unmeasured.actual = 3
    unmeasured.save()
    PostLaunchReview.objects.create(initiative=initiative, summary="Good.",
                                    reviewed_by=users["manager"])
    assert all(s.met for s in evidence_status(initiative))


def test_evidence_status_costs_two_queries_whatever_the_records(initiative, users):
    at_stage(initiative, "develop", users)
    initiative = fresh(initiative)
    for n in range(3):
        Risk.objects.create(initiative=initiative, title=f"Risk {n}", likelihood=5, impact=5,
                            created_by=users["manager"])
    with CaptureQueriesContext(connection) as small:
        evidence_status(initiative)
    for n in range(20):
        Risk.objects.create(initiative=initiative, title=f"More {n}", likelihood=5, impact=4,
                            created_by=users["manager"])
    with CaptureQueriesContext(connection) as large:
        evidence_status(initiative)
    assert len(small) == len(large) == 2


def test_gate_view_tells_above_appetite_and_who_decides(initiative, users):
    view = gate_view(fresh(initiative))
    assert view.uncertainty == 100 and view.appetite == 90 and view.above_appetite
    assert view.deciders == ["Innovation manager"] and view.decider_roles == ["admin", "manager"]
    assert view.next_stage.key == "validate" and view.previous == []
    at_stage(initiative, "develop", users)
    view = gate_view(fresh(initiative))
    assert view.deciders == ["Top management"]
    assert [s.key for s in view.previous] == ["concept", "validate"]
    assert [d.outcome for d in view.history] == ["go", "go"]
    assert Evaluation.objects.filter(initiative=initiative).exists()
