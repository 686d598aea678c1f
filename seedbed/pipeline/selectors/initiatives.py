"""Reads for initiative lists, the overview page, the promote page and the team.

Who may see an initiative is decided by ``visible_initiatives`` in selectors/__init__.py; the
functions here start from it (or from an initiative the caller got from
``get_initiative_for_user``) and only narrow and fetch. Who may *shape* an initiative (edit it,
change its team) is decided here, in one place: ``may_manage``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from seedbed import policy
from seedbed.ideas.models import Idea
from seedbed.lib.validation import is_valid_id
from seedbed.pipeline.models import (
    GateDecision,
    Initiative,
    Stage,
    TeamMember,
    TemplateVersion,
    WorkflowTemplate,
)
from seedbed.pipeline.selectors import on_team, visible_initiatives

# Ideas that may still become (part of) an initiative: submitted and not yet decided against.
PROMOTABLE = (Idea.Status.SUBMITTED, Idea.Status.UNDER_REVIEW, Idea.Status.SELECTED,
              Idea.Status.PARKED)
# What the initiative's lead may change on their own; the rest is the innovation managers'.
LEAD_FIELDS = frozenset({"title", "summary", "projected_value"})
# At most this many words of a search count (like the ideas search).
MAX_TERMS = 12


def initiative_rows(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What a list row needs, in one query."""
    return (qs.select_related("stage", "lead", "version__template", "idea_type", "org_unit")
            .order_by("-updated_at", "-id"))


# --- Who may shape an initiative ---------------------------------------------------------------


def may_manage(user, initiative: Initiative) -> bool:
    """Edit the initiative and change its team: innovation managers, and its own lead (who may
    change only ``LEAD_FIELDS`` of the initiative itself, but the whole team)."""
    if policy.can(user, "pipeline.manage"):
        return True
    return policy.can(user, "pipeline.work") and initiative.lead_id == user.pk


def editable_fields(user, initiative: Initiative) -> frozenset[str] | None:
    """The fields this person may edit (None: all of them; empty: none)."""
    if policy.can(user, "pipeline.manage"):
        return None
    return LEAD_FIELDS if may_manage(user, initiative) else frozenset()


# --- Lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeFilters:
    """The list's filters, already checked (by the filter form or the API's query schema)."""

    template: str = ""  # template code
    stage: str = ""  # stage key, across templates ("launch" in every template that has one)
    phase: str = ""  # Stage.Phase value
    status: str = ""  # Initiative.Status value
    horizon: str = ""  # Initiative.Horizon value
    idea_type: str = ""  # idea type code
    focus_area: int | None = None
    org_unit: int | None = None  # the unit and every unit below it
    lead: int | None = None
    mine: bool = False  # I lead it or I am on its team
    q: str = ""  # words in the title, summary or learnings


def search_terms(text: str) -> list[str]:
    from seedbed.ideas.search import terms

    return terms(text)[:MAX_TERMS]


def filtered(user, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """The initiatives this person may see that match ``filters``, newest change first. Each
    word of the search must appear in the title, the summary or the learnings, so a stopped
    initiative is found by what was learned from it."""
    qs = visible_initiatives(user)
    exact = {"version__template__code": filters.template, "stage__key": filters.stage,
             "stage__phase": filters.phase, "status": filters.status,
             "horizon": filters.horizon, "idea_type__code": filters.idea_type}
    qs = qs.filter(**{name: value for name, value in exact.items() if value})
    if filters.focus_area is not None:
        qs = qs.filter(pk__in=Initiative.focus_areas.through.objects.filter(
            focusarea_id=filters.focus_area).values("initiative_id"))
    if filters.org_unit is not None:
        from seedbed.accounts.models import OrgUnit

        path = OrgUnit.objects.filter(pk=filters.org_unit).values("path")[:1]
        qs = qs.filter(org_unit__path__startswith=Subquery(path))
    if filters.lead is not None:
        qs = qs.filter(lead_id=filters.lead)
    if filters.mine:
        # The visibility rule's own "lead or team member".
        qs = qs.filter(on_team(user))
    for word in search_terms(filters.q):
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word)
                       | Q(learnings__icontains=word))
    return initiative_rows(qs)


