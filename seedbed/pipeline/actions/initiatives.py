"""Initiatives (clause 8.2): promote one idea, or several merged ideas, into an initiative that
keeps the link and starts at the first stage of its template's published version; shape it
(title, lead, unit, horizon, confidentiality, objectives, focus areas, projected value); and
keep its team (employees and invited partners).

Status and stage are not changed here: gate decisions do that (actions/gates.py).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import Idea
from seedbed.lib.validation import clean_text, is_valid_id
from seedbed.pipeline.actions._ideas import follow_ideas
from seedbed.pipeline.models import Initiative, InitiativeIdea, TeamMember, WorkflowTemplate
from seedbed.pipeline.selectors.initiatives import (
    LEAD_FIELDS,
    PROMOTABLE,
    may_manage,
    partner_org_active,
    promotion_defaults,
    template_for,
)

__all__ = ["PROMOTABLE", "add_team_member", "promote_ideas", "remove_team_member",
           "template_for", "update_initiative"]

INITIATIVE_FIELDS = ("title", "summary", "version", "stage", "status", "idea_type", "lead",
                     "org_unit", "horizon", "confidential", "objectives", "focus_areas",
                     "projected_value")
EDIT_FIELDS = ("title", "summary", "lead", "org_unit", "horizon", "confidential", "objectives",
               "focus_areas", "projected_value")
MAX_IDEAS = 20  # merged into one initiative at once
MAX_VALUE = Decimal("999999999999.99")  # what the column (14 digits, 2 decimals) holds
_UNSET = object()


# --- Shared checks ----------------------------------------------------------------------------


def _clean_value(value, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors["projected_value"] = "Enter an amount."
        return None
    if not value.is_finite():
        errors["projected_value"] = "Enter an amount."
    elif value < 0:
        errors["projected_value"] = "Projected value cannot be negative."
    elif value > MAX_VALUE:
        errors["projected_value"] = "Keep the projected value under one trillion."
    elif value != value.quantize(Decimal("0.01")):
        errors["projected_value"] = "Give the amount to at most two decimal places."
    else:
        # As the column stores it, so that "100" and "100.00" are no change.
        return value.quantize(Decimal("0.01"))
    return None


def _check_lead(lead, errors: dict[str, str]) -> None:
    if lead is None or policy.role_of(lead) not in policy.EMPLOYEES:
        errors["lead"] = "The lead must be an active employee (not a partner or an auditor)."


def _check_focus_areas(areas, current_ids: set[int], errors: dict[str, str]) -> None:
    """New links go to active focus areas only (as the database has them now); an area
    already linked may stay even if it was retired since."""
    from seedbed.strategy.models import FocusArea

    wanted = {area.pk for area in areas} - current_ids
    inactive = (FocusArea.objects.filter(pk__in=wanted).exclude(status=FocusArea.Status.ACTIVE)
                .order_by("title").first())
    if inactive is not None:
        errors["focus_areas"] = f"“{inactive.title}” is not an active focus area."


def _confidential_ideas(ideas) -> list[Idea]:
    return [idea for idea in ideas if idea.confidential]


def _check_confidential(confidential: bool, ideas, errors: dict[str, str]) -> None:
    """An initiative is at least as confidential as the ideas it grew from: its summary and
    team would otherwise show what the idea's author was promised to keep close (7.1.7)."""
    secret = _confidential_ideas(ideas)
    if not confidential and secret:
        errors["confidential"] = (f"“{secret[0].title}” is confidential, so the initiative must "
                                  "be too (make the idea public first if that is intended).")


def _check_template(template: WorkflowTemplate | None, errors: dict[str, str]) -> None:
    if template is None or not template.active or template.current_id is None:
        errors["template"] = "Choose an active workflow template with a published version."


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _touch(initiative: Initiative) -> None:
    initiative.updated_at = timezone.now()
    initiative.save(update_fields=["updated_at"])


# --- Promote ----------------------------------------------------------------------------------


def _idea_ids(ideas) -> list[int]:
    """Ideas as rows or ids, in the order given, once each."""
    ids: list[int] = []
    for idea in ideas:
        pk = getattr(idea, "pk", idea)
        if not isinstance(pk, int) or isinstance(pk, bool) or not is_valid_id(pk):
            raise ValidationError({"ideas": "One of these ideas does not exist."})
        if pk not in ids:
            ids.append(pk)
    return ids


def _check_ideas(rows: list[Idea], errors: dict[str, str]) -> None:
    problems = []
    for idea in rows:
        if idea.status not in PROMOTABLE:
            problems.append(f"“{idea.title}” is {idea.get_status_display().lower()}")
    if problems:
        errors["ideas"] = ("; ".join(problems) + ": only submitted, reviewed, selected or parked "
                           "ideas can be promoted.")
    linked = (InitiativeIdea.objects.filter(idea_id__in=[idea.pk for idea in rows])
              .select_related("idea").order_by("idea_id").first())
    if linked is not None:
        errors["ideas"] = f"“{linked.idea.title}” already feeds an initiative."


