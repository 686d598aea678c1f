from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ControlledDocument(models.Model):
    """A document the IMS must keep under control (clause 7.5): innovation intent, IMS scope,
    innovation strategy, innovation policy. Its content lives in versions."""

    class Kind(models.TextChoices):
        INTENT = "intent", "Innovation intent"
        SCOPE = "scope", "Scope of the IMS"
        STRATEGY = "strategy", "Innovation strategy"
        POLICY = "policy", "Innovation policy"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="documents_owned")
    # Participants are asked to read new approved versions of these (policy, strategy).
    requires_acknowledgement = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:documents_detail", args=[self.pk])


class DocumentVersion(models.Model):
    """One version of a controlled document: draft → in review → approved → superseded.
    Approved versions never change."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    document = models.ForeignKey(ControlledDocument, on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    body = models.TextField(max_length=100000, help_text="Markdown.")
    change_summary = models.CharField(max_length=500)
    # Strategy versions say which focus areas they address, what they need and how progress
    # is measured (clause 5.3); other kinds leave these empty.
    focus_areas = models.ManyToManyField("strategy.FocusArea", blank=True,
                                         related_name="strategy_versions")
    resources_needed = models.TextField(max_length=10000, blank=True)
    progress_measures = models.TextField(max_length=10000, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="document_versions_written")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Why a leader sent the version back to its author; cleared when it is submitted again.
    return_reason = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    OPEN = (Status.DRAFT, Status.IN_REVIEW)
    PUBLISHED = (Status.APPROVED, Status.SUPERSEDED)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="docversion_unique_number"),
            # The actions check these too; the database makes a race unable to break them.
            models.UniqueConstraint(fields=["document"], condition=models.Q(status="approved"),
                                    name="docversion_one_approved"),
            models.UniqueConstraint(fields=["document"],
                                    condition=models.Q(status__in=["draft", "in_review"]),
                                    name="docversion_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:documents_version", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Acknowledgement(models.Model):
    """A participant confirming they have read an approved version (awareness, clause 7.3)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT,
                                related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="ack_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.version}"
