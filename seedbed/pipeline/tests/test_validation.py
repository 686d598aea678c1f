"""Validation actions: the uncertainty formula, assumptions, experiments (concluding settles
the assumptions they test) and the risk register; who may change them, and when."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions as idea_actions
from seedbed.pipeline.actions import validation as actions
from seedbed.pipeline.actions._derived import uncertainty_of
from seedbed.pipeline.models import Assumption, Experiment, Initiative, Risk, TeamMember
from seedbed.pipeline.models.validation import level_of
from seedbed.pipeline.selectors.validation import heat_map, uncertainty_summary
from tests.support import new_initiative


def assume(actor, initiative, importance=5, statement="Shoppers want it", **fields):
    return actions.create_assumption(actor, initiative, statement=statement,
                                     kind=fields.pop("kind", "desirability"),
                                     importance=importance, **fields)


def uncertainty(initiative) -> int:
    return Initiative.objects.get(pk=initiative.pk).uncertainty


@pytest.fixture
def other_initiative(users, challenge):
    idea = idea_actions.submit_idea(users["evaluator"], challenge, title="Deposit scheme",
                                    description="A small deposit per crate.")
    return new_initiative(users["manager"], idea)


# --- the uncertainty formula ----------------------------------------------------------------


def test_no_assumptions_means_nothing_is_known(initiative):
    assert uncertainty_of(initiative) == 100
    assert uncertainty(initiative) == 100


def test_no_critical_assumption_means_no_uncertainty(initiative, users):
    assume(users["manager"], initiative, importance=3)
    assume(users["manager"], initiative, importance=1)
    assert uncertainty(initiative) == 0


def test_uncertainty_is_the_importance_weighted_share_of_untested_critical(initiative, users):
    m = users["manager"]
    assume(m, initiative, importance=5)  # untested: counts
    assume(m, initiative, importance=4, status="supported", evidence=1)  # settled
    assume(m, initiative, importance=4, status="refuted", evidence=2)  # settled too
    assume(m, initiative, importance=3)  # not critical: ignored
    assert uncertainty(initiative) == round(100 * 5 / 13) == 38
    assert AuditEvent.objects.filter(verb="assumption.created").count() == 4


def test_every_assumption_change_refreshes_the_uncertainty(initiative, users):
    m = users["manager"]
    a = assume(m, initiative, importance=5)
    b = assume(m, initiative, importance=5)
    assert uncertainty(initiative) == 100
    actions.update_assumption(m, a, status="supported", evidence=1)
    assert uncertainty(initiative) == 50
    event = AuditEvent.objects.filter(verb="assumption.updated").get()
    assert event.changes["uncertainty"] == {"before": 100, "after": 50}
    actions.update_assumption(m, b, importance=3)
    assert uncertainty(initiative) == 0
    actions.delete_assumption(m, b)
    assert uncertainty(initiative) == 0
    actions.delete_assumption(m, a)
    assert uncertainty(initiative) == 100
    deleted = AuditEvent.objects.filter(verb="assumption.deleted").order_by("seq").last()
    assert deleted.object_id == str(a.pk) and deleted.changes["uncertainty"]["after"] == 100


def test_summary_explains_the_figure_and_lists_what_drives_it(initiative, users):
    m = users["manager"]
    big = assume(m, initiative, importance=5, statement="Big")
    assume(m, initiative, importance=4, statement="Done", status="supported", evidence=1)
    small = assume(m, initiative, importance=4, statement="Small")
    initiative.refresh_from_db()
    rows = list(Assumption.objects.filter(initiative=initiative))
    summary = uncertainty_summary(initiative, rows)
    assert (summary.open_weight, summary.critical_weight, summary.value) == (9, 13, 69)
    assert summary.appetite == initiative.stage.risk_appetite == 90
    assert not summary.above_appetite
    assert summary.drivers == [big, small]


# --- assumptions ------------------------------------------------------------------------------


def test_invalid_assumption_reports_every_field_and_stores_nothing(initiative, users):
    with pytest.raises(ValidationError) as caught:
        actions.create_assumption(users["manager"], initiative, statement="  ", kind="hope",
                                  importance=6, evidence=4, status="maybe")
    assert set(caught.value.message_dict) == {"statement", "kind", "importance", "evidence",
                                              "status"}
    with pytest.raises(ValidationError) as caught:
        assume(users["manager"], initiative, importance=True)
    assert set(caught.value.message_dict) == {"importance"}
    assert not Assumption.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="assumption.").exists()


def test_a_settled_assumption_needs_some_evidence(initiative, users):
    with pytest.raises(ValidationError) as caught:
        assume(users["manager"], initiative, status="supported", evidence=0)
    assert set(caught.value.message_dict) == {"evidence"}


def test_an_assumption_under_test_cannot_be_deleted(initiative, users):
    m = users["manager"]
    a = assume(m, initiative)
    actions.create_experiment(m, initiative, hypothesis="Half say yes", assumptions=[a])
    with pytest.raises(StateConflict) as caught:
        actions.delete_assumption(m, a)
    assert caught.value.code == "assumption_tested"
    assert Assumption.objects.filter(pk=a.pk).exists()


def test_editing_without_changes_records_nothing(initiative, users):
    a = assume(users["manager"], initiative)
    before = AuditEvent.objects.count()
    actions.update_assumption(users["manager"], a, statement="Shoppers want it")
    assert AuditEvent.objects.count() == before


# --- experiments ------------------------------------------------------------------------------


@pytest.mark.parametrize("hypothesis", ["", "   ", None])
def test_an_experiment_without_a_hypothesis_is_refused(hypothesis, initiative, users):
    a = assume(users["manager"], initiative)
    with pytest.raises(ValidationError) as caught:
        actions.create_experiment(users["manager"], initiative, hypothesis=hypothesis,
                                  assumptions=[a])
    assert caught.value.message_dict == {"hypothesis": [actions.HYPOTHESIS_REQUIRED]}
    assert not Experiment.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="experiment.").exists()


def test_an_experiment_tests_assumptions_of_its_own_initiative_only(initiative,
                                                                    other_initiative, users):
    m = users["manager"]
    mine = assume(m, initiative)
    theirs = assume(m, other_initiative)
    with pytest.raises(ValidationError) as caught:
        actions.create_experiment(m, initiative, hypothesis="Half say yes",
                                  assumptions=[mine, theirs])
    assert set(caught.value.message_dict) == {"assumptions"}
    assert not Experiment.objects.exists()
    experiment = actions.create_experiment(m, initiative, hypothesis="Half say yes",
                                           assumptions=[mine.pk])
    with pytest.raises(ValidationError):
        actions.update_experiment(m, experiment, assumptions=[theirs.pk])
    with pytest.raises(ValidationError):
        actions.update_experiment(m, experiment, assumptions=[987654])
    assert list(experiment.assumptions.all()) == [mine]


def test_an_experiment_cannot_end_before_it_starts(initiative, users):
    with pytest.raises(ValidationError) as caught:
        actions.create_experiment(users["manager"], initiative, hypothesis="It works",
                                  starts_on=date(2030, 5, 2), ends_on=date(2030, 5, 1))
    assert set(caught.value.message_dict) == {"ends_on"}
    made = actions.create_experiment(users["manager"], initiative, hypothesis="It works",
                                     starts_on=date(2030, 5, 1), ends_on=date(2030, 5, 1))
    with pytest.raises(ValidationError) as caught:
        actions.update_experiment(users["manager"], made, starts_on=date(2030, 6, 1))
    assert set(caught.value.message_dict) == {"ends_on"}


def test_a_new_experiment_cannot_start_concluded(initiative, users):
    with pytest.raises(ValidationError) as caught:
        actions.create_experiment(users["manager"], initiative, hypothesis="It works",
                                  status="succeeded")
    assert set(caught.value.message_dict) == {"status"}
    made = actions.create_experiment(users["manager"], initiative, hypothesis="It works")
    with pytest.raises(ValidationError):
        actions.update_experiment(users["manager"], made, status="failed")


def test_success_supports_the_tested_assumptions_and_lowers_uncertainty(initiative, users):
    m = users["manager"]
    weak = assume(m, initiative, importance=5, statement="Weak", evidence=1)
    strong = assume(m, initiative, importance=4, statement="Strong", evidence=3)
    other = assume(m, initiative, importance=4, statement="Other")
    experiment = actions.create_experiment(m, initiative, hypothesis="Half say yes",
                                           assumptions=[weak, strong])
    assert uncertainty(initiative) == 100
    actions.conclude_experiment(m, experiment, status="succeeded", result="62 % said yes.",
                                learning="Price is not the barrier.")
    weak.refresh_from_db()
    strong.refresh_from_db()
    other.refresh_from_db()
    assert (weak.status, weak.evidence) == ("supported", Assumption.Evidence.MODERATE)
    assert (strong.status, strong.evidence) == ("supported", Assumption.Evidence.STRONG)
    assert (other.status, other.evidence) == ("untested", Assumption.Evidence.NONE)
    assert uncertainty(initiative) == round(100 * 4 / 13)
    event = AuditEvent.objects.get(verb="experiment.concluded")
    assert event.changes["status"] == {"before": "planned", "after": "succeeded"}
    assert event.changes["assumptions_tested"]["after"][str(weak.pk)] == {
        "status": "supported", "evidence": 2}
    assert event.changes["uncertainty"] == {"before": 100, "after": 31}


def test_failure_refutes_and_inconclusive_changes_nothing(initiative, users):
    m = users["manager"]
    a = assume(m, initiative, statement="A")
    b = assume(m, initiative, statement="B")
    failed = actions.create_experiment(m, initiative, hypothesis="A holds", assumptions=[a])
    unclear = actions.create_experiment(m, initiative, hypothesis="B holds", assumptions=[b])
    actions.conclude_experiment(m, unclear, status="inconclusive", learning="Sample too small.")
    b.refresh_from_db()
    assert (b.status, b.evidence, uncertainty(initiative)) == ("untested", 0, 100)
    actions.conclude_experiment(m, failed, status="failed", learning="Nobody wanted it.")
    a.refresh_from_db()
    assert (a.status, a.evidence) == ("refuted", Assumption.Evidence.MODERATE)
    # A refuted assumption is settled: the team knows, so it no longer adds uncertainty.
    assert uncertainty(initiative) == 50
    # The user may override what concluding set.
    actions.update_assumption(m, a, status="untested")
    assert uncertainty(initiative) == 100


def test_concluding_needs_a_learning_and_an_outcome(initiative, users):
    m = users["manager"]
    a = assume(m, initiative)
    experiment = actions.create_experiment(m, initiative, hypothesis="It holds", assumptions=[a])
    with pytest.raises(ValidationError) as caught:
        actions.conclude_experiment(m, experiment, status="running", learning="  ")
    assert set(caught.value.message_dict) == {"status", "learning"}
    experiment.refresh_from_db()
    a.refresh_from_db()
    assert experiment.status == "planned" and a.status == "untested"
    assert not AuditEvent.objects.filter(verb="experiment.concluded").exists()


def test_a_concluded_experiment_keeps_its_plan_but_its_result_can_be_corrected(initiative,
                                                                               users):
    m = users["manager"]
    a = assume(m, initiative)
    experiment = actions.create_experiment(m, initiative, hypothesis="It holds", assumptions=[a])
    actions.conclude_experiment(m, experiment, status="succeeded", learning="It held.")
    with pytest.raises(StateConflict) as caught:
        actions.conclude_experiment(m, experiment, status="failed", learning="Changed mind.")
    assert caught.value.code == "experiment_concluded"
    for change in ({"hypothesis": "Something else"}, {"status": "running"},
                   {"assumptions": []}):
        with pytest.raises(StateConflict):
            actions.update_experiment(m, experiment, **change)
    with pytest.raises(ValidationError):
        actions.update_experiment(m, experiment, learning="")
    with pytest.raises(StateConflict):
        actions.delete_experiment(m, experiment)
    actions.update_experiment(m, experiment, result="71 % said yes.", learning="It held well.")
    experiment.refresh_from_db()
    assert (experiment.result, experiment.learning) == ("71 % said yes.", "It held well.")
    assert AuditEvent.objects.filter(verb="experiment.updated").count() == 1


def test_a_planned_experiment_can_be_edited_and_deleted(initiative, users):
    m = users["manager"]
    a = assume(m, initiative)
    experiment = actions.create_experiment(m, initiative, hypothesis="It holds")
    actions.update_experiment(m, experiment, status="running", assumptions=[a],
                              starts_on=date(2030, 1, 1))
    experiment.refresh_from_db()
    assert experiment.status == "running" and list(experiment.assumptions.all()) == [a]
    event = AuditEvent.objects.get(verb="experiment.updated")
    assert event.changes["assumptions"] == {"before": [], "after": [a.pk]}
    actions.delete_experiment(m, experiment)
    assert not Experiment.objects.exists()
    assert AuditEvent.objects.filter(verb="experiment.deleted",
                                     object_id=str(experiment.pk)).exists()


# --- risks ------------------------------------------------------------------------------------


def test_risk_scores_outside_one_to_five_are_refused(initiative, users):
    for likelihood, impact in ((0, 6), (6, 0), ("3", 2.5), (None, -1)):
        with pytest.raises(ValidationError) as caught:
            actions.create_risk(users["manager"], initiative, title="Flood",
                                likelihood=likelihood, impact=impact)
        assert set(caught.value.message_dict) == {"likelihood", "impact"}
    risk = actions.create_risk(users["manager"], initiative, title="Flood", likelihood=1,
                               impact=5)
    with pytest.raises(ValidationError):
        actions.update_risk(users["manager"], risk, likelihood=9)
    assert Risk.objects.get().likelihood == 1
    assert AuditEvent.objects.filter(verb__startswith="risk.").count() == 1


def test_score_and_level(initiative, users):
    assert [level_of(s) for s in (1, 7, 8, 14, 15, 25)] == [
        "low", "low", "medium", "medium", "high", "high"]
    risk = actions.create_risk(users["manager"], initiative, title="Recall", likelihood=3,
                               impact=5)
    assert (risk.score, risk.level, risk.needs_treatment) == (15, "high", True)
    actions.update_risk(users["manager"], risk, treatment="accept")
    risk.refresh_from_db()
    assert not risk.needs_treatment


def test_treatments_that_are_work_need_a_plan(initiative, users):
    with pytest.raises(ValidationError) as caught:
        actions.create_risk(users["manager"], initiative, title="Flood", likelihood=2,
                            impact=2, treatment="reduce")
    assert set(caught.value.message_dict) == {"treatment_plan"}
    with pytest.raises(ValidationError) as caught:
        actions.create_risk(users["manager"], initiative, title="Flood", likelihood=2,
                            impact=2, treatment_plan="Sandbags.")
    assert set(caught.value.message_dict) == {"treatment"}


def test_a_risk_owner_is_an_employee_on_the_team_or_a_manager(initiative, users):
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              added_by=users["manager"])
    for who in ("contributor", "manager", "admin"):
        actions.create_risk(users["manager"], initiative, title=f"Owned by {who}",
                            likelihood=2, impact=2, owner=users[who])
    for who in ("partner", "evaluator", "leader", "auditor"):
        with pytest.raises(ValidationError) as caught:
            actions.create_risk(users["manager"], initiative, title="x", likelihood=2,
                                impact=2, owner=users[who])
        assert set(caught.value.message_dict) == {"owner"}, who
    assert Risk.objects.count() == 3


def test_heat_map_counts_open_risks_per_cell(initiative, users):
    m = users["manager"]
    for likelihood, impact in ((5, 5), (5, 5), (1, 2)):
        actions.create_risk(m, initiative, title="r", likelihood=likelihood, impact=impact)
    closed = actions.create_risk(m, initiative, title="gone", likelihood=3, impact=3)
    actions.update_risk(m, closed, status="closed")
    grid = heat_map(list(Risk.objects.all()))
    assert [impact for impact, _ in grid] == [5, 4, 3, 2, 1]
    counts = {(c.likelihood, c.impact): c.count for _, cells in grid for c in cells}
    assert len(counts) == 25
    assert counts[(5, 5)] == 2 and counts[(1, 2)] == 1 and counts[(3, 3)] == 0
    assert grid[0][1][4].level == "high" and grid[4][1][0].level == "low"


# --- who and when -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader", "evaluator", "auditor", "partner"])
def test_only_the_team_and_managers_may_work_on_it(role, initiative, users):
    with pytest.raises(PermissionDenied):
        assume(users[role], initiative)
    assert not Assumption.objects.exists()


def test_a_partner_on_the_team_works_on_it(initiative, users):
    TeamMember.objects.create(initiative=initiative, user=users["partner"],
                              role=TeamMember.Role.PARTNER, added_by=users["manager"])
    a = assume(users["partner"], initiative, kind="feasibility")
    experiment = actions.create_experiment(users["partner"], initiative,
                                           hypothesis="Trays seal at 0.2 % failure",
                                           assumptions=[a])
    actions.conclude_experiment(users["partner"], experiment, status="succeeded",
                                learning="They seal.")
    actions.create_risk(users["partner"], initiative, title="Film shortage", likelihood=2,
                        impact=3)
    assert uncertainty(initiative) == 0


def test_a_stopped_initiative_keeps_its_records_but_takes_learnings(initiative, users):
    m = users["manager"]
    a = assume(m, initiative)
    done = actions.create_experiment(m, initiative, hypothesis="It holds", assumptions=[a])
    actions.conclude_experiment(m, done, status="failed", learning="It did not.")
    risk = actions.create_risk(m, initiative, title="Flood", likelihood=2, impact=2)
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    for attempt in (lambda: assume(m, initiative),
                    lambda: actions.update_assumption(m, a, importance=3),
                    lambda: actions.delete_assumption(m, a),
                    lambda: actions.create_experiment(m, initiative, hypothesis="Again"),
                    lambda: actions.update_experiment(m, done, result="Rewritten"),
                    lambda: actions.create_risk(m, initiative, title="x", likelihood=1,
                                                impact=1),
                    lambda: actions.update_risk(m, risk, status="closed"),
                    lambda: actions.delete_risk(m, risk)):
        with pytest.raises(StateConflict) as caught:
            attempt()
        assert caught.value.code == "initiative_closed"
    actions.update_experiment(m, done, learning="Freezer space, not taste, was the barrier.")
    done.refresh_from_db()
    assert done.learning.startswith("Freezer space")
