"""Run the periodic jobs that are due (open and close challenges on time, the daily digest).

From cron or a systemd timer, every few minutes:  ``manage.py run_scheduled_jobs``.
Next to ``make worker`` instead, once:            ``manage.py run_scheduled_jobs --enqueue``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from seedbed.core import periodic


class Command(BaseCommand):
    help = "Run every periodic job that is due, once (or queue the self-repeating tick task)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Run every job now, whether due or not.")
        parser.add_argument("--list", action="store_true", dest="show_list",
                            help="List the registered jobs and when they last ran.")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the tick task for the background worker instead.")

    def handle(self, *args, force: bool = False, show_list: bool = False,
               enqueue: bool = False, **options):
        if show_list:
            for job in periodic.jobs():
                last = periodic.last_run(job.name)
                self.stdout.write(f"{job.name}\tevery {job.every}\tlast run "
                                  f"{last.isoformat() if last else 'never (here)'}")
            return
        if enqueue:
            queued = periodic.enqueue_tick()
            self.stdout.write("Tick queued for the worker." if queued
                              else "A tick is already waiting (or this backend cannot defer).")
            return
        ran = periodic.run_due(force=force)
        self.stdout.write(f"Ran {len(ran)} job(s): {', '.join(ran) or 'none due'}")
