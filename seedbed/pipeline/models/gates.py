"""Gate decisions (clauses 8.1, 8.2): go / iterate / pivot / hold / stop, with rationale,
deciders, the state of every required item (met or waived with a reason) and the projected
value at the gate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class GateDecision(models.Model):
    class Outcome(models.TextChoices):
        GO = "go", "Go"  # on to the next stage (after the last: deployed)
        ITERATE = "iterate", "Iterate"  # another round in this stage
        PIVOT = "pivot", "Pivot"  # change course: back to this or an earlier stage
        HOLD = "hold", "Hold"  # paused; a later decision resumes it
        STOP = "stop", "Stop"  # ended; what was learned is kept

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.PROTECT,
                                   related_name="decisions")
    stage = models.ForeignKey("pipeline.Stage", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveIntegerField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    to_stage = models.ForeignKey("pipeline.Stage", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField(max_length=10000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="gate_decisions")
    # Others who took the decision with the person recording it (a gate panel).
    co_deciders = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # Uncertainty at the gate against the stage's risk appetite.
    uncertainty = models.PositiveSmallIntegerField()
    risk_appetite = models.PositiveSmallIntegerField()
    projected_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Recorded when the board moved the initiative (drag or buttons) rather than the gate form.
    via_board = models.BooleanField(default=False)

    class Meta:
        ordering = ["initiative", "-decided_at", "-id"]
        constraints = [
            # Two people deciding the same gate round at once: only one row can exist.
            models.UniqueConstraint(fields=["initiative", "stage", "round"],
                                    name="gate_decision_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.stage}"

    @property
    def above_appetite(self) -> bool:
        return self.uncertainty > self.risk_appetite


class GateItemState(models.Model):
    """How each required gate item stood when the gate was decided."""

    decision = models.ForeignKey(GateDecision, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("pipeline.GateItem", on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(default=False)
    waived = models.BooleanField(default=False)
    waiver_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "item"], name="gate_item_state_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'met' if self.met else 'waived' if self.waived else 'open'}"
