"""The duplicate-suggestion part of ``make bench``: the paraphrase test set.

``bench/paraphrases.json`` holds idea pairs that say the same thing in different words. The
"original" of each pair is inserted into every dataset (``load_originals``, run by
bench/run.py after the dataset is built; idempotent), and ``recall_at_5`` asks the duplicate
finder, as the demo contributor, for each "paraphrase": a hit is the original among the five
suggestions. The suggestion route of the benchmark cycles through the same paraphrases.

Like the bulk data, the originals bypass the actions and write one summary audit event.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

PAIRS_FILE = Path(__file__).resolve().parent / "paraphrases.json"
LOADED_VERB = "demo.paraphrases_loaded"
RECALL_GOAL = 0.8
P95_GOAL = 3.0  # suggestion p95 <= 3 x the idea page's p95


def pairs() -> list[dict]:
    return json.loads(PAIRS_FILE.read_text())["pairs"]


def suggestion_paths() -> list[str]:
    return ["/ideas/similar/?" + urlencode({"title": p["paraphrase"]["title"],
                                            "description": p["paraphrase"]["description"]})
            for p in pairs()]


def load_originals() -> int:
    """Insert the originals (once) into the bulk challenges, spread over them, authored by
    bulk people. Returns how many were inserted (0 when already there)."""
    from django.db import transaction
    from django.utils import timezone

    from seedbed.accounts.models import User
    from seedbed.audit import service as audit
    from seedbed.audit.models import AuditEvent
    from seedbed.core.demo.bulk import BULK_DOMAIN
    from seedbed.ideas.models import Challenge, Idea

    if AuditEvent.objects.filter(verb=LOADED_VERB).exists():
        return 0
    with transaction.atomic():
        challenges = list(Challenge.objects.filter(status=Challenge.Status.OPEN)
                          .order_by("pk"))
        authors = list(User.objects.filter(email__endswith=f"@{BULK_DOMAIN}")
                       .order_by("pk").values_list("pk", flat=True)[:200]) or \
            list(User.objects.order_by("pk").values_list("pk", flat=True)[:10])
        now = timezone.now()
        ideas = []
        for n, pair in enumerate(pairs()):
            challenge = challenges[n % len(challenges)]
            ideas.append(Idea(challenge=challenge, author_id=authors[n % len(authors)],
                              title=pair["original"]["title"],
                              description=pair["original"]["description"],
                              status=Idea.Status.SUBMITTED, created_at=now, updated_at=now,
                              submitted_at=now, last_activity_at=now))
        Idea.objects.bulk_create(ideas)
        for idea in ideas:
            # Keep the denormalised counters exact, as the bulk loader does.
            Challenge.objects.filter(pk=idea.challenge_id).update(
                idea_count=models_f("idea_count") + 1,
                public_idea_count=models_f("public_idea_count") + 1)
        audit.record(None, LOADED_VERB, None,
                     {"ideas": {"before": None, "after": [i.pk for i in ideas]}},
                     object_type="seedbed.benchmark",
                     object_repr=f"{len(ideas)} paraphrase originals")
    return len(ideas)


def models_f(name: str):
    from django.db.models import F

    return F(name)


def recall_at_5(user) -> dict:
    """For each paraphrase: is its original among the five suggestions this person gets?"""
    from seedbed.audit.models import AuditEvent
    from seedbed.ideas.selectors.duplicates import similar_ideas

    event = AuditEvent.objects.filter(verb=LOADED_VERB).order_by("-seq").first()
    originals = event.changes["ideas"]["after"] if event else []
    hits, misses = 0, []
    for pair, original in zip(pairs(), originals, strict=False):
        found = [s.idea.pk for s in similar_ideas(user, pair["paraphrase"]["title"],
                                                  pair["paraphrase"]["description"])]
        if original in found:
            hits += 1
        else:
            misses.append(pair["paraphrase"]["title"])
    total = len(originals)
    return {"pairs": total, "hits": hits, "recall_at_5": round(hits / total, 3) if total else 0.0,
            "misses": misses}
