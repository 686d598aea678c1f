from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class IdeaType(models.Model):
    """A kind of idea (product or service, process, business model, continuous improvement).
    Each type later selects the workflow its initiatives follow (clause 8.3)."""

    # The four every organisation starts with; seeded by a data migration and by
    # ``IdeaType.objects.ensure_defaults()`` (tests that run without migrations call that).
    DEFAULTS: tuple[tuple[str, str, str], ...] = (
        ("product", "Product or service",
         "Something new or better that customers buy or use."),
        ("process", "Process",
         "A better way to make, deliver or support what we offer."),
        ("business_model", "Business model",
         "A new way to create, deliver or capture value."),
        ("continuous_improvement", "Continuous improvement",
         "A small, local improvement a team can make itself."),
    )

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_defaults(cls) -> None:
        for position, (code, name, description) in enumerate(cls.DEFAULTS):
            cls.objects.get_or_create(
                code=code, defaults={"name": name, "description": description,
                                     "position": position})


class Challenge(models.Model):
    """A call for ideas on one or more focus areas. Clause 8.3.2: identifying opportunities."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # Ready, waiting for its opening date; the scheduler opens it on the day.
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Audience(models.TextChoices):
        ORGANISATION = "organisation", "Whole organisation"
        UNITS = "units", "Selected org units"
        # Only the invited partner organisations (and the people who run the IMS).
        PARTNERS = "partners", "Invited partners only"

    class VotingMode(models.TextChoices):
        SUPPORT = "support", "Simple support (one per person)"
        TOKENS = "tokens", "Budget of tokens per person"

    title = models.CharField(max_length=200)
    # The brief: what is asked and why (Markdown).
    description = models.TextField(max_length=20000, help_text="Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    units = models.ManyToManyField("accounts.OrgUnit", blank=True, related_name="challenges")
    # Open innovation (clause 6.6): partner organisations invited to take part.
    partner_orgs = models.ManyToManyField(
        "strategy.PartnerOrganisation", blank=True, related_name="challenges")
    # "Why we ask": the opportunities and threats this challenge seeks ideas on (at least one).
    focus_areas = models.ManyToManyField("strategy.FocusArea", blank=True,
                                         related_name="challenges")
    sponsor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="challenges_sponsored")
    idea_types = models.ManyToManyField(IdeaType, blank=True, related_name="challenges")
    voting_mode = models.CharField(max_length=10, choices=VotingMode.choices,
                                   default=VotingMode.SUPPORT)
    # Tokens each participant may spread over the ideas (voting mode "tokens").
    token_budget = models.PositiveSmallIntegerField(default=10)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised: kept exact by the submit/merge actions (F() updates), so lists need no
    # COUNT(). Counts every submitted idea (confidential ones too); see selectors for who may
    # see which number.
    idea_count = models.PositiveIntegerField(default=0)
    # Submitted, not confidential, not merged: the number anyone who sees the challenge may see.
    public_idea_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="challenge_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_on__isnull=True)
                | models.Q(closes_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="challenge_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:challenge_detail", args=[self.pk])

    def accepts_ideas(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return not (self.closes_on and today > self.closes_on)


class CustomField(models.Model):
    """An extra question on the submission form, defined for one challenge or one idea type.
    The answers are stored as data on the idea (``Idea.custom_values``)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        NUMBER = "number", "Number"
        CHOICE = "choice", "Single choice"
        MULTI_CHOICE = "multi_choice", "Multiple choice"
        YES_NO = "yes_no", "Yes / no"
        DATE = "date", "Date"
        FILE = "file", "File"

    challenge = models.ForeignKey(Challenge, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="custom_fields")
    idea_type = models.ForeignKey(IdeaType, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="custom_fields")
    # Stable key the answer is stored under; never changes once answers exist.
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(challenge__isnull=False, idea_type__isnull=True)
                           | models.Q(challenge__isnull=True, idea_type__isnull=False)),
                name="custom_field_one_scope",
            ),
            models.UniqueConstraint(fields=["challenge", "key"], name="custom_field_key_ch",
                                    condition=models.Q(challenge__isnull=False)),
            models.UniqueConstraint(fields=["idea_type", "key"], name="custom_field_key_type",
                                    condition=models.Q(idea_type__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.label
