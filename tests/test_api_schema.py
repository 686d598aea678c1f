"""The API keeps the promises of its OpenAPI document.

The document at /api/v1/openapi.json is itself valid OpenAPI; every status a real call returns
is documented for that operation, and the body validates against the documented schema (JSON
Schema 2020-12, with undocumented fields refused). Errors always use the one error body, bad
input never produces a 500, bearer tokens work end to end and session writes need CSRF.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import re
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from seedbed import policy
from seedbed.accounts.actions import create_api_token, revoke_api_token
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, Vote
from tests.matrix import matrix_modules
from tests.support import api_call, assert_error_body

DOC_URI = "urn:seedbed:openapi"


def _forbid_undocumented_fields(node):
    """Object schemas with declared properties accept no others: a field the API returns but
    does not document is a contract break too."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _forbid_undocumented_fields(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_undocumented_fields(value)


class Contract:
    """The OpenAPI document, ready to check responses against."""

    def __init__(self, document: dict):
        self.document = document
        strict = copy.deepcopy(document)
        _forbid_undocumented_fields(strict.get("components", {}))
        self.registry = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(strict))
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^/}]+\}", "[^/]+", template) + "$"), template)
            for template in document["paths"]]

    def template_for(self, path: str) -> str:
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        assert matches, f"{path} matches no path of the OpenAPI document"
        # A literal segment beats a parameter (e.g. /ideas/x/comments vs /ideas/{id}).
        return min(matches, key=lambda t: t.count("{"))

    def check(self, method: str, url: str, response) -> None:
        template = self.template_for(urlsplit(url).path)
        operations = self.document["paths"][template]
        assert method.lower() in operations, f"{method.upper()} {template} is not documented"
        responses = operations[method.lower()]["responses"]
        status = str(response.status_code)
        assert status in responses, (
            f"{method.upper()} {template} returned {status}, which the document does not list "
            f"(documented: {sorted(responses)})")
        content = responses[status].get("content", {})
        media_type = response.get("Content-Type", "").split(";")[0].strip()
        if response.status_code < 400 and media_type != "application/json":
            # A file download (an export): its media type must be the documented one.
            assert media_type in content, f"{status} of {template} does not document {media_type}"
            return
        assert "application/json" in content, f"{status} of {template} documents no JSON body"
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("", "paths", template, method.lower(), "responses", status, "content",
                         "application/json", "schema"))
        validator = Draft202012Validator(
            {"$ref": f"{DOC_URI}#{quote(pointer, safe='/~')}"}, registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                  for e in validator.iter_errors(json.loads(response.content))]
        assert not errors, f"{method.upper()} {url} → {status} breaks its schema: {errors}"
        if response.status_code >= 400:
            assert_error_body(response, response.status_code)


@pytest.fixture(scope="module")
def contract() -> Contract:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return Contract(response.json())


@pytest.fixture
def call(contract):
    """call(client, method, url, body=None) → the response, already checked against the
    document (status documented, body valid)."""

    def do(client: Client, method: str, url: str, body=None, **extra):
        response = api_call(client, method, url, body, **extra)
        assert response.status_code < 500, f"{method} {url} → {response.status_code}"
        contract.check(method, url, response)
        return response

    return do


