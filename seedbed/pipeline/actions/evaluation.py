"""Evaluation (clause 8.3.4): challenge scorecards and their criteria, assigning evaluators,
conflicts of interest, and scoring.

Rules the issue leaves to us (see docs/pipeline.md):
- A challenge's scorecard is edited here; a template version's scorecard only with its
  template (a published version never changes, so running initiatives keep their criteria).
- Once an evaluation on a scorecard has been submitted its set of criteria, their ranges and
  directions are fixed (a new criterion would leave earlier sheets incomplete, a new range or
  direction would change what a given score meant). Names, descriptions, order and weights may
  still change; a new weight re-computes the submitted evaluations' weighted scores.
- Conflict of interest is checked on assignment and again on submission (a person may join
  the team after being assigned): the authors and co-authors of the ideas behind the subject,
  an initiative's lead and team, never evaluate it.
- A submission is final. An assigned evaluator may instead declare a conflict, with a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Challenge, Idea
from seedbed.ideas.selectors import visible_ideas
from seedbed.lib.validation import clean_text
from seedbed.pipeline.actions._criteria import clean_criterion
from seedbed.pipeline.actions._derived import refresh_score
from seedbed.pipeline.models import Criterion, Evaluation, Initiative, Score, Scorecard
from seedbed.pipeline.seeds import STANDARD_CRITERIA
from seedbed.pipeline.selectors import evaluation as reads

SCORECARD_FIELDS = ("challenge", "name", "blind")
CRITERION_FIELDS = ("scorecard", "key", "name", "description", "weight", "min_score",
                    "max_score", "higher_is_better", "position")
MAX_CRITERIA = 20
MAX_EVALUATORS = 12
COI_MESSAGE = "You cannot evaluate your own work."
# Ideas still being weighed; drafts, merged, declined or implemented ones are not evaluated.
EVALUABLE_IDEAS = (Idea.Status.SUBMITTED, Idea.Status.UNDER_REVIEW, Idea.Status.SELECTED,
                   Idea.Status.PARKED)


def _require_manager(actor) -> None:
    if not policy.can(actor, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers do this.")


# --- Challenge scorecards ---------------------------------------------------------------------


def _challenge_scorecard(scorecard: Scorecard) -> Scorecard:
    """The scorecard, locked; refused when it belongs to a template version."""
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if scorecard.challenge_id is None:
        raise StateConflict("A template's scorecard is edited with its template.",
                            "template_scorecard")
    return scorecard


@transaction.atomic
def create_challenge_scorecard(actor, challenge: Challenge, *, name: str = "",
                               blind: bool = True, standard: bool = False) -> Scorecard:
    """The scorecard the challenge's ideas are evaluated on; ``standard`` starts it with the
    standard criteria (strategic fit, value potential, feasibility, risk, effort)."""
    _require_manager(actor)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    errors: dict[str, str] = {}
    name = clean_text(name or f"{challenge.title} scorecard"[:120], "name", max_length=120,
                      errors=errors, required=True)
    if errors:
        raise ValidationError(errors)
    if Scorecard.objects.filter(challenge=challenge).exists():
        raise StateConflict("This challenge already has a scorecard.", "scorecard_exists")
    scorecard = Scorecard.objects.create(challenge=challenge, name=name, blind=bool(blind))
    changes = audit.created(scorecard, SCORECARD_FIELDS)
    if standard:
        Criterion.objects.bulk_create([
            Criterion(scorecard=scorecard, key=key, name=c_name, description=text, weight=weight,
                      min_score=1, max_score=5, higher_is_better=better, position=position)
            for position, (key, c_name, text, weight, better) in enumerate(STANDARD_CRITERIA)])
        changes["criteria"] = {"before": None, "after": [c[0] for c in STANDARD_CRITERIA]}
    audit.record(actor, "scorecard.created", scorecard, changes)
    return scorecard


@transaction.atomic
def update_scorecard(actor, scorecard: Scorecard, *, name: str | None = None,
                     blind: bool | None = None) -> Scorecard:
    _require_manager(actor)
    scorecard = _challenge_scorecard(scorecard)
    before = audit.snapshot(scorecard, SCORECARD_FIELDS)
    errors: dict[str, str] = {}
    if name is not None:
        scorecard.name = clean_text(name, "name", max_length=120, errors=errors, required=True)
    if errors:
        raise ValidationError(errors)
    if blind is not None:
        scorecard.blind = bool(blind)
    scorecard.save(update_fields=["name", "blind"])
    changes = audit.diff(before, audit.snapshot(scorecard, SCORECARD_FIELDS))
    if changes:
        audit.record(actor, "scorecard.updated", scorecard, changes)
    return scorecard


def _as_int(value: Any, field: str, errors: dict[str, str], *, low: int, high: int,
            message: str) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        errors.setdefault(field, message)
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.setdefault(field, "Give a whole number.")
        return None
    if not low <= number <= high:
        errors.setdefault(field, message)
        return None
    return number


@transaction.atomic
def add_criterion(actor, scorecard: Scorecard, *, name: str, key: str = "",
                  description: str = "", weight: Any = 1, min_score: Any = 1,
                  max_score: Any = 5, higher_is_better: bool = True,
                  position: Any = None) -> Criterion:
    _require_manager(actor)
    scorecard = _challenge_scorecard(scorecard)
    if reads.has_scores(scorecard):
        raise StateConflict("Evaluations have been submitted on this scorecard: its criteria "
                            "can no longer be added to.", "scorecard_in_use")
    existing = Criterion.objects.filter(scorecard=scorecard)
    if existing.count() >= MAX_CRITERIA:
        raise ValidationError({"__all__": f"A scorecard has at most {MAX_CRITERIA} criteria."})
    if position in (None, ""):
        position = (existing.aggregate(n=Max("position"))["n"] or 0) + 1
    clean = clean_criterion(
        {"name": name, "key": key, "description": description, "weight": weight,
         "min_score": min_score, "max_score": max_score, "higher_is_better": higher_is_better,
         "position": position}, scorecard=scorecard, instance=None)
    criterion = Criterion.objects.create(scorecard=scorecard, **clean)
    audit.record(actor, "criterion.added", criterion,
                 audit.created(criterion, CRITERION_FIELDS))
    return criterion


def _rescore(scorecard: Scorecard) -> int:
    """Re-compute the weighted score of the scorecard's submitted evaluations (after a weight
    changed). Challenge scorecards only: their subjects are ideas, with no denormalised score."""
    criteria = list(Criterion.objects.filter(scorecard=scorecard))
    evaluations = list(Evaluation.objects.filter(scorecard=scorecard,
                                                 status=Evaluation.Status.SUBMITTED)
                       .prefetch_related("scores"))
    for evaluation in evaluations:
        evaluation.weighted = reads.weighted_score(criteria, reads.sheet_of(evaluation))
    Evaluation.objects.bulk_update(evaluations, ["weighted"])
    return len(evaluations)


@transaction.atomic
def update_criterion(actor, criterion: Criterion, **changes) -> Criterion:
    """Change a criterion. Its range and direction are fixed once it has been scored."""
    _require_manager(actor)
    scorecard = _challenge_scorecard(criterion.scorecard)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    before = audit.snapshot(criterion, CRITERION_FIELDS)
    merged = {name: changes[name] if changes.get(name) is not None else getattr(criterion, name)
              for name in ("key", "name", "description", "weight", "min_score", "max_score",
                           "higher_is_better", "position")}
    clean = clean_criterion(merged, scorecard=scorecard, instance=criterion)
    fixed = ("min_score", "max_score", "higher_is_better")
    if any(clean[name] != getattr(criterion, name) for name in fixed) \
            and Score.objects.filter(criterion=criterion).exists():
        raise StateConflict("Scores have been given on this criterion: its range and direction "
                            "can no longer change.", "criterion_scored")
    for name, value in clean.items():
        setattr(criterion, name, value)
    criterion.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(criterion, CRITERION_FIELDS))
    if "weight" in change_set:
        rescored = _rescore(scorecard)
        if rescored:
            change_set["rescored_evaluations"] = {"before": None, "after": rescored}
    if change_set:
        audit.record(actor, "criterion.updated", criterion, change_set)
    return criterion


@transaction.atomic
def remove_criterion(actor, criterion: Criterion) -> None:
    _require_manager(actor)
    _challenge_scorecard(criterion.scorecard)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    if Score.objects.filter(criterion=criterion).exists():
        raise StateConflict("Scores have been given on this criterion: it stays.",
                            "criterion_scored")
    audit.record(actor, "criterion.removed", criterion,
                 audit.diff(audit.snapshot(criterion, CRITERION_FIELDS), {}))
    criterion.delete()


# --- Assigning evaluators ---------------------------------------------------------------------


def _lock_subject(subject: Initiative | Idea) -> Initiative | Idea:
    if isinstance(subject, Initiative):
        initiative = Initiative.objects.select_for_update().get(pk=subject.pk)
        if not initiative.is_open:
            raise StateConflict(f"This initiative is {initiative.get_status_display().lower()}: "
                                "it is no longer evaluated.", "initiative_closed")
        return initiative
    idea = Idea.objects.select_for_update().get(pk=subject.pk)
    if idea.status not in EVALUABLE_IDEAS:
        raise StateConflict(f"This idea is {idea.get_status_display().lower()}: it is not "
                            "evaluated.", "idea_not_open")
    return idea


def _usable_scorecard(subject: Initiative | Idea) -> Scorecard:
    scorecard = reads.scorecard_for(subject)
    if scorecard is None:
        raise StateConflict("This idea's challenge has no scorecard yet: create one first.",
                            "no_scorecard")
    if not scorecard.criteria.all():
        raise StateConflict("This scorecard has no criteria yet: add some first.",
                            "no_criteria")
    return scorecard


def _assigned(subject: Initiative | Idea):
    if isinstance(subject, Initiative):
        return Evaluation.objects.filter(initiative_id=subject.pk, stage_id=subject.stage_id)
    return Evaluation.objects.filter(idea_id=subject.pk)


@transaction.atomic
def assign_evaluators(actor, subject: Initiative | Idea, people: Sequence) -> list[Evaluation]:
    """Ask ``people`` to evaluate an initiative (at its current stage) or an idea. Assigned to
    an idea, they also join its evaluators, so a confidential idea opens to them."""
    _require_manager(actor)
    subject = _lock_subject(subject)
    scorecard = _usable_scorecard(subject)
    unique = list({person.pk: person for person in people}.values())
    if not unique:
        raise ValidationError({"evaluator_ids": "Choose at least one person."})
    conflicts = reads.conflicts_of(subject)
    already = set(_assigned(subject).values_list("evaluator_id", flat=True))
    problems = []
    for person in unique:
        if policy.role_of(person) not in policy.EMPLOYEES:
            problems.append(f"{person.full_name} cannot evaluate: only active employees do.")
        elif person.pk in conflicts:
            problems.append(f"{person.full_name} ({conflicts[person.pk]}) cannot evaluate "
                            "their own work.")
        elif person.pk in already:
            problems.append(f"{person.full_name} is already assigned.")
    if len(already) + len(unique) > MAX_EVALUATORS:
        problems.append(f"At most {MAX_EVALUATORS} evaluators per review.")
    if problems:
        raise ValidationError({"evaluator_ids": problems})
    now = timezone.now()
    is_initiative = isinstance(subject, Initiative)
    made = [Evaluation.objects.create(
        scorecard=scorecard, initiative=subject if is_initiative else None,
        idea=None if is_initiative else subject,
        stage_id=subject.stage_id if is_initiative else None, evaluator=person,
        assigned_by=actor, assigned_at=now) for person in unique]
    changes = {"evaluators": {"before": sorted(already),
                              "after": sorted(already | {p.pk for p in unique})}}
    if is_initiative:
        changes["stage"] = {"before": None, "after": subject.stage_id}
    else:
        changes["idea_evaluators"] = _open_idea_to(subject, unique)
    audit.record(actor, "evaluation.assigned", subject, changes)
    return made


def _open_idea_to(idea: Idea, people: Sequence) -> dict:
    """Add the people to the idea's evaluators and check each may now open it (an idea in a
    challenge for other units stays closed to them: refused, and nothing is kept)."""
    before = audit.snapshot(idea, ("evaluators",))["evaluators"]
    idea.evaluators.add(*people)
    blocked = [p.full_name for p in people if not visible_ideas(p).filter(pk=idea.pk).exists()]
    if blocked:
        raise ValidationError({"evaluator_ids": [
            f"{name} cannot see this idea (its challenge is for other units)."
            for name in blocked]})
    return {"before": before, "after": audit.snapshot(idea, ("evaluators",))["evaluators"]}


@transaction.atomic
def withdraw_evaluator(actor, evaluation: Evaluation) -> None:
    """Take back an assignment nobody has acted on yet; submitted evaluations and declared
    conflicts are part of the record and stay."""
    _require_manager(actor)
    evaluation = Evaluation.objects.select_for_update(of=("self",)).select_related(
        "idea").get(pk=evaluation.pk)
    if evaluation.status != Evaluation.Status.ASSIGNED:
        raise StateConflict("This evaluation was submitted or a conflict declared: it stays on "
                            "the record.", "evaluation_closed")
    changes: dict[str, Any] = {"evaluator": {"before": evaluation.evaluator_id, "after": None}}
    if evaluation.idea_id:
        idea = evaluation.idea
        before = audit.snapshot(idea, ("evaluators",))
        idea.evaluators.remove(evaluation.evaluator_id)
        changes.update(audit.diff(before, audit.snapshot(idea, ("evaluators",))))
    audit.record(actor, "evaluation.withdrawn", evaluation, changes)
    evaluation.delete()


# --- Evaluating -------------------------------------------------------------------------------


def _own_open_evaluation(actor, evaluation: Evaluation) -> Evaluation:
    """The evaluation, locked, when ``actor`` is its evaluator and it still waits for them. An
    initiative's row is locked first, so concurrent submissions refresh its score in turn."""
    if not policy.can(actor, "pipeline.evaluate"):
        raise PermissionDenied("Your role does not evaluate.")
    if evaluation.initiative_id:
        Initiative.objects.select_for_update().filter(pk=evaluation.initiative_id).first()
    evaluation = (Evaluation.objects.select_for_update(of=("self",))
                  .select_related("initiative", "idea", "scorecard").get(pk=evaluation.pk))
    if evaluation.evaluator_id != actor.pk:
        raise PermissionDenied("Only the assigned evaluator does this.")
    if evaluation.status == Evaluation.Status.SUBMITTED:
        raise StateConflict("You have already submitted this evaluation; a submission is "
                            "final.", "already_submitted")
    if evaluation.status == Evaluation.Status.CONFLICT:
        raise StateConflict("You declared a conflict of interest on this evaluation.",
                            "conflict_declared")
    if evaluation.initiative_id:
        initiative = evaluation.initiative
        if not initiative.is_open:
            raise StateConflict("This initiative is no longer evaluated.", "initiative_closed")
        if initiative.stage_id != evaluation.stage_id:
            raise StateConflict("The initiative has moved past the stage this evaluation was "
                                "for.", "stage_passed")
    elif evaluation.idea.status in (Idea.Status.MERGED, Idea.Status.DRAFT):
        raise StateConflict("This idea was merged into another.", "idea_merged")
    return evaluation


