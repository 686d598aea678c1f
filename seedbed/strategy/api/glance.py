# No "from __future__ import annotations": ninja reads these annotations at import time.

from datetime import date

from ninja import Router, Schema

from seedbed import policy
from seedbed.core.api import ERRORS
from seedbed.lib.progress import Health
from seedbed.strategy.models import FocusArea
from seedbed.strategy.selectors.glance import glance_for

router = Router(tags=["strategy"])


class DocumentRef(Schema):
    """The approved version in force of a controlled document."""

    document_id: int
    version_id: int
    title: str
    version: int
    effective_on: date | None


class TextDocumentRef(DocumentRef):
    body: str  # Markdown, as approved


class GlanceObjective(Schema):
    id: int
    title: str
    due_on: date
    # Derived from progress against the time elapsed (never typed by hand).
    health: Health


class GlanceChallenge(Schema):
    id: int
    title: str
    closes_on: date | None


class GlanceFocusArea(Schema):
    id: int
    title: str
    kind: FocusArea.Kind
    horizon: FocusArea.Horizon
    priority: FocusArea.Priority  # 1 high, 2 medium, 3 low
    objectives: list[GlanceObjective]
    # Open challenges asking about this focus area, as far as the caller may see them.
    open_challenges: list[GlanceChallenge]


class GlanceOut(Schema):
    intent: TextDocumentRef | None
    scope: TextDocumentRef | None
    strategy: DocumentRef | None
    policy: DocumentRef | None
    focus_areas: list[GlanceFocusArea]
    open_challenge_count: int


def _ref(version, *, with_body: bool = False) -> dict | None:
    if version is None:
        return None
    ref = {"document_id": version.document_id, "version_id": version.pk,
           "title": version.document.title, "version": version.number,
           "effective_on": version.effective_on}
    if with_body:
        ref["body"] = version.body
    return ref


@router.get("/glance", response={200: GlanceOut, **ERRORS},
            summary="Strategy at a glance: approved intent, scope, strategy and policy; active "
                    "focus areas with their objectives")
@policy.api_rule("strategy.read")
def get_glance(request):
    glance = glance_for(request.user)
    return {
        "intent": _ref(glance.intent, with_body=True),
        "scope": _ref(glance.scope, with_body=True),
        "strategy": _ref(glance.strategy),
        "policy": _ref(glance.policy),
        "focus_areas": [
            {"id": area.pk, "title": area.title, "kind": area.kind, "horizon": area.horizon,
             "priority": area.priority,
             "objectives": [{"id": o.pk, "title": o.title, "due_on": o.due_on,
                             "health": o.health} for o in area.linked_objectives],
             "open_challenges": [{"id": c.pk, "title": c.title, "closes_on": c.closes_on}
                                 for c in area.open_challenges]}
            for area in glance.focus_areas],
        "open_challenge_count": glance.open_challenge_count,
    }
