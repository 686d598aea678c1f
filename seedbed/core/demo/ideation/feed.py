"""The feed in the demo: every demo idea gets its "trending" score from its own history
(submission, supports, comments), so the feed's trending sort shows a meaningful order on the
first visit; search needs nothing (the index follows every write by itself).

Run last among the ideation builders (after support and discussion). Needs nothing from
``ctx``; returns ``{"trend_scores": int}`` (how many ideas were scored). Idempotent.
"""

from __future__ import annotations

from seedbed.ideas.models import Idea
from seedbed.ideas.selectors import feed


def build(ctx: dict) -> dict:
    ideas = list(Idea.objects.exclude(status__in=(Idea.Status.DRAFT, Idea.Status.MERGED))
                 .exclude(author__email__endswith="@bulk.demo.seedbed.test"))
    for idea in ideas:
        feed.refresh_trend(idea)
    return {"trend_scores": len(ideas)}
