"""Workflow templates (clause 8.3): create and edit templates, and version them.

A template's versions protect history. Only a *draft* version can change; publishing it makes it
the template's current version (the previous one becomes *superseded*) and freezes it for good.
Initiatives keep pointing at the version and stages they started on, so no edit here can rewrite
what a running or finished initiative went through. New promotions start on the current version.
A template has at most one draft; "start a new version" copies the current version (stages, gate
items, scorecard and criteria) into it.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from seedbed import policy
from seedbed.audit import service as audit
from seedbed.core.errors import StateConflict
from seedbed.ideas.models import IdeaType
from seedbed.lib.validation import clean_text
from seedbed.pipeline.actions._criteria import clean_criterion
from seedbed.pipeline.models import (
    Criterion,
    Evaluation,
    GateItem,
    Initiative,
    Scorecard,
    Stage,
    TemplateVersion,
    WorkflowTemplate,
)

TEMPLATE_FIELDS = ("code", "name", "description", "idea_type", "active")
VERSION_FIELDS = ("template", "number", "status", "note")
STAGE_FIELDS = ("key", "name", "description", "phase", "gate_name", "gate_criteria",
                "decider_roles", "risk_appetite", "position")
ITEM_FIELDS = ("stage", "kind", "label", "rule", "position")
CRITERION_FIELDS = ("key", "name", "description", "weight", "min_score", "max_score",
                    "higher_is_better", "position")

# The roles a template may name as a gate's deciders (admins decide where managers do).
DECIDER_ROLES = (policy.LEADER, policy.MANAGER)
MAX_STAGES = 12
MAX_ITEMS_PER_STAGE = 15
MAX_CRITERIA = 15
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Stage positions are unique per version; a reorder first lifts every row clear of the final
# positions so that no intermediate state collides (PostgreSQL checks row by row).
_LIFT = 1000

Draft = TemplateVersion.Status.DRAFT


def _require_manage(actor) -> None:
    if not policy.can(actor, "pipeline.manage"):
        raise PermissionDenied("Only innovation managers edit workflow templates.")


def _slug_key(text: str) -> str:
    return slugify(text).replace("-", "_")[:40].strip("_")


def _clean_key(value: Any, errors: dict[str, str], *, field: str = "key") -> str:
    key = value.strip() if isinstance(value, str) else ""
    if not KEY_PATTERN.match(key):
        errors[field] = ("Use a key of lower-case letters, digits, hyphens and underscores, "
                         "starting with a letter (at most 40).")
    return key


def _clean_int(value: Any, field: str, low: int, high: int, errors: dict[str, str],
               message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = message
        return 0
    return value


# --- templates -------------------------------------------------------------------------------

def _idea_type_of(value: IdeaType | int | None, errors: dict[str, str]) -> IdeaType | None:
    if value is None or isinstance(value, IdeaType):
        return value
    found = (IdeaType.objects.filter(pk=value).first()
             if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
             else None)
    if found is None:
        errors["idea_type"] = "No such idea type."
    return found


def _clean_template(data: dict[str, Any], *, instance: WorkflowTemplate | None
                    ) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = clean_text(data.get("name"), "name", max_length=120, errors=errors, required=True)
    description = clean_text(data.get("description"), "description", max_length=5000,
                             errors=errors)
    others = WorkflowTemplate.objects.exclude(pk=instance.pk if instance else None)
    if name and "name" not in errors and others.filter(name__iexact=name).exists():
        errors["name"] = "Another template already has this name."
    clean = {"name": name, "description": description}
    if instance is None:
        code = data.get("code")
        code = (code.strip() if isinstance(code, str) else "") or _slug_key(name or "")
        if not CODE_PATTERN.match(code):
            errors["code"] = ("Use a code of lower-case letters, digits and underscores, "
                              "starting with a letter (at most 40).")
        elif others.filter(code=code).exists():
            errors["code"] = "Another template already has this code."
        clean["code"] = code
    idea_type = _idea_type_of(data.get("idea_type"), errors)
    if idea_type is not None:
        taken = others.filter(idea_type=idea_type).first()
        if taken is not None:
            errors["idea_type"] = (f"“{taken.name}” already follows this idea type: each idea "
                                   "type has one template.")
    clean["idea_type"] = idea_type
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def create_template(actor, *, name: str, code: str = "", description: str = "",
                    idea_type: IdeaType | int | None = None) -> WorkflowTemplate:
    """A new template with an empty draft version 1 (and its scorecard) to fill in."""
    _require_manage(actor)
    clean = _clean_template({"name": name, "code": code, "description": description,
                             "idea_type": idea_type}, instance=None)
    position = (WorkflowTemplate.objects.aggregate(n=Max("position"))["n"] or 0) + 1
    template = WorkflowTemplate.objects.create(position=position, **clean)
    version = TemplateVersion.objects.create(template=template, number=1, note="First version.",
                                             created_by=actor)
    Scorecard.objects.create(version=version, name=f"{template.name} scorecard")
    changes = audit.created(template, TEMPLATE_FIELDS)
    changes["draft"] = {"before": None, "after": version.number}
    audit.record(actor, "workflow_template.created", template, changes)
    return template


@transaction.atomic
def update_template(actor, template: WorkflowTemplate, **changes: Any) -> WorkflowTemplate:
    """Rename, describe, link to another idea type (``idea_type=None`` unlinks) or
    (de)activate a template. Its code never changes: exports and the API name it by code.
    A deactivated template is no longer offered to new promotions; running initiatives on it go
    on."""
    _require_manage(actor)
    template = WorkflowTemplate.objects.select_for_update().get(pk=template.pk)
    before = audit.snapshot(template, TEMPLATE_FIELDS)
    merged = {
        "name": changes["name"] if changes.get("name") is not None else template.name,
        "description": (changes["description"] if changes.get("description") is not None
                        else template.description),
        "idea_type": changes.get("idea_type", template.idea_type_id),
    }
    clean = _clean_template(merged, instance=template)
    if changes.get("active") is not None:
        clean["active"] = bool(changes["active"])
        if (template.active and not clean["active"] and not WorkflowTemplate.objects.filter(
                active=True).exclude(pk=template.pk).exists()):
            raise StateConflict("At least one workflow template must stay active.",
                                "last_active_template")
    for field, value in clean.items():
        setattr(template, field, value)
    template.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(template, TEMPLATE_FIELDS))
    if change_set:
        verb = "workflow_template.updated"
        if set(change_set) == {"active"}:
            verb = ("workflow_template.activated" if template.active
                    else "workflow_template.deactivated")
        audit.record(actor, verb, template, change_set)
    return template


# --- versions --------------------------------------------------------------------------------

def _lock_draft(version_id: int) -> TemplateVersion:
    """The version, locked; a published or superseded version refuses every change."""
    version = (TemplateVersion.objects.select_for_update(of=("self",))
               .select_related("template").get(pk=version_id))
    if version.status != Draft:
        raise StateConflict(
            f"Version {version.number} is {version.get_status_display().lower()}: published "
            "versions never change, so initiatives on them keep their history. Start a new "
            "version to make changes.", "version_locked")
    return version


def _scorecard_of(version: TemplateVersion) -> Scorecard:
    scorecard, _ = Scorecard.objects.get_or_create(
        version=version, defaults={"name": f"{version.template.name} scorecard"})
    return scorecard


def _copy_into(source: TemplateVersion, target: TemplateVersion) -> None:
    """Copy ``source``'s stages, gate items, scorecard and criteria into the empty ``target``."""
    items = []
    for stage in source.stages.prefetch_related("gate_items").order_by("position"):
        copy = Stage.objects.create(
            version=target, position=stage.position, key=stage.key, name=stage.name,
            description=stage.description, phase=stage.phase, gate_name=stage.gate_name,
            gate_criteria=stage.gate_criteria, decider_roles=list(stage.decider_roles),
            risk_appetite=stage.risk_appetite)
        items += [GateItem(stage=copy, position=item.position, kind=item.kind, label=item.label,
                           rule=item.rule) for item in stage.gate_items.all()]
    GateItem.objects.bulk_create(items)
    old = Scorecard.objects.filter(version=source).first()
    scorecard = Scorecard.objects.create(
        version=target, name=old.name if old else f"{target.template.name} scorecard",
        blind=old.blind if old else True)
    if old is not None:
        Criterion.objects.bulk_create([
            Criterion(scorecard=scorecard, key=c.key, name=c.name, description=c.description,
                      weight=c.weight, min_score=c.min_score, max_score=c.max_score,
                      higher_is_better=c.higher_is_better, position=c.position)
            for c in old.criteria.all()])


