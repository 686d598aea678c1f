"""The ideas feed: filters, sorts and full-text search on one page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seedbed import policy
from seedbed.ideas import selectors
from seedbed.ideas.forms.feed import FeedFilterForm
from seedbed.ideas.selectors import feed

IDEAS_PER_PAGE = 20


def _page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 10**6)  # past that no offset means anything


@policy.rule("idea.browse")
def idea_list(request: HttpRequest) -> HttpResponse:
    options = feed.filter_options(request.user)
    form = FeedFilterForm(request.GET, options=options)
    status = 200
    page = None
    if form.is_valid():
        challenge_id = form.cleaned_data.get("challenge")
        challenge = (selectors.visible_challenges(request.user).filter(pk=challenge_id).first()
                     if challenge_id else None)
        filters = form.filters(challenge)
        page = feed.feed_page(request.user, filters,
                              number=_page_number(request.GET.get("page")),
                              per_page=IDEAS_PER_PAGE)
        voted = selectors.voted_idea_ids(request.user, page.items)
    else:
        filters, voted, status = None, set(), 400
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {"form": form, "page": page, "filters": filters, "voted": voted,
               "query": kept.urlencode(), "filtered": bool(kept)}
    template = "ideas/idea_list.html#results" if request.htmx else "ideas/idea_list.html"
    return render(request, template, context, status=status)
