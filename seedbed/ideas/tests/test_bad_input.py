"""Bad input gets a clear error next to the field (HTML, 400) or the API's error body, never a
500, and leaves no trace: no rows, no audit events."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from seedbed.audit.models import AuditEvent
from seedbed.ideas.models import Challenge, Comment, Idea, Vote
from seedbed.ideas.tests.helpers import api, text_by_id

LONG_TITLE = "t" * 201
LONG_TEXT = "d" * 20001


def counts() -> dict[str, int]:
    return {
        "challenges": Challenge.objects.count(),
        "challenge_units": Challenge.units.through.objects.count(),
        "ideas": Idea.objects.count(),
        "comments": Comment.objects.count(),
        "votes": Vote.objects.count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.fixture
def manager(client_for, users):
    return client_for("manager")


@pytest.fixture
def area(users) -> int:
    """The id of an active focus area: every challenge the API creates names one."""
    from tests.support import new_challenge_form

    return new_challenge_form(users["manager"])["focus_areas"][0]


@pytest.fixture
def contributor(client_for, users):
    return client_for("contributor")


def valid_challenge(**changes) -> dict:
    data = {"title": "Cold chain", "description": "Use less energy.", "audience": "organisation"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("changes,field,message", [
    ({"title": ""}, "title", "This field is required."),
    ({"title": "   "}, "title", "This field is required."),
    ({"title": LONG_TITLE}, "title", "Ensure this value has at most 200 characters (it has 201)."),
    ({"description": ""}, "description", "This field is required."),
    ({"description": LONG_TEXT}, "description",
     "Ensure this value has at most 20000 characters (it has 20001)."),
    ({"opens_on": "2026-05-01", "closes_on": "2026-04-30"}, "closes_on",
     "The closing date must be on or after the opening date."),
    ({"opens_on": "first of May"}, "opens_on", "Enter a valid date."),
    ({"audience": "units"}, "units", "Choose at least one org unit."),
    ({"audience": "units", "units": ["999999"]}, "units", "Select a valid choice."),
    ({"audience": "everyone"}, "audience", "Select a valid choice."),
])
def test_challenge_form_shows_the_error_beside_the_field(manager, org, changes, field, message):
    before = counts()
    r = manager.post("/challenges/new/", valid_challenge(**changes))
    assert r.status_code == 400
    html = r.content.decode()
    assert message in text_by_id(html, f"id_{field}_error")
    assert "Please correct the fields marked below." in html
    assert counts() == before


def test_challenge_form_keeps_what_was_typed(manager, org):
    r = manager.post("/challenges/new/", valid_challenge(title=LONG_TITLE,
                                                         description="Keep me."))
    assert "Keep me." in r.content.decode()


def test_edit_form_refuses_bad_dates_and_changes_nothing(manager, challenge):
    before = counts()
    r = manager.post(f"/challenges/{challenge.pk}/edit/", valid_challenge(
        opens_on="2026-05-01", closes_on="2026-04-01"))
    assert r.status_code == 400
    assert "on or after the opening date" in text_by_id(r.content.decode(), "id_closes_on_error")
    challenge.refresh_from_db()
    assert (challenge.title, challenge.opens_on, challenge.closes_on) == (
        "Cut packaging waste", None, None)
    assert counts() == before


@pytest.mark.parametrize("data,field,message", [
    ({"title": "", "description": "D"}, "title", "This field is required."),
    ({"title": LONG_TITLE, "description": "D"}, "title", "at most 200 characters"),
    ({"title": "T", "description": ""}, "description", "This field is required."),
    ({"title": "T", "description": LONG_TEXT}, "description", "at most 20000 characters"),
])
def test_idea_form_shows_the_error_beside_the_field(contributor, challenge, data, field,
                                                    message):
    before = counts()
    r = contributor.post(f"/challenges/{challenge.pk}/ideas/new/", data)
    assert r.status_code == 400
    assert message in text_by_id(r.content.decode(), f"id_{field}_error")
    assert counts() == before


@pytest.mark.parametrize("body,message", [
    ("", "This field is required."),
    ("   \n ", "This field is required."),
    ("c" * 5001, "at most 5000 characters"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_comment_form_shows_the_error_beside_the_field(contributor, idea, body, message, htmx):
    before = counts()
    headers = {"HX-Request": "true"} if htmx else {}
    r = contributor.post(f"/ideas/{idea.pk}/comments/", {"body": body}, headers=headers)
    assert r.status_code == 400
    html = r.content.decode()
    assert message in text_by_id(html, "id_body_error")
    assert ("<html" in html) is not htmx
    assert counts() == before


def test_oversized_form_post_is_a_400_not_a_500(manager):
    before = counts()
    r = manager.post("/challenges/new/", valid_challenge(
        description="d" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))
    assert r.status_code == 400
    assert counts() == before


def api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]["fields"]


@pytest.mark.parametrize("payload,fields", [
    ({"title": "", "description": "D"}, {"title"}),
    ({"title": "   ", "description": "D"}, {"title"}),
    ({"title": LONG_TITLE, "description": "D"}, {"title"}),
    ({"title": "T", "description": LONG_TEXT}, {"description"}),
    ({"description": "D"}, {"title"}),
    ({"title": "T", "description": "D", "opens_on": "2026-05-02", "closes_on": "2026-05-01"},
     {"closes_on"}),
    ({"title": "T", "description": "D", "unit_ids": [999999]}, {"unit_ids"}),
    ({"title": "T", "description": "D", "audience": "everyone"}, {"audience"}),
    ({"title": 5, "description": ["a"], "opens_on": "soon", "unit_ids": "1"},
     {"title", "description", "opens_on", "unit_ids"}),
    ({"title": "T", "description": "D", "unit_ids": ["x"]}, {"unit_ids.0"}),
    ({"title": {"x": 1}, "description": None}, {"title", "description"}),
])
def test_api_challenge_input_errors_name_the_fields(manager, org, area, payload, fields):
    before = counts()
    r = api(manager, "post", "/api/v1/challenges", {"focus_area_ids": [area], **payload})
    assert set(api_error(r, 422, "invalid")) == fields
    assert counts() == before


def test_api_targeting_units_without_units_is_refused(manager, org, area):
    before = counts()
    r = api(manager, "post", "/api/v1/challenges",
            {"title": "T", "description": "D", "audience": "units", "unit_ids": [],
             "focus_area_ids": [area]})
    fields = api_error(r, 422, "invalid")
    assert set(fields) == {"unit_ids"}
    assert counts() == before


def test_api_unknown_units_are_listed(manager, org, area):
    r = api(manager, "post", "/api/v1/challenges", {
        "title": "T", "description": "D", "audience": "units", "focus_area_ids": [area],
        "unit_ids": [org["ops"].pk, 999998, 999999]})
    assert api_error(r, 422, "invalid") == {"unit_ids": ["Unknown org units: [999998, 999999]"]}


def test_api_patch_with_dates_out_of_order_changes_nothing(manager, challenge):
    api(manager, "patch", f"/api/v1/challenges/{challenge.pk}", {"opens_on": "2026-06-01"})
    before = counts()
    r = api(manager, "patch", f"/api/v1/challenges/{challenge.pk}", {"closes_on": "2026-05-01"})
    assert set(api_error(r, 422, "invalid")) == {"closes_on"}
    challenge.refresh_from_db()
    assert challenge.closes_on is None
    assert counts() == before


@pytest.mark.parametrize("body", ["{bad json", '{"title": "T",}', "\x00", "not json at all"])
def test_api_malformed_json_is_a_400(manager, body):
    before = counts()
    r = manager.post("/api/v1/challenges", data=body, content_type="application/json")
    api_error(r, 400, "malformed")
    assert counts() == before


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null"])
def test_api_json_that_is_not_an_object_is_a_422(manager, body):
    before = counts()
    r = manager.post("/api/v1/challenges", data=body, content_type="application/json")
    assert r.status_code in (400, 422)
    assert r.json()["error"]["code"] in ("invalid", "malformed")
    assert counts() == before


def test_api_body_over_the_size_limit_is_a_413(manager, challenge):
    before = counts()
    big = json.dumps({"title": "T", "description": "d" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    r = manager.post("/api/v1/challenges", data=big, content_type="application/json")
    api_error(r, 413, "too_large")
    r = manager.post(f"/api/v1/challenges/{challenge.pk}/ideas", data=big,
                     content_type="application/json")
    api_error(r, 413, "too_large")
    assert counts() == before


@pytest.mark.parametrize("payload,fields", [
    ({"title": "", "description": "D"}, {"title"}),
    ({"title": LONG_TITLE, "description": "D"}, {"title"}),
    ({"title": "T", "description": LONG_TEXT}, {"description"}),
    ({"title": "T", "description": "  "}, {"description"}),
    ({"title": ["T"], "description": 1}, {"title", "description"}),
])
def test_api_idea_input_errors_name_the_fields(contributor, challenge, payload, fields):
    before = counts()
    r = api(contributor, "post", f"/api/v1/challenges/{challenge.pk}/ideas", payload)
    assert set(api_error(r, 422, "invalid")) == fields
    assert counts() == before


@pytest.mark.parametrize("payload", [{"body": ""}, {"body": "c" * 5001}, {"body": 3}, {}])
def test_api_comment_input_errors_name_the_field(contributor, idea, payload):
    before = counts()
    r = api(contributor, "post", f"/api/v1/ideas/{idea.pk}/comments", payload)
    assert set(api_error(r, 422, "invalid")) == {"body"}
    assert counts() == before


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "101"}, {"offset": "-1"},
                                   {"limit": "many"}, {"challenge": "abc"},
                                   {"q": "x" * 201}])
def test_api_bad_query_parameters_are_a_422_naming_the_parameter(contributor, idea, query):
    r = contributor.get("/api/v1/ideas", query)
    assert set(api_error(r, 422, "invalid")) == set(query)


def test_api_unknown_status_filter_is_a_422(contributor, challenge):
    r = contributor.get("/api/v1/challenges", {"status": "archived"})
    assert set(api_error(r, 422, "invalid")) == {"status"}
