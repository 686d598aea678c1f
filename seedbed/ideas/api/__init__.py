"""The ideation API: one router per area, mounted under /api/v1/.

Order matters where paths overlap: fixed paths (``/ideas/similar``) are mounted before the
routers with ``/ideas/{idea_id}``.
"""

from seedbed.ideas.api import (
    challenges,
    discussion,
    duplicates,
    feed,
    ideas,
    support,
    transfer,
    types,
)

ROUTERS = [m.router for m in (types, challenges, duplicates, transfer, feed, ideas, discussion,
                              support)]
