"""Idea types and custom field definitions: managers keep them, everyone who browses reads the
types, and a field's key stays put once ideas have answered it."""

from __future__ import annotations

import pytest

from seedbed.audit.models import AuditEvent
from seedbed.ideas.actions import types as type_actions
from seedbed.ideas.customfields import definitions_for
from seedbed.ideas.models import CustomField, Idea, IdeaType
from seedbed.ideas.tests.helpers import api


@pytest.fixture
def types(db):
    IdeaType.ensure_defaults()
    return {t.code: t for t in IdeaType.objects.all()}


def test_manager_adds_and_edits_an_idea_type_in_the_pages(client_for, types):
    c = client_for("manager")
    r = c.post("/idea-types/new/", {"name": "Sustainability", "code": "",
                                    "description": "Less energy, water or waste."})
    assert r.status_code == 302
    new = IdeaType.objects.get(name="Sustainability")
    assert (new.code, new.active) == ("sustainability", True)
    assert AuditEvent.objects.filter(verb="idea_type.created").count() == 1
    r = c.post(f"/idea-types/{new.pk}/edit/", {"name": "Sustainability", "code": "green",
                                               "description": "Planet first."})
    assert r.status_code == 302
    new.refresh_from_db()
    assert (new.code, new.description) == ("green", "Planet first.")
    r = c.post(f"/idea-types/{new.pk}/toggle/")
    assert r.status_code == 302
    assert IdeaType.objects.get(pk=new.pk).active is False
    assert AuditEvent.objects.filter(verb="idea_type.deactivated").count() == 1


def test_everyone_who_browses_sees_active_types_only(client_for, types):
    type_actions.deactivate_idea_type(None, types["business_model"])
    html = client_for("contributor").get("/idea-types/").content.decode()
    assert "Process" in html and "Business model" not in html and "Deactivate" not in html
    body = client_for("partner").get("/api/v1/idea-types").json()
    assert "business_model" not in {t["code"] for t in body["items"]}
    manager = client_for("manager")
    body = manager.get("/api/v1/idea-types?include_inactive=true").json()
    assert "business_model" in {t["code"] for t in body["items"]}
    assert client_for("contributor").get(
        f"/api/v1/idea-types/{types['business_model'].pk}").status_code == 404


def test_type_names_and_codes_stay_unique_and_one_type_stays_active(client_for, types):
    c = client_for("manager")
    r = api(c, "post", "/api/v1/idea-types", {"name": "process"})
    assert r.status_code == 422 and set(r.json()["error"]["fields"]) == {"code", "name"}
    for code in ("product", "process", "business_model"):
        type_actions.deactivate_idea_type(None, types[code])
    r = api(c, "patch", f"/api/v1/idea-types/{types['continuous_improvement'].pk}",
            {"active": False})
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_active_type"


def test_contributor_cannot_change_types_or_fields(client_for, types, challenge):
    c = client_for("contributor")
    before = (IdeaType.objects.count(), CustomField.objects.count(), AuditEvent.objects.count())
    assert api(c, "post", "/api/v1/idea-types", {"name": "Mine"}).status_code == 403
    assert api(c, "post", f"/api/v1/challenges/{challenge.pk}/fields",
               {"label": "Q", "kind": "number"}).status_code == 403
    assert c.post(f"/idea-types/{types['product'].pk}/toggle/").status_code == 403
    assert (IdeaType.objects.count(), CustomField.objects.count(),
            AuditEvent.objects.count()) == before


def test_fields_of_every_kind_are_added_through_the_api(client_for, challenge):
    c = client_for("manager")
    url = f"/api/v1/challenges/{challenge.pk}/fields"
    for kind in ("short_text", "long_text", "number", "yes_no", "date", "file"):
        r = api(c, "post", url, {"label": f"A {kind} question", "kind": kind})
        assert r.status_code == 201, r.content
    r = api(c, "post", url, {"label": "Which sites?", "kind": "multi_choice",
                             "choices": ["Leeds", "Wrexham", "Leeds"], "required": True})
    assert r.status_code == 201
    body = r.json()
    assert (body["key"], body["choices"], body["required"]) == (
        "which_sites", ["Leeds", "Wrexham"], True)
    listed = client_for("contributor").get(url).json()
    assert [f["position"] for f in listed] == list(range(1, 8))


@pytest.mark.parametrize("payload,field", [
    ({"label": "Pick", "kind": "choice", "choices": ["Only one"]}, "choices"),
    ({"label": "Pick", "kind": "choice", "choices": ["a", "b" * 101]}, "choices"),
    ({"label": "Q", "kind": "number", "key": "9lives"}, "key"),
    ({"label": "Q", "kind": "colour"}, "kind"),
    ({"label": "", "kind": "number"}, "label"),
])
def test_bad_field_definitions_are_refused_by_name(client_for, challenge, payload, field):
    before = CustomField.objects.count()
    r = api(client_for("manager"), "post", f"/api/v1/challenges/{challenge.pk}/fields", payload)
    assert r.status_code == 422
    assert field in r.json()["error"]["fields"]
    assert CustomField.objects.count() == before


