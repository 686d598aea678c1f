from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """When each periodic job (seedbed/core/periodic.py) last ran, shared by every process that
    runs jobs (cron, the worker's tick), so a daily job runs daily however often they ask."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M}"
