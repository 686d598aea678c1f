"""Export a challenge's ideas (CSV, XLSX) and import ideas from CSV."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from seedbed import policy


@policy.rule("challenge.manage")
def challenge_export(request, pk: int) -> HttpResponse:
    raise Http404("Not built yet")


@policy.rule("challenge.manage")
def challenge_import(request, pk: int) -> HttpResponse:
    raise Http404("Not built yet")
