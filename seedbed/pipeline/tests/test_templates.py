"""Workflow templates through their actions: creation, versioning, immutability of published
versions, publishing rules, reorder, bad input, permissions and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedbed.audit.models import AuditEvent
from seedbed.core.errors import StateConflict
from seedbed.ideas import actions as idea_actions
from seedbed.ideas.models import IdeaType
from seedbed.pipeline.actions import templates as actions
from seedbed.pipeline.actions.initiatives import promote_ideas
from seedbed.pipeline.models import (
    Criterion,
    GateItem,
    Scorecard,
    Stage,
    TemplateVersion,
    WorkflowTemplate,
)

STAGE = {"key": "trial", "name": "Line trial", "phase": "develop", "decider_roles": ["leader"],
         "risk_appetite": 40}


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def stage_keys(version: TemplateVersion) -> list[str]:
    return list(version.stages.order_by("position").values_list("key", flat=True))


@pytest.fixture
def manager(users):
    return users["manager"]


@pytest.fixture
def draft(manager, templates):
    """A draft version 2 of the process template, copied from its published version 1."""
    return actions.start_version(manager, templates["process"], note="Tighter pilot gate")


# --- creating and editing templates ----------------------------------------------------------

def test_new_template_starts_with_an_empty_draft_v1_and_one_event(manager, templates):
    IdeaType.objects.create(code="packaging", name="Packaging change")
    before = AuditEvent.objects.count()
    template = actions.create_template(
        manager, name="Packaging change", description="Trial a pack change on one line.",
        idea_type=IdeaType.objects.get(code="packaging"))
    assert template.code == "packaging_change"
    assert template.current is None
    version = template.versions.get()
    assert (version.number, version.status, version.created_by) == (1, "draft", manager)
    assert Scorecard.objects.get(version=version).name == "Packaging change scorecard"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(verb="workflow_template.created")
    assert event.changes["name"]["after"] == "Packaging change"
    assert event.changes["draft"] == {"before": None, "after": 1}


def test_template_bad_input_reports_every_field_and_stores_nothing(manager, templates):
    count = WorkflowTemplate.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.create_template(manager, name="Process improvement", code="Not A Code!",
                                description="x" * 5001,
                                idea_type=IdeaType.objects.get(code="product"))
    assert set(caught.value.message_dict) == {"name", "code", "description", "idea_type"}
    assert "one template" in caught.value.message_dict["idea_type"][0]
    with pytest.raises(ValidationError) as caught:
        actions.create_template(manager, name="Another", code="product", idea_type=999_999)
    assert set(caught.value.message_dict) == {"code", "idea_type"}
    assert WorkflowTemplate.objects.count() == count
    assert TemplateVersion.objects.filter(template__name="Another").count() == 0


def test_edit_template_name_type_and_active_flag(manager, templates):
    process = templates["process"]
    actions.update_template(manager, process, name="Process change", idea_type=None)
    process.refresh_from_db()
    assert (process.name, process.idea_type_id) == ("Process change", None)
    assert events("workflow_template.updated") == 1
    actions.update_template(manager, process, active=False)
    assert events("workflow_template.deactivated") == 1
    actions.update_template(manager, process, idea_type=IdeaType.objects.get(code="process"))
    process.refresh_from_db()
    assert process.idea_type.code == "process" and process.code == "process"


def test_the_last_active_template_cannot_be_deactivated(manager, templates):
    for code in ("product", "process", "business_model"):
        actions.update_template(manager, templates[code], active=False)
    with pytest.raises(StateConflict) as caught:
        actions.update_template(manager, templates["continuous_improvement"], active=False)
    assert caught.value.code == "last_active_template"
    assert WorkflowTemplate.objects.get(code="continuous_improvement").active is True


# --- versions --------------------------------------------------------------------------------

def test_new_version_copies_stages_items_scorecard_and_criteria(draft, templates):
    v1 = templates["process"].current
    assert (draft.number, draft.status, draft.note) == (2, "draft", "Tighter pilot gate")
    assert stage_keys(draft) == stage_keys(v1) == ["diagnose", "pilot", "rollout",
                                                   "standardise"]
    copied = {s.key: s for s in draft.stages.all()}
    for stage in v1.stages.all():
        twin = copied[stage.key]
        assert twin.pk != stage.pk
        assert (twin.decider_roles, twin.risk_appetite, twin.gate_criteria) == (
            stage.decider_roles, stage.risk_appetite, stage.gate_criteria)
        assert [(i.kind, i.label, i.rule) for i in twin.gate_items.all()] == [
            (i.kind, i.label, i.rule) for i in stage.gate_items.all()]
    old, new = v1.scorecard, draft.scorecard
    assert new.pk != old.pk and new.blind == old.blind
    assert [(c.key, c.weight, c.higher_is_better) for c in new.criteria.all()] == [
        (c.key, c.weight, c.higher_is_better) for c in old.criteria.all()]
    event = AuditEvent.objects.get(verb="template_version.started")
    assert event.changes["copied_from"] == {"before": None, "after": 1}


def test_a_template_has_at_most_one_draft(manager, draft, templates):
    with pytest.raises(StateConflict) as caught:
        actions.start_version(manager, templates["process"])
    assert caught.value.code == "draft_exists"
    assert TemplateVersion.objects.filter(template=templates["process"]).count() == 2


def test_publish_supersedes_the_previous_version_and_becomes_current(manager, draft, templates):
    v1 = templates["process"].current
    before = AuditEvent.objects.count()
    actions.publish_version(manager, draft, note="Pilot gate decided by leaders")
    draft.refresh_from_db()
    v1.refresh_from_db()
    template = WorkflowTemplate.objects.get(pk=templates["process"].pk)
    assert (draft.status, v1.status) == ("published", "superseded")
    assert template.current_id == draft.pk
    assert draft.published_at is not None and draft.note == "Pilot gate decided by leaders"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(verb="template_version.published")
    assert event.changes["template_current"] == {"before": 1, "after": 2}
    # A new version is now copied from v2.
    v3 = actions.start_version(manager, template)
    assert v3.number == 3


def test_publish_refuses_an_incomplete_draft_and_changes_nothing(manager, templates):
    template = actions.create_template(manager, name="Supplier ideas")
    v1 = template.versions.get()
    with pytest.raises(ValidationError) as caught:
        actions.publish_version(manager, v1)
    assert set(caught.value.message_dict) == {"stages", "criteria"}
    actions.add_stage(manager, v1, key="screen", name="Screen", phase="concept")
    with pytest.raises(ValidationError) as caught:
        actions.publish_version(manager, v1, note="x" * 301)
    assert set(caught.value.message_dict) == {"decider_roles", "criteria", "note"}
    assert "Screen" in caught.value.message_dict["decider_roles"][0]
    v1.refresh_from_db()
    template.refresh_from_db()
    assert (v1.status, template.current_id) == ("draft", None)
    assert events("template_version.published") == 0
    actions.update_stage(manager, v1.stages.get(), decider_roles=["manager"])
    actions.add_criterion(manager, v1, key="fit", name="Fit", weight=Decimal("1.5"))
    actions.publish_version(manager, v1)
    template.refresh_from_db()
    assert template.current_id == v1.pk


def test_published_and_superseded_versions_are_immutable(manager, draft, templates):
    v1 = templates["process"].current
    actions.publish_version(manager, draft)
    for version in (TemplateVersion.objects.get(pk=v1.pk), TemplateVersion.objects.get(
            pk=draft.pk)):
        stage = version.stages.order_by("position").first()
        item = GateItem.objects.filter(stage__version=version).first()
        criterion = Criterion.objects.filter(scorecard__version=version).first()
        attempts = (
            lambda: actions.add_stage(manager, version, **STAGE),
            lambda: actions.update_stage(manager, stage, name="Renamed"),
            lambda: actions.remove_stage(manager, stage),
            lambda: actions.move_stage(manager, stage, "down"),
            lambda: actions.reorder_stages(manager, version, list(reversed(
                version.stages.values_list("pk", flat=True)))),
            lambda: actions.add_gate_item(manager, stage, kind="check", label="More"),
            lambda: actions.update_gate_item(manager, item, label="Changed"),
            lambda: actions.remove_gate_item(manager, item),
            lambda: actions.add_criterion(manager, version, key="new", name="New", weight=1),
            lambda: actions.update_criterion(manager, criterion, weight=Decimal(9)),
            lambda: actions.remove_criterion(manager, criterion),
            lambda: actions.update_draft(manager, version, note="Changed"),
            lambda: actions.publish_version(manager, version),
            lambda: actions.discard_draft(manager, version),
        )
        before = AuditEvent.objects.count()
        keys = stage_keys(version)
        for attempt in attempts:
            with pytest.raises(StateConflict) as caught:
                attempt()
            assert caught.value.code == "version_locked"
        assert AuditEvent.objects.count() == before
        assert stage_keys(version) == keys
        assert Stage.objects.get(pk=stage.pk).name == stage.name
        assert GateItem.objects.get(pk=item.pk).label == item.label
        assert Criterion.objects.get(pk=criterion.pk).weight == criterion.weight


def test_running_initiatives_keep_their_version_and_stages(manager, users, initiative,
                                                           challenge, client_for):
    """Start an initiative on product v1, publish a v2 that renames one stage and removes
    another: the initiative still shows and uses v1's stages; a new promotion starts on v2."""
    product = WorkflowTemplate.objects.get(code="product")
    v1 = product.current
    v2 = actions.start_version(manager, product, note="Customer validation; no scale stage")
    actions.update_stage(manager, v2.stages.get(key="validate"), key="customer_validation",
                         name="Customer validation")
    actions.remove_stage(manager, v2.stages.get(key="scale"))
    actions.publish_version(manager, v2)

    initiative.refresh_from_db()
    assert initiative.version_id == v1.pk
    assert initiative.stage.version_id == v1.pk and initiative.stage.key == "concept"
    assert stage_keys(v1) == ["concept", "validate", "develop", "launch", "scale"]
    page = client_for("manager").get(initiative.get_absolute_url()).content.decode()
    assert "Scale" in page and "Customer validation" not in page

    other = idea_actions.submit_idea(users["evaluator"], challenge, title="Soup refill pouches",
                                     description="Sell refills for our soup jars.")
    newer = promote_ideas(manager, [other])
    assert newer.version_id == v2.pk
    assert stage_keys(newer.version) == ["concept", "customer_validation", "develop", "launch"]
    assert newer.stage.version_id == v2.pk


