# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: evaluation."""

from ninja import Router

router = Router(tags=["pipeline evaluation"])