@transaction.atomic
def start_version(actor, template: WorkflowTemplate, *, note: str = "") -> TemplateVersion:
    """A new draft copied from the current version (empty when none was ever published)."""
    _require_manage(actor)
    # Locking the template serialises two managers starting a draft at the same moment.
    template = WorkflowTemplate.objects.select_for_update().get(pk=template.pk)
    errors: dict[str, str] = {}
    note = clean_text(note, "note", max_length=300, errors=errors)
    if errors:
        raise ValidationError(errors)
    draft = TemplateVersion.objects.filter(template=template, status=Draft).first()
    if draft is not None:
        raise StateConflict(f"Version {draft.number} is already a draft: finish or discard it "
                            "before starting another.", "draft_exists")
    number = (TemplateVersion.objects.filter(template=template)
              .aggregate(n=Max("number"))["n"] or 0) + 1
    source = template.current
    version = TemplateVersion.objects.create(template=template, number=number, note=note,
                                             created_by=actor)
    if source is not None:
        _copy_into(source, version)
    else:
        _scorecard_of(version)
    changes = audit.created(version, VERSION_FIELDS)
    changes["copied_from"] = {"before": None, "after": source.number if source else None}
    audit.record(actor, "template_version.started", version, changes)
    return version


@transaction.atomic
def update_draft(actor, version: TemplateVersion, *, note: str | None = None,
                 scorecard_name: str | None = None, blind: bool | None = None
                 ) -> TemplateVersion:
    """The draft's note (what changes) and its scorecard's name and blind-review setting."""
    _require_manage(actor)
    version = _lock_draft(version.pk)
    scorecard = Scorecard.objects.select_for_update().get(pk=_scorecard_of(version).pk)
    before = {"note": version.note, "scorecard_name": scorecard.name, "blind": scorecard.blind}
    errors: dict[str, str] = {}
    if note is not None:
        version.note = clean_text(note, "note", max_length=300, errors=errors)
    if scorecard_name is not None:
        scorecard.name = clean_text(scorecard_name, "scorecard_name", max_length=120,
                                    errors=errors, required=True)
    if blind is not None:
        scorecard.blind = bool(blind)
    if errors:
        raise ValidationError(errors)
    version.save(update_fields=["note"])
    scorecard.save(update_fields=["name", "blind"])
    change_set = audit.diff(before, {"note": version.note, "scorecard_name": scorecard.name,
                                     "blind": scorecard.blind})
    if change_set:
        audit.record(actor, "template_version.updated", version, change_set)
    return version