@transaction.atomic
def declare_conflict(actor, evaluation: Evaluation, *, note: str) -> Evaluation:
    """The evaluator says they should not judge this (a personal or business interest)."""
    evaluation = _own_open_evaluation(actor, evaluation)
    errors: dict[str, str] = {}
    note = clean_text(note, "note", max_length=500, errors=errors, required=True)
    if errors:
        raise ValidationError(errors)
    evaluation.status = Evaluation.Status.CONFLICT
    evaluation.conflict_note = note
    evaluation.save(update_fields=["status", "conflict_note"])
    audit.record(actor, "evaluation.conflict_declared", evaluation,
                 {"status": {"before": Evaluation.Status.ASSIGNED, "after": evaluation.status},
                  "conflict_note": {"before": "", "after": note}})
    return evaluation


def _clean_sheet(criteria: Sequence[Criterion], scores: Mapping[str, Any],
                 notes: Mapping[str, Any], errors: dict[str, str]) -> tuple[dict, dict]:
    """Scores by criterion id and notes by criterion id; a problem per field in ``errors``
    (``scores.<key>``, ``notes.<key>``)."""
    values: dict[int, int] = {}
    kept: dict[int, str] = {}
    keys = {c.key for c in criteria}
    unknown = sorted(str(k) for k in [*scores, *notes] if k not in keys)
    if unknown:
        errors["scores"] = f"No such criteria on this scorecard: {', '.join(unknown)}."
    for criterion in criteria:
        field = f"scores.{criterion.key}"
        message = (f"Give {criterion.name} a whole number from {criterion.min_score} to "
                   f"{criterion.max_score}.")
        value = _as_int(scores.get(criterion.key), field, errors, low=criterion.min_score,
                        high=criterion.max_score, message=message)
        if value is not None:
            values[criterion.pk] = value
        kept[criterion.pk] = clean_text(notes.get(criterion.key) or "",
                                        f"notes.{criterion.key}", max_length=500, errors=errors)
    return values, kept


