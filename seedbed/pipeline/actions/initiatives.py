"""Initiatives (clause 8.2): promote one idea, or several merged ideas, into an initiative that
keeps the link and starts at the first stage of its template's published version."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Idea
from seedbed.lib.validation import clean_text
from seedbed.pipeline.actions._ideas import follow_ideas
from seedbed.pipeline.models import Initiative, InitiativeIdea, WorkflowTemplate

INITIATIVE_FIELDS = ("title", "summary", "version", "stage", "status", "idea_type", "lead",
                     "org_unit", "horizon", "confidential")
PROMOTABLE = (Idea.Status.SUBMITTED, Idea.Status.UNDER_REVIEW, Idea.Status.SELECTED,
              Idea.Status.PARKED)


def template_for(idea_type) -> WorkflowTemplate | None:
    """The active template chosen by idea type (falls back to the first active template)."""
    qs = WorkflowTemplate.objects.filter(active=True, current__isnull=False)
    if idea_type is not None:
        chosen = qs.filter(idea_type=idea_type).first()
        if chosen is not None:
            return chosen
    return qs.order_by("position", "pk").first()


@transaction.atomic
def promote_ideas(actor, ideas: list[Idea], *, title: str = "", summary: str = "",
                  template: WorkflowTemplate | None = None, lead=None, org_unit=None,
                  horizon: str = "", confidential: bool | None = None, objectives=(),
                  focus_areas=(), projected_value: Decimal | None = None) -> Initiative:
    """Promote ``ideas`` (one, or several that belong together) into a new initiative.

    Defaults: the title of the first idea, the template of its idea type, the actor as lead,
    the lead's org unit, the horizon of the ideas' focus area, confidential when any idea is,
    the focus areas of the ideas and their challenges. Each idea feeds at most one initiative.
    """
    from seedbed.ideas.selectors import visible_ideas

    if not policy.can(actor, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers promote ideas into initiatives.")
    errors: dict[str, str] = {}
    ids = sorted({idea.pk for idea in ideas})
    if not ids:
        raise ValidationError({"ideas": "Choose at least one idea to promote."})
    rows = list(visible_ideas(actor).select_for_update(of=("self",)).filter(pk__in=ids)
                .select_related("idea_type", "focus_area", "challenge").order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError({"ideas": "One of these ideas does not exist."})
    for idea in rows:
        if idea.status not in PROMOTABLE:
            errors["ideas"] = (f"“{idea.title}” is {idea.get_status_display().lower()}: only "
                               "submitted, reviewed, selected or parked ideas can be promoted.")
    if InitiativeIdea.objects.filter(idea_id__in=ids).exists():
        errors["ideas"] = "One of these ideas already feeds an initiative."
    first = next((i for i in rows if i.pk == ideas[0].pk), rows[0])
    title = clean_text(title or first.title, "title", max_length=200, errors=errors,
                       required=True)
    summary = clean_text(summary or first.description, "summary", max_length=20000,
                         errors=errors)
    template = template or template_for(first.idea_type)
    if template is None or template.current_id is None or not template.active:
        errors["template"] = "Choose an active workflow template with a published version."
    lead = lead or actor
    if policy.role_of(lead) not in policy.EMPLOYEES:
        errors["lead"] = "The lead must be an active employee."
    if not horizon:
        horizon = first.focus_area.horizon if first.focus_area_id else Initiative.Horizon.H1
    if horizon not in Initiative.Horizon.values:
        errors["horizon"] = "Choose H1, H2 or H3."
    if projected_value is not None and projected_value < 0:
        errors["projected_value"] = "Projected value cannot be negative."
    if errors:
        raise ValidationError(errors)
    version = template.current
    stage = version.stages.order_by("position").first()
    if stage is None:
        raise StateConflict("This template's published version has no stages.", "no_stages")
    if confidential is None:
        confidential = any(idea.confidential for idea in rows)
    now = timezone.now()
    initiative = Initiative.objects.create(
        title=title, summary=summary, version=version, stage=stage, idea_type=first.idea_type,
        lead=lead, org_unit=org_unit or lead.org_unit, horizon=horizon,
        confidential=confidential, created_by=actor, created_at=now, updated_at=now,
        stage_entered_at=now, projected_value=projected_value or 0)
    InitiativeIdea.objects.bulk_create(
        [InitiativeIdea(initiative=initiative, idea=idea, linked_at=now) for idea in rows])
    areas = {idea.focus_area_id for idea in rows if idea.focus_area_id}
    for idea in rows:
        if idea.challenge_id:
            areas.update(idea.challenge.focus_areas.values_list("pk", flat=True))
    initiative.focus_areas.set(list(focus_areas) or sorted(areas))
    initiative.objectives.set(list(objectives))
    changes = audit.created(initiative, INITIATIVE_FIELDS)
    changes["ideas"] = {"before": None, "after": ids}
    followed = follow_ideas(actor, initiative, "promoted",
                            f"Promoted into the initiative “{initiative.title}”.")
    if followed:
        changes["idea_status"] = {"before": None, "after": followed}
    audit.record(actor, "initiative.promoted", initiative, changes)
    return initiative