def publish_problems(stages: list[Stage], criteria: list[Criterion]) -> dict[str, list[str]]:
    """What stops a draft with these stages and criteria from being published, by field (empty
    when it is ready). The version page shows the same list while the draft is edited."""
    problems: dict[str, list[str]] = {}
    if not stages:
        problems["stages"] = ["Add at least one stage."]
    undecided = [s.name for s in stages if not s.decider_roles]
    if undecided:
        problems["decider_roles"] = [
            "Every gate needs at least one deciding role; none is named for: "
            + ", ".join(undecided) + "."]
    if not criteria:
        problems["criteria"] = ["Add at least one scorecard criterion."]
    elif any(c.weight <= 0 for c in criteria):
        problems["criteria"] = ["Every criterion needs a weight above zero."]
    return problems


@transaction.atomic
def publish_version(actor, version: TemplateVersion, *, note: str | None = None
                    ) -> TemplateVersion:
    """Make the draft the template's current version; the previous one is superseded. Checks:
    at least one stage, a deciding role at every gate, at least one criterion, positive
    weights."""
    _require_manage(actor)
    template = WorkflowTemplate.objects.select_for_update().get(pk=version.template_id)
    version = _lock_draft(version.pk)
    problems = publish_problems(list(version.stages.order_by("position")),
                                list(Criterion.objects.filter(scorecard__version=version)))
    errors: dict[str, str] = {}
    if note is not None:
        note = clean_text(note, "note", max_length=300, errors=errors)
    problems.update({field: [message] for field, message in errors.items()})
    if problems:
        raise ValidationError(problems)
    previous = template.current
    now = timezone.now()
    if previous is not None:
        previous.status = TemplateVersion.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status = TemplateVersion.Status.PUBLISHED
    version.published_at = now
    update = ["status", "published_at"]
    if note is not None:
        version.note = note
        update.append("note")
    version.save(update_fields=update)
    template.current = version
    template.save(update_fields=["current"])
    changes = {
        "status": {"before": Draft, "after": version.status},
        "template_current": {"before": previous.number if previous else None,
                             "after": version.number},
    }
    if previous is not None:
        changes["superseded"] = {"before": None, "after": previous.pk}
    audit.record(actor, "template_version.published", version, changes)
    return version


