"""Deny by default, proven (DESIGN: "every URL and API operation declares who may use it").

1. The walk: every URL pattern of the resolver and every API operation carries a declared access
   rule (``view.access_rule``), with the few exceptions named below, each with its reason.
2. The matrix: every HTML route and API operation, requested by every role (and anonymously) with
   real object ids, answers as its rule says: refused roles get 403, anonymous is sent to sign in
   (HTML) or told 401 (API), admitted roles get the exact status the table expects.
3. Object-level visibility: partners see nothing internal, unit-targeted challenges reach only
   their units and the units below, drafts only those who run the IMS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from ninja.utils import normalize_path

from seedbed import policy
from seedbed.api import api
from tests.matrix import matrix_modules
from tests.matrix._base import Probe, World
from tests.support import SAFE_METHODS, api_call, assert_error_body, new_challenge

ANONYMOUS = "anonymous"
ACTORS: tuple[str, ...] = (*policy.ROLES, ANONYMOUS)
A, M, L, E, C, P, AU = policy.ROLES
API_PREFIX = "/api/v1/"

# ---------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------

# URL namespaces whose access is declared somewhere other than ``view.access_rule``.
DECLARED_ELSEWHERE = {
    "admin": "Django admin: AdminSite admits only User.is_staff, which is role == admin, i.e. "
             "rule 'admin.site' (proven by test_admin_site_admits_only_admins)",
    "api": "django-ninja operations: each declares its rule with policy.api_rule on the "
           "operation (proven per operation by test_every_api_operation_declares_a_rule)",
}
# The ninja views in the ``api`` namespace that are not operations.
API_NON_OPERATIONS = {
    "api:openapi-json": "the OpenAPI document is public (DESIGN: /api/v1/openapi.json)",
    "api:openapi-view": "the interactive docs are public (DESIGN: /api/v1/docs)",
    "api:api-root": "ninja's root marker: always answers 404, exists so reverse() finds the prefix",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when the pattern has no name
    route: str
    callback: Callable
    namespace: str

    @property
    def rule(self) -> str | None:
        return getattr(self.callback, "access_rule", None)


def walk_urls(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found: list[Route] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += walk_urls(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                name = route
            found.append(Route(name, route, pattern.callback, namespace))
    return found


def html_routes() -> list[Route]:
    return [r for r in walk_urls() if r.namespace.split(":")[0] not in DECLARED_ELSEWHERE]


@dataclass(frozen=True)
class Operation:
    key: str  # "METHOD /api/v1/path/{param}"
    method: str
    path: str
    view_func: Callable
    url_name: str
    operation_id: str

    @property
    def rule(self) -> str | None:
        return getattr(self.view_func, "access_rule", None)


def walk_api() -> list[Operation]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = normalize_path("/".join([API_PREFIX, prefix, path]))
            for op in path_view.operations:
                for method in op.methods:
                    found.append(Operation(
                        f"{method} {full}", method, full, op.view_func,
                        api.get_operation_url_name(op, router=router),
                        api.get_openapi_operation_id(op)))
    return found


def test_every_url_pattern_declares_an_access_rule():
    undeclared = [f"{r.name} (/{r.route})" for r in html_routes() if r.rule is None]
    assert not undeclared, (
        "routes without a declared access rule (decorate the view with policy.rule(...) or "
        f"policy.public): {undeclared}")


def test_every_declared_rule_is_a_known_rule():
    rules = {r.name: r.rule for r in html_routes()} | {o.key: o.rule for o in walk_api()}
    unknown = {name: rule for name, rule in rules.items()
               if rule != policy.PUBLIC and rule not in policy.RULES}
    assert not unknown


def test_admin_namespace_is_served_by_the_admin_site_only():
    admin_routes = [r for r in walk_urls() if r.namespace.split(":")[0] == "admin"]
    assert admin_routes
    # Everything there lives under /admin/, where AdminSite.admin_view guards each view.
    strays = [r.name for r in admin_routes if not r.route.startswith("admin/")]
    assert not strays


def test_every_api_url_is_an_operation_or_a_declared_exception():
    api_routes = {r.name for r in walk_urls() if r.namespace.split(":")[0] == "api"}
    operations = {f"api:{op.url_name}" for op in walk_api()}
    unexplained = api_routes - operations - set(API_NON_OPERATIONS)
    assert not unexplained, f"API URLs that are neither an operation nor declared: {unexplained}"
    assert set(API_NON_OPERATIONS) <= api_routes, "stale entries in API_NON_OPERATIONS"


def test_api_documentation_views_answer_anonymous_requests():
    client = Client()
    assert client.get(reverse("api:openapi-json")).status_code == 200
    assert client.get(reverse("api:openapi-view")).status_code == 200


def test_every_api_operation_declares_a_rule():
    operations = walk_api()
    assert operations
    undeclared = [op.key for op in operations if op.rule is None]
    assert not undeclared, (
        f"API operations without policy.api_rule(...): {undeclared}")


def test_every_operation_in_the_openapi_document_declares_a_rule():
    by_id = {op.operation_id: op for op in walk_api()}
    document = api.get_openapi_schema()
    seen = 0
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            op = by_id.get(spec["operationId"])
            assert op is not None, f"{method.upper()} {path} is not an operation of seedbed.api"
            assert op.key == f"{method.upper()} {path}"
            assert op.rule is not None, f"{op.key} declares no access rule"
            if op.rule != policy.PUBLIC:
                assert spec.get("security"), f"{op.key} needs authentication but documents none"
            seen += 1
    assert seen == len(by_id)


# Who each rule admits, pinned here so that widening a rule in policy.py is a visible,
# reviewed change of this table too.
EXPECTED_RULES = {
    "account.self": {A, M, L, E, C, P, AU},
    "challenge.browse": {A, M, L, E, C, P, AU},
    "idea.browse": {A, M, L, E, C, P, AU},
    "challenge.manage": {A, M},
    "idea.contribute": {A, M, L, E, C, P},
    "idea.manage": {A, M},
    "audit.browse": {A, M, AU},
    "admin.site": {A},
    "strategy.read": {A, M, L, E, C, AU},
    "strategy.drafts": {A, M, L},
    "strategy.manage": {A, M},
    "strategy.approve": {L},
    "strategy.propose": {A, M, L, E, C},
    "strategy.acknowledge": {A, M, L, E, C},
    "strategy.records": {A, M, L, AU},
    "webhook.manage": {A, M},
    "pipeline.browse": {A, M, L, E, C, P, AU},
    "pipeline.manage": {A, M},
    "pipeline.work": {A, M, L, E, C, P},
    "pipeline.evaluate": {A, M, L, E, C},
    "pipeline.decide": {A, M, L},
    "pipeline.approve": {L},
    "pipeline.portfolio": {A, M, L, AU},
}


def test_rules_admit_exactly_the_expected_roles():
    assert {name: set(roles) for name, roles in policy.RULES.items()} == EXPECTED_RULES


def admits(rule: str, actor: str) -> bool:
    """What the matrix expects, from the pinned table rather than from policy.py itself."""
    if rule == policy.PUBLIC:
        return True
    return actor in EXPECTED_RULES[rule]


# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------


def _challenge(w: World) -> dict:
    return {"pk": w.challenge.pk}


def _idea(w: World) -> dict:
    return {"pk": w.idea.pk}


# Internal records are invisible to partners (no invitation exists yet): 404, not 403.
PARTNER_CANNOT_SEE = {P: 404}

HTML_SAMPLES: dict[str, Probe] = {
    "healthz": Probe(policy.PUBLIC, anonymous=200),
    # Signed-in people are sent on to their home page.
    "accounts:login": Probe(policy.PUBLIC, allowed=302, anonymous=200),
    "accounts:logout": Probe("account.self", "post", allowed=302),
    "accounts:password_change": Probe("account.self"),
    "accounts:password_reset": Probe(policy.PUBLIC, anonymous=200),
    "accounts:password_reset_done": Probe(policy.PUBLIC, anonymous=200),
    "accounts:password_reset_confirm": Probe(
        policy.PUBLIC, anonymous=200,
        kwargs=lambda w: {"uidb64": urlsafe_base64_encode(force_bytes(w.users[C].pk)),
                          "token": "not-a-valid-token"}),
    "accounts:password_reset_complete": Probe(policy.PUBLIC, anonymous=200),
    "accounts:profile": Probe("account.self"),
    "accounts:token_create": Probe("account.self", "post", data={"name": "From the matrix"}),
    # Only the owner may revoke a token; anyone else cannot even tell it exists.
    "accounts:token_revoke": Probe("account.self", "post", kwargs=lambda w: {"pk": w.token.pk},
                                   allowed=404, per_role={C: 302}),
    "audit:event_list": Probe("audit.browse"),
    "audit:verify": Probe("audit.browse"),
    "core:home": Probe("account.self"),
    "ideas:challenge_list": Probe("challenge.browse"),
    "ideas:challenge_create": Probe("challenge.manage"),
    "ideas:challenge_detail": Probe("challenge.browse", kwargs=_challenge,
                                    per_role=PARTNER_CANNOT_SEE),
    "ideas:challenge_edit": Probe("challenge.manage", kwargs=_challenge),
    "ideas:challenge_open": Probe("challenge.manage", "post", allowed=302,
                                  kwargs=lambda w: {"pk": w.draft.pk}),
    "ideas:challenge_close": Probe("challenge.manage", "post", kwargs=_challenge, allowed=302),
    "ideas:idea_create": Probe("idea.contribute", kwargs=_challenge, per_role=PARTNER_CANNOT_SEE),
    "ideas:idea_list": Probe("idea.browse"),
    "ideas:idea_detail": Probe("idea.browse", kwargs=_idea, per_role=PARTNER_CANNOT_SEE),
    # The contributor wrote the idea, and nobody supports their own idea (409).
    "ideas:idea_vote": Probe("idea.contribute", "post", kwargs=_idea, allowed=302,
                             per_role={**PARTNER_CANNOT_SEE, C: 409}),
    "ideas:idea_comment": Probe("idea.contribute", "post", kwargs=_idea, allowed=302,
                                data={"body": "Retailers already return pallets."},
                                per_role=PARTNER_CANNOT_SEE),
}

API_SAMPLES: dict[str, Probe] = {
    "GET /api/v1/me": Probe("account.self"),
    "GET /api/v1/challenges": Probe("challenge.browse"),
    "POST /api/v1/challenges": Probe(
        "challenge.manage", "post", allowed=201,
        data=lambda w: {"title": "Greener logistics", "description": "Fewer empty trucks.",
                        "focus_area_ids": [w.challenge.focus_areas.get().pk]}),
    "GET /api/v1/challenges/{challenge_id}": Probe(
        "challenge.browse", kwargs=lambda w: {"challenge_id": w.challenge.pk},
        per_role=PARTNER_CANNOT_SEE),
    "PATCH /api/v1/challenges/{challenge_id}": Probe(
        "challenge.manage", "patch", kwargs=lambda w: {"challenge_id": w.challenge.pk},
        data={"title": "Halve packaging waste"}),
    "POST /api/v1/challenges/{challenge_id}/open": Probe(
        "challenge.manage", "post", kwargs=lambda w: {"challenge_id": w.draft.pk}),
    "POST /api/v1/challenges/{challenge_id}/close": Probe(
        "challenge.manage", "post", kwargs=lambda w: {"challenge_id": w.challenge.pk}),
    "POST /api/v1/challenges/{challenge_id}/ideas": Probe(
        "idea.contribute", "post", allowed=201, kwargs=lambda w: {"challenge_id": w.challenge.pk},
        data={"title": "Deposit scheme", "description": "Charge a small deposit per crate."},
        per_role=PARTNER_CANNOT_SEE),
    "GET /api/v1/ideas": Probe("idea.browse"),
    "GET /api/v1/ideas/{idea_id}": Probe(
        "idea.browse", kwargs=lambda w: {"idea_id": w.idea.pk}, per_role=PARTNER_CANNOT_SEE),
    "GET /api/v1/ideas/{idea_id}/comments": Probe(
        "idea.browse", kwargs=lambda w: {"idea_id": w.idea.pk}, per_role=PARTNER_CANNOT_SEE),
    "POST /api/v1/ideas/{idea_id}/comments": Probe(
        "idea.contribute", "post", allowed=201, kwargs=lambda w: {"idea_id": w.idea.pk},
        data={"body": "Could work with the big two retailers."}, per_role=PARTNER_CANNOT_SEE),
    "POST /api/v1/ideas/{idea_id}/vote": Probe(
        "idea.contribute", "post", kwargs=lambda w: {"idea_id": w.idea.pk},
        per_role={**PARTNER_CANNOT_SEE, C: 409}),
    "GET /api/v1/audit/events": Probe("audit.browse"),
}

# Each module of tests/matrix/ adds the probes of one area (and builds its objects).
for _module in matrix_modules():
    HTML_SAMPLES.update(_module.HTML_SAMPLES)
    API_SAMPLES.update(_module.API_SAMPLES)

HTML_ROUTES = {r.name: r for r in html_routes()}
API_OPERATIONS = {op.key: op for op in walk_api()}


def test_matrix_tables_have_no_stale_entries():
    assert not set(HTML_SAMPLES) - set(HTML_ROUTES), "HTML_SAMPLES names routes that are gone"
    assert not set(API_SAMPLES) - set(API_OPERATIONS), "API_SAMPLES names operations that are gone"


def test_public_probes_say_what_anonymous_gets():
    for name, probe in (HTML_SAMPLES | API_SAMPLES).items():
        assert (probe.rule == policy.PUBLIC) == (probe.anonymous is not None), name


class AreaObjects(dict):
    """The objects of tests/matrix/<area>.py, built the first time a probe asks for them: a
    probe only pays for its own area's records."""

    def __init__(self, users, org):
        super().__init__()
        self.users, self.org = users, org
        self.modules = {m.__name__.rsplit(".", 1)[-1]: m for m in matrix_modules()}

    def __missing__(self, area: str) -> dict:
        built = self[area] = self.modules[area].build(self.users, self.org)
        return built


