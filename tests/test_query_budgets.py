"""Pages cost a fixed number of queries, whatever the data size (DESIGN rule 6).

Each page is measured at two data sizes, 3 and 30 ideas (with votes and comments from several
people), and must cost exactly its budget at both: a count that grows with the data is an N+1.
The budgets include the two queries every signed-in request makes (session, user), and HTML
pages one more: the unread count of the notification bell in the navigation.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from seedbed import policy
from seedbed.ideas import actions
from tests.support import new_challenge

SIZES = (3, 30)


def populate(users, org, challenge, n: int):
    """n ideas in the challenge by several authors, each with votes and comments from several
    people; the first idea gets n more comments, so the idea page grows with n as well; and
    n // 3 more open challenges, every other one targeted at org units, so challenge lists grow
    (with units to fetch) too."""
    from seedbed.accounts.models import User

    people = [users[policy.CONTRIBUTOR], users[policy.EVALUATOR], users[policy.MANAGER]]
    people += [User.objects.create_user(f"colleague{k}@example.test", "x" * 12,
                                        full_name=f"Colleague {k}", role=policy.CONTRIBUTOR,
                                        org_unit=users[policy.CONTRIBUTOR].org_unit)
               for k in range(3)]
    ideas = []
    for k in range(n):
        idea = actions.submit_idea(people[k % len(people)], challenge, title=f"Idea number {k}",
                                   description=f"Idea {k}, described in *markdown*.")
        # Nobody supports their own idea: the voters are the next people after the author.
        for j in range(1 + k % (len(people) - 1)):
            actions.toggle_vote(people[(k + 1 + j) % len(people)], idea)
        for commenter in people[k % 2: 2 + k % 3]:
            actions.add_comment(commenter, idea, body=f"Comment by {commenter.full_name}")
        ideas.append(idea)
    for k in range(n):
        actions.add_comment(people[k % len(people)], ideas[0], body=f"Thread comment {k}")
    for k in range(n // 3):
        targeted = {"audience": "units", "units": [org["ops"], org["sales"]]} if k % 2 else {}
        other = new_challenge(users[policy.MANAGER], title=f"Challenge {k}",
                              description="More.", **targeted)
        actions.open_challenge(users[policy.MANAGER], other)
    return ideas


# page → (who views it, its URL from (challenge, first idea), budget). Every signed-in request
# costs 2 (session, user); a contributor's visibility filter costs 1 more (their org unit).
BUDGETS = {
    # + open challenges, latest ideas, my ideas, documents to acknowledge, co-author
    # invitations waiting for me, the bell's unread count
    "home": (policy.CONTRIBUTOR, lambda ch, idea: reverse("core:home"), 9),
    # + count, page of challenges
    "challenge list": (policy.CONTRIBUTOR, lambda ch, idea: reverse("ideas:challenge_list"), 6),
    # + challenge, page of ideas (count from the challenge's counter), which of them I support,
    # its focus areas, idea types, invited partners and units (one prefetch each), the bell
    "challenge page": (policy.CONTRIBUTOR,
                       lambda ch, idea: reverse("ideas:challenge_detail", args=[ch.pk]), 11),
    # + the filter form's option lists (challenges, focus areas, types, org units), count
    # (summed counters), page of ideas, which of them I support
    "idea list": (policy.CONTRIBUTOR, lambda ch, idea: reverse("ideas:idea_list"), 11),
    # + idea with challenge, author, focus area and type; co-authors, tags, attachments,
    # evaluators, submission fields; my support; threads, their mentions, replies; do I follow
    # it; experts invited; merges; the bell; for its author, the expert search's
    # competencies (co-authors are invited by e-mail address: no list of everyone); and the
    # initiative it feeds, if the viewer may see it (pipeline)
    "idea page": (policy.CONTRIBUTOR,
                  lambda ch, idea: reverse("ideas:idea_detail", args=[idea.pk]), 19),
    # + record types for the filter, count, page of events
    "audit trail page": (policy.AUDITOR, lambda ch, idea: reverse("audit:event_list"), 6),
    # + count (summed counters), page of ideas with authors
    "API idea list": (policy.CONTRIBUTOR, lambda ch, idea: "/api/v1/ideas", 5),
    # + page of challenges with creators, count, their units, focus areas, idea types, partners
    # and sponsors (one prefetch each)
    "API challenge list": (policy.CONTRIBUTOR, lambda ch, idea: "/api/v1/challenges", 9),
    # + idea with challenge and author, co-authors, tags, attachments, evaluators, my support,
    # the attachments again for the file answers
    "API idea detail": (policy.CONTRIBUTOR, lambda ch, idea: f"/api/v1/ideas/{idea.pk}", 10),
}


@pytest.mark.parametrize("size", SIZES)
def test_pages_cost_a_fixed_number_of_queries(size, users, org, challenge,
                                              django_assert_num_queries):
    ideas = populate(users, org, challenge, size)
    clients = {}
    for page, (role, url_of, budget) in BUDGETS.items():
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(users[role])
        with django_assert_num_queries(budget, info=f"{page} with {size} ideas"):
            response = clients[role].get(url_of(challenge, ideas[0]))
        assert response.status_code == 200, page


def test_the_larger_size_overflows_every_page(users, org, challenge):
    """So that the larger measurement pages through data, not just renders a longer list."""
    from seedbed.audit.models import AuditEvent

    ideas = populate(users, org, challenge, SIZES[1])
    assert challenge.ideas.count() > 20  # an idea page
    assert AuditEvent.objects.count() > 50  # an audit page
    assert ideas[0].comments.count() >= SIZES[1]
    assert ideas[0].votes.count() >= 1
