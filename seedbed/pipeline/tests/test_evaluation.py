"""Evaluation through its actions and selectors: scorecards, conflicts of interest, scoring,
blind review and suggestions by competency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed import policy
from seedbed.accounts.models import Competency, User
from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions as idea_actions
from seedbed.ideas.models import CoAuthor
from seedbed.ideas.selectors import visible_ideas
from seedbed.pipeline.actions import evaluation as actions
from seedbed.pipeline.models import Criterion, Evaluation, Initiative, Score, Scorecard, TeamMember
from seedbed.pipeline.selectors import evaluation as reads

GOOD = {"strategic_fit": 5, "value_potential": 4, "feasibility": 3, "risk": 2, "effort": 1}


def verbs(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def colleague(name: str, role: str = policy.EVALUATOR, org_unit=None) -> User:
    email = name.lower().replace(" ", ".") + "@example.test"
    return User.objects.create_user(email, "x" * 12, full_name=name, role=role,
                                    org_unit=org_unit)


@pytest.fixture
def scorecard(users, challenge) -> Scorecard:
    return actions.create_challenge_scorecard(users["manager"], challenge, standard=True)


def assign(initiative_or_idea, *people, by=None):
    manager = by or User.objects.get(role=policy.MANAGER)
    return actions.assign_evaluators(manager, initiative_or_idea, list(people))


# --- Challenge scorecards ---------------------------------------------------------------------


def test_challenge_scorecard_starts_from_the_standard_criteria(users, challenge):
    card = actions.create_challenge_scorecard(users["manager"], challenge, standard=True,
                                              blind=False)
    assert card.name == "Cut packaging waste scorecard" and card.blind is False
    assert [c.key for c in card.criteria.all()] == [
        "strategic_fit", "value_potential", "feasibility", "risk", "effort"]
    assert card.criteria.get(key="risk").higher_is_better is False
    event = AuditEvent.objects.get(verb="scorecard.created")
    assert event.changes["criteria"]["after"][0] == "strategic_fit"
    with pytest.raises(StateConflict) as exc:
        actions.create_challenge_scorecard(users["manager"], challenge)
    assert exc.value.code == "scorecard_exists"
    with pytest.raises(PermissionDenied):
        actions.create_challenge_scorecard(users["leader"], challenge)


def test_criterion_errors_come_all_at_once_and_nothing_is_stored(users, scorecard):
    before = Criterion.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.add_criterion(users["manager"], scorecard, name="", key="9lives", weight=0,
                              min_score=5, max_score=5)
    assert set(exc.value.message_dict) == {"name", "key", "weight", "max_score"}
    with pytest.raises(ValidationError) as exc:
        actions.add_criterion(users["manager"], scorecard, name="Fit again",
                              key="strategic_fit", weight="1.234", min_score=-500)
    assert set(exc.value.message_dict) == {"key", "weight", "min_score"}
    assert Criterion.objects.count() == before and verbs("criterion.added") == 0
    made = actions.add_criterion(users["manager"], scorecard, name="Customer delight",
                                 weight="1.5", min_score=0, max_score=10)
    assert (made.key, made.weight, made.position) == ("customer_delight", Decimal("1.5"), 5)
    assert verbs("criterion.added") == 1


def test_a_template_scorecard_is_edited_with_its_template_only(users, templates):
    card = templates["product"].current.scorecard
    with pytest.raises(StateConflict) as exc:
        actions.add_criterion(users["manager"], card, name="Novelty")
    assert exc.value.code == "template_scorecard"
    with pytest.raises(StateConflict):
        actions.update_criterion(users["manager"], card.criteria.first(), weight=9)


def test_scored_criteria_keep_their_range_but_weights_rescore(users, scorecard, idea):
    evaluation, = assign(idea, users["evaluator"])
    actions.submit_evaluation(users["evaluator"], evaluation, scores=GOOD)
    evaluation.refresh_from_db()
    # (1×3 + .75×3 + .5×2 + .75×2 + 1×1) / 11 = 8.75 / 11
    assert evaluation.weighted == Decimal("79.55")
    risk = scorecard.criteria.get(key="risk")
    for change in ({"max_score": 10}, {"higher_is_better": True}):
        with pytest.raises(StateConflict) as exc:
            actions.update_criterion(users["manager"], risk, **change)
        assert exc.value.code == "criterion_scored"
    with pytest.raises(StateConflict):
        actions.remove_criterion(users["manager"], risk)
    with pytest.raises(StateConflict) as exc:
        actions.add_criterion(users["manager"], scorecard, name="Late idea")
    assert exc.value.code == "scorecard_in_use"
    actions.update_criterion(users["manager"], risk, weight=Decimal("7"), name="Risk level")
    evaluation.refresh_from_db()
    # risk now weighs 7: (3 + 2.25 + 1 + .75×7 + 1) / 16 = 12.5 / 16
    assert evaluation.weighted == Decimal("78.13")
    event = AuditEvent.objects.get(verb="criterion.updated")
    assert event.changes["rescored_evaluations"]["after"] == 1
    assert set(event.changes) == {"weight", "name", "rescored_evaluations"}


def test_an_unscored_criterion_is_removed_with_an_audit_event(users, scorecard):
    effort = scorecard.criteria.get(key="effort")
    actions.remove_criterion(users["manager"], effort)
    assert not Criterion.objects.filter(pk=effort.pk).exists()
    event = AuditEvent.objects.get(verb="criterion.removed")
    assert event.changes["key"] == {"before": "effort", "after": None}


# --- Conflict of interest ---------------------------------------------------------------------


def test_author_team_member_and_lead_are_never_assigned(users, initiative):
    # The contributor wrote the idea and is on the team; the manager leads.
    member = colleague("Tess Team")
    TeamMember.objects.create(initiative=initiative, user=member, added_by=users["manager"])
    for person, reason in ((users["contributor"], "on the initiative's team"),
                           (member, "on the initiative's team"),
                           (users["manager"], "leads the initiative")):
        with pytest.raises(ValidationError) as exc:
            assign(initiative, person, users["evaluator"], by=users["admin"])
        message = exc.value.message_dict["evaluator_ids"][0]
        assert "cannot evaluate their own work" in message and reason in message
    assert not Evaluation.objects.exists() and verbs("evaluation.assigned") == 0
    assert reads.conflicts_of(initiative)[users["contributor"].pk] == "on the initiative's team"


def test_authors_of_linked_and_merged_ideas_are_conflicted(users, initiative, idea, challenge):
    co = colleague("Cora Author", role=policy.CONTRIBUTOR)
    CoAuthor.objects.create(idea=idea, user=co, status=CoAuthor.Status.ACCEPTED,
                            invited_by=users["contributor"])
    merged_author = colleague("Max Merged", role=policy.CONTRIBUTOR)
    other = idea_actions.submit_idea(merged_author, challenge, title="Crates too",
                                     description="Same idea.")
    type(other).objects.filter(pk=other.pk).update(merged_into=idea, status="merged")
    conflicts = reads.conflicts_of(initiative)
    assert conflicts[co.pk] == "co-author of the idea"
    assert conflicts[merged_author.pk] == "author of the idea"
    with pytest.raises(ValidationError):
        assign(initiative, co)


def test_idea_author_cannot_be_assigned_to_their_idea(users, scorecard, idea):
    with pytest.raises(ValidationError) as exc:
        assign(idea, users["contributor"])
    assert "author of the idea" in exc.value.message_dict["evaluator_ids"][0]


def _join_team(initiative, person, idea) -> None:
    TeamMember.objects.create(initiative=initiative, user=person,
                              added_by=initiative.lead)


def _take_the_lead(initiative, person, idea) -> None:
    Initiative.objects.filter(pk=initiative.pk).update(lead=person)


def _co_author(initiative, person, idea) -> None:
    CoAuthor.objects.create(idea=idea, user=person, invited_by=idea.author)


@pytest.mark.parametrize("becomes", [_join_team, _take_the_lead, _co_author])
def test_someone_conflicted_after_assignment_cannot_submit(users, initiative, idea, becomes):
    evaluation, = assign(initiative, users["evaluator"])
    becomes(initiative, users["evaluator"], idea)
    with pytest.raises(ValidationError) as exc:
        actions.submit_evaluation(users["evaluator"], evaluation, scores=GOOD)
    assert exc.value.messages == [actions.COI_MESSAGE]
    assert not Score.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.ASSIGNED


# --- Assigning --------------------------------------------------------------------------------


def test_assigning_to_an_idea_opens_a_confidential_idea_to_the_evaluator(users, scorecard,
                                                                         idea):
    type(idea).objects.filter(pk=idea.pk).update(confidential=True)
    scorer = colleague("Ian Inspector", role=policy.CONTRIBUTOR,
                       org_unit=users["contributor"].org_unit)
    assert not visible_ideas(scorer).filter(pk=idea.pk).exists()
    made = assign(idea, scorer, users["evaluator"])
    assert {e.evaluator_id for e in made} == {scorer.pk, users["evaluator"].pk}
    assert all(e.scorecard_id == scorecard.pk and e.stage_id is None for e in made)
    assert set(idea.evaluators.values_list("pk", flat=True)) == {scorer.pk,
                                                                  users["evaluator"].pk}
    assert visible_ideas(scorer).filter(pk=idea.pk).exists()
    event = AuditEvent.objects.get(verb="evaluation.assigned")
    assert sorted(event.changes["idea_evaluators"]["after"]) == sorted(
        [scorer.pk, users["evaluator"].pk])
    with pytest.raises(ValidationError) as exc:
        assign(idea, scorer)
    assert "already assigned" in exc.value.message_dict["evaluator_ids"][0]


def test_assigning_needs_a_scorecard_an_employee_and_an_open_subject(users, idea, initiative):
    with pytest.raises(StateConflict) as exc:
        assign(idea, users["evaluator"])
    assert exc.value.code == "no_scorecard"
    with pytest.raises(ValidationError) as exc:
        assign(initiative, users["partner"], users["auditor"])
    assert len(exc.value.message_dict["evaluator_ids"]) == 2
    Initiative.objects.filter(pk=initiative.pk).update(status=Initiative.Status.STOPPED)
    with pytest.raises(StateConflict) as exc:
        assign(initiative, users["evaluator"])
    assert exc.value.code == "initiative_closed"
    with pytest.raises(PermissionDenied):
        actions.assign_evaluators(users["leader"], idea, [users["evaluator"]])


def test_withdraw_only_what_was_not_acted_on(users, scorecard, idea):
    first, second = assign(idea, users["evaluator"], users["leader"])
    actions.withdraw_evaluator(users["manager"], first)
    assert not Evaluation.objects.filter(pk=first.pk).exists()
    assert list(idea.evaluators.all()) == [users["leader"]]
    assert verbs("evaluation.withdrawn") == 1
    actions.declare_conflict(users["leader"], second, note="My brother supplies crates.")
    with pytest.raises(StateConflict) as exc:
        actions.withdraw_evaluator(users["manager"], second)
    assert exc.value.code == "evaluation_closed"


# --- Scoring ----------------------------------------------------------------------------------


def test_submission_is_weighted_final_and_refreshes_the_initiative_score(users, initiative):
    first, second = assign(initiative, users["evaluator"], users["leader"])
    done = actions.submit_evaluation(users["evaluator"], first, scores=GOOD,
                                     notes={"risk": "Retailer pilots exist."},
                                     comment="Worth validating.")
    assert done.status == Evaluation.Status.SUBMITTED and done.submitted_at is not None
    assert done.weighted == Decimal("79.55")
    assert Score.objects.get(evaluation=done, criterion__key="risk").note == \
        "Retailer pilots exist."
    initiative.refresh_from_db()
    assert initiative.score == Decimal("79.55")
    # (.5×3 + .5×3 + .25×2 + .25×2 + .5×1) / 11 = 40.91
    middling = {"strategic_fit": 3, "value_potential": 3, "feasibility": 2, "risk": 4,
                "effort": 3}
    assert actions.submit_evaluation(users["leader"], second, scores=middling).weighted == \
        Decimal("40.91")
    initiative.refresh_from_db()
    assert initiative.score == Decimal("60.23")  # (79.55 + 40.91) / 2
    event = AuditEvent.objects.filter(verb="evaluation.submitted").order_by("seq").first()
    assert event.changes["scores"]["after"] == GOOD
    assert event.changes["initiative_score"]["after"] == "79.55"
    with pytest.raises(StateConflict) as exc:
        actions.submit_evaluation(users["evaluator"], first, scores=GOOD)
    assert exc.value.code == "already_submitted"
    assert Score.objects.filter(evaluation=first).count() == 5


@pytest.mark.parametrize("scores, field", [
    ({**GOOD, "feasibility": 6}, "scores.feasibility"),
    ({**GOOD, "risk": 0}, "scores.risk"),
    ({k: v for k, v in GOOD.items() if k != "effort"}, "scores.effort"),
    ({**GOOD, "effort": None}, "scores.effort"),
    ({**GOOD, "effort": "three"}, "scores.effort"),
    ({**GOOD, "effort": True}, "scores.effort"),
    ({**GOOD, "novelty": 3}, "scores"),
])
def test_bad_scores_store_nothing(users, initiative, scores, field):
    evaluation, = assign(initiative, users["evaluator"])
    with pytest.raises(ValidationError) as exc:
        actions.submit_evaluation(users["evaluator"], evaluation, scores=scores,
                                  notes={"risk": "x" * 501})
    assert field in exc.value.message_dict and "notes.risk" in exc.value.message_dict
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.ASSIGNED and evaluation.weighted is None
    assert not Score.objects.exists() and verbs("evaluation.submitted") == 0
    initiative.refresh_from_db()
    assert initiative.score is None


def test_only_the_assigned_evaluator_scores(users, initiative):
    evaluation, = assign(initiative, users["evaluator"])
    with pytest.raises(PermissionDenied):
        actions.submit_evaluation(users["leader"], evaluation, scores=GOOD)
    with pytest.raises(PermissionDenied):
        actions.declare_conflict(users["leader"], evaluation, note="Not mine")


def test_a_declared_conflict_is_recorded_instead_of_scores(users, initiative):
    evaluation, = assign(initiative, users["evaluator"])
    with pytest.raises(ValidationError) as exc:
        actions.declare_conflict(users["evaluator"], evaluation, note="  ")
    assert "note" in exc.value.message_dict
    actions.declare_conflict(users["evaluator"], evaluation,
                             note="I advise the crate supplier.")
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.CONFLICT
    assert evaluation.conflict_note == "I advise the crate supplier."
    event = AuditEvent.objects.get(verb="evaluation.conflict_declared")
    assert event.changes["status"] == {"before": "assigned", "after": "conflict"}
    with pytest.raises(StateConflict) as exc:
        actions.submit_evaluation(users["evaluator"], evaluation, scores=GOOD)
    assert exc.value.code == "conflict_declared"


def test_an_evaluation_from_a_passed_stage_can_no_longer_be_submitted(users, initiative):
    evaluation, = assign(initiative, users["evaluator"])
    later = initiative.version.stages.get(key="validate")
    Initiative.objects.filter(pk=initiative.pk).update(stage=later)
    with pytest.raises(StateConflict) as exc:
        actions.submit_evaluation(users["evaluator"], evaluation, scores=GOOD)
    assert exc.value.code == "stage_passed"
    # A new round of evaluation at the new stage is possible for the same person.
    initiative.refresh_from_db()
    again, = assign(initiative, users["evaluator"])
    assert again.stage_id == later.pk


# --- Blind review -----------------------------------------------------------------------------


def test_blind_review_hides_scores_until_one_has_submitted(users, initiative):
    mine, theirs = assign(initiative, users["evaluator"], users["leader"])
    actions.submit_evaluation(users["leader"], theirs, scores=GOOD)
    stages = list(initiative.version.stages.all())

    waiting = reads.board_for(users["evaluator"], initiative, stages=stages)
    assert waiting.pending == mine
    assert not waiting.rights.scores and not waiting.rights.individual
    assert waiting.aggregate is None and waiting.visible_evaluations == []
    assert "blind review" in waiting.rights.reason

    manager = reads.board_for(users["manager"], initiative, stages=stages)
    assert manager.rights.individual and manager.aggregate.n == 1
    assert len(manager.visible_evaluations) == 2

    team = reads.board_for(users["contributor"], initiative, stages=stages)
    assert team.rights.scores and not team.rights.individual
    assert team.aggregate.mean == pytest.approx(79.55) and team.visible_evaluations == []

    actions.submit_evaluation(users["evaluator"], mine, scores=GOOD)
    done = reads.board_for(users["evaluator"], initiative, stages=stages)
    assert done.rights.individual and done.aggregate.n == 2
    assert done.aggregate.rwg == 1.0 and done.aggregate.agreement == "high"


def test_an_assigned_manager_is_blind_too_and_open_review_shows_the_aggregate(users, idea,
                                                                               scorecard):
    manager_eval, evaluator_eval = assign(idea, users["admin"], users["evaluator"])
    actions.submit_evaluation(users["evaluator"], evaluator_eval, scores=GOOD)
    assert reads.board_for(users["admin"], idea).aggregate is None
    actions.update_scorecard(users["manager"], scorecard, blind=False)
    open_board = reads.board_for(users["admin"], idea)
    assert open_board.rights.individual and open_board.aggregate.n == 1
    assert open_board.pending == manager_eval


# --- Suggestions by competency ----------------------------------------------------------------


def test_suggestions_rank_by_matching_competencies_without_the_conflicted(users, initiative,
                                                                          org):
    packaging = Competency.objects.create(name="Packaging engineering")
    logistics = Competency.objects.create(name="Reverse logistics")
    both = colleague("Bea Both", org_unit=org["sales"])
    one = colleague("Ann One", role=policy.CONTRIBUTOR)
    gone = colleague("Gus Gone")
    gone.is_active = False
    gone.save()
    for person in (both, users["contributor"], users["partner"], gone):
        person.competencies.add(packaging, logistics)
    one.competencies.add(logistics)
    users["evaluator"].competencies.add(packaging)
    assign(initiative, users["evaluator"])
    found = reads.suggest_evaluators(initiative, [packaging, logistics],
                                     exclude=[users["evaluator"].pk])
    # The contributor is on the team, the partner is no employee, Gus has left, the evaluator
    # is already assigned.
    assert [(p.full_name, p.match_count) for p in found] == [("Bea Both", 2), ("Ann One", 1)]
    assert [c.name for c in found[0].matched] == ["Packaging engineering", "Reverse logistics"]
    assert reads.suggest_evaluators(initiative, []) == []