@transaction.atomic
def promote_ideas(actor, ideas: list[Idea], *, title: str = "", summary: str = "",
                  template: WorkflowTemplate | None = None, lead=None, org_unit=None,
                  horizon: str = "", confidential: bool | None = None, objectives=(),
                  focus_areas=(), projected_value: Decimal | None = None) -> Initiative:
    """Promote ``ideas`` (one, or several that belong together; rows or ids) into a new
    initiative. Whatever is not given comes from ``promotion_defaults`` (the first idea's title
    and description, its type's template, its focus area's horizon, the ideas' focus areas,
    confidential when any idea is); the lead defaults to the actor and the unit to the lead's.
    Each idea feeds at most one initiative; the ideas become "selected" and their authors and
    followers are told."""
    from seedbed.ideas.selectors import visible_ideas

    if not policy.can(actor, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers promote ideas into initiatives.")
    ids = _idea_ids(ideas)
    if not ids:
        raise ValidationError({"ideas": "Choose at least one idea to promote."})
    if len(ids) > MAX_IDEAS:
        raise ValidationError({"ideas": f"Promote at most {MAX_IDEAS} ideas at once."})
    # Locked so that two managers promoting the same idea cannot both link it.
    locked = {idea.pk: idea for idea in visible_ideas(actor).select_for_update(of=("self",))
              .filter(pk__in=ids).select_related("idea_type", "focus_area", "challenge")}
    if len(locked) != len(ids):
        raise ValidationError({"ideas": "One of these ideas does not exist."})
    rows = [locked[pk] for pk in ids]
    defaults = promotion_defaults(rows)
    errors: dict[str, str] = {}
    _check_ideas(rows, errors)
    title = clean_text(title or defaults["title"], "title", max_length=200, errors=errors,
                       required=True)
    summary = clean_text(summary or defaults["summary"], "summary", max_length=20000,
                         errors=errors)
    template = template or defaults["template"]
    _check_template(template, errors)
    lead = lead or actor
    _check_lead(lead, errors)
    horizon = horizon or defaults["horizon"]
    if horizon not in Initiative.Horizon.values:
        errors["horizon"] = "Choose H1, H2 or H3."
    confidential = defaults["confidential"] if confidential is None else bool(confidential)
    _check_confidential(confidential, rows, errors)
    focus_areas = list(focus_areas) or defaults["focus_areas"]
    _check_focus_areas(focus_areas, {a.pk for a in defaults["focus_areas"]}, errors)
    value = _clean_value(projected_value, errors)
    if errors:
        raise ValidationError(errors)
    version = template.current
    stage = version.stages.order_by("position").first()
    if stage is None:
        raise StateConflict("This template's published version has no stages.", "no_stages")
    now = timezone.now()
    initiative = Initiative.objects.create(
        title=title, summary=summary, version=version, stage=stage, idea_type=rows[0].idea_type,
        lead=lead, org_unit=org_unit or lead.org_unit, horizon=horizon,
        confidential=confidential, created_by=actor, created_at=now, updated_at=now,
        stage_entered_at=now, projected_value=value or 0)
    InitiativeIdea.objects.bulk_create(
        [InitiativeIdea(initiative=initiative, idea=idea, linked_at=now) for idea in rows])
    initiative.focus_areas.set(focus_areas)
    initiative.objectives.set(list(objectives))
    changes = audit.created(initiative, INITIATIVE_FIELDS)
    changes["ideas"] = {"before": None, "after": ids}
    followed = follow_ideas(actor, initiative, "promoted",
                            f"Promoted into the initiative “{initiative.title}”.")
    if followed:
        changes["idea_status"] = {"before": None, "after": followed}
    audit.record(actor, "initiative.promoted", initiative, changes)
    return initiative


# --- Edit -------------------------------------------------------------------------------------


@transaction.atomic
def update_initiative(actor, initiative: Initiative, *, title=_UNSET, summary=_UNSET,
                      lead=_UNSET, org_unit=_UNSET, horizon=_UNSET, confidential=_UNSET,
                      objectives=_UNSET, focus_areas=_UNSET,
                      projected_value=_UNSET) -> Initiative:
    """Change what an initiative is about and who runs it. Innovation managers may change every
    field; the lead only the title, summary and projected value. Status and stage are not
    fields here: gates change them. Records nothing when nothing changed."""
    given = {name: value for name, value in (
        ("title", title), ("summary", summary), ("lead", lead), ("org_unit", org_unit),
        ("horizon", horizon), ("confidential", confidential), ("objectives", objectives),
        ("focus_areas", focus_areas), ("projected_value", projected_value))
        if value is not _UNSET}
    initiative = _lock(initiative)
    if not may_manage(actor, initiative):
        raise PermissionDenied("Only innovation managers and the initiative's lead may edit it.")
    if not policy.can(actor, "pipeline.manage") and set(given) - LEAD_FIELDS:
        raise PermissionDenied("As the lead you may change the title, summary and projected "
                               "value; ask an innovation manager for the rest.")
    before = audit.snapshot(initiative, EDIT_FIELDS)
    errors: dict[str, str] = {}
    if "title" in given:
        initiative.title = clean_text(given["title"], "title", max_length=200, errors=errors,
                                      required=True)
    if "summary" in given:
        initiative.summary = clean_text(given["summary"], "summary", max_length=20000,
                                        errors=errors)
    if "lead" in given:
        _check_lead(given["lead"], errors)
        initiative.lead = given["lead"]
    if "org_unit" in given:
        initiative.org_unit = given["org_unit"]
    if "horizon" in given:
        if given["horizon"] not in Initiative.Horizon.values:
            errors["horizon"] = "Choose H1, H2 or H3."
        initiative.horizon = given["horizon"]
    if "confidential" in given:
        initiative.confidential = bool(given["confidential"])
        _check_confidential(initiative.confidential, initiative.ideas.all(), errors)
    if "focus_areas" in given:
        _check_focus_areas(given["focus_areas"], set(before["focus_areas"]), errors)
    if "projected_value" in given:
        value = _clean_value(given["projected_value"], errors)
        initiative.projected_value = value if value is not None else Decimal(0)
    if errors:
        raise ValidationError(errors)
    if "objectives" in given:
        initiative.objectives.set(list(given["objectives"]))
    if "focus_areas" in given:
        initiative.focus_areas.set(list(given["focus_areas"]))
    changes = audit.diff(before, audit.snapshot(initiative, EDIT_FIELDS))
    if not changes:
        return initiative
    initiative.updated_at = timezone.now()
    initiative.save(update_fields=[name for name in (
        "title", "summary", "lead", "org_unit", "horizon", "confidential", "projected_value")
        if name in changes] + ["updated_at"])
    audit.record(actor, "initiative.updated", initiative, changes)
    return initiative


# --- Team -------------------------------------------------------------------------------------


def _person_for_team(initiative: Initiative, email: str, role: str,
                     errors: dict[str, str]):
    """The account an e-mail address names, if it may join this team in ``role``."""
    from seedbed.accounts.models import User

    person = User.objects.filter(email__iexact=email).first() if email else None
    person_role = policy.role_of(person)
    if person is None or person_role is None:
        errors["email"] = "No active account has this e-mail address."
        return None
    if person_role == policy.AUDITOR:
        errors["email"] = "Auditors only read the records; they do not join teams."
    elif person_role == policy.PARTNER:
        if role != TeamMember.Role.PARTNER:
            errors["role"] = "Partner accounts join a team in the partner role."
        if not partner_org_active(person.partner_org_id):
            errors["email"] = ("This partner's organisation has no agreement in force: record "
                               "one in the partner register first.")
    elif role == TeamMember.Role.PARTNER:
        errors["role"] = "The partner role is for partner accounts; choose member or sponsor."
    if person.pk == initiative.lead_id:
        errors["email"] = f"{person.full_name} already leads this initiative."
    elif TeamMember.objects.filter(initiative_id=initiative.pk, user_id=person.pk).exists():
        errors["email"] = f"{person.full_name} is already on the team."
    return person


@transaction.atomic
def add_team_member(actor, initiative: Initiative, *, email: str,
                    role: str = TeamMember.Role.MEMBER) -> TeamMember:
    """Add a person to the team by their e-mail address: an employee as member or sponsor, or a
    partner account (whose organisation has an agreement in force) as partner. Being on the team
    lets them see the initiative even when it is confidential, and work on it."""
    initiative = _lock(initiative)
    if not may_manage(actor, initiative):
        raise PermissionDenied("Only innovation managers and the initiative's lead may change "
                               "its team.")
    errors: dict[str, str] = {}
    email = clean_text(email, "email", max_length=254, errors=errors, required=True)
    if role not in TeamMember.Role.values:
        errors["role"] = "Choose member, sponsor or partner."
    person = None if errors else _person_for_team(initiative, email, role, errors)
    if errors:
        raise ValidationError(errors)
    member = TeamMember.objects.create(initiative=initiative, user=person, role=role,
                                       added_by=actor, added_at=timezone.now())
    _touch(initiative)
    audit.record(actor, "initiative.member_added", initiative, {
        "team": {"before": None, "after": {"user": person.pk, "role": role}}})
    return member


@transaction.atomic
def remove_team_member(actor, initiative: Initiative, member: TeamMember) -> TeamMember:
    """Take a person off the team (never the lead: change the lead first)."""
    initiative = _lock(initiative)
    if not may_manage(actor, initiative):
        raise PermissionDenied("Only innovation managers and the initiative's lead may change "
                               "its team.")
    row = (TeamMember.objects.select_for_update()
           .filter(pk=member.pk, initiative_id=initiative.pk).first())
    if row is None:
        raise StateConflict("This person is no longer on the team.", "not_on_team")
    if row.user_id == initiative.lead_id:
        raise StateConflict("The lead stays on the team: choose another lead first.", "lead")
    row.delete()
    row.pk = member.pk  # the caller answers with what was removed
    _touch(initiative)
    audit.record(actor, "initiative.member_removed", initiative, {
        "team": {"before": {"user": row.user_id, "role": row.role}, "after": None}})
    return row