def session(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_openapi_document_is_valid_openapi(contract):
    validate_openapi(contract.document)
    assert contract.document["openapi"].startswith("3.1")


def test_openapi_document_describes_both_ways_to_authenticate(contract):
    schemes = contract.document["components"]["securitySchemes"]
    assert (schemes["BearerToken"]["type"], schemes["BearerToken"]["scheme"]) == ("http", "bearer")
    assert (schemes["SessionAuth"]["in"], schemes["SessionAuth"]["name"]) == ("cookie", "sessionid")


def test_every_operation_documents_the_error_body_for_each_client_error(contract):
    for template, operations in contract.document["paths"].items():
        for method, spec in operations.items():
            for status in ("400", "401", "403", "404", "409", "413", "422"):
                schema = spec["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, template)


# --- One successful call per documented operation --------------------------------------------

# "METHOD template" → (role, body, expected status). Path parameters come from the fixtures.
SUCCESSES = {
    "GET /api/v1/me": (policy.CONTRIBUTOR, None, 200),
    "GET /api/v1/challenges": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/challenges": (policy.MANAGER, "new challenge", 201),
    "GET /api/v1/challenges/{challenge_id}": (policy.CONTRIBUTOR, None, 200),
    "PATCH /api/v1/challenges/{challenge_id}": (policy.MANAGER, {"title": "Halve waste"}, 200),
    "POST /api/v1/challenges/{challenge_id}/open": (policy.MANAGER, None, 200),
    "POST /api/v1/challenges/{challenge_id}/close": (policy.MANAGER, None, 200),
    "POST /api/v1/challenges/{challenge_id}/ideas": (
        policy.EVALUATOR, {"title": "Deposit scheme", "description": "A deposit per crate."}, 201),
    "GET /api/v1/ideas": (policy.LEADER, None, 200),
    "GET /api/v1/ideas/{idea_id}": (policy.AUDITOR, None, 200),
    "GET /api/v1/ideas/{idea_id}/comments": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/ideas/{idea_id}/comments": (
        policy.CONTRIBUTOR, {"body": "Retailers already return pallets."}, 201),
    "POST /api/v1/ideas/{idea_id}/vote": (policy.EVALUATOR, None, 200),
    "GET /api/v1/audit/events": (policy.AUDITOR, None, 200),
    "GET /api/v1/strategy/context-issues": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/strategy/context-issues": (policy.MANAGER, {
        "title": "HFSS promotion rules", "category": "legal", "impact": "high",
        "trend": "growing", "review_on": "2030-06-30"}, 201),
    "GET /api/v1/strategy/context-issues/{issue_id}": (policy.AUDITOR, None, 200),
    "PATCH /api/v1/strategy/context-issues/{issue_id}": (
        policy.MANAGER, {"trend": "stable", "review_on": None}, 200),
    "GET /api/v1/strategy/interested-parties": (policy.EVALUATOR, None, 200),
    "POST /api/v1/strategy/interested-parties": (policy.ADMIN, {
        "name": "Shop-floor employees", "needs": "Safer work.", "importance": "high"}, 201),
    "GET /api/v1/strategy/interested-parties/{party_id}": (policy.LEADER, None, 200),
    "PATCH /api/v1/strategy/interested-parties/{party_id}": (
        policy.MANAGER, {"expectations": "Asked before lines change."}, 200),
    "GET /api/v1/strategy/focus-areas": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/strategy/focus-areas": (policy.MANAGER, lambda issue_id, party_id: {
        "title": "Automated case packing", "kind": "opportunity", "horizon": "h2",
        "priority": 1, "rationale": "Labour is scarce.", "context_issue_ids": [issue_id],
        "interested_party_ids": [party_id]}, 201),
    "POST /api/v1/strategy/focus-areas/proposals": (policy.CONTRIBUTOR, {
        "title": "Energy price spikes", "kind": "threat", "rationale": "Winter tariffs."}, 201),
    "GET /api/v1/strategy/focus-areas/proposals/mine": (policy.CONTRIBUTOR, None, 200),
    "GET /api/v1/strategy/focus-areas/{focus_area_id}": (policy.EVALUATOR, None, 200),
    "PATCH /api/v1/strategy/focus-areas/{focus_area_id}": (
        policy.MANAGER, {"priority": 3, "owner_id": None}, 200),
    "POST /api/v1/strategy/focus-areas/{focus_area_id}/accept": (
        policy.MANAGER, {"horizon": "h1", "priority": 2, "reason": "Good spot."}, 200),
    "POST /api/v1/strategy/focus-areas/{focus_area_id}/merge": (
        policy.ADMIN, lambda into_id: {"into_id": into_id, "reason": "Same theme."}, 200),
    "POST /api/v1/strategy/focus-areas/{focus_area_id}/decline": (
        policy.MANAGER, {"reason": "Covered elsewhere."}, 200),
    "GET /api/v1/strategy/documents": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/strategy/documents": (
        policy.MANAGER, {"kind": "scope", "title": "Scope of the IMS"}, 201),
    "GET /api/v1/strategy/documents/{document_id}": (policy.CONTRIBUTOR, None, 200),
    "GET /api/v1/strategy/documents/{document_id}/versions": (policy.AUDITOR, None, 200),
    "POST /api/v1/strategy/documents/{document_id}/versions": (
        policy.MANAGER, {"change_summary": "Sharper wording."}, 201),
    "GET /api/v1/strategy/versions/{version_id}": (policy.LEADER, None, 200),
    "PATCH /api/v1/strategy/versions/{version_id}": (
        policy.MANAGER, {"body": "Everyone may propose **ideas**."}, 200),
    "POST /api/v1/strategy/versions/{version_id}/submit": (policy.ADMIN, None, 200),
    "POST /api/v1/strategy/versions/{version_id}/approve": (
        policy.LEADER, {"effective_on": None}, 200),
    "POST /api/v1/strategy/versions/{version_id}/return": (
        policy.LEADER, {"reason": "Name the focus areas."}, 200),
    "GET /api/v1/strategy/versions/{version_id}/diff": (policy.EVALUATOR, None, 200),
    "POST /api/v1/strategy/versions/{version_id}/acknowledge": (policy.CONTRIBUTOR, None, 201),
    "GET /api/v1/strategy/awareness": (policy.AUDITOR, None, 200),
    "GET /api/v1/strategy/glance": (policy.CONTRIBUTOR, None, 200),
    "GET /api/v1/strategy/objectives": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/strategy/objectives": (policy.MANAGER, {
        "title": "Faster launches", "indicator": "Median weeks from brief to launch",
        "unit": "weeks", "baseline": 40, "target": "26.5", "start_on": "2026-01-01",
        "due_on": "2027-12-31"}, 201),
    "GET /api/v1/strategy/objectives/{objective_id}": (policy.AUDITOR, None, 200),
    "PATCH /api/v1/strategy/objectives/{objective_id}": (
        policy.MANAGER, {"title": "Launch faster"}, 200),
    "POST /api/v1/strategy/objectives/{objective_id}/progress": (
        policy.LEADER, {"value": 12, "as_of": "2024-06-30", "note": "Two launches"}, 201),
    "GET /api/v1/strategy/raci": (policy.EVALUATOR, None, 200),
    "POST /api/v1/strategy/raci": (
        policy.MANAGER, {"process": "Evaluate ideas", "role": "evaluator", "letter": "R"}, 201),
    "DELETE /api/v1/strategy/raci/{raci_id}": (policy.ADMIN, None, 200),
    "GET /api/v1/strategy/action-items": (policy.CONTRIBUTOR, None, 200),
    "POST /api/v1/strategy/action-items": (policy.MANAGER, lambda objective_id: {
        "title": "Pilot a launch checklist", "kind": "opportunity", "due_on": "2030-01-31",
        "objective_id": objective_id}, 201),
    "GET /api/v1/strategy/action-items/{action_item_id}": (policy.AUDITOR, None, 200),
    "PATCH /api/v1/strategy/action-items/{action_item_id}": (
        policy.MANAGER, {"status": "in_progress"}, 200),
    "GET /api/v1/strategy/budgets": (policy.LEADER, None, 200),
    "POST /api/v1/strategy/budgets": (policy.MANAGER, lambda budget_unit_id: {
        "org_unit_id": budget_unit_id, "period_start": "2030-01-01", "period_end": "2030-12-31",
        "allocated": "25000.00", "currency": "GBP", "note": "Retail pilots"}, 201),
    "GET /api/v1/strategy/budgets/{budget_id}": (policy.AUDITOR, None, 200),
    "PATCH /api/v1/strategy/budgets/{budget_id}": (
        policy.MANAGER, {"allocated": "65000.00"}, 200),
    "GET /api/v1/strategy/time-allowances": (policy.AUDITOR, None, 200),
    "POST /api/v1/strategy/time-allowances": (policy.ADMIN, lambda budget_unit_id: {
        "org_unit_id": budget_unit_id, "percent_of_time": "7.5", "period_start": "2030-01-01",
        "period_end": "2030-12-31", "description": "Hack days"}, 201),
    "GET /api/v1/strategy/competence-matrix": (policy.LEADER, None, 200),
    "POST /api/v1/strategy/required-competencies": (
        policy.MANAGER, lambda free_competency_id: {
            "competency_id": free_competency_id, "people_needed": 3, "rationale": "Taste"}, 201),
    "GET /api/v1/strategy/training-records": (policy.AUDITOR, None, 200),
    "POST /api/v1/strategy/training-records": (
        policy.MANAGER, lambda trainee_id, free_competency_id: {
            "person_id": trainee_id, "title": "Sensory panel leader", "provider": "In-house",
            "competency_id": free_competency_id, "completed_on": "2025-02-14", "hours": "7.5"},
        201),
    "GET /api/v1/strategy/partners": (policy.LEADER, None, 200),
    "POST /api/v1/strategy/partners": (policy.MANAGER, {
        "name": "Voltwise Energy", "kind": "startup", "website": "https://voltwise.example"},
        201),
    "GET /api/v1/strategy/partners/{partner_id}": (policy.AUDITOR, None, 200),
    "PATCH /api/v1/strategy/partners/{partner_id}": (
        policy.MANAGER, {"contact_name": "Lena Frost"}, 200),
    "POST /api/v1/strategy/partners/{partner_id}/agreements": (policy.MANAGER, {
        "kind": "ip", "title": "Pilot IP terms", "ip_terms": "Ours.", "starts_on": "2025-01-01",
        "ends_on": None}, 201),
}


