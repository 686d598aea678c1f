"""Evaluation reads (clause 8.3.4): scorecards, who is conflicted, suggested evaluators, what a
viewer may see of the scores under blind review, aggregation and side-by-side comparison.

The statistics at the top are pure functions (no database): they take criteria and score
sheets and are unit-tested with known numbers.

Agreement between evaluators is the r_wg within-group agreement index (James, Demaree & Wolf,
1984): for one subject rated by several evaluators on an A-point scale,
``r_wg = 1 - s² / σ²_EU`` where s² is the observed (sample) variance of their ratings and
``σ²_EU = (A² - 1) / 12`` the variance the ratings would have if every point of the scale were
equally likely (no agreement at all). It is clipped to [0, 1]. It suits our case: one subject,
a handful of raters, ordinal points. Kendall's W and the intra-class correlation need several
subjects rated by the same raters, which a single idea or initiative does not have.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import Competency
from seedbed.ideas.models import Challenge, CoAuthor, Idea
from seedbed.ideas.selectors import get_challenge_for_user, get_idea_for_user, visible_ideas
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline import selectors
from seedbed.pipeline.models import (
    Criterion,
    Evaluation,
    Initiative,
    Score,
    Scorecard,
    Stage,
    TeamMember,
)

AGREEMENT_HIGH = 0.7
AGREEMENT_MODERATE = 0.5
# Roles that see every submitted evaluation with its evaluator's name, unless they are waiting
# to submit their own on a blind scorecard. Auditors read it as evidence.
SEE_SCORES = frozenset({policy.ADMIN, policy.MANAGER, policy.LEADER, policy.AUDITOR})
COMPARE_MIN, COMPARE_MAX = 2, 6
SUGGESTIONS = 20

BLIND_REASON = ("This is a blind review: the other evaluators' scores and the aggregate stay "
                "hidden from you until you have submitted your own.")
INDIVIDUAL_REASON = ("Each evaluator's own scores are shown to innovation managers, leaders, "
                     "auditors and the evaluators who have submitted; you see the aggregate.")


# --- Statistics (pure) ------------------------------------------------------------------------


def normalised(value: float, low: int, high: int, higher_is_better: bool = True) -> float:
    """A score on [low, high] as 0-1, turned round for criteria where a high score is bad."""
    share = (value - low) / (high - low)
    return share if higher_is_better else 1 - share


def weighted_score(criteria: Iterable[Criterion], values: Mapping[int, int]) -> Decimal | None:
    """Σ wᵢ·nᵢ / Σ wᵢ × 100 over the criteria scored in ``values`` (criterion id → score), nᵢ
    being the normalised score; None when nothing is scored. Two decimals."""
    total = weights = Decimal(0)
    for criterion in criteria:
        if criterion.pk not in values:
            continue
        weight = Decimal(criterion.weight)
        share = normalised(values[criterion.pk], criterion.min_score, criterion.max_score,
                           criterion.higher_is_better)
        total += weight * Decimal(str(share))
        weights += weight
    if not weights:
        return None
    return (total / weights * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sample_variance(values: Sequence[float]) -> float | None:
    """The variance with n - 1 in the denominator; None below two values."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return sum((v - centre) ** 2 for v in values) / (len(values) - 1)


def standard_deviation(values: Sequence[float]) -> float | None:
    variance = sample_variance(values)
    return math.sqrt(variance) if variance is not None else None


def rwg(values: Sequence[float], low: int, high: int) -> float | None:
    """r_wg for ratings on the integer scale [low, high]; None below two ratings."""
    variance = sample_variance(values)
    if variance is None:
        return None
    points = high - low + 1
    expected = (points * points - 1) / 12
    return min(1.0, max(0.0, 1 - variance / expected))