@dataclass
class FilterOptions:
    """What the filter form lists. Only what this person may see: partners get no org units
    and only the focus areas and leads of the initiatives they are on."""

    templates: list[tuple[str, str]] = field(default_factory=list)
    stages: list[tuple[str, str]] = field(default_factory=list)
    idea_types: list[tuple[str, str]] = field(default_factory=list)
    focus_areas: list[tuple[int, str]] = field(default_factory=list)
    org_units: list[tuple[int, str]] = field(default_factory=list)
    leads: list[tuple[int, str]] = field(default_factory=list)


def filter_options(user) -> FilterOptions:
    """Six small queries whatever the number of initiatives."""
    from seedbed.accounts.models import OrgUnit, User
    from seedbed.ideas.models import IdeaType
    from seedbed.strategy.models import FocusArea

    visible = visible_initiatives(user)
    templates = list(WorkflowTemplate.objects.order_by("position", "name")
                     .values_list("code", "name"))
    stages: dict[str, str] = {}
    for key, name in (Stage.objects.filter(version__status=TemplateVersion.Status.PUBLISHED,
                                           version__template__active=True)
                      .order_by("version__template__position", "position")
                      .values_list("key", "name")):
        stages.setdefault(key, name)
    types = list(IdeaType.objects.filter(active=True).values_list("code", "name"))
    used_areas = Initiative.focus_areas.through.objects.filter(
        initiative_id__in=visible.values("pk")).values("focusarea_id")
    if policy.can(user, "strategy.read"):
        areas = FocusArea.objects.filter(Q(status=FocusArea.Status.ACTIVE) | Q(pk__in=used_areas))
    else:
        areas = FocusArea.objects.filter(pk__in=used_areas)
    focus_areas = list(areas.order_by("title", "pk").values_list("pk", "title"))
    units: list[tuple[int, str]] = []
    if policy.role_of(user) in policy.EMPLOYEES | {policy.AUDITOR}:
        for pk, name, path in OrgUnit.objects.order_by("path").values_list("pk", "name", "path"):
            units.append((pk, f"{'— ' * max(0, path.count('/') - 2)}{name}"))
    leads = list(User.objects.filter(pk__in=visible.values("lead_id"))
                 .order_by("full_name", "pk").values_list("pk", "full_name"))
    return FilterOptions(templates, list(stages.items()), types, focus_areas, units, leads)


# --- The overview -----------------------------------------------------------------------------


@dataclass
class Overview:
    """Everything the overview page (and the API's detail) shows besides the initiative row."""

    ideas: list[Idea]
    objectives: list
    focus_areas: list
    team: list[TeamMember]
    latest_decision: GateDecision | None


def overview(user, initiative: Initiative) -> Overview:
    """Six queries whatever the size of the initiative: its ideas this person may see, the
    objectives it serves (not for partners: the strategy is internal), its focus areas, its
    team with their partner organisations, and the latest gate decision with its co-deciders
    (the decision being the newest of ``initiative.decisions``)."""
    from seedbed.ideas.selectors import visible_ideas

    ideas = list(visible_ideas(user).filter(initiative_link__initiative_id=initiative.pk)
                 .select_related("author").order_by("pk"))
    objectives = (list(initiative.objectives.order_by("due_on", "title"))
                  if policy.can(user, "strategy.read") else [])
    focus_areas = list(initiative.focus_areas.order_by("title", "pk"))
    team = list(team_of(initiative))
    decision = (initiative.decisions.select_related("stage", "to_stage", "decided_by")
                .prefetch_related("co_deciders").order_by("-decided_at", "-id").first())
    return Overview(ideas, objectives, focus_areas, team, decision)


def team_of(initiative: Initiative) -> QuerySet[TeamMember]:
    return (TeamMember.objects.filter(initiative_id=initiative.pk)
            .select_related("user__partner_org").order_by("added_at", "id"))