# Path parameters beyond the challenge and the idea: name → (module of tests/matrix/, key of the
# record its build(users, org) returns). A body may be a function of such ids, named by its
# parameters (e.g. lambda objective_id: {...}).
PATH_OBJECTS: dict[str, tuple[str, str]] = {
    "issue_id": ("context", "issue"),
    "party_id": ("context", "party"),
    "focus_area_id": ("focus", "active"),
    "into_id": ("focus", "active"),
    "focus_area_id in /api/v1/strategy/focus-areas/{focus_area_id}/accept": ("focus", "proposal"),
    "focus_area_id in /api/v1/strategy/focus-areas/{focus_area_id}/merge": ("focus", "proposal"),
    "focus_area_id in /api/v1/strategy/focus-areas/{focus_area_id}/decline": (
        "focus", "proposal"),
    "objective_id": ("planning", "objective"),
    "raci_id": ("planning", "raci"),
    "action_item_id": ("planning", "action_item"),
    "budget_id": ("resources", "budget"),
    "budget_unit_id": ("resources", "free_unit"),
    "free_competency_id": ("resources", "free_competency"),
    "trainee_id": ("resources", "trainee"),
    "partner_id": ("partners", "partner"),
    # "<name> in <template>": the record for that parameter of one path only (a version must
    # be a draft to edit, in review to approve, current to acknowledge).
    "document_id": ("documents", "intent"),
    "version_id": ("documents", "strategy_v2"),
    "version_id in /api/v1/strategy/versions/{version_id}": ("documents", "policy_draft"),
    "version_id in /api/v1/strategy/versions/{version_id}/submit": ("documents", "policy_draft"),
    "version_id in /api/v1/strategy/versions/{version_id}/approve": ("documents", "in_review"),
    "version_id in /api/v1/strategy/versions/{version_id}/return": ("documents", "in_review"),
    "version_id in /api/v1/strategy/versions/{version_id}/acknowledge": ("documents", "policy_v1"),
}


