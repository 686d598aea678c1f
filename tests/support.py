"""Helpers shared by the cross-cutting suites (not fixtures: those live in conftest.py)."""

from __future__ import annotations

import json

from django.test import Client

SAFE_METHODS = frozenset({"get", "head", "options"})


def api_call(client: Client, method: str, path: str, body=None, **extra):
    """One JSON API request; ``body`` may be a dict (sent as JSON) or raw bytes/str."""
    method = method.lower()
    if method in SAFE_METHODS:
        return getattr(client, method)(path, **extra)
    if body is None:
        return getattr(client, method)(path, **extra)
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(path, payload, content_type="application/json", **extra)


def assert_error_body(response, status: int, code: str | None = None) -> dict:
    """The API's one error format: {"error": {"code", "message", "fields"}} with a 4xx status."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:300]!r}")
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for field, messages in error["fields"].items():
        assert isinstance(field, str)
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    if code is not None:
        assert error["code"] == code, error
    return error


def new_challenge(manager, **fields):
    """A draft challenge through the real action, linked to a focus area (created once) and
    taking one idea type (so ``submit_idea`` needs no type) unless the test says otherwise."""
    from seedbed.ideas import actions
    from seedbed.ideas.models import IdeaType
    from seedbed.strategy.actions import focus as focus_actions
    from seedbed.strategy.models import FocusArea

    IdeaType.ensure_defaults()
    if "focus_areas" not in fields:
        area = FocusArea.objects.filter(title="Less waste in operations").first()
        if area is None:
            area = focus_actions.create_focus_area(
                manager, title="Less waste in operations", kind="opportunity", horizon="h1",
                priority=1, rationale="Waste costs us margin and customers notice it.")
        fields["focus_areas"] = [area]
    fields.setdefault("idea_types", [IdeaType.objects.get(code="product")])
    return actions.create_challenge(manager, **fields)


def challenge_form_data(challenge, **overrides) -> dict:
    """Every field of the challenge edit form, as the page would post it back unchanged."""
    data = {
        "title": challenge.title, "description": challenge.description,
        "focus_areas": [a.pk for a in challenge.focus_areas.all()],
        "sponsor": challenge.sponsor_id or "",
        "opens_on": challenge.opens_on or "", "closes_on": challenge.closes_on or "",
        "audience": challenge.audience, "units": [u.pk for u in challenge.units.all()],
        "partner_orgs": [p.pk for p in challenge.partner_orgs.all()],
        "idea_types": [t.pk for t in challenge.idea_types.all()],
        "voting_mode": challenge.voting_mode, "token_budget": challenge.token_budget,
    }
    data.update(overrides)
    return data


def new_challenge_form(manager, **overrides) -> dict:
    """What the "new challenge" page needs posted: a focus area and an idea type exist."""
    from seedbed.ideas.models import IdeaType
    from seedbed.strategy.actions import focus as focus_actions
    from seedbed.strategy.models import FocusArea

    IdeaType.ensure_defaults()
    area = FocusArea.objects.filter(title="Less waste in operations").first()
    if area is None:
        area = focus_actions.create_focus_area(
            manager, title="Less waste in operations", kind="opportunity", horizon="h1",
            priority=1, rationale="Waste costs us margin and customers notice it.")
    data = {"title": "A challenge", "description": "What we ask.", "focus_areas": [area.pk],
            "idea_types": [IdeaType.objects.get(code="product").pk],
            "audience": "organisation", "voting_mode": "support", "token_budget": 10}
    data.update(overrides)
    return data


def pipeline_templates() -> dict:
    """The four seeded workflow templates by code (created when missing, e.g. --nomigrations)."""
    from seedbed.ideas.models import IdeaType
    from seedbed.pipeline.models import WorkflowTemplate
    from seedbed.pipeline.seeds import install_templates

    for position, (code, name) in enumerate((
            ("product", "Product or service"), ("process", "Process"),
            ("business_model", "Business model"),
            ("continuous_improvement", "Continuous improvement"))):
        IdeaType.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    install_templates()
    return {t.code: t for t in WorkflowTemplate.objects.select_related("current")}


def new_initiative(manager, idea, *, template: str = "product", **fields):
    """Promote ``idea`` into an initiative on the seeded template ``template``."""
    from seedbed.pipeline.actions.initiatives import promote_ideas

    templates = pipeline_templates()
    return promote_ideas(manager, [idea], template=templates[template], **fields)