def test_key_and_kind_are_fixed_once_ideas_answered(client_for, users, challenge, idea):
    field = type_actions.add_custom_field(users["manager"], challenge=challenge, label="Site",
                                          kind="short_text")
    c = client_for("manager")
    r = api(c, "patch", f"/api/v1/custom-fields/{field.pk}", {"key": "plant"})
    assert r.status_code == 200 and r.json()["key"] == "plant"
    Idea.objects.filter(pk=idea.pk).update(custom_values={"plant": "Leeds"})
    r = api(c, "patch", f"/api/v1/custom-fields/{field.pk}", {"key": "location"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "field_answered"
    r = api(c, "patch", f"/api/v1/custom-fields/{field.pk}", {"kind": "number"})
    assert r.status_code == 409
    r = api(c, "patch", f"/api/v1/custom-fields/{field.pk}", {"label": "Which plant?",
                                                             "active": False})
    assert r.status_code == 200
    field.refresh_from_db()
    assert (field.key, field.label, field.active) == ("plant", "Which plant?", False)


def test_reorder_and_move_fields(client_for, users, types):
    manager = users["manager"]
    a, b, c_ = (type_actions.add_custom_field(manager, idea_type=types["process"], label=label,
                                              kind="short_text") for label in "ABC")
    client = client_for("manager")
    url = f"/api/v1/idea-types/{types['process'].pk}/fields/order"
    r = api(client, "put", url, {"field_ids": [c_.pk, a.pk, b.pk]})
    assert [f["label"] for f in r.json()] == ["C", "A", "B"]
    r = api(client, "put", url, {"field_ids": [c_.pk, a.pk]})
    assert r.status_code == 422 and "field_ids" in r.json()["error"]["fields"]
    assert client.post(f"/custom-fields/{b.pk}/up/").status_code == 302
    assert [f.label for f in definitions_for(None, types["process"])] == ["C", "B", "A"]
    assert AuditEvent.objects.filter(verb="custom_field.reordered").count() == 2


def test_fields_are_managed_on_the_challenge_edit_page(client_for, challenge):
    c = client_for("manager")
    r = c.post(f"/challenges/{challenge.pk}/fields/new/", {
        "label": "Which line?", "kind": "choice", "choices": "Soups\nSauces", "key": "",
        "help_text": ""})
    assert r.status_code == 302
    assert r["Location"].endswith(f"/challenges/{challenge.pk}/edit/#fields")
    field = CustomField.objects.get(challenge=challenge)
    assert (field.key, field.choices) == ("which_line", ["Soups", "Sauces"])
    html = c.get(f"/challenges/{challenge.pk}/edit/").content.decode()
    assert "Which line?" in html and f"/custom-fields/{field.pk}/edit/" in html
    r = c.post(f"/challenges/{challenge.pk}/fields/new/", {"label": "", "kind": "choice"})
    assert r.status_code == 400


def test_definitions_for_puts_type_fields_first_and_lets_the_challenge_override(users,
                                                                              challenge,
                                                                              types):
    manager = users["manager"]
    type_actions.add_custom_field(manager, idea_type=types["product"], label="Price point",
                                  kind="number", key="price")
    type_actions.add_custom_field(manager, idea_type=types["product"], label="Shelf life",
                                  kind="number", key="shelf_life")
    hidden = type_actions.add_custom_field(manager, idea_type=types["product"], label="Old",
                                           kind="number")
    type_actions.deactivate_custom_field(manager, hidden)
    type_actions.add_custom_field(manager, challenge=challenge, label="Price per tray",
                                  kind="number", key="price")
    fields = definitions_for(challenge, types["product"])
    assert [(f.key, f.label) for f in fields] == [("shelf_life", "Shelf life"),
                                                  ("price", "Price per tray")]
    assert [f.key for f in definitions_for(None, types["product"])] == ["price", "shelf_life"]
    assert definitions_for(None, None) == []


def test_management_pages_render(client_for, users, challenge, types):
    field = type_actions.add_custom_field(users["manager"], idea_type=types["product"],
                                          label="Shelf life", kind="number")
    c = client_for("manager")
    for url in ("/idea-types/", "/idea-types/new/", f"/idea-types/{types['product'].pk}/edit/",
                f"/idea-types/{types['product'].pk}/fields/new/",
                f"/custom-fields/{field.pk}/edit/", f"/challenges/{challenge.pk}/edit/",
                "/challenges/new/"):
        r = c.get(url)
        assert r.status_code == 200, url
        assert "<script>" not in r.content.decode().split("</head>")[1], url
    assert "Shelf life" in c.get(f"/idea-types/{types['product'].pk}/edit/").content.decode()
