"""Workflow templates: an ordered set of stages per idea type, each ending in a gate.

Templates are versioned. Managers edit a *draft* version; publishing it makes it the one new
initiatives start on. Initiatives keep pointing at the version (and its stages) they started on,
so editing a template never rewrites the history of initiatives already running on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class WorkflowTemplate(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(max_length=5000, blank=True)
    # The idea type whose initiatives follow this template by default (one template per type).
    idea_type = models.OneToOneField("ideas.IdeaType", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="workflow")
    # The published version new initiatives start on (null until one is published).
    current = models.ForeignKey("pipeline.TemplateVersion", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pipeline:template_detail", args=[self.pk])


class TemplateVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"  # the template's current version
        SUPERSEDED = "superseded", "Superseded"  # replaced; initiatives on it keep running

    template = models.ForeignKey(WorkflowTemplate, on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(max_length=300, blank=True, help_text="What changed.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"],
                                    name="template_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class Stage(models.Model):
    """One step of a template version, ending in a gate decided by ``decider_roles``."""

    class Phase(models.TextChoices):
        # Where the stage sits in the innovation process (clause 8.3), across templates.
        CONCEPT = "concept", "Concept (8.3.3)"
        VALIDATE = "validate", "Validate (8.3.4)"
        DEVELOP = "develop", "Develop (8.3.5)"
        DEPLOY = "deploy", "Deploy (8.3.6)"

    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    description = models.TextField(max_length=5000, blank=True)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    gate_name = models.CharField(max_length=120, blank=True)
    # Gate criteria in words (what the deciders weigh), beside the checkable items below.
    gate_criteria = models.TextField(max_length=5000, blank=True)
    # Roles whose members decide this stage's gate (policy role names, e.g. ["leader"]).
    decider_roles = models.JSONField(default=list)
    # Risk appetite: the highest uncertainty (0-100) an initiative may carry through this gate
    # without the deciders being warned.
    risk_appetite = models.PositiveSmallIntegerField(default=50)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["version", "key"], name="stage_key_unique"),
            models.CheckConstraint(condition=models.Q(risk_appetite__lte=100),
                                   name="stage_risk_appetite_range"),
        ]

    def __str__(self) -> str:
        return self.name


class GateItem(models.Model):
    """A required item at a stage's gate: a checklist item the deciders confirm, or evidence the
    system checks from the initiative's records (``rule``). Unmet items must be waived with a
    reason before the gate can pass."""

    class Kind(models.TextChoices):
        CHECK = "check", "Checklist item"
        EVIDENCE = "evidence", "Required evidence"

    class Rule(models.TextChoices):
        # Evidence rules, computed by seedbed.pipeline.selectors.gates.evidence_status.
        EXPERIMENT_PER_CRITICAL = "experiment_per_critical", (
            "At least one concluded experiment on each critical assumption")
        ASSUMPTIONS_RECORDED = "assumptions_recorded", "At least one assumption recorded"
        SCORECARD_SUBMITTED = "scorecard_submitted", "At least one evaluation submitted"
        RISKS_ASSESSED = "risks_assessed", "Risk register has at least one risk"
        HIGH_RISKS_TREATED = "high_risks_treated", "Every high risk (score 15+) has a treatment"
        RESOURCES_APPROVED = "resources_approved", "A resource request approved for this stage"
        VALUE_PROJECTED = "value_projected", "Projected value recorded"
        INDICATORS_MEASURED = "indicators_measured", "Solution indicators measured"
        POST_LAUNCH_REVIEW = "post_launch_review", "Post-launch review recorded"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="gate_items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHECK)
    label = models.CharField(max_length=200)
    rule = models.CharField(max_length=30, choices=Rule.choices, blank=True)

    class Meta:
        ordering = ["stage", "position", "id"]

    def __str__(self) -> str:
        return self.label
