"""Reads for initiative lists and the overview page."""

from __future__ import annotations

from django.db.models import QuerySet

from seedbed.pipeline.models import Initiative


def initiative_rows(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What a list row needs, in one query."""
    return qs.select_related("stage", "lead", "version__template").order_by("-updated_at", "-id")
