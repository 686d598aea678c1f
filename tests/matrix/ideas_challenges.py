"""Probes for challenges (scheduling), idea types and custom submission fields."""

from __future__ import annotations

from datetime import timedelta

from tests.matrix._base import Probe

A, M, L, E, C, P, AU = "admin", "manager", "leader", "evaluator", "contributor", "partner", \
    "auditor"
AREA = "ideas_challenges"


def build(users, org) -> dict:
    from django.utils import timezone

    from seedbed.ideas import actions
    from seedbed.ideas.actions import types as type_actions
    from tests.support import new_challenge

    manager = users[M]
    later = timezone.localdate() + timedelta(days=30)
    future_draft = new_challenge(manager, title="Plant-floor tools", description="Paper.",
                                 opens_on=later)
    scheduled = actions.schedule_challenge(manager, new_challenge(
        manager, title="Night-shift ideas", description="Later.", opens_on=later))
    with_fields = actions.open_challenge(manager, new_challenge(
        manager, title="Cold chain", description="Less energy."))
    ch_a = type_actions.add_custom_field(manager, challenge=with_fields, label="Site",
                                         kind="choice", choices=["Leeds", "Wrexham"])
    ch_b = type_actions.add_custom_field(manager, challenge=with_fields, label="kWh saved",
                                         kind="number")
    idea_type = type_actions.create_idea_type(manager, name="Sustainability",
                                              description="Less energy, water or waste.")
    type_a = type_actions.add_custom_field(manager, idea_type=idea_type, label="Tonnes CO2",
                                           kind="number")
    type_b = type_actions.add_custom_field(manager, idea_type=idea_type, label="Evidence",
                                           kind="long_text")
    return {"future_draft": future_draft, "scheduled": scheduled, "with_fields": with_fields,
            "ch_a": ch_a, "ch_b": ch_b, "idea_type": idea_type, "type_a": type_a,
            "type_b": type_b}


def _x(key: str, name: str = "pk"):
    return lambda w: {name: w.extra[AREA][key].pk}


FIELD_FORM = {"label": "Which line?", "kind": "short_text", "help_text": "", "choices": ""}
TYPE_FORM = {"name": "Packaging", "code": "", "description": "Formats and materials."}

HTML_SAMPLES = {
    "ideas:challenge_schedule": Probe("challenge.manage", "post", kwargs=_x("future_draft"),
                                      allowed=302),
    "ideas:challenge_unschedule": Probe("challenge.manage", "post", kwargs=_x("scheduled"),
                                        allowed=302),
    "ideas:type_list": Probe("challenge.browse"),
    "ideas:type_create": Probe("challenge.manage", "post", data=TYPE_FORM, allowed=302),
    "ideas:type_edit": Probe("challenge.manage", "post", kwargs=_x("idea_type"),
                             data={**TYPE_FORM, "name": "Sustainability and energy"},
                             allowed=302),
    "ideas:type_toggle": Probe("challenge.manage", "post", kwargs=_x("idea_type"),
                               allowed=302),
    "ideas:type_field_create": Probe("challenge.manage", "post", kwargs=_x("idea_type"),
                                     data=FIELD_FORM, allowed=302),
    "ideas:challenge_field_create": Probe("challenge.manage", "post", kwargs=_x("with_fields"),
                                          data=FIELD_FORM, allowed=302),
    "ideas:custom_field_edit": Probe("challenge.manage", "post", kwargs=_x("ch_a"),
                                     data={"label": "Plant", "kind": "choice", "key": "site",
                                           "choices": "Leeds\nWrexham", "help_text": ""},
                                     allowed=302),
    "ideas:custom_field_up": Probe("challenge.manage", "post", kwargs=_x("ch_b"),
                                   allowed=302),
    "ideas:custom_field_down": Probe("challenge.manage", "post", kwargs=_x("ch_a"),
                                     allowed=302),
    "ideas:custom_field_toggle": Probe("challenge.manage", "post", kwargs=_x("type_a"),
                                       allowed=302),
}

CH = "/api/v1/challenges/{challenge_id}"
TY = "/api/v1/idea-types"
API_FIELD = {"label": "Which line?", "kind": "choice", "choices": ["Soups", "Sauces"]}