# Each module of tests/matrix/ may add its operations' successful calls (``API_SUCCESSES``, as
# above) and its path parameters (``PATH_OBJECTS``: name → key of the record its build returns).
for _module in matrix_modules():
    _area = _module.__name__.rsplit(".", 1)[-1]
    SUCCESSES.update(getattr(_module, "API_SUCCESSES", {}))
    PATH_OBJECTS.update({name: (_area, key)
                         for name, key in getattr(_module, "PATH_OBJECTS", {}).items()})


def _built_ids(template: str, body, users, org) -> dict[str, int]:
    # The challenge and the idea come from the fixtures, unless PATH_OBJECTS names a record
    # for this very path (e.g. a draft to submit).
    wanted = {name for name in re.findall(r"\{(\w+)\}", template)
              if name not in ("challenge_id", "idea_id")
              or f"{name} in {template}" in PATH_OBJECTS}
    if callable(body):
        wanted |= set(inspect.signature(body).parameters)
    built: dict[str, dict] = {}
    ids = {}
    for name in sorted(wanted):
        module, key = PATH_OBJECTS.get(f"{name} in {template}") or PATH_OBJECTS[name]
        if module not in built:
            built[module] = importlib.import_module(f"tests.matrix.{module}").build(users, org)
        ids[name] = built[module][key].pk
    return ids


def test_success_table_covers_every_documented_operation(contract):
    documented = {f"{method.upper()} {template}"
                  for template, operations in contract.document["paths"].items()
                  for method in operations}
    assert set(SUCCESSES) == documented


@pytest.mark.parametrize("key", sorted(SUCCESSES))
def test_successful_call_matches_its_documented_schema(key, call, users, org, idea,
                                                       draft_challenge):
    method, template = key.split(" ")
    role, body, status = SUCCESSES[key]
    target = draft_challenge if template.endswith("/open") else idea.challenge
    ids = _built_ids(template, body, users, org)
    url = template.format(**{"challenge_id": target.pk, "idea_id": idea.pk, **ids})
    if callable(body):
        body = body(**{name: ids[name] for name in inspect.signature(body).parameters})
    if body == "new challenge":
        body = {"title": "Faster changeovers", "description": "Cut *changeover* time.",
                "opens_on": "2030-01-01", "closes_on": "2030-03-31", "audience": "units",
                "unit_ids": [org["ops"].pk, org["sales"].pk],
                "focus_area_ids": [idea.challenge.focus_areas.get().pk]}
    response = call(session(users[role]), method, url, body)
    assert response.status_code == status, response.content