@transaction.atomic
def discard_draft(actor, version: TemplateVersion) -> WorkflowTemplate:
    """Delete a draft with its stages, items and scorecard. Nothing can point at a draft (no
    initiative starts on one, no evaluation uses its scorecard), so no history is lost."""
    _require_manage(actor)
    version = _lock_draft(version.pk)
    if (Initiative.objects.filter(version=version).exists()
            or Evaluation.objects.filter(scorecard__version=version).exists()):
        raise StateConflict("Records point at this version; it cannot be discarded.",
                            "version_in_use")
    snapshot = audit.snapshot(version, VERSION_FIELDS)
    snapshot["stages"] = list(version.stages.order_by("position").values_list("key", flat=True))
    changes = audit.diff(snapshot, {})
    audit.record(actor, "template_version.discarded", version, changes)
    template = version.template
    version.delete()
    return template


# --- stages ----------------------------------------------------------------------------------

def _clean_stage(data: dict[str, Any], *, version: TemplateVersion,
                 instance: Stage | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    key = _clean_key(data.get("key"), errors)
    if "key" not in errors and Stage.objects.filter(version=version, key=key).exclude(
            pk=instance.pk if instance else None).exists():
        errors["key"] = "Another stage of this version already uses this key."
    name = clean_text(data.get("name"), "name", max_length=80, errors=errors, required=True)
    description = clean_text(data.get("description"), "description", max_length=5000,
                             errors=errors)
    phase = data.get("phase")
    if phase not in Stage.Phase.values:
        errors["phase"] = "Choose the phase of the innovation process this stage belongs to."
    gate_name = clean_text(data.get("gate_name"), "gate_name", max_length=120, errors=errors)
    gate_criteria = clean_text(data.get("gate_criteria"), "gate_criteria", max_length=5000,
                               errors=errors)
    roles = data.get("decider_roles")
    roles = list(roles) if isinstance(roles, (list, tuple, set)) else None
    if roles is None or any(role not in DECIDER_ROLES for role in roles):
        errors["decider_roles"] = "Deciders are named by role: top management or innovation " \
                                  "managers."
        roles = []
    appetite = _clean_int(data.get("risk_appetite"), "risk_appetite", 0, 100, errors,
                          "Give the risk appetite as a whole number from 0 to 100.")
    if errors:
        raise ValidationError(errors)
    return {"key": key, "name": name, "description": description, "phase": phase,
            "gate_name": gate_name or f"{name} gate", "gate_criteria": gate_criteria,
            "decider_roles": [r for r in DECIDER_ROLES if r in roles],
            "risk_appetite": appetite}


@transaction.atomic
def add_stage(actor, version: TemplateVersion, *, key: str, name: str, phase: str,
              description: str = "", gate_name: str = "", gate_criteria: str = "",
              decider_roles: list[str] | tuple[str, ...] = (), risk_appetite: int = 50) -> Stage:
    """A new last stage of a draft. Its gate is named after it unless given a name."""
    _require_manage(actor)
    version = _lock_draft(version.pk)
    clean = _clean_stage({"key": key, "name": name, "phase": phase, "description": description,
                          "gate_name": gate_name, "gate_criteria": gate_criteria,
                          "decider_roles": decider_roles, "risk_appetite": risk_appetite},
                         version=version, instance=None)
    count = Stage.objects.filter(version=version).count()
    if count >= MAX_STAGES:
        raise ValidationError({"__all__": f"A version has at most {MAX_STAGES} stages."})
    stage = Stage.objects.create(version=version, position=count, **clean)
    changes = audit.created(stage, STAGE_FIELDS)
    changes["version"] = {"before": None, "after": version.pk}
    audit.record(actor, "template_stage.created", stage, changes)
    return stage


@transaction.atomic
def update_stage(actor, stage: Stage, **changes: Any) -> Stage:
    """Edit a draft's stage: any field left out (or None) keeps its value."""
    _require_manage(actor)
    version = _lock_draft(stage.version_id)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    before = audit.snapshot(stage, STAGE_FIELDS)
    merged = {name: (changes[name] if changes.get(name) is not None else getattr(stage, name))
              for name in ("key", "name", "description", "phase", "gate_name", "gate_criteria",
                           "decider_roles", "risk_appetite")}
    if changes.get("gate_name") is None and changes.get("name") is not None \
            and stage.gate_name == f"{stage.name} gate":
        merged["gate_name"] = ""  # a gate named after its stage follows the stage's new name
    clean = _clean_stage(merged, version=version, instance=stage)
    for name, value in clean.items():
        setattr(stage, name, value)
    stage.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(stage, STAGE_FIELDS))
    if change_set:
        audit.record(actor, "template_stage.updated", stage, change_set)
    return stage


