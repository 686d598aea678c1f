"""Probes for duplicates: suggestions, merging, undoing a merge."""

from __future__ import annotations

from seedbed import policy
from tests.matrix._base import Probe


def build(users, org) -> dict:
    from seedbed.ideas import actions
    from seedbed.ideas.actions import duplicates
    from tests.support import new_challenge

    manager = users["manager"]
    challenge = actions.open_challenge(manager, new_challenge(
        manager, title="Less film on trays", description="Where can we drop plastic film?"))

    def idea(title: str, description: str):
        return actions.submit_idea(users["contributor"], challenge, title=title,
                                   description=description)

    source = idea("Paper lids for meal trays", "Swap the plastic film lid for a paper one.")
    target = idea("Card lids instead of film", "Use a card lid rather than plastic film.")
    merged = idea("Paperboard tray lids", "A paperboard lid for our trays.")
    merge = duplicates.merge_ideas(manager, merged, target, reason="Same lid idea.")
    return {"challenge": challenge, "source": source, "target": target, "merge": merge}


def _objects(w) -> dict:
    return w.extra["ideas_duplicates"]


HTML_SAMPLES = {
    "ideas:idea_suggest": Probe("idea.browse"),
    "ideas:idea_merge": Probe(
        "challenge.manage", "post", allowed=302,
        kwargs=lambda w: {"pk": _objects(w)["source"].pk},
        data=lambda w: {"target": str(_objects(w)["target"].pk), "reason": "Duplicate."}),
    "ideas:merge_undo": Probe("challenge.manage", "post", allowed=302,
                              kwargs=lambda w: {"pk": _objects(w)["merge"].pk}),
}

API_SAMPLES = {
    "GET /api/v1/ideas/similar": Probe("idea.browse"),
    "POST /api/v1/ideas/{idea_id}/merge": Probe(
        "challenge.manage", "post", kwargs=lambda w: {"idea_id": _objects(w)["source"].pk},
        data=lambda w: {"target_id": _objects(w)["target"].pk, "reason": "Duplicate."}),
    "GET /api/v1/merges/{merge_id}": Probe(
        "challenge.manage", kwargs=lambda w: {"merge_id": _objects(w)["merge"].pk}),
    "POST /api/v1/merges/{merge_id}/undo": Probe(
        "challenge.manage", "post", kwargs=lambda w: {"merge_id": _objects(w)["merge"].pk}),
}

API_SUCCESSES = {
    "GET /api/v1/ideas/similar": (policy.PARTNER, None, 200),
    "POST /api/v1/ideas/{idea_id}/merge": (
        policy.MANAGER, lambda target_id: {"target_id": target_id, "reason": "Same idea."}, 200),
    "GET /api/v1/merges/{merge_id}": (policy.ADMIN, None, 200),
    "POST /api/v1/merges/{merge_id}/undo": (policy.MANAGER, None, 200),
}

PATH_OBJECTS = {"target_id": "target", "merge_id": "merge"}
