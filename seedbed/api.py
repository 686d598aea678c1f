"""The HTTP API at /api/v1/, assembled from each app's router."""

from __future__ import annotations

from seedbed.accounts.api import router as accounts_router
from seedbed.audit.api import router as audit_router
from seedbed.core.api import build_api
from seedbed.ideas.api import ROUTERS as IDEAS_ROUTERS
from seedbed.notifications.api import router as notifications_router
from seedbed.pipeline.api import ROUTERS as PIPELINE_ROUTERS
from seedbed.strategy.api import ROUTERS as STRATEGY_ROUTERS

api = build_api()
api.add_router("/", accounts_router)
for ideas_router in IDEAS_ROUTERS:
    api.add_router("/", ideas_router)
api.add_router("/audit", audit_router)
api.add_router("/", notifications_router)
for strategy_router in STRATEGY_ROUTERS:
    api.add_router("/strategy", strategy_router)
for pipeline_router in PIPELINE_ROUTERS:
    api.add_router("/pipeline", pipeline_router)
