"""Portfolio criteria (clause 6.4) kept as data: the balance the organisation aims for along a
dimension (horizon, idea type, focus area, org unit), as a target share of investment or count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PortfolioCriterion(models.Model):
    class Dimension(models.TextChoices):
        HORIZON = "horizon", "Horizon"
        IDEA_TYPE = "idea_type", "Idea type"
        FOCUS_AREA = "focus_area", "Focus area"
        ORG_UNIT = "org_unit", "Org unit"

    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    # The bucket along the dimension: "h1"/"h2"/"h3", or the idea type's code, or the id of
    # the focus area / org unit, as text.
    bucket = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    target_share = models.DecimalField(max_digits=5, decimal_places=2)  # percent of investment
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dimension", "bucket"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "bucket"],
                                    name="portfolio_criterion_unique"),
            models.CheckConstraint(condition=models.Q(target_share__gte=0,
                                                      target_share__lte=100),
                                   name="portfolio_target_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.label}"
