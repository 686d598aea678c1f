from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class FocusArea(models.Model):
    """An opportunity or threat the organisation wants ideas on: the innovation intent's
    register. Anyone may propose one; managers triage proposals."""

    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", "Opportunity"
        THREAT = "threat", "Threat"

    class Horizon(models.TextChoices):
        H1 = "h1", "H1 core"
        H2 = "h2", "H2 adjacent"
        H3 = "h3", "H3 transformational"

    class Priority(models.IntegerChoices):
        HIGH = 1, "High"
        MEDIUM = 2, "Medium"
        LOW = 3, "Low"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        MERGED = "merged", "Merged"
        DECLINED = "declined", "Declined"
        RETIRED = "retired", "Retired"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    rationale = models.TextField(max_length=10000, help_text="Why it matters. Markdown.")
    horizon = models.CharField(max_length=2, choices=Horizon.choices, default=Horizon.H1)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices,
                                                default=Priority.MEDIUM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="focus_areas_owned")
    context_issues = models.ManyToManyField("strategy.ContextIssue", blank=True,
                                            related_name="focus_areas")
    interested_parties = models.ManyToManyField("strategy.InterestedParty", blank=True,
                                                related_name="focus_areas")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="focus_areas_proposed")
    # Triage: who decided, when, why (the proposer sees the reason), and where a merge went.
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=5000, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:focus_detail", args=[self.pk])

    @property
    def is_proposal(self) -> bool:
        """Came in through the proposal flow (pending, or decided by triage), as opposed to a
        focus area a manager put straight into the register."""
        return self.status == self.Status.PROPOSED or self.decided_at is not None