def test_challenge_lifecycle_through_the_api(call, users, org):
    manager = session(users[policy.MANAGER])
    from tests.support import new_challenge_form

    form = new_challenge_form(users[policy.MANAGER])
    created = call(manager, "POST", "/api/v1/challenges", {
        "title": "Greener logistics", "description": "Fewer **empty** trucks.",
        "audience": "units", "unit_ids": [org["ops"].pk],
        "focus_area_ids": form["focus_areas"], "idea_type_ids": form["idea_types"]}).json()
    assert created["status"] == "draft" and created["accepts_ideas"] is False
    assert created["unit_ids"] == [org["ops"].pk]
    assert "<strong>empty</strong>" in created["description_html"]
    url = f"/api/v1/challenges/{created['id']}"
    patched = call(manager, "PATCH", url, {"audience": "organisation"}).json()
    assert patched["audience"] == "organisation" and patched["unit_ids"] == []
    assert patched["title"] == "Greener logistics"  # untouched fields stay as they were
    opened = call(manager, "POST", url + "/open").json()
    assert opened["status"] == "open" and opened["accepts_ideas"] is True
    assert_error_body(call(manager, "POST", url + "/open"), 409, "invalid_transition")
    closed = call(manager, "POST", url + "/close").json()
    assert closed["status"] == "closed"
    assert_error_body(call(manager, "PATCH", url, {"title": "Again"}), 409, "challenge_closed")
    contributor = session(users[policy.CONTRIBUTOR])
    refused = call(contributor, "POST", url + "/ideas", {"title": "Late", "description": "x"})
    assert_error_body(refused, 409, "challenge_not_open")
    assert Challenge.objects.get(pk=created["id"]).idea_count == 0


def test_ideas_comments_and_votes_through_the_api(call, users, challenge):
    contributor = session(users[policy.CONTRIBUTOR])
    evaluator = session(users[policy.EVALUATOR])
    idea = call(contributor, "POST", f"/api/v1/challenges/{challenge.pk}/ideas",
                {"title": "Reusable crates", "description": "Swap cardboard."}).json()
    assert idea["author"]["id"] == users[policy.CONTRIBUTOR].pk
    assert idea["supported_by_me"] is False and idea["vote_count"] == 0

    vote_url = f"/api/v1/ideas/{idea['id']}/vote"
    assert call(evaluator, "POST", vote_url).json() == {"supported": True, "vote_count": 1}
    detail = call(evaluator, "GET", f"/api/v1/ideas/{idea['id']}").json()
    assert detail["supported_by_me"] is True and detail["vote_count"] == 1
    assert call(contributor, "GET", f"/api/v1/ideas/{idea['id']}").json()["supported_by_me"] \
        is False
    assert call(evaluator, "POST", vote_url).json() == {"supported": False, "vote_count": 0}

    comments_url = f"/api/v1/ideas/{idea['id']}/comments"
    comment = call(evaluator, "POST", comments_url, {"body": "What about the retailers?"}).json()
    assert comment["idea_id"] == idea["id"] and comment["author"]["id"] == users["evaluator"].pk
    page = call(contributor, "GET", comments_url).json()
    assert page["count"] == 1 and [c["id"] for c in page["items"]] == [comment["id"]]

    listed = call(contributor, "GET", f"/api/v1/ideas?challenge={challenge.pk}").json()
    assert listed["count"] == 1 and listed["items"][0]["comment_count"] == 1
    assert call(contributor, "GET", "/api/v1/ideas?q=crates").json()["count"] == 1
    assert call(contributor, "GET", "/api/v1/ideas?q=nothing-like-it").json()["count"] == 0


def test_me_and_audit_events(call, users, idea):
    me = call(session(users[policy.EVALUATOR]), "GET", "/api/v1/me").json()
    assert me["email"] == "evaluator@example.test" and me["role"] == "evaluator"
    assert me["org_unit"] == "Plant Leeds"
    auditor = session(users[policy.AUDITOR])
    events = call(auditor, "GET", "/api/v1/audit/events?verb=idea.&limit=5").json()
    assert events["count"] == 1 and events["items"][0]["verb"] == "idea.submitted"
    assert events["items"][0]["object_id"] == str(idea.pk)
    today = timezone.localdate()
    window = f"since={today - timedelta(days=1)}&until={today}"
    assert call(auditor, "GET", f"/api/v1/audit/events?{window}").json()["count"] >= 1
    assert call(auditor, "GET", "/api/v1/audit/events?until=2000-01-01").json()["count"] == 0


def test_pages_report_count_limit_and_offset(call, users, challenge):
    for n in range(3):
        actions.submit_idea(users[policy.CONTRIBUTOR], challenge, title=f"Idea {n}",
                            description="x")
    page = call(session(users[policy.MANAGER]), "GET", "/api/v1/ideas?limit=2&offset=1").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    assert [i["title"] for i in page["items"]] == ["Idea 1", "Idea 0"]


# --- Errors ---------------------------------------------------------------------------------


def test_anonymous_call_is_401_with_the_error_body(call, idea):
    for method, url in (("GET", "/api/v1/me"), ("GET", f"/api/v1/ideas/{idea.pk}"),
                        ("POST", f"/api/v1/ideas/{idea.pk}/vote")):
        assert_error_body(call(Client(), method, url), 401, "unauthenticated")


