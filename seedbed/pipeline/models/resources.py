"""Resource requests per stage (clause 7.1 via 8.2): budget, people-hours and partners, approved
by a leader against an org unit's budget envelope; spending recorded against approved budget."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ResourceRequest(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", "Budget"
        HOURS = "hours", "People-hours"
        PARTNER = "partner", "Partner"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="resource_requests")
    stage = models.ForeignKey("pipeline.Stage", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)  # budget
    hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)  # people-hours
    partner_org = models.ForeignKey("strategy.PartnerOrganisation", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # Budget requests draw on the envelope of an org unit for the period they fall in.
    envelope = models.ForeignKey("strategy.BudgetEnvelope", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="requests")
    justification = models.TextField(max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=1000, blank=True)
    # Set when a leader approved beyond what the envelope had left.
    override_reason = models.CharField(max_length=1000, blank=True)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["initiative", "-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0, hours__gte=0, spent__gte=0),
                                   name="resource_request_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.initiative}"


class Spend(models.Model):
    request = models.ForeignKey(ResourceRequest, on_delete=models.PROTECT, related_name="spends")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    spent_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="spend_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.spent_on}"