def _place(version: TemplateVersion, ordered: list[Stage]) -> None:
    Stage.objects.filter(version=version).update(position=F("position") + _LIFT)
    for position, stage in enumerate(ordered):
        stage.position = position
    Stage.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def remove_stage(actor, stage: Stage) -> TemplateVersion:
    """Delete a draft's stage with its gate items; the stages after it move up."""
    _require_manage(actor)
    version = _lock_draft(stage.version_id)
    stage = Stage.objects.get(pk=stage.pk)
    changes = audit.diff(audit.snapshot(stage, STAGE_FIELDS), {})
    changes["gate_items"] = {"before": list(stage.gate_items.values_list("label", flat=True)),
                             "after": None}
    audit.record(actor, "template_stage.removed", stage, changes)
    stage.delete()
    _place(version, list(Stage.objects.filter(version=version).order_by("position")))
    return version


@transaction.atomic
def reorder_stages(actor, version: TemplateVersion, stage_ids: list[int]) -> list[Stage]:
    """Put a draft's stages in the given order (every stage of the version, once)."""
    _require_manage(actor)
    version = _lock_draft(version.pk)
    stages = list(Stage.objects.filter(version=version).order_by("position"))
    if (len(set(stage_ids)) != len(stage_ids)
            or sorted(stage_ids) != sorted(s.pk for s in stages)):
        raise ValidationError({"stage_ids": "Name every stage of this version exactly once."})
    before = [s.pk for s in stages]
    if before == list(stage_ids):
        return stages
    by_id = {s.pk: s for s in stages}
    ordered = [by_id[pk] for pk in stage_ids]
    _place(version, ordered)
    audit.record(actor, "template_stage.reordered", version, {
        "stage_order": {"before": [by_id[pk].key for pk in before],
                        "after": [s.key for s in ordered]}})
    return ordered


@transaction.atomic
def move_stage(actor, stage: Stage, direction: str) -> Stage:
    """One step earlier ("up") or later ("down") in its version; at either end, nothing."""
    _require_manage(actor)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a stage up or down."})
    version = _lock_draft(stage.version_id)
    ids = list(Stage.objects.filter(version_id=stage.version_id).order_by("position")
               .values_list("pk", flat=True))
    i = ids.index(stage.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        reorder_stages(actor, version, ids)
    stage.refresh_from_db()
    return stage


# --- gate items ------------------------------------------------------------------------------

def _clean_item(data: dict[str, Any], *, stage: Stage, instance: GateItem | None
                ) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in GateItem.Kind.values:
        errors["kind"] = "Choose a checklist item or required evidence."
    label = clean_text(data.get("label"), "label", max_length=200, errors=errors,
                       required=True)
    rule = data.get("rule") or ""
    if kind == GateItem.Kind.EVIDENCE:
        if rule not in GateItem.Rule.values:
            errors["rule"] = "Choose the evidence rule the system checks for this item."
        elif GateItem.objects.filter(stage=stage, rule=rule).exclude(
                pk=instance.pk if instance else None).exists():
            errors["rule"] = "This gate already requires this evidence."
    elif kind == GateItem.Kind.CHECK and rule:
        errors["rule"] = ("A checklist item is confirmed by the deciders and takes no evidence "
                          "rule; choose “Required evidence” to have the system check it.")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "label": label, "rule": rule}


@transaction.atomic
def add_gate_item(actor, stage: Stage, *, kind: str, label: str, rule: str = "") -> GateItem:
    """A required item at a draft stage's gate: a checklist item the deciders confirm, or
    evidence the system checks from the initiative's records (``rule``)."""
    _require_manage(actor)
    _lock_draft(stage.version_id)
    clean = _clean_item({"kind": kind, "label": label, "rule": rule}, stage=stage,
                        instance=None)
    existing = GateItem.objects.filter(stage=stage)
    if existing.count() >= MAX_ITEMS_PER_STAGE:
        raise ValidationError({"__all__": f"A gate has at most {MAX_ITEMS_PER_STAGE} items."})
    position = (existing.aggregate(n=Max("position"))["n"] or 0) + 1
    item = GateItem.objects.create(stage=stage, position=position, **clean)
    audit.record(actor, "template_gate_item.created", item, audit.created(item, ITEM_FIELDS))
    return item