def get_team_member(initiative: Initiative, pk: int) -> TeamMember:
    member = (TeamMember.objects.select_related("user__partner_org")
              .filter(initiative_id=initiative.pk, pk=pk)
              .first() if is_valid_id(pk) else None)
    if member is None:
        raise Http404("No such team member")
    return member


def partner_org_active(partner_org_id: int | None, today: date | None = None) -> bool:
    """A partner organisation is active while one of its agreements is in force: people from
    outside see IP-sensitive work only under an agreement (clauses 6.6, 7.1.7)."""
    from seedbed.strategy.models import PartnerAgreement

    if partner_org_id is None:
        return False
    today = today or timezone.localdate()
    return PartnerAgreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        partner_id=partner_org_id, starts_on__lte=today).exists()


# --- Ideas and initiatives --------------------------------------------------------------------


def initiative_of_idea(user, idea: Idea) -> Initiative | None:
    """The initiative an idea feeds, if this person may see it (one query; none for drafts,
    which are never promoted)."""
    if idea.status == Idea.Status.DRAFT:
        return None
    return (visible_initiatives(user).filter(links__idea_id=idea.pk)
            .only("pk", "title", "status").first())


def promotable_ideas(user, q: str = "", exclude=()) -> QuerySet[Idea]:
    """Ideas this person may see that could still be promoted (not yet feeding an initiative),
    matching every word of ``q`` in the title, newest first."""
    from seedbed.ideas.selectors import listed, visible_ideas

    qs = (listed(visible_ideas(user)).filter(status__in=PROMOTABLE,
                                             initiative_link__isnull=True)
          .exclude(pk__in=list(exclude)))
    for word in search_terms(q):
        qs = qs.filter(title__icontains=word)
    return qs.select_related("author", "idea_type").order_by("-created_at", "-id")


def chosen_ideas(user, ids: list[int]) -> list[Idea]:
    """The ideas picked on the promote page that this person may see, in the order picked, with
    what the page shows about each (and the initiative one already feeds), in two queries."""
    from seedbed.ideas.selectors import visible_ideas

    ids = [pk for pk in ids if is_valid_id(pk)]
    rows = {idea.pk: idea for idea in (
        visible_ideas(user).filter(pk__in=ids)
        .select_related("author", "idea_type", "focus_area", "challenge",
                        "initiative_link__initiative")
        .prefetch_related("challenge__focus_areas"))}
    return [rows[pk] for pk in ids if pk in rows]


def promotion_defaults(ideas: list[Idea]) -> dict:
    """What a new initiative takes from the idea(s) it is promoted from, unless the manager
    says otherwise: the first idea's title and description, the template of its idea type, the
    horizon of its focus area (or of its challenge's first focus area), confidential when any
    idea is, and the focus areas of all the ideas and their challenges."""
    first = ideas[0]
    areas: dict[int, object] = {}
    for idea in ideas:
        if idea.focus_area_id:
            areas.setdefault(idea.focus_area_id, idea.focus_area)
        if idea.challenge_id:
            for area in idea.challenge.focus_areas.all():
                areas.setdefault(area.pk, area)
    own = first.focus_area if first.focus_area_id else next(iter(areas.values()), None)
    return {
        "title": first.title,
        "summary": first.description,
        "template": template_for(first.idea_type),
        "horizon": own.horizon if own is not None else Initiative.Horizon.H1,
        "confidential": any(idea.confidential for idea in ideas),
        "focus_areas": list(areas.values()),
    }


def template_for(idea_type) -> WorkflowTemplate | None:
    """The active template chosen for an idea type (falls back to the first active template
    with a published version)."""
    qs = WorkflowTemplate.objects.filter(active=True, current__isnull=False).select_related(
        "current")
    if idea_type is not None:
        chosen = qs.filter(idea_type=idea_type).first()
        if chosen is not None:
            return chosen
    return qs.order_by("position", "pk").first()
