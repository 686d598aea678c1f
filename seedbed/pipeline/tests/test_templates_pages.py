"""Workflow template pages: what each role reads, the manager's editing flow, bad input in the
forms, refusals on published versions, and fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.actions import templates as actions
from seedbed.pipeline.models import Criterion, GateItem, Stage, TemplateVersion, WorkflowTemplate


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"pipeline:{name}", args=[pk] if pk is not None else [])


@pytest.fixture
def draft(users, templates):
    return actions.start_version(users["manager"], templates["process"],
                                 note="Pilot at Wrexham first")


STAGE_FORM = {"key": "trial", "name": "Line trial", "phase": "develop",
              "decider_roles": ["leader"], "risk_appetite": "40"}


def test_template_list_shows_each_type_current_version_and_running_initiatives(
        client_for, initiative, users, templates):
    actions.start_version(users["manager"], templates["product"])
    for role, sees_draft in (("partner", False), ("manager", True)):
        page = client_for(role).get(url("template_list"))
        html = page.content.decode()
        assert page.status_code == 200
        for name in ("Product or service", "Process improvement", "Business model",
                     "Continuous improvement"):
            assert name in html
        assert "v1: 1" in html  # the product template's running initiative
        assert ("Draft" in html) is sees_draft
        assert ("New template" in html) is sees_draft


def test_template_detail_shows_stages_gates_items_criteria_and_history(client_for, initiative,
                                                                       templates):
    html = client_for("contributor").get(
        templates["product"].get_absolute_url()).content.decode()
    for text in ("Concept", "Validate gate", "Critical assumptions tested with customers",
                 "Top management", "Innovation managers", "50 / 100",
                 "Customer interviews summarised",
                 "at least one concluded experiment on each critical assumption",
                 "Strategic fit", "1 to 5", "lower (inverted)", "Blind review",
                 "Seeded template.", "1 running"):
        assert text in html, text
    assert "Start a new version" not in html and "Edit stage" not in html


def test_drafts_are_seen_only_by_those_who_run_the_ims(client_for, draft, templates):
    detail = templates["process"].get_absolute_url()
    contributor, manager = client_for("contributor"), client_for("manager")
    assert "v2" not in contributor.get(detail).content.decode()
    assert contributor.get(url("template_version", draft.pk)).status_code == 404
    html = manager.get(detail).content.decode()
    assert "Continue editing it" in html and "v2" in html
    page = manager.get(url("template_version", draft.pk))
    assert page.status_code == 200
    assert "Publish version 2" in page.content.decode()
    # The published version is everyone's to read, with no edit controls.
    v1 = client_for("auditor").get(url("template_version", templates["process"].current_id))
    assert v1.status_code == 200 and "Edit stage" not in v1.content.decode()


def test_manager_builds_and_publishes_a_template_through_the_pages(client_for):
    client = client_for("manager")
    response = client.post(url("template_create"), {
        "name": "Packaging trials", "description": "Trial new packs on one line."})
    template = WorkflowTemplate.objects.get(name="Packaging trials")
    assert response.status_code == 302 and response["Location"] == template.get_absolute_url()
    v1 = template.versions.get()
    assert client.post(url("template_stage_create", v1.pk), STAGE_FORM).status_code == 302
    stage = v1.stages.get()
    assert client.post(url("template_item_create", stage.pk), {
        "kind": "evidence", "label": "Risks assessed", "rule": "risks_assessed"}
    ).status_code == 302
    assert client.post(url("template_criterion_create", v1.pk), {
        "key": "recyclability", "name": "Recyclability", "weight": "3", "min_score": "1",
        "max_score": "5", "higher_is_better": "on"}).status_code == 302
    assert client.post(url("template_version_edit", v1.pk), {
        "note": "First path", "scorecard_name": "Packaging scorecard"}).status_code == 302
    response = client.post(url("template_version_publish", v1.pk), {"note": ""})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.current_id == v1.pk
    v1.refresh_from_db()
    assert (v1.status, v1.note) == ("published", "First path")
    assert v1.scorecard.blind is False  # the unticked box
    assert stage.gate_items.get().rule == "risks_assessed"
    html = client.get(template.get_absolute_url()).content.decode()
    assert "Line trial" in html and "Recyclability" in html and "Start a new version" in html


def test_start_move_and_remove_through_the_pages(client_for, templates):
    client = client_for("manager")
    response = client.post(url("template_version_start", templates["process"].pk),
                           {"note": "Pilot first"})
    draft = TemplateVersion.objects.get(template=templates["process"], status="draft")
    assert response["Location"] == url("template_version", draft.pk)
    pilot = draft.stages.get(key="pilot")
    assert client.post(url("template_stage_up", pilot.pk)).status_code == 302
    assert client.post(url("template_stage_remove",
                           draft.stages.get(key="rollout").pk)).status_code == 302
    assert list(draft.stages.order_by("position").values_list("key", flat=True)) == [
        "pilot", "diagnose", "standardise"]
    again = client.post(url("template_version_start", templates["process"].pk))
    assert again.status_code == 409
    assert "already a draft" in again.content.decode()
    assert client.post(url("template_version_discard", draft.pk)).status_code == 302
    assert not TemplateVersion.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(("data", "fields"), [
    ({"risk_appetite": "101"}, ["risk_appetite"]),
    ({"decider_roles": ["leader", "auditor"]}, ["decider_roles"]),
    ({"key": "pilot"}, ["key"]),  # the draft already has a "pilot" stage
    ({"key": "Not a key", "phase": "launch", "name": ""}, ["key", "phase", "name"]),
])
def test_stage_form_bad_input_shows_field_errors_and_stores_nothing(client_for, draft, data,
                                                                    fields):
    client = client_for("manager")
    before = (Stage.objects.count(), AuditEvent.objects.count())
    response = client.post(url("template_stage_create", draft.pk), {**STAGE_FORM, **data})
    assert response.status_code == 400
    form = response.context["form"]
    assert sorted(form.errors) == sorted(fields)
    assert 'class="field-error"' in response.content.decode()
    assert (Stage.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(("data", "field"), [
    ({"weight": "0"}, "weight"),
    ({"min_score": "5", "max_score": "5"}, "max_score"),
    ({"min_score": "9", "max_score": "2"}, "max_score"),
    ({"key": "strategic_fit"}, "key"),
])
def test_criterion_form_bad_input(client_for, draft, data, field):
    client = client_for("manager")
    count = Criterion.objects.count()
    response = client.post(url("template_criterion_create", draft.pk), {
        "key": "hygiene", "name": "Hygiene", "weight": "1", "min_score": "1", "max_score": "5",
        **data})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Criterion.objects.count() == count


def test_publish_page_lists_what_is_missing(client_for, users):
    template = actions.create_template(users["manager"], name="Supplier ideas")
    v1 = template.versions.get()
    client = client_for("manager")
    page = client.get(url("template_version", v1.pk)).content.decode()
    assert "Add at least one stage." in page and "Add at least one scorecard criterion." in page
    response = client.post(url("template_version_publish", v1.pk))
    assert response.status_code == 400
    assert "Add at least one stage." in response.content.decode()
    v1.refresh_from_db()
    assert v1.status == "draft"


def test_published_versions_refuse_every_edit_page_with_409(client_for, templates):
    v1 = templates["process"].current
    stage = v1.stages.order_by("position").first()
    item = GateItem.objects.filter(stage__version=v1).first()
    criterion = Criterion.objects.filter(scorecard__version=v1).first()
    client = client_for("manager")
    before = AuditEvent.objects.count()
    pages = [url("template_version_edit", v1.pk), url("template_stage_create", v1.pk),
             url("template_criterion_create", v1.pk), url("template_stage_edit", stage.pk),
             url("template_item_create", stage.pk), url("template_item_edit", item.pk),
             url("template_criterion_edit", criterion.pk)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 409, page
        assert "Start a new version" in response.content.decode()
    posted = client.post(url("template_stage_edit", stage.pk), {**STAGE_FORM, "key": "diagnose"})
    assert posted.status_code == 409
    assert "never change" in posted.content.decode()
    for button in (url("template_stage_remove", stage.pk), url("template_stage_down", stage.pk),
                   url("template_item_remove", item.pk),
                   url("template_criterion_remove", criterion.pk),
                   url("template_version_publish", v1.pk),
                   url("template_version_discard", v1.pk)):
        assert client.post(button).status_code == 409, button
    assert AuditEvent.objects.count() == before
    assert v1.stages.count() == 4 and Stage.objects.get(pk=stage.pk).name == "Diagnose"


def test_contributor_is_refused_every_edit(client_for, draft, templates):
    client = client_for("contributor")
    stage = draft.stages.first()
    assert client.get(url("template_create")).status_code == 403
    assert client.get(url("template_edit", templates["process"].pk)).status_code == 403
    assert client.post(url("template_stage_create", draft.pk), STAGE_FORM).status_code == 403
    assert client.post(url("template_stage_up", stage.pk)).status_code == 403
    assert client.post(url("template_version_publish", draft.pk)).status_code == 403
    assert draft.stages.count() == 4
    assert TemplateVersion.objects.get(pk=draft.pk).status == "draft"


# --- query counts ----------------------------------------------------------------------------

def grow(manager, template: WorkflowTemplate, rounds: int, start: int = 0) -> None:
    """``rounds`` more published versions of ``template``, each adding a stage with two gate
    items and a criterion, so history, stages, items and criteria all grow."""
    for k in range(start, start + rounds):
        draft = actions.start_version(manager, template, note=f"Round {k}")
        stage = actions.add_stage(manager, draft, key=f"extra{k}", name=f"Extra {k}",
                                  phase="develop", decider_roles=["manager", "leader"])
        actions.add_gate_item(manager, stage, kind="check", label=f"Check {k}")
        actions.add_gate_item(manager, stage, kind="evidence", label=f"Evidence {k}",
                              rule="risks_assessed")
        actions.add_criterion(manager, draft, key=f"c{k}", name=f"Criterion {k}", weight=1)
        actions.publish_version(manager, draft)
        template.refresh_from_db()


def more_templates(manager, n: int, offset: int) -> None:
    for k in range(n):
        template = actions.create_template(manager, name=f"Template {offset + k}")
        actions.add_stage(manager, template.versions.get(), key="one", name="One",
                          phase="concept", decider_roles=["manager"])


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


# Every signed-in request costs 2 (session, user) and the bell 1.
PINNED = {
    # + templates with idea type and current version; their versions with counts and authors
    "template_list": 5,
    # + template with history (2); the shown version with counts, template, author and
    # scorecard; its stages, their gate items, its criteria
    "template_detail": 9,
    # + version with counts, template, author, scorecard; stages, gate items, criteria
    "template_version": 7,
}


@pytest.mark.parametrize("role", ["manager", "partner"])
def test_template_pages_cost_a_fixed_number_of_queries(role, client_for, users, templates):
    manager = users["manager"]
    client = client_for(role)
    product = templates["product"]
    pages = {"template_list": url("template_list"),
             "template_detail": product.get_absolute_url()}

    def measure() -> dict[str, int]:
        product.refresh_from_db()
        counts = {name: count_queries(client, path) for name, path in pages.items()}
        counts["template_version"] = count_queries(client, url("template_version",
                                                               product.current_id))
        return counts

    grow(manager, product, 1)
    more_templates(manager, 1, 0)
    small = measure()
    grow(manager, product, 4, start=1)
    more_templates(manager, 6, 1)
    actions.start_version(manager, product)  # a draft in the history too
    large = measure()
    assert small == large == PINNED


def test_edit_template_through_the_page(client_for, templates):
    client = client_for("manager")
    process = templates["process"]
    form = client.get(url("template_edit", process.pk))
    assert form.status_code == 200 and "code" not in form.context["form"].fields
    response = client.post(url("template_edit", process.pk), {
        "name": "Process change", "description": "Measure, pilot, roll out.", "idea_type": ""})
    assert response.status_code == 302
    process.refresh_from_db()
    assert (process.name, process.idea_type_id, process.active) == ("Process change", None,
                                                                    False)
    taken = client.post(url("template_edit", process.pk), {
        "name": "Process change", "idea_type": templates["product"].idea_type_id,
        "active": "on"})
    assert taken.status_code == 400
    assert "one template" in taken.content.decode()
    process.refresh_from_db()
    assert process.active is False
