# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: templates."""

from ninja import Router

router = Router(tags=["pipeline templates"])
