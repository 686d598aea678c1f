from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class BudgetEnvelope(models.Model):
    """Money given to an org unit for innovation in a period (clause 7.1). Committed and spent
    are filled by the initiative pipeline later."""

    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT,
                                 related_name="budget_envelopes")
    period_start = models.DateField()
    period_end = models.DateField()
    currency = models.CharField(max_length=3, default="EUR")
    allocated = models.DecimalField(max_digits=14, decimal_places=2)
    committed = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "org_unit"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "period_start", "period_end"],
                                    name="budget_one_per_unit_period"),
            models.CheckConstraint(condition=models.Q(allocated__gt=0),
                                   name="budget_allocated_positive"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="budget_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:resources_budget_edit", args=[self.pk])

    @property
    def remaining(self):
        return self.allocated - self.committed


class TimeAllowance(models.Model):
    """Working time an org unit's people may spend on innovation (clause 7.1)."""

    org_unit = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT,
                                 related_name="time_allowances")
    percent_of_time = models.DecimalField(max_digits=5, decimal_places=2)
    period_start = models.DateField()
    period_end = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "org_unit"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_of_time__gt=0, percent_of_time__lte=100),
                name="time_allowance_percent_range"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="time_allowance_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit}: {self.percent_of_time}%"


class RequiredCompetency(models.Model):
    """A competency the strategy needs, and how many people should hold it (clause 7.2)."""

    competency = models.OneToOneField("accounts.Competency", on_delete=models.PROTECT,
                                      related_name="requirement")
    people_needed = models.PositiveIntegerField(default=1)
    rationale = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["competency__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(people_needed__gte=1),
                                   name="required_competency_needs_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.people_needed}"


class TrainingRecord(models.Model):
    """Training a person completed (clause 7.2 evidence)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="training_records")
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    competency = models.ForeignKey("accounts.Competency", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="training_records")
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"
