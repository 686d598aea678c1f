"""The ideas feed and search."""

from __future__ import annotations

from django.shortcuts import render

from seedbed import policy
from seedbed.core.pagination import CountedPaginator
from seedbed.ideas import selectors

IDEAS_PER_PAGE = 20


@policy.rule("idea.browse")
def idea_list(request):
    ideas = selectors.idea_list(selectors.visible_ideas(request.user))
    page = CountedPaginator(ideas, IDEAS_PER_PAGE,
                            count=selectors.count_visible_ideas(request.user)).get_page(
        request.GET.get("page"))
    return render(request, "ideas/idea_list.html", {
        "page": page, "voted": selectors.voted_idea_ids(request.user, page.object_list)})