def test_discarding_a_draft_deletes_it_with_its_contents(manager, draft, templates):
    stage_ids = list(draft.stages.values_list("pk", flat=True))
    scorecard = draft.scorecard.pk
    actions.discard_draft(manager, draft)
    assert not TemplateVersion.objects.filter(pk=draft.pk).exists()
    assert not Stage.objects.filter(pk__in=stage_ids).exists()
    assert not GateItem.objects.filter(stage_id__in=stage_ids).exists()
    assert not Scorecard.objects.filter(pk=scorecard).exists()
    event = AuditEvent.objects.get(verb="template_version.discarded")
    assert event.changes["number"] == {"before": 2, "after": None}
    assert event.changes["stages"]["before"] == ["diagnose", "pilot", "rollout", "standardise"]
    # The published version is untouched and a new draft can start again.
    assert templates["process"].current.stages.count() == 4
    assert actions.start_version(manager, templates["process"]).number == 2


def test_draft_note_and_scorecard_settings(manager, draft):
    actions.update_draft(manager, draft, note="Pilot at Wrexham first",
                         scorecard_name="Process scorecard 2", blind=False)
    draft.refresh_from_db()
    assert draft.note == "Pilot at Wrexham first"
    assert (draft.scorecard.name, draft.scorecard.blind) == ("Process scorecard 2", False)
    assert events("template_version.updated") == 1
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(manager, draft, note="y" * 301, scorecard_name="")
    assert set(caught.value.message_dict) == {"note", "scorecard_name"}