@pytest.fixture
def world(users, org, challenge, idea, draft_challenge, contributor_token) -> World:
    return World(users=users, challenge=challenge, draft=draft_challenge, idea=idea,
                 token=contributor_token[0], extra=AreaObjects(users, org))


def client_as(actor: str, users) -> Client:
    client = Client()
    if actor != ANONYMOUS:
        client.force_login(users[actor])
    return client


def audit_length() -> int:
    from seedbed.audit.models import AuditEvent

    return AuditEvent.objects.count()


def assert_writes_only_when_admitted(method: str, status: int, before: int, admitted: bool,
                                     audited: bool = False):
    """A refused or read-only request leaves the audit trail untouched; an admitted write that
    succeeds records at least one event (DESIGN rule 1: one audited door per state change).
    An ``audited`` read (an export) records its event like a write."""
    wrote = audit_length() > before
    succeeded = admitted and status in (200, 201, 302)
    assert wrote == ((method not in SAFE_METHODS or audited) and succeeded), (
        f"{method.upper()} answered {status} and {'wrote' if wrote else 'did not write'} "
        "to the audit trail")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(HTML_ROUTES))
def test_html_route_answers_each_role_as_its_rule_says(name, actor, world):
    probe = HTML_SAMPLES.get(name)
    assert probe is not None, (
        f"add sample arguments for route {name} (/{HTML_ROUTES[name].route}) to HTML_SAMPLES")
    declared = HTML_ROUTES[name].rule
    assert declared == probe.rule, f"route {name} declares {declared!r}, expected {probe.rule!r}"
    client = client_as(actor, world.users)
    url = reverse(name, kwargs=probe.kwargs(world))
    data = probe.body(world) or {}
    before = audit_length()
    response = getattr(client, probe.method)(url, data)
    status = response.status_code

    if actor == ANONYMOUS and probe.rule != policy.PUBLIC:
        assert status == 302, f"{name}: anonymous got {status}"
        login = reverse("accounts:login")
        assert response["Location"] == f"{login}?next={quote(url)}"
    elif actor == ANONYMOUS:
        assert status == probe.anonymous, f"{name}: anonymous got {status}"
        assert not response.get("Location", "").startswith(reverse("accounts:login"))
    elif admits(probe.rule, actor):
        assert status == probe.expected(actor), f"{name} as {actor}: got {status}"
    else:
        assert status == 403, f"{name} as {actor}: got {status}, the rule refuses this role"
    admitted = actor != ANONYMOUS and admits(probe.rule, actor)
    assert_writes_only_when_admitted(probe.method, status, before, admitted, probe.audited)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", sorted(API_OPERATIONS))
