"""A tiny registry of periodic jobs ("open challenges on their day", "send the daily digest").

Register a job with ``@periodic("name", every=timedelta(...))`` in the ``tasks`` module of an
installed app (``seedbed/<app>/tasks.py``); ``jobs()`` imports every app's ``tasks`` module
first, so nothing else needs wiring. ``run_due()`` runs every job whose interval
has passed since its last run and returns the names it ran.

Two ways to drive it, both documented in docs/operations.md:

- ``manage.py run_scheduled_jobs`` from cron or a systemd timer (every few minutes);
- ``manage.py run_scheduled_jobs --enqueue`` once next to ``make worker``: it queues the
  ``tick`` task, which runs the due jobs and queues itself again a minute later.

Jobs must be idempotent and decide from the data what is due (a challenge whose opening date
has come, digest items not yet sent): the interval only says how often it is worth asking. The
time of each job's last run is a database row (``core.PeriodicRun``), so the intervals hold
across processes and restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

logger = logging.getLogger(__name__)

# How long the tick task waits before it runs again (the finest useful interval).
TICK = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[], object]


_registry: dict[str, Job] = {}


def periodic(name: str, every: timedelta) -> Callable[[Callable], Callable]:
    """Register ``func`` to run at most once per ``every`` (roughly: a run is due when the last
    one started at least ``every`` ago)."""
    if every <= timedelta(0):
        raise ValueError("A periodic job needs a positive interval.")

    def register(func: Callable) -> Callable:
        _registry[name] = Job(name=name, every=every, func=func)
        return func

    return register


def jobs() -> list[Job]:
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda job: job.name)


def last_run(name: str) -> datetime | None:
    from seedbed.core.models import PeriodicRun

    return PeriodicRun.objects.filter(name=name).values_list("last_run_at", flat=True).first()


def forget_runs() -> None:
    """Forget when each job last ran (tests; or to force every job at the next run)."""
    from seedbed.core.models import PeriodicRun

    PeriodicRun.objects.all().delete()


def run_due(now: datetime | None = None, *, force: bool = False) -> list[str]:
    """Run every job that is due at ``now`` (default: the current time); return their names.

    One failing job is logged and does not stop the others; it counts as not run, so it is
    tried again at the next call."""
    now = now or timezone.now()
    ran: list[str] = []
    for job in jobs():
        previous = last_run(job.name)
        if not force and previous is not None and now - previous < job.every:
            continue
        try:
            job.func()
        except Exception:  # noqa: BLE001 - one broken job must not starve the others
            logger.exception("periodic job %s failed", job.name)
            continue
        from seedbed.core.models import PeriodicRun

        PeriodicRun.objects.update_or_create(name=job.name, defaults={"last_run_at": now})
        ran.append(job.name)
    return ran


@task()
def tick() -> list[str]:
    """Run the due jobs, then queue the next tick (for ``make worker`` deployments).

    Started once by ``manage.py run_scheduled_jobs --enqueue``; backends that cannot defer
    (the immediate backend of tests and ``make run``) run it once and stop."""
    ran = run_due()
    enqueue_tick()
    return ran


def enqueue_tick() -> bool:
    """Queue the next tick a minute from now, unless one is already waiting. Returns whether
    it queued one."""
    backend = tick.get_backend()
    if not backend.supports_defer:
        return False
    if _tick_waiting():
        return False
    tick.using(run_after=timezone.now() + TICK).enqueue()
    return True


def _tick_waiting() -> bool:
    """Whether the database queue already holds a tick that has not run (so restarting the
    worker or running ``--enqueue`` twice does not start a second chain)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it cannot tell, so queue
        return False
    from django_tasks.base import TaskResultStatus

    # Only waiting ones: the tick that calls this is itself RUNNING.
    return DBTaskResult.objects.filter(task_path=tick.module_path,
                                       status=TaskResultStatus.READY).exists()
