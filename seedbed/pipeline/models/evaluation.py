"""Evaluation scorecards (clause 8.3.4): weighted criteria kept as data, per template version
(initiatives) or per challenge (ideas); evaluations with conflict-of-interest declarations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scorecard(models.Model):
    """A set of criteria, owned by a template version or by a challenge (exactly one)."""

    version = models.OneToOneField("pipeline.TemplateVersion", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="scorecard")
    challenge = models.OneToOneField("ideas.Challenge", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="scorecard")
    name = models.CharField(max_length=120)
    # Blind review: an evaluator sees no one else's scores until they have submitted theirs.
    blind = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(version__isnull=False, challenge__isnull=True)
                           | models.Q(version__isnull=True, challenge__isnull=False)),
                name="scorecard_one_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    min_score = models.SmallIntegerField(default=1)
    max_score = models.SmallIntegerField(default=5)
    # For criteria such as risk or effort a high score is bad; aggregation inverts them.
    higher_is_better = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scorecard", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "key"], name="criterion_key_unique"),
            models.CheckConstraint(condition=models.Q(max_score__gt=models.F("min_score")),
                                   name="criterion_range_in_order"),
            models.CheckConstraint(condition=models.Q(weight__gt=0),
                                   name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One evaluator's scorecard for one idea or one initiative (at one stage)."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        SUBMITTED = "submitted", "Submitted"
        CONFLICT = "conflict", "Conflict of interest declared"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="evaluations")
    idea = models.ForeignKey("ideas.Idea", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="scorecard_evaluations")
    initiative = models.ForeignKey("pipeline.Initiative", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="evaluations")
    stage = models.ForeignKey("pipeline.Stage", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="scorecard_evaluations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    conflict_note = models.CharField(max_length=500, blank=True)
    comment = models.TextField(max_length=5000, blank=True)
    # Weighted mean of this evaluation's scores, normalised to 0-100; set on submit.
    weighted = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(idea__isnull=False, initiative__isnull=True)
                           | models.Q(idea__isnull=True, initiative__isnull=False)),
                name="evaluation_one_subject"),
            models.UniqueConstraint(fields=["idea", "evaluator"],
                                    condition=models.Q(idea__isnull=False),
                                    name="evaluation_idea_evaluator_unique"),
            models.UniqueConstraint(fields=["initiative", "stage", "evaluator"],
                                    condition=models.Q(initiative__isnull=False),
                                    name="evaluation_initiative_evaluator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} on {self.idea or self.initiative}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