def test_api_operation_answers_each_role_as_its_rule_says(key, actor, world):
    probe = API_SAMPLES.get(key)
    assert probe is not None, f"add sample arguments for API operation {key} to API_SAMPLES"
    op = API_OPERATIONS[key]
    assert op.rule == probe.rule, f"{key} declares {op.rule!r}, expected {probe.rule!r}"
    assert probe.method == op.method.lower()
    client = client_as(actor, world.users)
    path, data = op.path.format(**probe.kwargs(world)), probe.body(world)
    before = audit_length()
    response = api_call(client, op.method, path, data)
    status = response.status_code

    if actor == ANONYMOUS and probe.rule != policy.PUBLIC:
        assert_error_body(response, 401, "unauthenticated")
    elif actor == ANONYMOUS:
        assert status == probe.anonymous
    elif admits(probe.rule, actor):
        expected = probe.expected(actor)
        if expected >= 400:
            assert_error_body(response, expected)
        else:
            assert status == expected, f"{key} as {actor}: got {status} {response.content[:200]!r}"
    else:
        assert_error_body(response, 403, "forbidden")
    admitted = actor != ANONYMOUS and admits(probe.rule, actor)
    assert_writes_only_when_admitted(probe.method, status, before, admitted, probe.audited)


@pytest.mark.parametrize("actor", ACTORS)
def test_admin_site_admits_only_admins(actor, users):
    client = client_as(actor, users)
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry]
    assert len(urls) > 1
    for url in urls:
        response = client.get(url)
        if admits("admin.site", actor):
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url


