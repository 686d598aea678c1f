"""Workflow templates through the API: reading, the draft lifecycle, bad input (422), edits of
published versions (409), drafts hidden from those who do not run the IMS, and a fixed query
count for the template list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed.audit.models import AuditEvent
from seedbed.pipeline.actions import templates as actions
from seedbed.pipeline.models import Criterion, GateItem, Stage, TemplateVersion, WorkflowTemplate
from tests.support import api_call, assert_error_body

P = "/api/v1/pipeline"
STAGE = {"key": "trial", "name": "Line trial", "phase": "develop",
         "decider_roles": ["leader"], "risk_appetite": 40}


@pytest.fixture
def manager_api(client_for):
    return client_for("manager")


@pytest.fixture
def draft(users, templates):
    return actions.start_version(users["manager"], templates["process"], note="Pilot first")


def test_every_role_reads_templates_with_versions_stages_items_and_criteria(client_for,
                                                                           initiative,
                                                                           templates):
    product = templates["product"]
    for role in ("partner", "auditor", "contributor"):
        client = client_for(role)
        listing = client.get(f"{P}/templates").json()
        assert listing["count"] == 4
        row = next(t for t in listing["items"] if t["code"] == "product")
        assert row["current_version"] == 1 and row["idea_type"]["code"] == "product"
        assert row["versions"][0]["running"] == 1
        detail = client.get(f"{P}/templates/{product.pk}").json()
        current = detail["current"]
        assert [s["key"] for s in current["stages"]] == ["concept", "validate", "develop",
                                                         "launch", "scale"]
        validate = current["stages"][1]
        assert validate["decider_roles"] == ["leader"] and validate["risk_appetite"] == 50
        assert {"kind": "evidence", "rule": "experiment_per_critical"} in [
            {"kind": i["kind"], "rule": i["rule"]} for i in validate["items"]]
        criteria = {c["key"]: c for c in current["scorecard"]["criteria"]}
        assert criteria["risk"]["higher_is_better"] is False
        assert float(criteria["strategic_fit"]["weight"]) == 3
        assert detail["draft"] is None


def test_drafts_are_hidden_from_those_who_do_not_run_the_ims(client_for, draft, templates):
    contributor, manager = client_for("contributor"), client_for("manager")
    detail = contributor.get(f"{P}/templates/{templates['process'].pk}").json()
    assert detail["draft"] is None and [v["number"] for v in detail["versions"]] == [1]
    assert_error_body(contributor.get(f"{P}/template-versions/{draft.pk}"), 404, "not_found")
    detail = manager.get(f"{P}/templates/{templates['process'].pk}").json()
    assert detail["draft"]["number"] == 2
    assert [v["status"] for v in detail["versions"]] == ["draft", "published"]


def test_draft_lifecycle_through_the_api(manager_api, users, templates):
    created = api_call(manager_api, "post", f"{P}/templates", {
        "name": "Packaging trials", "description": "Trial new packs on one line."})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "packaging_trials" and body["current"] is None
    v1 = body["draft"]
    assert (v1["number"], v1["status"], v1["stages"]) == (1, "draft", [])
    vurl = f"{P}/template-versions/{v1['id']}"
    refused = api_call(manager_api, "post", f"{vurl}/publish", {})
    assert set(assert_error_body(refused, 422, "invalid")["fields"]) == {"stages", "criteria"}

    bench = api_call(manager_api, "post", f"{vurl}/stages", {
        **STAGE, "key": "bench", "name": "Bench test", "decider_roles": ["manager"]}).json()
    line = api_call(manager_api, "post", f"{vurl}/stages", STAGE).json()
    assert (bench["position"], line["position"], line["gate_name"]) == (0, 1, "Line trial gate")
    item = api_call(manager_api, "post", f"{P}/template-stages/{bench['id']}/items",
                    {"kind": "evidence", "label": "Risks assessed", "rule": "risks_assessed"})
    assert item.status_code == 201 and item.json()["rule"] == "risks_assessed"
    patched = api_call(manager_api, "patch", f"{P}/template-items/{item.json()['id']}",
                       {"kind": "check", "label": "Risks reviewed by QA"}).json()
    assert (patched["kind"], patched["rule"]) == ("check", "")
    criterion = api_call(manager_api, "post", f"{vurl}/criteria", {
        "key": "recyclability", "name": "Recyclability", "weight": "2.5"})
    assert criterion.status_code == 201
    ordered = api_call(manager_api, "put", f"{vurl}/stages/order",
                       {"stage_ids": [line["id"], bench["id"]]}).json()
    assert [s["key"] for s in ordered["stages"]] == ["trial", "bench"]
    stage = api_call(manager_api, "patch", f"{P}/template-stages/{bench['id']}",
                     {"risk_appetite": 70, "gate_criteria": "Seals hold."}).json()
    assert (stage["risk_appetite"], stage["key"]) == (70, "bench")
    settings = api_call(manager_api, "patch", vurl, {"blind": False, "note": "First path"})
    assert settings.json()["scorecard"]["blind"] is False

    published = api_call(manager_api, "post", f"{vurl}/publish", {})
    assert published.status_code == 200 and published.json()["status"] == "published"
    template = WorkflowTemplate.objects.get(code="packaging_trials")
    assert template.current_id == v1["id"]
    locked = api_call(manager_api, "patch", f"{P}/template-stages/{bench['id']}", {"name": "X"})
    assert_error_body(locked, 409, "version_locked")

    v2 = api_call(manager_api, "post", f"{P}/templates/{template.pk}/versions",
                  {"note": "Drop the bench test"})
    assert v2.status_code == 201
    v2 = v2.json()
    assert (v2["number"], [s["key"] for s in v2["stages"]]) == (2, ["trial", "bench"])
    again = api_call(manager_api, "post", f"{P}/templates/{template.pk}/versions", {})
    assert_error_body(again, 409, "draft_exists")
    after = api_call(manager_api, "delete", f"{P}/template-stages/{v2['stages'][1]['id']}")
    assert [s["key"] for s in after.json()["stages"]] == ["trial"]
    discarded = api_call(manager_api, "delete", f"{P}/template-versions/{v2['id']}").json()
    assert discarded["draft"] is None and discarded["current_version"] == 1
    assert not TemplateVersion.objects.filter(pk=v2["id"]).exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"risk_appetite": 101}, "risk_appetite"),
    ({"risk_appetite": -5}, "risk_appetite"),
    ({"decider_roles": ["leader", "auditor"]}, "decider_roles.1"),
    ({"key": "pilot"}, "key"),  # the draft already has a "pilot" stage
    ({"key": "Bad Key"}, "key"),
    ({"phase": "launch"}, "phase"),
])
def test_stage_bad_input_answers_422_and_stores_nothing(manager_api, draft, body, field):
    count, events = Stage.objects.count(), AuditEvent.objects.count()
    response = api_call(manager_api, "post", f"{P}/template-versions/{draft.pk}/stages",
                        {**STAGE, **body})
    assert field in assert_error_body(response, 422, "invalid")["fields"]
    assert (Stage.objects.count(), AuditEvent.objects.count()) == (count, events)


@pytest.mark.parametrize(("body", "field"), [
    ({"weight": 0}, "weight"),
    ({"weight": "0.00"}, "weight"),
    ({"min_score": 5, "max_score": 5}, "max_score"),
    ({"min_score": 8, "max_score": 2}, "max_score"),
    ({"key": "strategic_fit"}, "key"),
])
def test_criterion_bad_input_answers_422_and_stores_nothing(manager_api, draft, body, field):
    count = Criterion.objects.count()
    response = api_call(manager_api, "post", f"{P}/template-versions/{draft.pk}/criteria",
                        {"key": "hygiene", "name": "Hygiene", "weight": 1, **body})
    assert field in assert_error_body(response, 422, "invalid")["fields"]
    assert Criterion.objects.count() == count


def test_bad_input_on_edits_and_unknown_ids(manager_api, draft, templates):
    stage = draft.stages.get(key="rollout")
    response = api_call(manager_api, "patch", f"{P}/template-stages/{stage.pk}",
                        {"key": "pilot", "risk_appetite": 100})
    assert set(assert_error_body(response, 422)["fields"]) == {"key"}
    stage.refresh_from_db()
    assert (stage.key, stage.risk_appetite) == ("rollout", 25)
    item = GateItem.objects.filter(stage=stage, kind="check").first()
    response = api_call(manager_api, "patch", f"{P}/template-items/{item.pk}",
                        {"rule": "risks_assessed"})
    assert set(assert_error_body(response, 422)["fields"]) == {"rule"}
    criterion = Criterion.objects.filter(scorecard__version=draft).first()
    response = api_call(manager_api, "patch", f"{P}/template-criteria/{criterion.pk}",
                        {"min_score": 6})
    assert set(assert_error_body(response, 422)["fields"]) == {"max_score"}
    response = api_call(manager_api, "post", f"{P}/templates", {
        "name": "Product or service", "code": "process", "idea_type_id": 999_999})
    assert set(assert_error_body(response, 422)["fields"]) == {"name", "code", "idea_type_id"}
    response = api_call(manager_api, "patch", f"{P}/templates/{templates['process'].pk}",
                        {"idea_type_id": templates["product"].idea_type_id})
    assert "one template" in assert_error_body(response, 422)["fields"]["idea_type_id"][0]
    response = api_call(manager_api, "put", f"{P}/template-versions/{draft.pk}/stages/order",
                        {"stage_ids": [stage.pk]})
    assert set(assert_error_body(response, 422)["fields"]) == {"stage_ids"}
    for path in (f"{P}/templates/999999", f"{P}/template-versions/999999",
                 f"{P}/templates/99999999999999999999"):
        assert_error_body(manager_api.get(path), 404, "not_found")
    assert_error_body(api_call(manager_api, "patch", f"{P}/template-stages/999999", {}), 404)
    assert_error_body(api_call(manager_api, "post", f"{P}/template-versions/{draft.pk}/stages",
                               b"{not json"), 400)


def test_published_version_edits_answer_409(manager_api, templates):
    v1 = templates["process"].current
    stage = v1.stages.order_by("position").first()
    item = GateItem.objects.filter(stage__version=v1).first()
    criterion = Criterion.objects.filter(scorecard__version=v1).first()
    before = AuditEvent.objects.count()
    for method, path, body in (
            ("post", f"{P}/template-versions/{v1.pk}/stages", STAGE),
            ("patch", f"{P}/template-versions/{v1.pk}", {"note": "Changed"}),
            ("post", f"{P}/template-versions/{v1.pk}/publish", {}),
            ("delete", f"{P}/template-versions/{v1.pk}", None),
            ("put", f"{P}/template-versions/{v1.pk}/stages/order",
             {"stage_ids": list(v1.stages.values_list("pk", flat=True))}),
            ("patch", f"{P}/template-stages/{stage.pk}", {"name": "Renamed"}),
            ("delete", f"{P}/template-stages/{stage.pk}", None),
            ("post", f"{P}/template-stages/{stage.pk}/items", {"kind": "check", "label": "X"}),
            ("patch", f"{P}/template-items/{item.pk}", {"label": "Changed"}),
            ("delete", f"{P}/template-items/{item.pk}", None),
            ("post", f"{P}/template-versions/{v1.pk}/criteria",
             {"key": "new", "name": "New", "weight": 1}),
            ("patch", f"{P}/template-criteria/{criterion.pk}", {"weight": 9}),
            ("delete", f"{P}/template-criteria/{criterion.pk}", None)):
        response = api_call(manager_api, method, path, body)
        assert_error_body(response, 409, "version_locked")
    assert AuditEvent.objects.count() == before
    assert v1.stages.count() == 4 and Stage.objects.get(pk=stage.pk).name == "Diagnose"


def test_contributor_gets_403_on_every_edit(client_for, draft, templates):
    client = client_for("contributor")
    stage = draft.stages.first()
    for method, path, body in (
            ("post", f"{P}/templates", {"name": "Mine"}),
            ("patch", f"{P}/templates/{templates['process'].pk}", {"name": "Mine"}),
            ("post", f"{P}/templates/{templates['product'].pk}/versions", {}),
            ("post", f"{P}/template-versions/{draft.pk}/stages", STAGE),
            ("patch", f"{P}/template-stages/{stage.pk}", {"risk_appetite": 10}),
            ("post", f"{P}/template-versions/{draft.pk}/publish", {}),
            ("delete", f"{P}/template-versions/{draft.pk}", None)):
        assert_error_body(api_call(client, method, path, body), 403, "forbidden")
    assert draft.stages.count() == 4
    assert TemplateVersion.objects.get(pk=draft.pk).status == "draft"


def test_template_list_costs_a_fixed_number_of_queries(client_for, users, templates):
    client = client_for("manager")

    def measure() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{P}/templates").status_code == 200
        return len(ctx)

    small = measure()
    for k in range(5):
        template = actions.create_template(users["manager"], name=f"Extra {k}")
        actions.add_stage(users["manager"], template.versions.get(), **STAGE)
    actions.start_version(users["manager"], templates["process"])
    # session, user; count, page of templates with idea type and current, their versions
    assert measure() == small == 5
