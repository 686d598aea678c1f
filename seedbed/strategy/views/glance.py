from __future__ import annotations

from django.shortcuts import render

from seedbed import policy
from seedbed.strategy.selectors.glance import glance_for


@policy.rule("strategy.read")
def glance(request):
    """Strategy at a glance: intent → focus areas → objectives → challenges, approved only."""
    return render(request, "strategy/glance/glance.html", {
        "glance": glance_for(request.user),
        "can_see_drafts": policy.can(request.user, "strategy.drafts"),
    })
