from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from seedbed.lib.progress import Assessment, assess, plain_number


class Objective(models.Model):
    """A measurable innovation objective (clause 6.2). Health is derived, never typed."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10000, blank=True)
    indicator = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    baseline = models.DecimalField(max_digits=18, decimal_places=4)
    target = models.DecimalField(max_digits=18, decimal_places=4)
    start_on = models.DateField()
    due_on = models.DateField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="objectives_owned")
    focus_areas = models.ManyToManyField("strategy.FocusArea", blank=True,
                                         related_name="objectives")
    # The latest recorded value, kept by the progress action so lists need no subquery.
    current_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    current_as_of = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("strategy:planning_objective_detail", args=[self.pk])

    @property
    def baseline_display(self) -> str:
        return plain_number(self.baseline)

    @property
    def target_display(self) -> str:
        return plain_number(self.target)

    @property
    def current_display(self) -> str:
        return plain_number(self.current_value)

    def assess(self, today=None) -> Assessment:
        """Health, progress and time elapsed, derived from the figures (seedbed.lib.progress)."""
        return assess(baseline=self.baseline, target=self.target, start_on=self.start_on,
                      due_on=self.due_on, value=self.current_value, as_of=self.current_as_of,
                      today=today or timezone.localdate())


class ObjectiveUpdate(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="updates")
    value = models.DecimalField(max_digits=18, decimal_places=4)
    as_of = models.DateField()
    note = models.TextField(max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.objective}: {self.value_display} on {self.as_of}"

    @property
    def value_display(self) -> str:
        return plain_number(self.value)


class RaciAssignment(models.Model):
    """One cell of the RACI matrix of IMS processes (clause 5.5): who is Responsible,
    Accountable, Consulted or Informed for a process — a role, or a named person."""

    class Letter(models.TextChoices):
        RESPONSIBLE = "R", "Responsible"
        ACCOUNTABLE = "A", "Accountable"
        CONSULTED = "C", "Consulted"
        INFORMED = "I", "Informed"

    process = models.CharField(max_length=120)
    role = models.CharField(max_length=20, blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="raci_assignments")
    letter = models.CharField(max_length=1, choices=Letter.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["process", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(person__isnull=False))
                | (~models.Q(role="") & models.Q(person__isnull=True)),
                name="raci_role_xor_person",
            ),
            # At most one Accountable per process; the action says so first, this holds under
            # concurrent writes.
            models.UniqueConstraint(fields=["process"], condition=models.Q(letter="A"),
                                    name="raci_one_accountable_per_process"),
        ]

    def __str__(self) -> str:
        return f"{self.process}: {self.letter} {self.role or self.person}"


class ActionItem(models.Model):
    """An action on a risk or opportunity, or a planned change to the IMS (6.1, 6.3)."""

    class Kind(models.TextChoices):
        RISK = "risk", "Addresses a risk"
        OPPORTUNITY = "opportunity", "Addresses an opportunity"
        CHANGE = "change", "Planned change to the IMS"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10000, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="action_items")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # What it addresses: at least one of these.
    focus_area = models.ForeignKey("strategy.FocusArea", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="actions")
    context_issue = models.ForeignKey("strategy.ContextIssue", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="actions")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="actions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("strategy:planning_action_item_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CANCELLED)

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.due_on < timezone.localdate()