# --- stages ----------------------------------------------------------------------------------

def test_add_edit_and_remove_stages_keep_positions_contiguous(manager, draft):
    stage = actions.add_stage(manager, draft, **STAGE)
    assert (stage.position, stage.gate_name) == (4, "Line trial gate")
    assert events("template_stage.created") == 1
    actions.update_stage(manager, stage, name="Factory trial", risk_appetite=35)
    stage.refresh_from_db()
    # A gate named after its stage follows the new name.
    assert (stage.name, stage.gate_name, stage.risk_appetite) == (
        "Factory trial", "Factory trial gate", 35)
    actions.remove_stage(manager, draft.stages.get(key="pilot"))
    assert stage_keys(draft) == ["diagnose", "rollout", "standardise", "trial"]
    assert list(draft.stages.order_by("position").values_list("position", flat=True)) == [
        0, 1, 2, 3]
    assert events("template_stage.removed") == 1


def test_reorder_stages_up_down_and_by_list(manager, draft):
    pilot = draft.stages.get(key="pilot")
    actions.move_stage(manager, pilot, "up")
    assert stage_keys(draft) == ["pilot", "diagnose", "rollout", "standardise"]
    actions.move_stage(manager, draft.stages.get(key="pilot"), "up")  # already first: no-op
    assert events("template_stage.reordered") == 1
    actions.move_stage(manager, draft.stages.get(key="diagnose"), "down")
    assert stage_keys(draft) == ["pilot", "rollout", "diagnose", "standardise"]
    ids = dict(draft.stages.values_list("key", "pk"))
    actions.reorder_stages(manager, draft, [ids[k] for k in ("standardise", "rollout", "pilot",
                                                             "diagnose")])
    assert stage_keys(draft) == ["standardise", "rollout", "pilot", "diagnose"]
    event = AuditEvent.objects.filter(verb="template_stage.reordered").order_by("-seq").first()
    assert event.changes["stage_order"]["after"] == ["standardise", "rollout", "pilot",
                                                     "diagnose"]
    for bad in ([ids["pilot"]], [ids["pilot"]] * 4, [*ids.values(), 999_999]):
        with pytest.raises(ValidationError) as caught:
            actions.reorder_stages(manager, draft, bad)
        assert "stage_ids" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.move_stage(manager, draft.stages.get(key="pilot"), "sideways")
    assert stage_keys(draft) == ["standardise", "rollout", "pilot", "diagnose"]