def agreement_label(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= AGREEMENT_HIGH:
        return "high"
    if value >= AGREEMENT_MODERATE:
        return "moderate"
    return "low"


@dataclass(frozen=True)
class CriterionStats:
    criterion: Criterion
    n: int
    mean: float | None
    sd: float | None
    low: int | None
    high: int | None
    rwg: float | None

    @property
    def agreement(self) -> str:
        return agreement_label(self.rwg)


@dataclass(frozen=True)
class Aggregate:
    """Per criterion and overall. The overall figures are on the 0-100 weighted scale of the
    evaluations; the overall agreement is the mean of the criteria's r_wg."""

    n: int
    criteria: list[CriterionStats]
    mean: float | None
    sd: float | None
    low: float | None
    high: float | None
    rwg: float | None

    @property
    def agreement(self) -> str:
        return agreement_label(self.rwg)

    def for_key(self, key: str) -> CriterionStats | None:
        return next((s for s in self.criteria if s.criterion.key == key), None)


def aggregate(criteria: Sequence[Criterion], sheets: Sequence[Mapping[int, int]]) -> Aggregate:
    """Aggregate the score sheets (criterion id → score, one per submitted evaluation)."""
    stats = []
    for criterion in criteria:
        values = [sheet[criterion.pk] for sheet in sheets if criterion.pk in sheet]
        stats.append(CriterionStats(
            criterion=criterion, n=len(values), mean=mean(values),
            sd=standard_deviation(values), low=min(values, default=None),
            high=max(values, default=None),
            rwg=rwg(values, criterion.min_score, criterion.max_score)))
    overall = [float(w) for w in (weighted_score(criteria, sheet) for sheet in sheets)
               if w is not None]
    agreements = [s.rwg for s in stats if s.rwg is not None]
    return Aggregate(n=len(sheets), criteria=stats, mean=mean(overall),
                     sd=standard_deviation(overall), low=min(overall, default=None),
                     high=max(overall, default=None),
                     rwg=mean(agreements) if len(sheets) >= 2 else None)


# --- Scorecards ---------------------------------------------------------------------------------


def scorecard_for(subject: Initiative | Idea) -> Scorecard | None:
    """The initiative's template-version scorecard, or the idea's challenge scorecard, with its
    criteria (two queries)."""
    qs = Scorecard.objects.prefetch_related("criteria")
    if isinstance(subject, Initiative):
        return qs.filter(version_id=subject.version_id).first()
    if subject.challenge_id is None:
        return None
    return qs.filter(challenge_id=subject.challenge_id).first()


def get_challenge_for_scorecard(user, pk: int) -> Challenge:
    """A challenge whose scorecard this person may edit (those who run the IMS)."""
    if not policy.can(user, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers edit scorecards.")
    return get_challenge_for_user(user, pk)


def challenge_scorecard(challenge: Challenge) -> Scorecard | None:
    return Scorecard.objects.filter(challenge=challenge).prefetch_related("criteria").first()


def has_scores(scorecard: Scorecard) -> bool:
    """Whether any evaluation on this scorecard has been submitted (its criteria are in use)."""
    return Evaluation.objects.filter(scorecard=scorecard,
                                     status=Evaluation.Status.SUBMITTED).exists()


def get_criterion_to_manage(user, pk: int) -> Criterion:
    """A criterion of a challenge scorecard the person may edit. Template-version criteria are
    edited with their template (selectors.templates), never here."""
    criterion = (Criterion.objects.select_related("scorecard__challenge")
                 .filter(pk=pk, scorecard__challenge__isnull=False).first()
                 if is_valid_id(pk) else None)
    if criterion is None:
        raise Http404("No such criterion")
    get_challenge_for_scorecard(user, criterion.scorecard.challenge_id)
    return criterion


# --- Conflict of interest -----------------------------------------------------------------------


def _ideas_behind(subject: Initiative | Idea) -> QuerySet[Idea]:
    """The ideas whose authors an evaluation of ``subject`` would judge: the idea itself, or
    every idea linked to the initiative, and the ideas merged into those."""
    if isinstance(subject, Idea):
        return Idea.objects.filter(Q(pk=subject.pk) | Q(merged_into_id=subject.pk))
    return Idea.objects.filter(Q(initiative_link__initiative_id=subject.pk)
                               | Q(merged_into__initiative_link__initiative_id=subject.pk))


def conflicts_of(subject: Initiative | Idea) -> dict[int, str]:
    """Who may never evaluate ``subject``, by user id, with the reason: the authors and
    co-authors (invited or accepted) of the ideas behind it and, for an initiative, its lead and
    team. Three queries for an initiative, two for an idea."""
    ideas = _ideas_behind(subject)
    reasons: dict[int, str] = {}
    for user_id in CoAuthor.objects.filter(idea__in=ideas.values("pk")).exclude(
            status=CoAuthor.Status.DECLINED).values_list("user_id", flat=True):
        reasons[user_id] = "co-author of the idea"
    for user_id in ideas.values_list("author_id", flat=True):
        reasons[user_id] = "author of the idea"
    if isinstance(subject, Initiative):
        for user_id in TeamMember.objects.filter(initiative_id=subject.pk).values_list(
                "user_id", flat=True):
            reasons[user_id] = "on the initiative's team"
        reasons[subject.lead_id] = "leads the initiative"
    return reasons


# --- Suggested evaluators -----------------------------------------------------------------------


def suggest_evaluators(subject: Initiative | Idea, competencies: Sequence[Competency], *,
                       exclude: Iterable[int] = (), limit: int = SUGGESTIONS) -> list:
    """Active employees holding any of ``competencies``, most matches first (then by name),
    leaving out the conflicted and ``exclude`` (those already assigned). Each person carries
    ``matched`` (the competencies they hold among those asked) and ``match_count``."""
    if not competencies:
        return []
    ids = [c.pk for c in competencies]
    taken = set(conflicts_of(subject)) | set(exclude)
    people = (get_user_model().objects
              .filter(is_active=True, role__in=policy.EMPLOYEES, competencies__in=ids)
              .exclude(pk__in=taken)
              # Counted over the join the filter made: only the competencies asked for.
              .annotate(match_count=Count("competencies", distinct=True))
              .select_related("org_unit")
              .prefetch_related(Prefetch("competencies",
                                         queryset=Competency.objects.filter(pk__in=ids),
                                         to_attr="matched"))
              .order_by("-match_count", "full_name", "id"))
    return [p for p in people[:limit] if policy.role_of(p) is not None]


# --- Evaluations and what a viewer may see of them ----------------------------------------------


def _with_sheet(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return qs.select_related("evaluator", "stage").prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion")
                 .order_by("criterion__position", "criterion_id")))


def evaluations_of(subject: Initiative | Idea) -> list[Evaluation]:
    """Every evaluation of the subject (an initiative's at every stage), with evaluator, stage
    and scores: two queries."""
    if isinstance(subject, Initiative):
        qs = Evaluation.objects.filter(initiative_id=subject.pk)
    else:
        qs = Evaluation.objects.filter(idea_id=subject.pk)
    return list(_with_sheet(qs).order_by("assigned_at", "id"))


def evaluation_with_sheet(pk: int) -> Evaluation:
    """One evaluation with what its API body shows (after an action changed it)."""
    return _with_sheet(Evaluation.objects.filter(pk=pk)).get()


def sheet_of(evaluation: Evaluation) -> dict[int, int]:
    return {score.criterion_id: score.value for score in evaluation.scores.all()}


@dataclass
class Rights:
    """What one viewer may see of one subject's evaluations."""

    mine: Evaluation | None  # the viewer's own evaluation at the shown stage
    scores: bool  # the aggregate
    individual: bool  # each evaluation with its evaluator, scores, notes and comment
    reason: str = ""  # why something is hidden


def rights_for(user, scorecard: Scorecard | None, shown: Sequence[Evaluation],
               pending: Evaluation | None) -> Rights:
    """``shown`` are the evaluations on display; ``pending`` is the viewer's evaluation still
    to submit on the subject's current round, if any. Blind review: while it is pending on a
    blind scorecard the viewer sees nobody's scores, whatever their role."""
    mine = next((e for e in shown if e.evaluator_id == user.pk), None)
    if pending is not None and scorecard is not None and scorecard.blind:
        return Rights(mine, scores=False, individual=False, reason=BLIND_REASON)
    submitted = mine is not None and mine.status == Evaluation.Status.SUBMITTED
    if policy.role_of(user) in SEE_SCORES or submitted:
        return Rights(mine, scores=True, individual=True)
    return Rights(mine, scores=True, individual=False, reason=INDIVIDUAL_REASON)


def _pending(user, subject, evaluations: Sequence[Evaluation]) -> Evaluation | None:
    current = subject.stage_id if isinstance(subject, Initiative) else None
    return next((e for e in evaluations if e.evaluator_id == user.pk
                 and e.status == Evaluation.Status.ASSIGNED and e.stage_id == current), None)


@dataclass
class Board:
    """Everything a subject's evaluation page (and its API twin) shows one viewer."""

    subject: Initiative | Idea
    scorecard: Scorecard | None
    criteria: list[Criterion]
    stage: Stage | None
    stages: list[Stage]  # an initiative's stages that have evaluations (and the current one)
    evaluations: list[Evaluation]  # at the shown stage
    rights: Rights
    aggregate: Aggregate | None
    pending: Evaluation | None  # the viewer's evaluation to submit now
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_current(self) -> bool:
        return not isinstance(self.subject, Initiative) or (
            self.stage is not None and self.stage.pk == self.subject.stage_id)

    @property
    def visible_evaluations(self) -> list[Evaluation]:
        return self.evaluations if self.rights.individual else []


def board_for(user, subject: Initiative | Idea, stage_id: Any = None,
              stages: Sequence[Stage] = ()) -> Board:
    """The evaluation board of ``subject`` as ``user`` may see it. For an initiative,
    ``stage_id`` picks an earlier stage (default: the current one) among ``stages`` (its
    version's stages, which the page's frame has already fetched). Four queries."""
    scorecard = scorecard_for(subject)
    criteria = list(scorecard.criteria.all()) if scorecard else []
    every = evaluations_of(subject)
    stage = None
    shown_stages: list[Stage] = []
    if isinstance(subject, Initiative):
        with_evaluations = {e.stage_id for e in every} | {subject.stage_id}
        shown_stages = [s for s in stages if s.pk in with_evaluations]
        wanted = int(stage_id) if str(stage_id or "").isdigit() else subject.stage_id
        stage = next((s for s in shown_stages if s.pk == wanted), None)
        if stage is None:
            stage = next((s for s in stages if s.pk == subject.stage_id), subject.stage)
        evaluations = [e for e in every if e.stage_id == stage.pk]
    else:
        evaluations = every
    pending = _pending(user, subject, every)
    rights = rights_for(user, scorecard, evaluations, pending)
    submitted = [e for e in evaluations if e.status == Evaluation.Status.SUBMITTED]
    result = aggregate(criteria, [sheet_of(e) for e in submitted]) if rights.scores else None
    counts = {status: sum(1 for e in evaluations if e.status == status)
              for status in Evaluation.Status.values}
    counts["total"] = len(evaluations)
    return Board(subject=subject, scorecard=scorecard, criteria=criteria, stage=stage,
                 stages=shown_stages, evaluations=evaluations, rights=rights,
                 aggregate=result, pending=pending, counts=counts)


def get_own_evaluation(user, pk: int) -> tuple[Evaluation, Initiative | Idea]:
    """An evaluation assigned to this person (anyone else's: 404) and its subject, which they
    must still be able to see."""
    evaluation = (Evaluation.objects.select_related("scorecard", "initiative", "idea", "stage")
                  .prefetch_related("scorecard__criteria")
                  .filter(pk=pk, evaluator_id=user.pk).first()
                  if is_valid_id(pk) and user.is_authenticated else None)
    if evaluation is None:
        raise Http404("No such evaluation")
    return evaluation, subject_of(user, evaluation)


def get_evaluation_to_manage(user, pk: int) -> tuple[Evaluation, Initiative | Idea]:
    """An evaluation on a subject this manager may see, and that subject."""
    evaluation = (Evaluation.objects.select_related("evaluator", "initiative", "idea")
                  .filter(pk=pk).first() if is_valid_id(pk) else None)
    if evaluation is None:
        raise Http404("No such evaluation")
    subject = subject_of(user, evaluation)
    if not policy.can(user, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers withdraw evaluators.")
    return evaluation, subject


def subject_of(user, evaluation: Evaluation) -> Initiative | Idea:
    """The evaluation's initiative or idea, through the visibility selectors (404 if hidden)."""
    if evaluation.initiative_id:
        return selectors.get_initiative_for_user(user, evaluation.initiative_id)
    return get_idea_for_user(user, evaluation.idea_id)


def my_evaluations(user) -> QuerySet[Evaluation]:
    """What is assigned to this person, on subjects they may still see: those to submit first
    (oldest first), then the rest (newest first)."""
    visible = (Q(initiative_id__in=selectors.visible_initiatives(user).values("pk"))
               | Q(idea_id__in=visible_ideas(user).values("pk")))
    pending = Case(When(status=Evaluation.Status.ASSIGNED, then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    return (Evaluation.objects.filter(evaluator_id=user.pk).filter(visible)
            .select_related("initiative", "idea", "stage", "idea__challenge")
            .annotate(pending=pending).order_by("pending", "assigned_at", "id"))


def pending_count(user) -> int:
    return Evaluation.objects.filter(evaluator_id=user.pk,
                                     status=Evaluation.Status.ASSIGNED).count()


# --- Comparison ---------------------------------------------------------------------------------


@dataclass
class Column:
    subject: Initiative | Idea
    stage: Stage | None  # the stage whose evaluations are compared (initiatives)
    hidden: str  # why the scores are hidden from this viewer ("" when shown)
    aggregate: Aggregate | None


@dataclass
class Comparison:
    kind: str  # "initiatives" or "ideas"
    columns: list[Column]
    rows: list[tuple[str, str, list[tuple[Column, CriterionStats | None]]]]
    challenge: Challenge | None = None


def _evaluated_stage(subject: Initiative, evaluations: Sequence[Evaluation]) -> int:
    """The stage compared for an initiative: its current one when any evaluation there is
    submitted, otherwise the latest stage with a submitted evaluation (or the current one)."""
    done = [e for e in evaluations if e.status == Evaluation.Status.SUBMITTED]
    if any(e.stage_id == subject.stage_id for e in done) or not done:
        return subject.stage_id
    return max(done, key=lambda e: (e.stage.position, e.stage_id)).stage_id


def _parse_ids(raw: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for value in raw:
        text = str(value).strip()
        if not text.isdigit() or not is_valid_id(int(text)):
            raise Http404("No such subject")
        if int(text) not in ids:
            ids.append(int(text))
    return ids


def comparison(user, *, initiative_ids: Iterable[Any] = (),
               idea_ids: Iterable[Any] = ()) -> Comparison:
    """Two to six initiatives, or two to six ideas of one challenge, side by side. A subject the
    viewer may not see is a 404; blind review hides a subject's scores from an evaluator who has
    not yet submitted theirs. Five queries (six for ideas)."""
    initiative_ids, idea_ids = _parse_ids(initiative_ids), _parse_ids(idea_ids)
    if initiative_ids and idea_ids:
        raise ValidationError({"__all__": "Compare initiatives or ideas, not both."})
    ids = initiative_ids or idea_ids
    if not COMPARE_MIN <= len(ids) <= COMPARE_MAX:
        raise ValidationError({"__all__": f"Choose {COMPARE_MIN} to {COMPARE_MAX} to compare "
                                          f"(you chose {len(ids)})."})
    if initiative_ids:
        found = {i.pk: i for i in selectors.visible_initiatives(user).filter(pk__in=ids)
                 .select_related("stage", "version")}
        owner = Q(initiative_id__in=ids)
    else:
        found = {i.pk: i for i in visible_ideas(user).filter(pk__in=ids)
                 .select_related("challenge")}
        owner = Q(idea_id__in=ids)
    if len(found) != len(ids):
        raise Http404("No such subject")
    subjects = [found[pk] for pk in ids]
    challenge = None
    if idea_ids:
        if len({idea.challenge_id for idea in subjects}) != 1 or subjects[0].challenge_id is None:
            raise ValidationError({"__all__": "Compare ideas of one challenge."})
        challenge = subjects[0].challenge
        cards = Scorecard.objects.filter(challenge_id=challenge.pk)
    else:
        cards = Scorecard.objects.filter(version_id__in={i.version_id for i in subjects})
    cards = list(cards.prefetch_related("criteria"))
    by_version = {c.version_id: c for c in cards}
    every = list(_with_sheet(Evaluation.objects.filter(owner)))
    columns = []
    for subject in subjects:
        card = by_version.get(subject.version_id) if initiative_ids else (
            cards[0] if cards else None)
        mine = [e for e in every if (e.initiative_id or e.idea_id) == subject.pk]
        stage = None
        if initiative_ids:
            stage_id = _evaluated_stage(subject, mine)
            mine = [e for e in mine if e.stage_id == stage_id]
            stage = next((e.stage for e in mine), subject.stage if stage_id == subject.stage_id
                         else None)
        rights = rights_for(user, card, mine, _pending(user, subject, mine))
        result = None
        if rights.scores and card is not None:
            result = aggregate(list(card.criteria.all()), [
                sheet_of(e) for e in mine if e.status == Evaluation.Status.SUBMITTED])
        columns.append(Column(subject, stage, "" if rights.scores else rights.reason, result))
    return Comparison(kind="initiatives" if initiative_ids else "ideas", columns=columns,
                      rows=_rows(cards, columns), challenge=challenge)


def _rows(cards: Sequence[Scorecard], columns: Sequence[Column]) -> list:
    """One row per criterion key across the scorecards involved (templates may differ); a cell
    is (the column, its statistics or None when that subject's scorecard lacks the criterion
    or its scores are hidden)."""
    names: dict[str, str] = {}
    for card in cards:
        for criterion in card.criteria.all():
            names.setdefault(criterion.key, criterion.name)
    return [(key, name, [(c, c.aggregate.for_key(key) if c.aggregate else None)
                         for c in columns])
            for key, name in names.items()]


COMPARE_CHOICES = 200


def initiatives_to_compare(user) -> QuerySet[Initiative]:
    """What the compare page offers to pick: visible initiatives with a submitted evaluation
    (at any stage), those scored at their current stage first, best first."""
    scored = Evaluation.objects.filter(initiative__isnull=False,
                                       status=Evaluation.Status.SUBMITTED)
    return (selectors.visible_initiatives(user).filter(pk__in=scored.values("initiative_id"))
            .select_related("stage")
            .order_by(F("score").desc(nulls_last=True), "title", "id")[:COMPARE_CHOICES])


def ideas_to_compare(user, challenge_id: Any) -> list[Idea]:
    """A challenge's ideas the viewer may see that have a submitted evaluation."""
    if not str(challenge_id or "").isdigit() or not is_valid_id(int(challenge_id)):
        return []
    scored = Evaluation.objects.filter(idea__challenge_id=int(challenge_id),
                                       status=Evaluation.Status.SUBMITTED).values("idea_id")
    return list(visible_ideas(user).filter(challenge_id=int(challenge_id), pk__in=scored)
                .order_by("title", "id")[:COMPARE_CHOICES])
