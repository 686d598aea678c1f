"""Portfolio (clause 6.4): the board of initiatives by stage."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seedbed import policy
from seedbed.pipeline import selectors
from seedbed.pipeline.models import WorkflowTemplate


@policy.rule("pipeline.portfolio")
def board(request: HttpRequest) -> HttpResponse:
    templates = list(WorkflowTemplate.objects.filter(current__isnull=False))
    template = templates[0] if templates else None
    columns = []
    if template is not None:
        visible = selectors.visible_initiatives(request.user).filter(
            version__template=template).select_related("stage", "lead")
        by_key: dict = {}
        for initiative in visible:
            by_key.setdefault(initiative.stage.key, []).append(initiative)
        columns = [{"stage": s, "initiatives": by_key.get(s.key, [])}
                   for s in template.current.stages.all()]
    return render(request, "pipeline/portfolio/board.html",
                  {"template": template, "templates": templates, "columns": columns})