API_SAMPLES = {
    f"POST {CH}/schedule": Probe("challenge.manage", "post",
                                 kwargs=_x("future_draft", "challenge_id")),
    f"POST {CH}/unschedule": Probe("challenge.manage", "post",
                                   kwargs=_x("scheduled", "challenge_id")),
    # Fields of an internal challenge: partners cannot even tell it exists.
    f"GET {CH}/fields": Probe("challenge.browse", kwargs=_x("with_fields", "challenge_id"),
                              per_role={P: 404}),
    f"POST {CH}/fields": Probe("challenge.manage", "post", allowed=201,
                               kwargs=_x("with_fields", "challenge_id"), data=API_FIELD),
    f"PUT {CH}/fields/order": Probe(
        "challenge.manage", "put", kwargs=_x("with_fields", "challenge_id"),
        data=lambda w: {"field_ids": [w.extra[AREA]["ch_b"].pk, w.extra[AREA]["ch_a"].pk]}),
    f"GET {TY}": Probe("challenge.browse"),
    f"POST {TY}": Probe("challenge.manage", "post", allowed=201, data=TYPE_FORM),
    f"GET {TY}/{{type_id}}": Probe("challenge.browse", kwargs=_x("idea_type", "type_id")),
    f"PATCH {TY}/{{type_id}}": Probe("challenge.manage", "patch",
                                     kwargs=_x("idea_type", "type_id"),
                                     data={"active": False}),
    f"GET {TY}/{{type_id}}/fields": Probe("challenge.browse",
                                          kwargs=_x("idea_type", "type_id")),
    f"POST {TY}/{{type_id}}/fields": Probe("challenge.manage", "post", allowed=201,
                                           kwargs=_x("idea_type", "type_id"), data=API_FIELD),
    f"PUT {TY}/{{type_id}}/fields/order": Probe(
        "challenge.manage", "put", kwargs=_x("idea_type", "type_id"),
        data=lambda w: {"field_ids": [w.extra[AREA]["type_b"].pk,
                                      w.extra[AREA]["type_a"].pk]}),
    "PATCH /api/v1/custom-fields/{field_id}": Probe(
        "challenge.manage", "patch", kwargs=_x("ch_a", "field_id"),
        data={"label": "Plant", "required": True}),
}

# For tests/test_api_schema.py: one successful call each (path ids from PATH_OBJECTS).
API_SUCCESSES = {
    f"POST {CH}/schedule": (M, None, 200),
    f"POST {CH}/unschedule": (M, None, 200),
    f"GET {CH}/fields": (C, None, 200),
    f"POST {CH}/fields": (M, API_FIELD, 201),
    f"PUT {CH}/fields/order": (M, lambda ch_a_id, ch_b_id: {"field_ids": [ch_b_id, ch_a_id]},
                               200),
    f"GET {TY}": (C, None, 200),
    f"POST {TY}": (M, TYPE_FORM, 201),
    f"GET {TY}/{{type_id}}": (C, None, 200),
    f"PATCH {TY}/{{type_id}}": (M, {"description": "Energy, water, waste."}, 200),
    f"GET {TY}/{{type_id}}/fields": (C, None, 200),
    f"POST {TY}/{{type_id}}/fields": (M, API_FIELD, 201),
    f"PUT {TY}/{{type_id}}/fields/order": (
        M, lambda type_a_id, type_b_id: {"field_ids": [type_b_id, type_a_id]}, 200),
    "PATCH /api/v1/custom-fields/{field_id}": (M, {"label": "Plant"}, 200),
}

PATH_OBJECTS = {
    f"challenge_id in {CH}/schedule": "future_draft",
    f"challenge_id in {CH}/unschedule": "scheduled",
    f"challenge_id in {CH}/fields": "with_fields",
    f"challenge_id in {CH}/fields/order": "with_fields",
    "type_id": "idea_type",
    "field_id": "ch_a",
    "ch_a_id": "ch_a",
    "ch_b_id": "ch_b",
    "type_a_id": "type_a",
    "type_b_id": "type_b",
}