def test_stage_bad_input_reports_every_field_at_once(manager, draft):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.add_stage(manager, draft, key="pilot", name="", phase="launch",
                          decider_roles=["leader", "auditor"], risk_appetite=101)
    assert set(caught.value.message_dict) == {"key", "name", "phase", "decider_roles",
                                              "risk_appetite"}
    assert "already uses" in caught.value.message_dict["key"][0]
    with pytest.raises(ValidationError) as caught:
        actions.add_stage(manager, draft, **{**STAGE, "key": "Bad Key", "risk_appetite": -1})
    assert set(caught.value.message_dict) == {"key", "risk_appetite"}
    with pytest.raises(ValidationError) as caught:
        actions.update_stage(manager, draft.stages.get(key="rollout"), key="pilot",
                             risk_appetite=True)
    assert set(caught.value.message_dict) == {"key", "risk_appetite"}
    assert draft.stages.count() == 4
    assert draft.stages.get(key="rollout").risk_appetite == 25
    assert AuditEvent.objects.count() == before


def test_a_version_has_at_most_twelve_stages(manager, draft):
    for k in range(actions.MAX_STAGES - 4):
        actions.add_stage(manager, draft, **{**STAGE, "key": f"extra{k}"})
    with pytest.raises(ValidationError):
        actions.add_stage(manager, draft, **{**STAGE, "key": "one_too_many"})
    assert draft.stages.count() == actions.MAX_STAGES


# --- gate items ------------------------------------------------------------------------------

