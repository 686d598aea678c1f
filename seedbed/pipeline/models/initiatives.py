"""Initiatives (clause 8.2): promoted ideas moving through a template version's stages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Initiative(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        STOPPED = "stopped", "Stopped"
        DEPLOYED = "deployed", "Deployed"  # passed its last gate

    class Horizon(models.TextChoices):
        H1 = "h1", "H1 core"
        H2 = "h2", "H2 adjacent"
        H3 = "h3", "H3 transformational"

    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=20000, blank=True, help_text="Markdown.")
    version = models.ForeignKey("pipeline.TemplateVersion", on_delete=models.PROTECT,
                                related_name="initiatives")
    stage = models.ForeignKey("pipeline.Stage", on_delete=models.PROTECT,
                              related_name="initiatives")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    idea_type = models.ForeignKey("ideas.IdeaType", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="initiatives")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="initiatives_led")
    org_unit = models.ForeignKey("accounts.OrgUnit", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="initiatives")
    horizon = models.CharField(max_length=2, choices=Horizon.choices, default=Horizon.H1)
    confidential = models.BooleanField(default=False)
    ideas = models.ManyToManyField("ideas.Idea", through="pipeline.InitiativeIdea",
                                   related_name="initiatives")
    objectives = models.ManyToManyField("strategy.Objective", blank=True,
                                        related_name="initiatives")
    focus_areas = models.ManyToManyField("strategy.FocusArea", blank=True,
                                         related_name="initiatives")
    # Gate rounds at the current stage: a decision is taken for (stage, round); "iterate",
    # "pivot" and "hold" open a new round, so a stale form can never decide twice.
    gate_round = models.PositiveIntegerField(default=1)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    # What was learned (clause 7.1.6): required when stopped, searchable afterwards.
    learnings = models.TextField(max_length=20000, blank=True)

    # Denormalised by the actions that change their inputs, so lists, the board and the
    # portfolio matrix read them without aggregating (see selectors.initiatives.refresh_*).
    uncertainty = models.PositiveSmallIntegerField(default=100)  # 0-100, from assumptions
    projected_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    actual_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    committed = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "stage"], name="initiative_status_stage"),
            models.Index(fields=["-updated_at", "-id"], name="initiative_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(uncertainty__lte=100),
                                   name="initiative_uncertainty_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pipeline:initiative_detail", args=[self.pk])

    @property
    def investment(self):
        """What the initiative has been given: the approved budget (``committed``, which
        includes what was spent from it), or what was spent when a leader let it go beyond."""
        return max(self.committed, self.spent)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.ON_HOLD)


class InitiativeIdea(models.Model):
    """The link from an initiative back to the idea(s) it was promoted from; an idea feeds at
    most one initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    idea = models.OneToOneField("ideas.Idea", on_delete=models.PROTECT,
                                related_name="initiative_link")
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.idea} → {self.initiative}"


class TeamMember(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Team member"
        SPONSOR = "sponsor", "Sponsor"
        PARTNER = "partner", "Partner"  # an invited partner account

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="initiative_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="team_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.initiative}"