@transaction.atomic
def submit_evaluation(actor, evaluation: Evaluation, *, scores: Mapping[str, Any],
                      notes: Mapping[str, Any] | None = None,
                      comment: str = "") -> Evaluation:
    """Score every criterion of the scorecard (``scores``: criterion key → score), with an
    optional note per criterion and a comment. Final: a second submission is refused."""
    evaluation = _own_open_evaluation(actor, evaluation)
    subject = evaluation.initiative or evaluation.idea
    if actor.pk in reads.conflicts_of(subject):
        raise ValidationError({"__all__": COI_MESSAGE})
    criteria = list(Criterion.objects.filter(scorecard_id=evaluation.scorecard_id))
    if not criteria:
        raise StateConflict("This scorecard has no criteria yet.", "no_criteria")
    errors: dict[str, str] = {}
    if not isinstance(scores, Mapping) or not isinstance(notes or {}, Mapping):
        raise ValidationError({"scores": "Give the scores by criterion key."})
    values, kept = _clean_sheet(criteria, scores, notes or {}, errors)
    comment = clean_text(comment, "comment", max_length=5000, errors=errors)
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_create([
        Score(evaluation=evaluation, criterion=c, value=values[c.pk], note=kept[c.pk])
        for c in criteria])
    evaluation.weighted = reads.weighted_score(criteria, values)
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.comment = comment
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["weighted", "status", "comment", "submitted_at"])
    changes = {"status": {"before": Evaluation.Status.ASSIGNED, "after": evaluation.status},
               "scores": {"before": None, "after": {c.key: values[c.pk] for c in criteria}},
               "weighted": {"before": None, "after": evaluation.weighted}}
    if comment:
        changes["comment"] = {"before": "", "after": comment}
    if evaluation.initiative_id:
        initiative = evaluation.initiative
        score_before = initiative.score
        refresh_score(initiative)
        changes["initiative_score"] = {"before": score_before, "after": initiative.score}
    audit.record(actor, "evaluation.submitted", evaluation, changes)
    return evaluation