def test_refused_role_is_403_with_the_error_body(call, users, idea):
    contributor = session(users[policy.CONTRIBUTOR])
    body = {"title": "Mine", "description": "Contributors cannot create challenges.",
            "focus_area_ids": [1]}
    assert_error_body(call(contributor, "POST", "/api/v1/challenges", body), 403, "forbidden")
    assert_error_body(call(contributor, "GET", "/api/v1/audit/events"), 403, "forbidden")
    auditor = session(users[policy.AUDITOR])
    assert_error_body(call(auditor, "POST", f"/api/v1/ideas/{idea.pk}/vote"), 403, "forbidden")
    assert not Vote.objects.exists()


def test_missing_record_is_404_with_the_error_body(call, users):
    client = session(users[policy.MANAGER])
    for url in ("/api/v1/ideas/987654", "/api/v1/challenges/987654",
                "/api/v1/ideas/987654/comments", "/api/v1/ideas?challenge=987654"):
        assert_error_body(call(client, "GET", url), 404, "not_found")


def test_invalid_fields_are_422_naming_each_field(call, users, challenge):
    manager = session(users[policy.MANAGER])
    areas = [challenge.focus_areas.get().pk]
    error = assert_error_body(call(manager, "POST", "/api/v1/challenges", {
        "title": "", "description": "d" * 20001, "audience": "everyone"}), 422, "invalid")
    assert set(error["fields"]) == {"title", "description", "audience", "focus_area_ids"}
    error = assert_error_body(call(manager, "POST", "/api/v1/challenges", {
        "title": "T", "description": "D", "audience": "units", "focus_area_ids": areas}),
        422, "invalid")
    assert set(error["fields"]) == {"unit_ids"}
    error = assert_error_body(call(manager, "POST", "/api/v1/challenges", {
        "title": "T", "description": "D", "opens_on": "2030-02-01",
        "closes_on": "2030-01-01", "focus_area_ids": areas}), 422, "invalid")
    assert set(error["fields"]) == {"closes_on"}
    error = assert_error_body(call(manager, "GET", "/api/v1/ideas?limit=0&offset=-1"), 422)
    assert set(error["fields"]) == {"limit", "offset"}
    error = assert_error_body(call(manager, "GET", "/api/v1/challenges/first"), 422)
    assert set(error["fields"]) == {"challenge_id"}
    contributor = session(users[policy.CONTRIBUTOR])
    error = assert_error_body(call(contributor, "POST", f"/api/v1/challenges/{challenge.pk}/ideas",
                                   {"title": "   ", "description": "x"}), 422, "invalid")
    assert set(error["fields"]) == {"title"}


def test_malformed_json_is_400(call, users, challenge):
    client = session(users[policy.CONTRIBUTOR])
    for raw in ('{"title": "unterminated', "not json at all", b"\xff\xfe\x00"):
        response = call(client, "POST", f"/api/v1/challenges/{challenge.pk}/ideas", raw)
        assert_error_body(response, 400, "malformed")
    assert challenge.ideas.count() == 0


