"""Validation (clause 8.3.4): the assumptions ledger, experiments, and the risk register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Assumption(models.Model):
    class Kind(models.TextChoices):
        DESIRABILITY = "desirability", "Desirability"
        FEASIBILITY = "feasibility", "Feasibility"
        VIABILITY = "viability", "Viability"
        OTHER = "other", "Other"

    class Evidence(models.IntegerChoices):
        NONE = 0, "None"
        WEAK = 1, "Weak"
        MODERATE = 2, "Moderate"
        STRONG = 3, "Strong"

    class Status(models.TextChoices):
        UNTESTED = "untested", "Untested"
        SUPPORTED = "supported", "Supported"
        REFUTED = "refuted", "Refuted"

    # Importance 1-5; 4 and 5 are "critical" (the initiative fails if they are wrong).
    CRITICAL = 4

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="assumptions")
    statement = models.CharField(max_length=500)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    importance = models.PositiveSmallIntegerField(default=3)
    evidence = models.PositiveSmallIntegerField(choices=Evidence.choices, default=Evidence.NONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNTESTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "-importance", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(importance__gte=1, importance__lte=5),
                                   name="assumption_importance_range"),
        ]

    def __str__(self) -> str:
        return self.statement

    @property
    def critical(self) -> bool:
        return self.importance >= self.CRITICAL


class Experiment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"  # met its success threshold
        FAILED = "failed", "Failed"
        INCONCLUSIVE = "inconclusive", "Inconclusive"

    CONCLUDED = (Status.SUCCEEDED, Status.FAILED)

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="experiments")
    hypothesis = models.CharField(max_length=500)
    method = models.CharField(max_length=300, blank=True)
    metric = models.CharField(max_length=200, blank=True)
    success_threshold = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    result = models.TextField(max_length=5000, blank=True)
    learning = models.TextField(max_length=5000, blank=True)
    assumptions = models.ManyToManyField(Assumption, blank=True, related_name="experiments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                           | models.Q(ends_on__gte=models.F("starts_on"))),
                name="experiment_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.hypothesis


class Risk(models.Model):
    class Treatment(models.TextChoices):
        AVOID = "avoid", "Avoid"
        REDUCE = "reduce", "Reduce"
        TRANSFER = "transfer", "Transfer"
        ACCEPT = "accept", "Accept"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    HIGH = 15  # likelihood × impact at or above this is a high risk
    MEDIUM = 8  # … from this up to HIGH a medium one; below it a low one

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    likelihood = models.PositiveSmallIntegerField()  # 1-5
    impact = models.PositiveSmallIntegerField()  # 1-5
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="risks_owned")
    treatment = models.CharField(max_length=10, choices=Treatment.choices, blank=True)
    treatment_plan = models.TextField(max_length=5000, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(likelihood__gte=1, likelihood__lte=5,
                                                      impact__gte=1, impact__lte=5),
                                   name="risk_scores_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        return level_of(self.score)

    @property
    def needs_treatment(self) -> bool:
        """An open high risk with no treatment chosen (the gate rule ``high_risks_treated``)."""
        return self.status == self.Status.OPEN and self.score >= self.HIGH and not self.treatment


def level_of(score: int) -> str:
    """The level of a likelihood × impact score (1-25): high, medium or low."""
    if score >= Risk.HIGH:
        return "high"
    return "medium" if score >= Risk.MEDIUM else "low"
