"""Pages of the pipeline, one module per area. ``frame`` gives every initiative sub-page the
same header and tabs (templates/pipeline/_frame.html)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from seedbed.pipeline import selectors

# (url name, label): the initiative's sub-pages, in tab order; each area adds its own page.
TABS = (
    ("pipeline:initiative_detail", "Overview"),
    ("pipeline:initiative_evaluation", "Evaluation"),
    ("pipeline:initiative_validation", "Assumptions & experiments"),
    ("pipeline:initiative_risks", "Risks"),
    ("pipeline:initiative_resources", "Resources"),
    ("pipeline:initiative_gate", "Gate"),
    ("pipeline:initiative_value", "Value"),
)


def frame(request, initiative, current: str) -> dict:
    """Context for templates/pipeline/_frame.html: the initiative, its stages (for the progress
    strip), the tabs, and what the viewer may do. Two queries (stages, team check)."""
    tabs = []
    for name, label in TABS:
        try:
            url = reverse(name, args=[initiative.pk])
        except NoReverseMatch:
            continue
        tabs.append({"url": url, "label": label, "current": name == current})
    stages = list(initiative.version.stages.all())
    return {
        "initiative": initiative,
        "stages": stages,
        "tabs": tabs,
        "can_work": selectors.can_work_on(request.user, initiative),
    }
