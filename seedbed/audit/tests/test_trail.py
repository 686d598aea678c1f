"""Every action, whichever door it comes through, appends exactly one event that says who did
what to which record, what changed, and from which request and address (clause 7.5)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client

from conftest import PASSWORD
from seedbed.accounts.models import ApiToken, User
from seedbed.audit.models import AuditEvent
from seedbed.audit.service import verify_chain
from seedbed.ideas import actions
from seedbed.ideas.models import Challenge, Comment
from seedbed.lib.canonical import to_jsonable
from tests.support import new_challenge

REQUEST_ID = "req-7f3a.9_b"
CLIENT_IP = "203.0.113.9"


def last_seq() -> int:
    return AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0


def events_after(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


@dataclass
class Ctx:
    users: dict[str, User]
    clients: dict[str, Client]
    challenge: Challenge
    draft: Challenge
    idea: Any
    # Sent with every request: the id a proxy would set, and the client's address.
    req: dict[str, Any] = field(default_factory=lambda: {
        "headers": {"X-Request-ID": REQUEST_ID}, "REMOTE_ADDR": CLIENT_IP})
    start: int = 0

    def begin(self) -> None:
        """Count events from here: what a case sets up beforehand is not under test."""
        self.start = last_seq()


@pytest.fixture
def ctx(users, client_for, challenge, idea):
    # Signing the clients in writes user.logged_in events: do it before the test counts.
    clients = {role: client_for(role) for role in users}
    draft = new_challenge(users["manager"], title="Draft", description="Not yet.")
    return Ctx(users=users, clients=clients, challenge=challenge, draft=draft, idea=idea)


def api(client: Client, method: str, url: str, body: dict | None = None, **req):
    return getattr(client, method)(url, data=json.dumps(body or {}),
                                   content_type="application/json", **req)


@dataclass
class Expect:
    response: Any
    verb: str
    actor: User
    obj: Any
    changes: dict[str, Any]
    exact: bool = False


def challenge_created_in_html(c: Ctx) -> Expect:
    area = c.challenge.focus_areas.get()
    r = c.clients["manager"].post("/challenges/new/", {
        "title": "Cold-chain energy", "description": "Cut refrigeration energy.",
        "focus_areas": [area.pk], "idea_types": [c.challenge.idea_types.get().pk],
        "audience": "organisation", "voting_mode": "support", "token_budget": 10}, **c.req)
    assert r.status_code == 302
    ch = Challenge.objects.get(title="Cold-chain energy")
    return Expect(r, "challenge.created", c.users["manager"], ch, {
        "title": {"before": None, "after": "Cold-chain energy"},
        "description": {"before": None, "after": "Cut refrigeration energy."},
        "audience": {"before": None, "after": "organisation"},
        "focus_areas": {"before": None, "after": [area.pk]}})


def challenge_updated_in_api(c: Ctx) -> Expect:
    r = api(c.clients["manager"], "patch", f"/api/v1/challenges/{c.challenge.pk}",
            {"title": "Halve packaging waste"}, **c.req)
    assert r.status_code == 200
    return Expect(r, "challenge.updated", c.users["manager"], c.challenge, {
        "title": {"before": "Cut packaging waste", "after": "Halve packaging waste"}}, exact=True)


def challenge_opened_in_html(c: Ctx) -> Expect:
    r = c.clients["manager"].post(f"/challenges/{c.draft.pk}/open/", **c.req)
    assert r.status_code == 302
    return Expect(r, "challenge.opened", c.users["manager"], c.draft,
                  {"status": {"before": "draft", "after": "open"}}, exact=True)


def challenge_closed_in_api(c: Ctx) -> Expect:
    r = api(c.clients["manager"], "post", f"/api/v1/challenges/{c.challenge.pk}/close", **c.req)
    assert r.status_code == 200
    return Expect(r, "challenge.closed", c.users["manager"], c.challenge,
                  {"status": {"before": "open", "after": "closed"}}, exact=True)


def idea_submitted_in_html(c: Ctx) -> Expect:
    r = c.clients["contributor"].post(f"/challenges/{c.challenge.pk}/ideas/new/", {
        "title": "Refill stations", "description": "Bulk refills in store."}, **c.req)
    assert r.status_code == 302
    idea = c.challenge.ideas.get(title="Refill stations")
    return Expect(r, "idea.submitted", c.users["contributor"], idea, {
        "title": {"before": None, "after": "Refill stations"},
        "description": {"before": None, "after": "Bulk refills in store."},
        "challenge": {"before": None, "after": c.challenge.pk}})


def idea_submitted_in_api(c: Ctx) -> Expect:
    r = api(c.clients["evaluator"], "post", f"/api/v1/challenges/{c.challenge.pk}/ideas",
            {"title": "Lighter film", "description": "Thinner wrap."}, **c.req)
    assert r.status_code == 201
    idea = c.challenge.ideas.get(pk=r.json()["id"])
    return Expect(r, "idea.submitted", c.users["evaluator"], idea,
                  {"title": {"before": None, "after": "Lighter film"}})


def comment_added_in_html(c: Ctx) -> Expect:
    r = c.clients["evaluator"].post(f"/ideas/{c.idea.pk}/comments/",
                                    {"body": "Ask the retailers first."}, **c.req)
    assert r.status_code == 302
    comment = Comment.objects.get(idea=c.idea)
    return Expect(r, "comment.added", c.users["evaluator"], comment, {
        "body": {"before": None, "after": "Ask the retailers first."},
        "idea": {"before": None, "after": c.idea.pk},
        "mentions": {"before": None, "after": []},
        # A first comment makes the commenter follow the idea.
        "followed": {"before": False, "after": True}}, exact=True)


def vote_cast_in_api(c: Ctx) -> Expect:
    r = api(c.clients["leader"], "post", f"/api/v1/ideas/{c.idea.pk}/vote", **c.req)
    assert r.json() == {"supported": True, "vote_count": 1}
    return Expect(r, "vote.cast", c.users["leader"], c.idea,
                  {"supported": {"before": False, "after": True}}, exact=True)


def vote_withdrawn_in_html(c: Ctx) -> Expect:
    actions.toggle_vote(c.users["leader"], c.idea)
    c.begin()
    r = c.clients["leader"].post(f"/ideas/{c.idea.pk}/vote/", **c.req)
    assert r.status_code == 302
    return Expect(r, "vote.withdrawn", c.users["leader"], c.idea,
                  {"supported": {"before": True, "after": False}}, exact=True)


def token_created_on_profile(c: Ctx) -> Expect:
    r = c.clients["contributor"].post("/accounts/tokens/", {"name": "Power BI"}, **c.req)
    assert r.status_code == 200
    token = ApiToken.objects.get(name="Power BI")
    return Expect(r, "api_token.created", c.users["contributor"], token,
                  {"name": {"before": None, "after": "Power BI"}}, exact=True)


def token_revoked_on_profile(c: Ctx) -> Expect:
    from seedbed.accounts.actions import create_api_token

    token, _ = create_api_token(c.users["contributor"], name="Old script")
    c.begin()
    r = c.clients["contributor"].post(f"/accounts/tokens/{token.pk}/revoke/", **c.req)
    assert r.status_code == 302
    token.refresh_from_db()
    return Expect(r, "api_token.revoked", c.users["contributor"], token,
                  {"revoked_at": {"before": None, "after": to_jsonable(token.revoked_at)}},
                  exact=True)


def password_changed_on_page(c: Ctx) -> Expect:
    r = c.clients["contributor"].post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "a-much-longer-passphrase-42",
        "new_password2": "a-much-longer-passphrase-42"}, **c.req)
    assert r.status_code == 302
    return Expect(r, "user.password_changed", c.users["contributor"], c.users["contributor"],
                  {"password": {"before": "***", "after": "*** (changed)"}}, exact=True)


def user_updated_in_admin(c: Ctx) -> Expect:
    from seedbed.accounts.tests.helpers import admin_form_data

    target = c.users["evaluator"]
    r = c.clients["admin"].post(f"/admin/accounts/user/{target.pk}/change/",
                                admin_form_data(target, job_title="Packaging engineer"), **c.req)
    assert r.status_code == 302
    return Expect(r, "user.updated", c.users["admin"], target,
                  {"job_title": {"before": "", "after": "Packaging engineer"}}, exact=True)


def signed_in_on_login_page(c: Ctx) -> Expect:
    r = Client().post("/accounts/login/", {"username": "partner@example.test",
                                           "password": PASSWORD}, **c.req)
    assert r.status_code == 302
    return Expect(r, "user.logged_in", c.users["partner"], c.users["partner"], {}, exact=True)


def signed_out(c: Ctx) -> Expect:
    r = c.clients["auditor"].post("/accounts/logout/", **c.req)
    assert r.status_code == 302
    return Expect(r, "user.logged_out", c.users["auditor"], c.users["auditor"], {}, exact=True)


CASES: list[Callable[[Ctx], Expect]] = [
    challenge_created_in_html, challenge_updated_in_api, challenge_opened_in_html,
    challenge_closed_in_api, idea_submitted_in_html, idea_submitted_in_api,
    comment_added_in_html, vote_cast_in_api, vote_withdrawn_in_html, token_created_on_profile,
    token_revoked_on_profile, password_changed_on_page, user_updated_in_admin,
    signed_in_on_login_page, signed_out,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_action_appends_exactly_one_event_naming_who_what_where(ctx, case):
    ctx.begin()
    expect = case(ctx)

    [event] = events_after(ctx.start)
    obj = type(expect.obj).objects.get(pk=expect.obj.pk)
    assert event.verb == expect.verb
    assert event.actor == expect.actor
    assert event.actor_label == expect.actor.email
    assert event.object_type == obj._meta.label_lower
    assert event.object_id == str(obj.pk)
    assert event.object_repr == str(obj)[:200]
    if expect.exact:
        assert event.changes == expect.changes
    else:
        for name, change in expect.changes.items():
            assert event.changes[name] == change
    assert event.request_id == REQUEST_ID
    assert expect.response["X-Request-ID"] == REQUEST_ID
    assert event.ip == CLIENT_IP
    assert verify_chain().ok


def test_refused_action_writes_no_event(ctx):
    start = last_seq()
    area = ctx.challenge.focus_areas.get()
    r = api(ctx.clients["contributor"], "post", "/api/v1/challenges",
            {"title": "Mine", "description": "Not allowed.", "focus_area_ids": [area.pk]},
            **ctx.req)
    assert r.status_code == 403
    r = api(ctx.clients["manager"], "post", f"/api/v1/challenges/{ctx.challenge.pk}/open",
            **ctx.req)
    assert r.status_code == 409
    assert events_after(start) == []


def test_request_without_an_id_gets_a_fresh_one_that_is_stored(ctx):
    start = last_seq()
    r = ctx.clients["manager"].post(f"/challenges/{ctx.draft.pk}/open/")
    [event] = events_after(start)
    assert re.fullmatch(r"[0-9a-f]{32}", r["X-Request-ID"])
    assert event.request_id == r["X-Request-ID"]
    assert event.ip == "127.0.0.1"


@pytest.mark.parametrize("bad_id", ["has spaces", "x" * 65, "<script>", "semi;colon"])
def test_unsafe_request_id_is_replaced_not_stored(ctx, bad_id):
    start = last_seq()
    r = ctx.clients["manager"].post(f"/challenges/{ctx.draft.pk}/open/",
                                    headers={"X-Request-ID": bad_id})
    [event] = events_after(start)
    assert r["X-Request-ID"] != bad_id
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
    assert event.request_id == r["X-Request-ID"]


def test_each_request_gets_its_own_id(ctx):
    first = ctx.clients["manager"].get("/challenges/")["X-Request-ID"]
    second = ctx.clients["manager"].get("/challenges/")["X-Request-ID"]
    assert first != second


def test_events_are_sealed_to_their_predecessor(ctx):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == "0" * 64
    for previous, current in zip(events, events[1:], strict=False):
        assert current.prev_hash == previous.hash