@transaction.atomic
def update_gate_item(actor, item: GateItem, **changes: Any) -> GateItem:
    _require_manage(actor)
    _lock_draft(item.stage.version_id)
    item = GateItem.objects.select_for_update().select_related("stage").get(pk=item.pk)
    before = audit.snapshot(item, ITEM_FIELDS)
    merged = {name: (changes[name] if changes.get(name) is not None else getattr(item, name))
              for name in ("kind", "label", "rule")}
    if changes.get("kind") == GateItem.Kind.CHECK and changes.get("rule") is None:
        merged["rule"] = ""  # turning evidence into a checklist item drops its rule
    clean = _clean_item(merged, stage=item.stage, instance=item)
    for name, value in clean.items():
        setattr(item, name, value)
    item.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
    if change_set:
        audit.record(actor, "template_gate_item.updated", item, change_set)
    return item


@transaction.atomic
def remove_gate_item(actor, item: GateItem) -> Stage:
    _require_manage(actor)
    _lock_draft(item.stage.version_id)
    item = GateItem.objects.select_related("stage").get(pk=item.pk)
    audit.record(actor, "template_gate_item.removed", item,
                 audit.diff(audit.snapshot(item, ITEM_FIELDS), {}))
    stage = item.stage
    item.delete()
    return stage


# --- scorecard criteria ----------------------------------------------------------------------

@transaction.atomic
def add_criterion(actor, version: TemplateVersion, *, key: str, name: str, weight: Any,
                  description: str = "", min_score: int = 1, max_score: int = 5,
                  higher_is_better: bool = True) -> Criterion:
    """A criterion of a draft's scorecard. For criteria such as risk or effort, where a high
    score is bad, ``higher_is_better`` is false and aggregation inverts the score."""
    _require_manage(actor)
    version = _lock_draft(version.pk)
    scorecard = _scorecard_of(version)
    clean = clean_criterion({"key": key, "name": name, "description": description,
                              "weight": weight, "min_score": min_score, "max_score": max_score,
                              "higher_is_better": higher_is_better},
                             scorecard=scorecard, instance=None)
    existing = Criterion.objects.filter(scorecard=scorecard)
    if existing.count() >= MAX_CRITERIA:
        raise ValidationError({"__all__": f"A scorecard has at most {MAX_CRITERIA} criteria."})
    position = (existing.aggregate(n=Max("position"))["n"] or 0) + 1
    criterion = Criterion.objects.create(scorecard=scorecard, position=position, **clean)
    changes = audit.created(criterion, CRITERION_FIELDS)
    changes["version"] = {"before": None, "after": version.pk}
    audit.record(actor, "template_criterion.created", criterion, changes)
    return criterion


def _version_of(criterion: Criterion) -> int:
    version_id = Scorecard.objects.filter(pk=criterion.scorecard_id).values_list(
        "version_id", flat=True).first()
    if version_id is None:
        raise ValueError("Only the criteria of a template version's scorecard are edited here.")
    return version_id


@transaction.atomic
def update_criterion(actor, criterion: Criterion, **changes: Any) -> Criterion:
    _require_manage(actor)
    _lock_draft(_version_of(criterion))
    criterion = Criterion.objects.select_for_update().select_related("scorecard").get(
        pk=criterion.pk)
    before = audit.snapshot(criterion, CRITERION_FIELDS)
    merged = {name: (changes[name] if changes.get(name) is not None
                     else getattr(criterion, name))
              for name in ("key", "name", "description", "weight", "min_score", "max_score",
                           "higher_is_better")}
    clean = clean_criterion(merged, scorecard=criterion.scorecard, instance=criterion)
    for name, value in clean.items():
        setattr(criterion, name, value)
    criterion.save(update_fields=list(clean))
    change_set = audit.diff(before, audit.snapshot(criterion, CRITERION_FIELDS))
    if change_set:
        audit.record(actor, "template_criterion.updated", criterion, change_set)
    return criterion


@transaction.atomic
def remove_criterion(actor, criterion: Criterion) -> TemplateVersion:
    _require_manage(actor)
    version = _lock_draft(_version_of(criterion))
    criterion = Criterion.objects.get(pk=criterion.pk)
    audit.record(actor, "template_criterion.removed", criterion,
                 audit.diff(audit.snapshot(criterion, CRITERION_FIELDS), {}))
    criterion.delete()
    return version
