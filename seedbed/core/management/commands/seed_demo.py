from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from seedbed.accounts.models import Role
from seedbed.core.demo import build, bulk
from seedbed.core.demo.people import COMPANY, DOMAIN, PASSWORD, ROLE_ACCOUNTS

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        f"Create the demo organisation ({COMPANY}): org units, one account per role "
        f"(<role>@{DOMAIN}, password '{PASSWORD}'), colleagues, challenges, ideas, comments "
        "and votes, all through the actions so the audit trail is complete. Idempotent: "
        "does nothing when the demo is already there. With --ideas N it also bulk-inserts N "
        "ideas with proportionate users, challenges, votes and comments for benchmarks; that "
        "bulk data bypasses the actions and writes ONE summary audit event, not one per row. "
        "Refuses to run unless SEEDBED_DEBUG or SEEDBED_TESTING is on, or --force is given: "
        "demo passwords never belong in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ideas", type=int, default=0, metavar="N",
            help="Also bulk-insert N benchmark ideas (no per-row audit events).")
        parser.add_argument(
            "--seed", type=int, default=56001,
            help="Random seed for the bulk data (same seed, same data).")
        parser.add_argument(
            "--force", action="store_true",
            help="Run even though DEBUG and TESTING are off. Never on a production database.")

    def handle(self, *args, ideas: int, seed: int, force: bool, **options) -> None:
        self.verbosity = options["verbosity"]
        if not (settings.DEBUG or getattr(settings, "TESTING", False) or force):
            raise CommandError(
                f"seed_demo creates accounts with the published password '{PASSWORD}', so it "
                "runs only with SEEDBED_DEBUG=1 (or SEEDBED_TESTING=1). Use --force if this "
                "really is a throw-away database.")
        if ideas < 0:
            raise CommandError("--ideas must be zero or more")

        # The demo's own activity would e-mail the demo people (comments, mentions, status
        # changes): keep those e-mails in memory instead of printing hundreds to the console.
        # Likewise the task framework's line per task (hundreds of e-mail tasks run at once).
        tasks_log = logging.getLogger("django_tasks")
        level = tasks_log.level
        tasks_log.setLevel(max(level, logging.WARNING))
        try:
            with override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                summary = build.seed_demo_organisation()
        finally:
            tasks_log.setLevel(level)
        if summary is None:
            self.stdout.write("demo organisation already present")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Created the demo organisation {COMPANY}: {summary.org_units} org units, "
                f"{summary.people} people, {summary.challenges} challenges, "
                f"{summary.ideas} ideas, {summary.comments} comments, {summary.votes} votes."))
            self.stdout.write(self._strategy_summary())
            self.stdout.write(self._ideation_summary())

        if ideas:
            self._bulk(ideas, seed)
        self._print_accounts()

    @staticmethod
    def _ideation_summary() -> str:
        from seedbed.ideas import models as ideas
        from seedbed.notifications.models import Notification

        idea_rows = ideas.Idea.objects
        drafts = idea_rows.filter(status="draft").count()
        return (
            f"Ideation in all: {ideas.Challenge.objects.count()} challenges, "
            f"{idea_rows.count()} ideas ({idea_rows.filter(confidential=True).count()} "
            f"confidential, {drafts} draft{'' if drafts == 1 else 's'}, "
            f"{idea_rows.filter(status='merged').count()} merged), "
            f"{ideas.Comment.objects.count()} comments, {ideas.Vote.objects.count()} votes, "
            f"{ideas.CoAuthor.objects.count()} co-authors, "
            f"{Notification.objects.count()} notifications.")

    @staticmethod
    def _strategy_summary() -> str:
        from seedbed.strategy import models as strategy

        counts = [
            (strategy.ContextIssue, "context issues"),
            (strategy.FocusArea, "focus areas and proposals"),
            (strategy.DocumentVersion, "document versions"),
            (strategy.Acknowledgement, "acknowledgements"),
            (strategy.Objective, "objectives"),
            (strategy.ActionItem, "action items"),
            (strategy.BudgetEnvelope, "budget envelopes"),
            (strategy.PartnerOrganisation, "partners"),
        ]
        return "Strategy: " + ", ".join(f"{model.objects.count()} {label}"
                                        for model, label in counts) + "."

    def _bulk(self, ideas: int, seed: int) -> None:
        loaded = bulk.bulk_loaded_ideas()
        if loaded is not None:
            self.stdout.write(f"bulk data already present ({loaded:,} ideas); nothing added")
            return
        self.stdout.write(f"Bulk-loading {ideas:,} benchmark ideas (no per-row audit events)…")
        result = bulk.bulk_load(ideas, seed=seed, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(
            f"Bulk-loaded {result.ideas:,} ideas, {result.users:,} users, "
            f"{result.challenges} challenges, {result.votes:,} votes, "
            f"{result.comments:,} comments and {result.initiatives:,} initiatives in "
            f"{result.seconds} s."))

    def _progress(self, line: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(line)

    def _print_accounts(self) -> None:
        rows = [(person.email, Role(person.role).label, PASSWORD)
                for person in ROLE_ACCOUNTS]
        widths = [max(len(row[i]) for row in [("e-mail", "role", "password"), *rows])
                  for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Demo accounts")
        for row in [("e-mail", "role", "password"), tuple("-" * w for w in widths), *rows]:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
        self.stdout.write(f"Colleagues sign in as first.last@{DOMAIN} with the same password.")
        self.stdout.write(f"\nOpen {URL} and sign in with one of the accounts above.")
