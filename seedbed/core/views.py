from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from seedbed import policy
from seedbed.ideas import selectors as idea_selectors
from seedbed.ideas.models import Challenge
from seedbed.ideas.selectors import ideas as idea_reads
from seedbed.strategy.selectors import documents as document_selectors


@policy.public
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "detail": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@policy.rule("account.self")
def home(request):
    user = request.user
    open_challenges = list(
        idea_selectors.visible_challenges(user)
        .filter(status=Challenge.Status.OPEN)
        .order_by("closes_on", "-id")[:6]
    )
    recent_ideas = list(idea_selectors.idea_list(idea_selectors.visible_ideas(user))[:8])
    my_ideas = list(idea_selectors.idea_list(idea_selectors.visible_ideas(user)
                                             .filter(author=user))[:5])
    return render(request, "core/home.html", {
        "open_challenges": open_challenges,
        # Confidential ideas count only for those who may see them (partners, contributors
        # and auditors get the public count).
        "all_counts": policy.role_of(user) in idea_selectors.SEE_CONFIDENTIAL,
        "recent_ideas": recent_ideas,
        "my_ideas": my_ideas,
        # Approved policy/strategy versions this person has not confirmed reading (clause 7.3);
        # for those who keep the registers, strategies whose review date has passed.
        "please_read": document_selectors.pending_acknowledgements(user),
        "overdue_reviews": document_selectors.overdue_reviews(user),
        # Co-author invitations waiting for this person's answer (clause 6.6).
        "coauthor_invitations": list(idea_reads.pending_invitations(user)[:5]),
    })


def _error(request, template: str, status: int):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    return _error(request, "500.html", 500)