def test_lapsed_access_is_refused_like_no_role(users):
    auditor = users[AU]
    auditor.access_until = timezone.localdate() - timedelta(days=1)
    auditor.save(update_fields=["access_until"])
    client = client_as(AU, users)
    assert client.get(reverse("audit:event_list")).status_code == 403
    assert client.get(reverse("ideas:challenge_list")).status_code == 403
    assert_error_body(client.get("/api/v1/audit/events"), 403, "forbidden")
    assert_error_body(client.get("/api/v1/me"), 403, "forbidden")


def test_the_day_access_ends_is_still_a_working_day(users):
    auditor = users[AU]
    auditor.access_until = timezone.localdate()
    auditor.save(update_fields=["access_until"])
    assert client_as(AU, users).get(reverse("audit:event_list")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Object-level visibility
# ---------------------------------------------------------------------------------------------


def api_count(client: Client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def api_ids(client: Client, path: str) -> set[int]:
    return {item["id"] for item in client.get(path + "?limit=100").json()["items"]}


def test_partner_sees_no_internal_challenge_or_idea(world):
    partner = client_as(P, world.users)
    assert partner.get(reverse("ideas:challenge_detail", args=[world.challenge.pk])).status_code \
        == 404
    assert partner.get(reverse("ideas:idea_detail", args=[world.idea.pk])).status_code == 404
    assert_error_body(partner.get(f"/api/v1/challenges/{world.challenge.pk}"), 404, "not_found")
    assert_error_body(partner.get(f"/api/v1/ideas/{world.idea.pk}"), 404, "not_found")
    assert_error_body(partner.get(f"/api/v1/ideas?challenge={world.challenge.pk}"), 404)
    assert api_count(partner, "/api/v1/challenges") == 0
    assert api_count(partner, "/api/v1/ideas") == 0
    assert api_count(partner, "/api/v1/ideas?q=crates") == 0
    for page in ("core:home", "ideas:challenge_list", "ideas:idea_list"):
        html = partner.get(reverse(page)).content.decode()
        assert world.challenge.title not in html, page
        assert world.idea.title not in html, page


def test_employees_see_the_internal_challenge_and_idea_the_partner_cannot(world):
    for role in (A, M, L, E, C, AU):
        client = client_as(role, world.users)
        assert api_count(client, "/api/v1/challenges") >= 1, role
        assert api_count(client, "/api/v1/ideas") == 1, role
        assert world.idea.title in client.get(reverse("ideas:idea_list")).content.decode(), role


@pytest.fixture
def units_world(users, org):
    """A challenge for the Operations unit (audience=units) with one idea, plus people placed
    inside (Operations, and Plant Leeds below it) and outside (Sales, and the root above)."""
    from seedbed.accounts.models import User
    from seedbed.ideas import actions

    ch = new_challenge(
        users[M], title="Faster changeovers", description="Cut line changeover time.",
        audience="units", units=[org["ops"]])
    ch = actions.open_challenge(users[M], ch)
    idea = actions.submit_idea(users[C], ch, title="Colour-coded tooling",
                               description="Tools for each line in one colour.")
    people = {}
    for key, unit in (("ops", "ops"), ("sales", "sales"), ("root", "root")):
        people[key] = User.objects.create_user(
            f"{key}-person@example.test", "x" * 12, full_name=f"{key} person",
            role=policy.CONTRIBUTOR, org_unit=org[unit])
    people["plant"] = users[C]  # Plant Leeds, a sub-unit of Operations
    people["plant-evaluator"] = users[E]
    return {"challenge": ch, "idea": idea, "people": people}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["ops", "plant", "plant-evaluator"])
def test_unit_challenge_is_visible_inside_its_unit_and_below(who, units_world):
    ch, idea = units_world["challenge"], units_world["idea"]
    client = logged_in(units_world["people"][who])
    assert client.get(reverse("ideas:challenge_detail", args=[ch.pk])).status_code == 200
    assert client.get(reverse("ideas:idea_detail", args=[idea.pk])).status_code == 200
    assert client.get(f"/api/v1/challenges/{ch.pk}").status_code == 200
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 200
    assert ch.pk in api_ids(client, "/api/v1/challenges")
    assert idea.pk in api_ids(client, "/api/v1/ideas")
    assert api_count(client, "/api/v1/ideas") == 1
    assert api_count(client, f"/api/v1/ideas?challenge={ch.pk}") == 1
    assert ch.title in client.get(reverse("ideas:challenge_list")).content.decode()


@pytest.mark.parametrize("who", ["sales", "root"])
def test_unit_challenge_is_invisible_outside_its_unit(who, units_world, challenge):
    ch, idea = units_world["challenge"], units_world["idea"]
    client = logged_in(units_world["people"][who])
    for url in (reverse("ideas:challenge_detail", args=[ch.pk]),
                reverse("ideas:idea_detail", args=[idea.pk]),
                reverse("ideas:idea_create", args=[ch.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("ideas:idea_vote", args=[idea.pk])).status_code == 404
    assert_error_body(client.get(f"/api/v1/challenges/{ch.pk}"), 404, "not_found")
    assert_error_body(client.get(f"/api/v1/ideas/{idea.pk}"), 404, "not_found")
    assert_error_body(client.get(f"/api/v1/ideas/{idea.pk}/comments"), 404, "not_found")
    assert_error_body(client.get(f"/api/v1/ideas?challenge={ch.pk}"), 404, "not_found")
    assert_error_body(api_call(client, "post", f"/api/v1/ideas/{idea.pk}/vote"), 404)
    # The organisation-wide challenge stays visible; only the targeted one disappears.
    assert api_ids(client, "/api/v1/challenges") == {challenge.pk}
    assert api_count(client, "/api/v1/challenges") == 1
    assert api_count(client, "/api/v1/ideas") == 0
    assert api_count(client, "/api/v1/ideas?q=tooling") == 0
    for page in ("ideas:challenge_list", "ideas:idea_list", "core:home"):
        html = client.get(reverse(page)).content.decode()
        assert ch.title not in html and idea.title not in html, page


@pytest.mark.parametrize("role", policy.ROLES)
def test_draft_challenge_is_visible_only_to_those_who_run_the_ims(role, users, draft_challenge):
    client = client_as(role, users)
    sees = role in {A, M}
    page = client.get(reverse("ideas:challenge_detail", args=[draft_challenge.pk]))
    assert page.status_code == (200 if sees else 404)
    detail = client.get(f"/api/v1/challenges/{draft_challenge.pk}")
    assert detail.status_code == (200 if sees else 404)
    assert (draft_challenge.pk in api_ids(client, "/api/v1/challenges")) is sees
    assert api_count(client, "/api/v1/challenges?status=draft") == (1 if sees else 0)
    listing = client.get(reverse("ideas:challenge_list")).content.decode()
    assert (draft_challenge.title in listing) is sees
