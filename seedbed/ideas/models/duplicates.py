from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from seedbed.ideas.models.ideas import Idea


class IdeaMerge(models.Model):
    """One idea folded into another. ``moved`` lists every row that moved (and every vote that
    was dropped because the person already supported the survivor), so the merge can be undone
    exactly; the same list is in the audit event."""

    source = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="merges_in")
    reason = models.CharField(max_length=500, blank=True)
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
