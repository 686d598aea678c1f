"""Probes for workflow templates: lists, pages and every edit of a draft version.

Every role reads templates (process documentation); drafts are seen only by those who run the
IMS (404 for everyone else). ``build`` makes a small template of the matrix's own, "Packaging
trials", whose draft version 1 has two stages with deciders, a gate item and a criterion, so
it can be edited, reordered, published or discarded by each admitted role on a fresh database.
The seeded "process" template (published v1) is read and renamed; "product" gets new drafts.
"""

from __future__ import annotations

from tests.matrix._base import Probe

P = "/api/v1/pipeline"
NOT_MANAGERS = {"leader": 404, "evaluator": 404, "contributor": 404, "partner": 404,
                "auditor": 404}


def build(users, org) -> dict:
    from seedbed.pipeline.actions import templates as actions
    from tests.support import pipeline_templates

    seeded = pipeline_templates()
    manager = users["manager"]
    template = actions.create_template(
        manager, name="Packaging trials", description="Trial a new pack on one line first.")
    draft = template.versions.get()
    first = actions.add_stage(manager, draft, key="bench", name="Bench test", phase="validate",
                              decider_roles=["manager"], risk_appetite=60)
    second = actions.add_stage(manager, draft, key="line", name="Line trial", phase="develop",
                               decider_roles=["leader"], risk_appetite=30)
    item = actions.add_gate_item(manager, first, kind="check", label="Seal strength tested")
    criterion = actions.add_criterion(manager, draft, key="recyclability", name="Recyclability",
                                      weight=3)
    return {"process": seeded["process"], "product": seeded["product"], "template": template,
            "draft": draft, "first_stage": first, "second_stage": second, "item": item,
            "criterion": criterion}


def _pk(key: str):
    return lambda w: {"pk": w.extra["pipeline_templates"][key].pk}


def _api(name: str, key: str):
    return lambda w: {name: w.extra["pipeline_templates"][key].pk}


STAGE_FORM = {"key": "pilot", "name": "Pilot run", "phase": "develop",
              "decider_roles": ["manager"], "risk_appetite": "40"}
ITEM_FORM = {"kind": "evidence", "label": "Risks assessed", "rule": "risks_assessed"}
CRITERION_FORM = {"key": "cost", "name": "Cost per pack", "weight": "2", "min_score": "1",
                  "max_score": "5"}
STAGE_API = {"key": "pilot", "name": "Pilot run", "phase": "develop",
             "decider_roles": ["manager", "leader"], "risk_appetite": 40}
ITEM_API = {"kind": "evidence", "label": "Risks assessed", "rule": "risks_assessed"}
CRITERION_API = {"key": "cost", "name": "Cost per pack", "weight": "2.5", "min_score": 0,
                 "max_score": 10, "higher_is_better": False}


def _reversed_stages(w) -> dict:
    built = w.extra["pipeline_templates"]
    return {"stage_ids": [built["second_stage"].pk, built["first_stage"].pk]}


