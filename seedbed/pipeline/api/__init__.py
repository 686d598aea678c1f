"""The pipeline API under /api/v1/pipeline/, one router per area. Fixed paths are mounted
before routers with ``/initiatives/{initiative_id}`` paths."""

from seedbed.pipeline.api import (
    evaluation,
    gates,
    initiatives,
    portfolio,
    resources,
    templates,
    validation,
    value,
)

ROUTERS = [m.router for m in (templates, portfolio, initiatives, evaluation, validation,
                              resources, gates, value)]