def test_gate_items_checklist_and_evidence_rules(manager, draft):
    pilot = draft.stages.get(key="pilot")
    item = actions.add_gate_item(manager, pilot, kind="evidence", label="Value projected",
                                 rule="value_projected")
    assert list(pilot.gate_items.all())[-1] == item
    assert events("template_gate_item.created") == 1
    with pytest.raises(ValidationError) as caught:
        actions.add_gate_item(manager, pilot, kind="evidence", label="", rule="")
    assert set(caught.value.message_dict) == {"label", "rule"}
    with pytest.raises(ValidationError) as caught:
        actions.add_gate_item(manager, pilot, kind="evidence", label="Again",
                              rule="value_projected")
    assert "already requires" in caught.value.message_dict["rule"][0]
    with pytest.raises(ValidationError) as caught:
        actions.add_gate_item(manager, pilot, kind="check", label="Sign-off",
                              rule="risks_assessed")
    assert set(caught.value.message_dict) == {"rule"}
    with pytest.raises(ValidationError) as caught:
        actions.add_gate_item(manager, pilot, kind="memo", label="Sign-off")
    assert set(caught.value.message_dict) == {"kind"}
    # Turning evidence into a checklist item drops its rule.
    actions.update_gate_item(manager, item, kind="check", label="Value case reviewed")
    item.refresh_from_db()
    assert (item.kind, item.rule, item.label) == ("check", "", "Value case reviewed")
    actions.remove_gate_item(manager, item)
    assert not GateItem.objects.filter(pk=item.pk).exists()
    assert events("template_gate_item.removed") == 1


# --- criteria --------------------------------------------------------------------------------

def test_criteria_add_edit_remove(manager, draft):
    criterion = actions.add_criterion(manager, draft, key="hygiene", name="Hygiene risk",
                                      weight="1.25", min_score=0, max_score=10,
                                      higher_is_better=False)
    assert (criterion.weight, criterion.higher_is_better) == (Decimal("1.25"), False)
    actions.update_criterion(manager, criterion, weight=Decimal(2), higher_is_better=True)
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.higher_is_better, criterion.min_score) == (
        Decimal(2), True, 0)
    actions.remove_criterion(manager, criterion)
    assert not Criterion.objects.filter(pk=criterion.pk).exists()
    assert [events(f"template_criterion.{v}") for v in ("created", "updated", "removed")] == [
        1, 1, 1]


@pytest.mark.parametrize(("fields", "errors"), [
    ({"weight": 0}, {"weight"}),
    ({"weight": "-1"}, {"weight"}),
    ({"weight": "1.234"}, {"weight"}),
    ({"weight": "lots"}, {"weight"}),
    ({"min_score": 5, "max_score": 5}, {"max_score"}),
    ({"min_score": 7, "max_score": 3}, {"max_score"}),
    ({"min_score": -101, "max_score": 101}, {"min_score", "max_score"}),
    ({"key": "strategic_fit", "name": ""}, {"key", "name"}),
])
def test_criterion_bad_input(manager, draft, fields, errors):
    count = Criterion.objects.count()
    data = {"key": "hygiene", "name": "Hygiene", "weight": 1, **fields}
    with pytest.raises(ValidationError) as caught:
        actions.add_criterion(manager, draft, **data)
    assert set(caught.value.message_dict) == errors
    assert Criterion.objects.count() == count


# --- who may ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["leader", "evaluator", "contributor", "partner", "auditor"])
def test_only_those_who_run_the_ims_edit_templates(role, users, draft, templates):
    actor = users[role]
    stage = draft.stages.first()
    before = AuditEvent.objects.count()
    for attempt in (
            lambda: actions.create_template(actor, name="Mine"),
            lambda: actions.update_template(actor, templates["process"], name="Mine"),
            lambda: actions.start_version(actor, templates["product"]),
            lambda: actions.add_stage(actor, draft, **STAGE),
            lambda: actions.update_stage(actor, stage, name="Mine"),
            lambda: actions.move_stage(actor, stage, "down"),
            lambda: actions.add_criterion(actor, draft, key="x", name="X", weight=1),
            lambda: actions.publish_version(actor, draft),
            lambda: actions.discard_draft(actor, draft)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert AuditEvent.objects.count() == before


def test_demo_publishes_a_second_process_version_with_initiatives_left_on_the_first(
        users, idea, templates):
    from seedbed.core.demo.pipeline import templates_demo
    from tests.support import new_initiative

    running = new_initiative(users["manager"], idea, template="process")
    v1 = running.version
    built = templates_demo.build({"users": users})
    process = WorkflowTemplate.objects.get(code="process")
    assert process.current_id == built["process_v2"].pk != v1.pk
    assert process.current.stages.get(key="pilot").gate_items.count() == 3
    v1.refresh_from_db()
    running.refresh_from_db()
    assert (v1.status, running.version_id) == ("superseded", v1.pk)
    assert v1.stages.get(key="pilot").gate_items.count() == 2
