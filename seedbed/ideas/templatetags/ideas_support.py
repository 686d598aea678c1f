"""``{% vote_widget idea %}``: the support control of one idea row, from the page's batch of
"my votes" (the ``voted`` context variable, built by ``selectors.voted_idea_ids`` with one
query for the whole page)."""

from __future__ import annotations

from django import template

from seedbed.ideas.selectors.support import MySupport

register = template.Library()


@register.inclusion_tag("ideas/_vote.html", takes_context=True)
def vote_widget(context, idea) -> dict:
    voted = context.get("voted")
    request = context.get("request")
    if not isinstance(voted, MySupport):
        # A page that did not batch its votes shows the counts only (never a query per row).
        voted = MySupport(getattr(request, "user", None), {}, set(), {})
        voted.takes_part = False
    return {
        "idea": idea,
        "state": voted.state(idea),
        "widget_id": f"vote-{idea.pk}",
        "in_row": True,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