def test_oversized_body_is_413(call, users, challenge, settings):
    client = session(users[policy.CONTRIBUTOR])
    body = {"title": "Big", "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = call(client, "POST", f"/api/v1/challenges/{challenge.pk}/ideas", body)
    assert_error_body(response, 413, "too_large")
    assert challenge.ideas.count() == 0


# Each bad input, sent as the manager (who may call everything): never a 500, always a
# documented 4xx with the error body. {c} is an open challenge, {i} an idea in it.
BAD_INPUTS = [
    ("GET", "/api/v1/ideas?q=%00", None, 422),
    ("GET", "/api/v1/ideas?q=" + "x" * 201, None, 422),
    ("GET", "/api/v1/ideas?challenge=abc", None, 422),
    ("GET", "/api/v1/ideas?challenge=99999999999999999999", None, 404),
    ("GET", "/api/v1/ideas?challenge=-1", None, 404),
    ("GET", "/api/v1/ideas?limit=101", None, 422),
    ("GET", "/api/v1/ideas?limit=1e3", None, 422),
    ("GET", "/api/v1/ideas?offset=99999999999999999999", None, 200),
    ("GET", "/api/v1/challenges?status=archived", None, 422),
    ("GET", "/api/v1/challenges?offset=99999999999999999999", None, 200),
    ("GET", "/api/v1/ideas/99999999999999999999", None, 404),
    ("GET", "/api/v1/ideas/-5", None, 404),
    ("GET", "/api/v1/ideas/%00", None, 422),
    ("GET", "/api/v1/ideas/{i}/comments?offset=99999999999999999999", None, 200),
    ("GET", "/api/v1/audit/events?until=9999-12-31", None, 200),
    ("GET", "/api/v1/audit/events?since=0001-01-01", None, 200),
    ("GET", "/api/v1/audit/events?since=2024-02-30", None, 422),
    ("GET", "/api/v1/audit/events?actor=%00", None, 422),
    ("GET", "/api/v1/audit/events?object_id=" + "9" * 100, None, 200),
    ("POST", "/api/v1/challenges", {"title": "T\x00", "description": "D"}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D", "audience": "units",
                                    "unit_ids": [99999999999999999999]}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D", "audience": "units",
                                    "unit_ids": [-1, 0]}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D", "unit_ids": "all"}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D",
                                    "unit_ids": list(range(501))}, 422),
    ("POST", "/api/v1/challenges", {"title": ["T"], "description": {"D": 1}}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D",
                                    "opens_on": "2024-02-30"}, 422),
    ("POST", "/api/v1/challenges", {"title": "T", "description": "D",
                                    "closes_on": "99999-01-01"}, 422),
    ("POST", "/api/v1/challenges", [1, 2, 3], 422),
    ("POST", "/api/v1/challenges", "null", 422),
    ("POST", "/api/v1/challenges", '"just a string"', 422),
    ("POST", "/api/v1/challenges", None, 400),  # an empty body is not JSON
    ("POST", "/api/v1/challenges", {"title": "T" * 201, "description": "D"}, 422),
    ("PATCH", "/api/v1/challenges/{c}", {"title": None}, 422),
    ("PATCH", "/api/v1/challenges/{c}", {"audience": None}, 422),
    ("PATCH", "/api/v1/challenges/{c}", {"audience": "units", "unit_ids": []}, 422),
    ("PATCH", "/api/v1/challenges/{c}", {"closes_on": "2000-01-01", "opens_on": "2001-01-01"},
     422),
    ("PATCH", "/api/v1/challenges/987654", {"title": "Gone"}, 404),
    ("POST", "/api/v1/challenges/{c}/ideas", {"title": "Emoji 🌱", "description": "x\x00"}, 422),
    ("POST", "/api/v1/challenges/{c}/ideas", {"title": "T", "description": "   "}, 422),
    ("POST", "/api/v1/challenges/{c}/ideas", {"title": 5, "description": True}, 422),
    ("POST", "/api/v1/challenges/{c}/open", None, 409),
    ("POST", "/api/v1/ideas/{i}/comments", {"body": ""}, 422),
    ("POST", "/api/v1/ideas/{i}/comments", {"body": "b" * 5001}, 422),
    ("POST", "/api/v1/ideas/{i}/comments", {"body": "\x00"}, 422),
    ("POST", "/api/v1/ideas/{i}/comments", {"body": {"nested": ["x"]}}, 422),
    ("POST", "/api/v1/ideas/987654/vote", None, 404),
]


@pytest.mark.parametrize(("method", "url", "body", "status"), BAD_INPUTS,
                         ids=[f"{n}-{m} {u[8:50]}" for n, (m, u, _, _) in enumerate(BAD_INPUTS)])
def test_bad_input_is_a_documented_4xx_never_a_500(method, url, body, status, call, users, idea):
    client = Client(raise_request_exception=False)
    client.force_login(users[policy.MANAGER])
    url = url.format(c=idea.challenge_id, i=idea.pk)
    response = call(client, method, url, body)
    assert response.status_code == status, response.content
    if status >= 400:
        assert_error_body(response, status)


def test_null_characters_are_refused_and_never_stored(call, users, challenge):
    client = session(users[policy.CONTRIBUTOR])
    response = call(client, "POST", f"/api/v1/challenges/{challenge.pk}/ideas",
                    {"title": "Crates\x00", "description": "ok"})
    assert assert_error_body(response, 422, "invalid")["fields"] == {
        "title": ["Null characters are not allowed."]}
    assert challenge.ideas.count() == 0


# --- Bearer tokens ----------------------------------------------------------------------------


def bearer(secret: str, **kwargs) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)


def test_bearer_token_authenticates_reads_and_writes(call, users, idea):
    token, secret = create_api_token(users[policy.EVALUATOR], name="script")
    # A bearer token is not a cookie a browser sends by itself, so no CSRF token is needed.
    client = bearer(secret, enforce_csrf_checks=True)
    me = call(client, "GET", "/api/v1/me").json()
    assert me["id"] == users[policy.EVALUATOR].pk
    vote = call(client, "POST", f"/api/v1/ideas/{idea.pk}/vote").json()
    assert vote == {"supported": True, "vote_count": 1}
    assert Vote.objects.filter(idea=idea, voter=users[policy.EVALUATOR]).exists()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_bearer_token_carries_its_owners_role(call, users):
    _, secret = create_api_token(users[policy.CONTRIBUTOR], name="script")
    body = {"title": "Sneaky", "description": "A contributor's token cannot manage.",
            "focus_area_ids": [1]}
    assert_error_body(call(bearer(secret), "POST", "/api/v1/challenges", body), 403, "forbidden")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_revoked_token_is_401(method, call, users, idea):
    token, secret = create_api_token(users[policy.CONTRIBUTOR], name="old")
    revoke_api_token(users[policy.CONTRIBUTOR], token)
    client = bearer(secret, enforce_csrf_checks=True)
    url = "/api/v1/me" if method == "GET" else f"/api/v1/ideas/{idea.pk}/vote"
    assert_error_body(call(client, method, url), 401, "unauthenticated")
    assert not Vote.objects.exists()


