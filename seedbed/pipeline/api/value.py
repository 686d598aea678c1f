# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: value."""

from ninja import Router

router = Router(tags=["pipeline value"])
