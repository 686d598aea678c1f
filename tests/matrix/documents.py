"""Probes for controlled documents, acknowledgements and awareness (strategy, area "documents")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from seedbed.strategy.actions import documents as actions
from tests.matrix._base import Probe


def approved(users, document, body: str, summary: str, **content):
    version = actions.create_draft(users["manager"], document, body=body,
                                   change_summary=summary, **content)
    actions.submit_version(users["manager"], version)
    return actions.approve_version(users["leader"], version)


def build(users, org) -> dict:
    manager = users["manager"]
    review = {"next_review_on": timezone.localdate() + timedelta(days=365)}
    intent = actions.create_document(manager, kind="intent", title="Innovation intent")
    approved(users, intent, "We innovate to **grow** chilled meals.", "First issue.")
    policy_doc = actions.create_document(manager, kind="policy", title="Innovation policy")
    policy_v1 = approved(users, policy_doc, "Everyone may propose ideas.", "First issue.")
    policy_draft = actions.create_draft(manager, policy_doc, change_summary="Add partners.",
                                        body="Everyone, partners included, may propose ideas.")
    strategy = actions.create_document(manager, kind="strategy", title="Innovation strategy")
    approved(users, strategy, "Focus on soups.", "First issue.", **review)
    strategy_v2 = approved(users, strategy, "Focus on soups and sauces.", "Add sauces.",
                           **review)
    strategy_v3 = actions.create_draft(manager, strategy, body="Focus on ready meals.",
                                       change_summary="Widen the focus.")
    actions.submit_version(manager, strategy_v3)
    return {"intent": intent, "policy": policy_doc, "policy_v1": policy_v1,
            "policy_draft": policy_draft, "strategy": strategy, "strategy_v2": strategy_v2,
            "in_review": strategy_v3}


def _pk(key: str):
    return lambda w: {"pk": w.extra["documents"][key].pk}


def _doc(key: str):
    return lambda w: {"document_id": w.extra["documents"][key].pk}


def _ver(key: str):
    return lambda w: {"version_id": w.extra["documents"][key].pk}


HTML_SAMPLES: dict[str, Probe] = {
    "strategy:documents_list": Probe("strategy.read"),
    "strategy:documents_create": Probe("strategy.manage"),
    "strategy:documents_detail": Probe("strategy.read", kwargs=_pk("policy")),
    "strategy:documents_history": Probe("strategy.read", kwargs=_pk("strategy")),
    "strategy:documents_draft_start": Probe("strategy.manage", "post", kwargs=_pk("intent"),
                                            allowed=302),
    "strategy:documents_version": Probe("strategy.read", kwargs=_pk("strategy_v2")),
    "strategy:documents_version_edit": Probe("strategy.manage", kwargs=_pk("policy_draft")),
    "strategy:documents_version_submit": Probe("strategy.manage", "post",
                                               kwargs=_pk("policy_draft"), allowed=302),
    "strategy:documents_version_approve": Probe("strategy.approve", "post",
                                                kwargs=_pk("in_review"), allowed=302),
    "strategy:documents_version_return": Probe("strategy.approve", "post",
                                               kwargs=_pk("in_review"), allowed=302,
                                               data={"reason": "Say what ready meals means."}),
    "strategy:documents_version_diff": Probe("strategy.read", kwargs=_pk("strategy_v2")),
    "strategy:documents_version_acknowledge": Probe("strategy.acknowledge", "post",
                                                    kwargs=_pk("policy_v1"), allowed=302),
    "strategy:documents_awareness": Probe("strategy.records"),
}

API = "/api/v1/strategy"
API_SAMPLES: dict[str, Probe] = {
    f"GET {API}/documents": Probe("strategy.read"),
    f"POST {API}/documents": Probe("strategy.manage", "post", allowed=201,
                                   data={"kind": "scope", "title": "Scope of the IMS"}),
    f"GET {API}/documents/{{document_id}}": Probe("strategy.read", kwargs=_doc("policy")),
    f"GET {API}/documents/{{document_id}}/versions": Probe("strategy.read",
                                                            kwargs=_doc("strategy")),
    f"POST {API}/documents/{{document_id}}/versions": Probe(
        "strategy.manage", "post", allowed=201, kwargs=_doc("intent"), data={}),
    f"GET {API}/versions/{{version_id}}": Probe("strategy.read", kwargs=_ver("strategy_v2")),
    f"PATCH {API}/versions/{{version_id}}": Probe(
        "strategy.manage", "patch", kwargs=_ver("policy_draft"),
        data={"change_summary": "Add partners and suppliers."}),
    f"POST {API}/versions/{{version_id}}/submit": Probe("strategy.manage", "post",
                                                         kwargs=_ver("policy_draft")),
    f"POST {API}/versions/{{version_id}}/approve": Probe("strategy.approve", "post",
                                                          kwargs=_ver("in_review"), data={}),
    f"POST {API}/versions/{{version_id}}/return": Probe(
        "strategy.approve", "post", kwargs=_ver("in_review"),
        data={"reason": "Say what ready meals means."}),
    f"GET {API}/versions/{{version_id}}/diff": Probe("strategy.read", kwargs=_ver("strategy_v2")),
    f"POST {API}/versions/{{version_id}}/acknowledge": Probe(
        "strategy.acknowledge", "post", allowed=201, kwargs=_ver("policy_v1")),
    f"GET {API}/awareness": Probe("strategy.records"),
}