@pytest.mark.parametrize("header", [
    "Bearer sbt_" + "x" * 43,  # well-formed, unknown
    "Bearer not-even-our-prefix",
    "Bearer ",
    "Bearer sbt_" + "x" * 300,
    "Token sbt_abc",
    "Bearer sbt_\u00e9\u00e9",
])
def test_wrong_token_is_401(header, call, idea):
    client = Client(HTTP_AUTHORIZATION=header, enforce_csrf_checks=True)
    assert_error_body(call(client, "GET", "/api/v1/me"), 401, "unauthenticated")
    assert_error_body(call(client, "POST", f"/api/v1/ideas/{idea.pk}/vote"), 401,
                      "unauthenticated")


def test_token_of_a_deactivated_person_is_401(call, users):
    _, secret = create_api_token(users[policy.CONTRIBUTOR], name="script")
    users[policy.CONTRIBUTOR].is_active = False
    users[policy.CONTRIBUTOR].save(update_fields=["is_active"])
    assert_error_body(call(bearer(secret), "GET", "/api/v1/me"), 401, "unauthenticated")


def test_token_of_a_lapsed_auditor_is_refused(call, users):
    auditor = users[policy.AUDITOR]
    _, secret = create_api_token(auditor, name="engagement")
    auditor.access_until = timezone.localdate() - timedelta(days=1)
    auditor.save(update_fields=["access_until"])
    assert_error_body(call(bearer(secret), "GET", "/api/v1/audit/events"), 403, "forbidden")


# --- CSRF for session-authenticated writes ----------------------------------------------------


def test_session_write_without_csrf_token_is_refused(call, users, idea, challenge):
    client = session(users[policy.MANAGER], enforce_csrf_checks=True)
    assert_error_body(call(client, "POST", f"/api/v1/ideas/{idea.pk}/vote"), 403)
    assert_error_body(call(client, "POST", f"/api/v1/ideas/{idea.pk}/comments",
                           {"body": "hi"}), 403)
    assert_error_body(call(client, "PATCH", f"/api/v1/challenges/{challenge.pk}",
                           {"title": "Hijacked"}), 403)
    assert_error_body(call(client, "POST", f"/api/v1/challenges/{challenge.pk}/close"), 403)
    challenge.refresh_from_db()
    assert challenge.title == "Cut packaging waste" and challenge.status == "open"
    assert not Vote.objects.exists() and not idea.comments.exists()
    # Reads need no CSRF token.
    assert call(client, "GET", f"/api/v1/ideas/{idea.pk}").status_code == 200


def test_session_write_with_csrf_token_is_accepted(call, users, idea):
    # The evaluator, not the contributor: nobody supports their own idea.
    client = session(users[policy.EVALUATOR], enforce_csrf_checks=True)
    client.get(reverse("ideas:idea_detail", args=[idea.pk]))  # the page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = call(client, "POST", f"/api/v1/ideas/{idea.pk}/vote", HTTP_X_CSRFTOKEN=csrf)
    assert response.json() == {"supported": True, "vote_count": 1}


def test_contract_check_catches_undocumented_fields_wrong_types_and_statuses(contract):
    from django.http import JsonResponse

    good = {"supported": True, "vote_count": 1}
    contract.check("POST", "/api/v1/ideas/1/vote", JsonResponse(good))
    for bad in ({**good, "secret": "leaked"}, {"supported": "yes", "vote_count": 1},
                {"supported": True}):
        with pytest.raises(AssertionError, match="breaks its schema"):
            contract.check("POST", "/api/v1/ideas/1/vote", JsonResponse(bad))
    with pytest.raises(AssertionError, match="does not list"):
        contract.check("POST", "/api/v1/ideas/1/vote", JsonResponse(good, status=418))
    nested = {"items": [{"id": 1, "idea_id": 1, "author": {"id": 1, "full_name": "A", "x": 1},
                         "body": "b", "created_at": "2030-01-01T00:00:00Z"}],
              "count": 1, "limit": 50, "offset": 0}
    with pytest.raises(AssertionError, match="breaks its schema"):
        contract.check("GET", "/api/v1/ideas/1/comments", JsonResponse(nested))
    nested["items"][0]["author"].pop("x")
    contract.check("GET", "/api/v1/ideas/1/comments", JsonResponse(nested))
