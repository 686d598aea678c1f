"""The strategy API: one router per area, mounted under /api/v1/strategy/."""

from seedbed.strategy.api import context, documents, focus, glance, partners, planning, resources

ROUTERS = [m.router for m in (context, focus, documents, planning, resources, partners, glance)]
