from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from seedbed import policy
from seedbed.audit import selectors
from seedbed.audit.forms import EventFilterForm
from seedbed.audit.service import verify_chain


@policy.rule("audit.browse")
def event_list(request):
    events = selectors.visible_events(request.user)
    form = EventFilterForm(request.GET or None, object_types=selectors.known_object_types())
    if form.is_bound and form.is_valid():
        events = selectors.filter_events(events, **form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {
        "form": form, "page": page, "query": query.urlencode()})


@policy.rule("audit.browse")
def verify(request):
    return render(request, "audit/verify.html", {"result": verify_chain()})
