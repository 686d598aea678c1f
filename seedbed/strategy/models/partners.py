from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class PartnerOrganisation(models.Model):
    """An external organisation the IMS collaborates with (clause 6.6)."""

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", "Supplier"
        UNIVERSITY = "university", "University or research institute"
        STARTUP = "startup", "Start-up"
        CUSTOMER = "customer", "Customer"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.TextField(max_length=5000, blank=True)
    website = models.URLField(blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:partners_detail", args=[self.pk])


class PartnerAgreement(models.Model):
    class Kind(models.TextChoices):
        NDA = "nda", "Non-disclosure agreement"
        IP = "ip", "IP terms"
        COLLABORATION = "collaboration", "Collaboration agreement"
        OTHER = "other", "Other"

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT,
                                related_name="agreements")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    title = models.CharField(max_length=200)
    ip_terms = models.TextField(max_length=10000, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partner", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partner_agreement_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.title}"

    def status_on(self, day: date) -> str:
        """"upcoming", "active" or "expired" on that day; open-ended agreements never expire."""
        if self.starts_on > day:
            return "upcoming"
        if self.ends_on is not None and self.ends_on < day:
            return "expired"
        return "active"