HTML_SAMPLES = {
    "pipeline:template_list": Probe("pipeline.browse"),
    "pipeline:template_create": Probe("pipeline.manage"),
    "pipeline:template_detail": Probe("pipeline.browse", kwargs=_pk("process")),
    "pipeline:template_edit": Probe("pipeline.manage", kwargs=_pk("process")),
    "pipeline:template_version_start": Probe("pipeline.manage", "post", kwargs=_pk("product"),
                                             data={"note": "Shorter launch gate"}, allowed=302),
    "pipeline:template_version": Probe("pipeline.browse", kwargs=_pk("draft"),
                                       per_role=NOT_MANAGERS),
    "pipeline:template_version_edit": Probe("pipeline.manage", kwargs=_pk("draft")),
    "pipeline:template_version_publish": Probe("pipeline.manage", "post", kwargs=_pk("draft"),
                                               allowed=302),
    "pipeline:template_version_discard": Probe("pipeline.manage", "post", kwargs=_pk("draft"),
                                               allowed=302),
    "pipeline:template_stage_create": Probe("pipeline.manage", "post", kwargs=_pk("draft"),
                                            data=STAGE_FORM, allowed=302),
    "pipeline:template_stage_edit": Probe("pipeline.manage", kwargs=_pk("first_stage")),
    "pipeline:template_stage_remove": Probe("pipeline.manage", "post",
                                            kwargs=_pk("second_stage"), allowed=302),
    "pipeline:template_stage_up": Probe("pipeline.manage", "post", kwargs=_pk("second_stage"),
                                        allowed=302),
    "pipeline:template_stage_down": Probe("pipeline.manage", "post", kwargs=_pk("first_stage"),
                                          allowed=302),
    "pipeline:template_item_create": Probe("pipeline.manage", "post", kwargs=_pk("first_stage"),
                                           data=ITEM_FORM, allowed=302),
    "pipeline:template_item_edit": Probe("pipeline.manage", kwargs=_pk("item")),
    "pipeline:template_item_remove": Probe("pipeline.manage", "post", kwargs=_pk("item"),
                                           allowed=302),
    "pipeline:template_criterion_create": Probe("pipeline.manage", "post", kwargs=_pk("draft"),
                                                data=CRITERION_FORM, allowed=302),
    "pipeline:template_criterion_edit": Probe("pipeline.manage", kwargs=_pk("criterion")),
    "pipeline:template_criterion_remove": Probe("pipeline.manage", "post",
                                                kwargs=_pk("criterion"), allowed=302),
}

API_SAMPLES = {
    f"GET {P}/templates": Probe("pipeline.browse"),
    f"POST {P}/templates": Probe("pipeline.manage", "post", allowed=201,
                                 data={"name": "Supplier innovation", "code": "supplier"}),
    f"GET {P}/templates/{{template_id}}": Probe("pipeline.browse",
                                                kwargs=_api("template_id", "process")),
    f"PATCH {P}/templates/{{template_id}}": Probe(
        "pipeline.manage", "patch", kwargs=_api("template_id", "process"),
        data={"description": "Measure, pilot on one line, roll out to Leeds and Wrexham."}),
    f"POST {P}/templates/{{template_id}}/versions": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_api("template_id", "product"),
        data={"note": "Shorter launch gate"}),
    f"GET {P}/template-versions/{{template_version_id}}": Probe(
        "pipeline.browse", kwargs=_api("template_version_id", "draft"), per_role=NOT_MANAGERS),
    f"PATCH {P}/template-versions/{{template_version_id}}": Probe(
        "pipeline.manage", "patch", kwargs=_api("template_version_id", "draft"),
        data={"note": "First path for packaging trials", "blind": False}),
    f"DELETE {P}/template-versions/{{template_version_id}}": Probe(
        "pipeline.manage", "delete", kwargs=_api("template_version_id", "draft")),
    f"POST {P}/template-versions/{{template_version_id}}/publish": Probe(
        "pipeline.manage", "post", kwargs=_api("template_version_id", "draft"), data={}),
    f"POST {P}/template-versions/{{template_version_id}}/stages": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_api("template_version_id", "draft"),
        data=STAGE_API),
    f"PUT {P}/template-versions/{{template_version_id}}/stages/order": Probe(
        "pipeline.manage", "put", kwargs=_api("template_version_id", "draft"),
        data=_reversed_stages),
    f"POST {P}/template-versions/{{template_version_id}}/criteria": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_api("template_version_id", "draft"),
        data=CRITERION_API),
    f"PATCH {P}/template-stages/{{template_stage_id}}": Probe(
        "pipeline.manage", "patch", kwargs=_api("template_stage_id", "first_stage"),
        data={"risk_appetite": 45, "decider_roles": ["leader"]}),
    f"DELETE {P}/template-stages/{{template_stage_id}}": Probe(
        "pipeline.manage", "delete", kwargs=_api("template_stage_id", "second_stage")),
    f"POST {P}/template-stages/{{template_stage_id}}/items": Probe(
        "pipeline.manage", "post", allowed=201, kwargs=_api("template_stage_id", "first_stage"),
        data=ITEM_API),
    f"PATCH {P}/template-items/{{template_item_id}}": Probe(
        "pipeline.manage", "patch", kwargs=_api("template_item_id", "item"),
        data={"label": "Seal strength tested at 5 °C"}),
    f"DELETE {P}/template-items/{{template_item_id}}": Probe(
        "pipeline.manage", "delete", kwargs=_api("template_item_id", "item")),
    f"PATCH {P}/template-criteria/{{template_criterion_id}}": Probe(
        "pipeline.manage", "patch", kwargs=_api("template_criterion_id", "criterion"),
        data={"weight": "2.5"}),
    f"DELETE {P}/template-criteria/{{template_criterion_id}}": Probe(
        "pipeline.manage", "delete", kwargs=_api("template_criterion_id", "criterion")),
}

