"""Reads for workflow templates. Templates are process documentation, not confidential: every
role reads the published and superseded versions. Drafts are work in progress of those who run
the IMS, so only they see them (anyone else gets a 404)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from seedbed import policy
from seedbed.accounts.models import Role
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import (
    Criterion,
    GateItem,
    Initiative,
    Stage,
    TemplateVersion,
    WorkflowTemplate,
)

RUNNING = (Initiative.Status.ACTIVE, Initiative.Status.ON_HOLD)
DECIDER_LABELS = {Role.LEADER.value: Role.LEADER.label, Role.MANAGER.value: "Innovation managers"}


def sees_drafts(user) -> bool:
    return policy.can(user, "pipeline.manage")


def counted_versions(user) -> QuerySet[TemplateVersion]:
    """Versions with how many initiatives run on each (active or on hold) and how many were
    ever on it; drafts only for those who see them."""
    qs = TemplateVersion.objects.annotate(
        running=Count("initiatives", filter=Q(initiatives__status__in=RUNNING)),
        initiative_count=Count("initiatives"))
    if not sees_drafts(user):
        qs = qs.exclude(status=TemplateVersion.Status.DRAFT)
    return qs


def template_rows(user) -> QuerySet[WorkflowTemplate]:
    """Every template with its idea type, current version and its versions' counts (as
    ``history``, newest first): two queries whatever the number of templates."""
    history = counted_versions(user).select_related("created_by").order_by("-number")
    return (WorkflowTemplate.objects.select_related("idea_type", "current")
            .prefetch_related(Prefetch("versions", queryset=history, to_attr="history"))
            .order_by("position", "name", "id"))


def get_template(user, pk: int) -> WorkflowTemplate:
    """The template with its history, or 404."""
    template = template_rows(user).filter(pk=pk).first() if is_valid_id(pk) else None
    if template is None:
        raise Http404("No such workflow template")
    return template


def _with_labels(version: TemplateVersion) -> TemplateVersion:
    for stage in version.stages.all():
        stage.decider_labels = [DECIDER_LABELS.get(role, role) for role in stage.decider_roles]
    return version


def version_contents() -> QuerySet[TemplateVersion]:
    """What showing a version needs: its template, author, scorecard with criteria, stages in
    order with their gate items, and its initiative counts (four queries)."""
    return (TemplateVersion.objects
            .annotate(running=Count("initiatives", filter=Q(initiatives__status__in=RUNNING)),
                      initiative_count=Count("initiatives"))
            .select_related("template__idea_type", "created_by", "scorecard")
            .prefetch_related(
                Prefetch("stages", queryset=Stage.objects.order_by("position").prefetch_related(
                    Prefetch("gate_items", queryset=GateItem.objects.order_by("position",
                                                                              "id")))),
                Prefetch("scorecard__criteria",
                         queryset=Criterion.objects.order_by("position", "id"))))


def get_version_for_user(user, pk: int) -> TemplateVersion:
    """A version with everything its page shows; 404 for a draft one may not see."""
    version = version_contents().filter(pk=pk).first() if is_valid_id(pk) else None
    if version is None or (version.status == TemplateVersion.Status.DRAFT
                           and not sees_drafts(user)):
        raise Http404("No such template version")
    return _with_labels(version)


def shown_version(user, template: WorkflowTemplate) -> TemplateVersion | None:
    """The version a template's page shows: the current one; before any is published, the
    draft (for those who see drafts)."""
    pk = template.current_id
    if pk is None:
        draft = draft_of(template)  # in the history only for those who see drafts
        pk = draft.pk if draft is not None else None
    return get_version_for_user(user, pk) if pk is not None else None


def draft_of(template: WorkflowTemplate) -> TemplateVersion | None:
    """The template's draft among its loaded history (no query)."""
    return next((v for v in template.history if v.status == TemplateVersion.Status.DRAFT), None)


def get_stage(pk: int) -> Stage:
    """A stage (with its version and template) for the edit pages of those who manage, or
    404."""
    stage = (Stage.objects.select_related("version__template").filter(pk=pk).first()
             if is_valid_id(pk) else None)
    if stage is None:
        raise Http404("No such stage")
    return stage


def get_gate_item(pk: int) -> GateItem:
    item = (GateItem.objects.select_related("stage__version__template").filter(pk=pk).first()
            if is_valid_id(pk) else None)
    if item is None:
        raise Http404("No such gate item")
    return item


def get_criterion(pk: int) -> Criterion:
    """A criterion of a template version's scorecard (a challenge's criteria are not edited
    here), or 404."""
    criterion = (Criterion.objects.select_related("scorecard__version__template")
                 .filter(pk=pk, scorecard__version__isnull=False).first()
                 if is_valid_id(pk) else None)
    if criterion is None:
        raise Http404("No such criterion")
    return criterion
