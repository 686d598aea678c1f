from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ContextIssue(models.Model):
    """An internal or external issue that shapes what innovation must achieve (clause 4.1)."""

    class Category(models.TextChoices):
        POLITICAL = "political", "Political"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"
        TECHNOLOGICAL = "technological", "Technological"
        ENVIRONMENTAL = "environmental", "Environmental (incl. climate)"
        LEGAL = "legal", "Legal"
        INTERNAL = "internal", "Internal (mission, values, capabilities)"

    class Trend(models.TextChoices):
        GROWING = "growing", "Growing"
        STABLE = "stable", "Stable"
        DECLINING = "declining", "Declining"

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=10000, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    impact = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.STABLE)
    source = models.CharField(max_length=300, blank=True)
    review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:context_issue_detail", args=[self.pk])

    def review_overdue(self, today=None) -> bool:
        """A review date in the past: the register must be looked at again (clause 4.1)."""
        return self.review_on is not None and self.review_on < (today or timezone.localdate())


class InterestedParty(models.Model):
    """Someone whose needs and expectations the IMS must consider (clause 4.2)."""

    name = models.CharField(max_length=200)
    needs = models.TextField(max_length=5000, blank=True)
    expectations = models.TextField(max_length=5000, blank=True)
    importance = models.CharField(max_length=10, choices=Level.choices, default=Level.MEDIUM)
    review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "interested parties"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:context_party_detail", args=[self.pk])

    def review_overdue(self, today=None) -> bool:
        return self.review_on is not None and self.review_on < (today or timezone.localdate())