# tests/test_api_schema.py: one documented success each (path ids from PATH_OBJECTS).
M, C, PA = "manager", "contributor", "partner"
API_SUCCESSES = {
    f"GET {P}/templates": (PA, None, 200),
    f"POST {P}/templates": (M, {"name": "Supplier innovation", "description": "From suppliers.",
                                "idea_type_id": None}, 201),
    f"GET {P}/templates/{{template_id}}": (C, None, 200),
    f"PATCH {P}/templates/{{template_id}}": (M, {"name": "Process change", "active": True}, 200),
    f"POST {P}/templates/{{template_id}}/versions": (M, {"note": "Shorter launch gate"}, 201),
    f"GET {P}/template-versions/{{template_version_id}}": (M, None, 200),
    f"PATCH {P}/template-versions/{{template_version_id}}": (
        M, {"note": "First path", "scorecard_name": "Trial scorecard", "blind": False}, 200),
    f"DELETE {P}/template-versions/{{template_version_id}}": (M, None, 200),
    f"POST {P}/template-versions/{{template_version_id}}/publish": (
        M, {"note": "First path for packaging trials"}, 200),
    f"POST {P}/template-versions/{{template_version_id}}/stages": (M, STAGE_API, 201),
    f"PUT {P}/template-versions/{{template_version_id}}/stages/order": (
        M, lambda tpl_stage_a_id, tpl_stage_b_id: {"stage_ids": [tpl_stage_b_id,
                                                                 tpl_stage_a_id]}, 200),
    f"POST {P}/template-versions/{{template_version_id}}/criteria": (M, CRITERION_API, 201),
    f"PATCH {P}/template-stages/{{template_stage_id}}": (
        M, {"name": "Bench trial", "gate_criteria": "Seals hold at 5 °C."}, 200),
    f"DELETE {P}/template-stages/{{template_stage_id}}": (M, None, 200),
    f"POST {P}/template-stages/{{template_stage_id}}/items": (M, ITEM_API, 201),
    f"PATCH {P}/template-items/{{template_item_id}}": (
        M, {"kind": "evidence", "rule": "assumptions_recorded"}, 200),
    f"DELETE {P}/template-items/{{template_item_id}}": (M, None, 200),
    f"PATCH {P}/template-criteria/{{template_criterion_id}}": (
        M, {"higher_is_better": False, "min_score": 0}, 200),
    f"DELETE {P}/template-criteria/{{template_criterion_id}}": (M, None, 200),
}

PATH_OBJECTS = {
    "template_id": "process",
    f"template_id in {P}/templates/{{template_id}}/versions": "product",
    "template_version_id": "draft",
    "template_stage_id": "first_stage",
    "template_item_id": "item",
    "template_criterion_id": "criterion",
    "tpl_stage_a_id": "first_stage",
    "tpl_stage_b_id": "second_stage",
}
