# No "from __future__ import annotations": ninja reads these annotations at import time.
"""API: gates."""

from ninja import Router

router = Router(tags=["pipeline gates"])
