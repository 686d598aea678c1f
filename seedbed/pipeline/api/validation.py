# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: validation."""

from ninja import Router

router = Router(tags=["pipeline validation"])
