from __future__ import annotations

from django.urls import reverse

from seedbed import policy


def navigation(request) -> dict:
    """The main menu, filtered by what the signed-in person's role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("Home", "core:home", "account.self"),
        ("Strategy", "strategy:glance", "strategy.read"),
        ("Challenges", "ideas:challenge_list", "challenge.browse"),
        ("Ideas", "ideas:idea_list", "idea.browse"),
        ("Initiatives", "pipeline:initiative_list", "pipeline.browse"),
        ("My evaluations", "pipeline:my_evaluations", "pipeline.evaluate"),
        ("Portfolio", "pipeline:board", "pipeline.portfolio"),
        ("Audit trail", "audit:event_list", "audit.browse"),
        ("Administration", "admin:index", "admin.site"),
    ]
    path = request.path
    nav = []
    for label, name, rule_name in items:
        if policy.can(user, rule_name):
            url = reverse(name)
            nav.append({"label": label, "url": url,
                        "current": path == url or (url != "/" and path.startswith(url))})
    return {"nav_items": nav, "user_role_label": user.get_role_display()}
