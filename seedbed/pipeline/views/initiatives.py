"""Initiative list and overview page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seedbed import policy
from seedbed.pipeline import selectors
from seedbed.pipeline.selectors.initiatives import initiative_rows
from seedbed.pipeline.views import frame


@policy.rule("pipeline.browse")
def initiative_list(request: HttpRequest) -> HttpResponse:
    qs = initiative_rows(selectors.visible_initiatives(request.user))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "pipeline/initiatives/initiative_list.html", {"page": page})


@policy.rule("pipeline.browse")
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.get_initiative_for_user(request.user, pk)
    context = frame(request, initiative, "pipeline:initiative_detail")
    return render(request, "pipeline/initiatives/initiative_detail.html", context)
