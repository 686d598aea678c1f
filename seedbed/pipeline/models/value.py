"""Deployment and value (clause 8.3.6): solution indicators with projected and actual values,
user feedback and the post-launch review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SolutionIndicator(models.Model):
    class Kind(models.TextChoices):
        ADOPTION = "adoption", "Adoption"
        SATISFACTION = "satisfaction", "Satisfaction"
        REVENUE = "revenue", "Revenue"
        COST_SAVING = "cost_saving", "Cost saving"
        OTHER = "other", "Other"

    # Kinds measured in money: their actual values add up to the initiative's actual value.
    MONEY = (Kind.REVENUE, Kind.COST_SAVING)

    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="indicators")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40)
    projected = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    measured_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class Feedback(models.Model):
    initiative = models.ForeignKey("pipeline.Initiative", on_delete=models.CASCADE,
                                   related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["initiative", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Feedback on {self.initiative}"


class PostLaunchReview(models.Model):
    initiative = models.OneToOneField("pipeline.Initiative", on_delete=models.CASCADE,
                                      related_name="post_launch_review")
    summary = models.TextField(max_length=10000)
    value_assessment = models.TextField(max_length=10000, blank=True)
    lessons = models.TextField(max_length=10000, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Post-launch review of {self.initiative}"
