"""Who is told about what: each event's recipients, always filtered through the ideas
selectors (confidential ideas, partners) and never the person who acted."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed import policy
from seedbed.ideas.models import Challenge, CoAuthor, Comment, Follow
from seedbed.notifications import events
from seedbed.notifications.models import Notification
from tests.support import new_challenge


def told(kind: str | None = None) -> set[str]:
    qs = Notification.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__email", flat=True))


def comment_on(idea, author, body="Nice one", mentions=()):
    comment = Comment.objects.create(idea=idea, author=author, body=body)
    comment.mentions.set(mentions)
    return comment


def test_comment_tells_author_accepted_coauthors_and_followers_not_the_commenter(
        users, idea, person, emit):
    accepted, invited, follower = person("accepted"), person("invited"), person("follower")
    CoAuthor.objects.create(idea=idea, user=accepted, invited_by=users["contributor"],
                            status=CoAuthor.Status.ACCEPTED)
    CoAuthor.objects.create(idea=idea, user=invited, invited_by=users["contributor"])
    Follow.objects.create(idea=idea, user=follower)
    Follow.objects.create(idea=idea, user=users["evaluator"])  # the commenter follows too
    comment = comment_on(idea, users["evaluator"])
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea, comment=comment)
    assert told() == {"contributor@example.test", "accepted@example.test",
                      "follower@example.test"}
    note = Notification.objects.get(recipient=users["contributor"])
    assert note.text == "Evaluator Person commented on “Reusable crates”"
    assert note.url == f"/ideas/{idea.pk}/#comment-{comment.pk}" or \
        note.url.endswith(f"#comment-{comment.pk}")
    assert note.idea_id == idea.pk and note.actor_id == users["evaluator"].pk
    assert note.read_at is None


def test_mentioned_people_get_a_mention_not_a_second_comment_notice(users, idea, emit):
    Follow.objects.create(idea=idea, user=users["leader"])
    comment = comment_on(idea, users["evaluator"], mentions=[users["leader"]])
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea, comment=comment)
    emit(events.COMMENT_MENTION, actor=users["evaluator"], idea=idea, comment=comment,
         recipients=[users["leader"], users["evaluator"]])
    assert told("comment.added") == {"contributor@example.test"}
    assert told("comment.mention") == {"leader@example.test"}  # never the actor


def test_confidential_idea_tells_only_people_who_may_see_it(users, idea, person, emit):
    idea.confidential = True
    idea.save(update_fields=["confidential"])
    colleague = person("colleague")
    for follower in (colleague, users["manager"], users["evaluator"]):
        Follow.objects.create(idea=idea, user=follower)
    idea.evaluators.add(users["evaluator"])  # assigned: may see it
    comment = comment_on(idea, users["leader"])
    emit(events.COMMENT_ADDED, actor=users["leader"], idea=idea, comment=comment)
    emit(events.COMMENT_MENTION, actor=users["leader"], idea=idea, comment=comment,
         recipients=[colleague, users["auditor"], users["partner"]])
    emit(events.IDEA_STATUS_CHANGED, actor=users["leader"], idea=idea)
    assert told("comment.added") == {"contributor@example.test", "manager@example.test",
                                     "evaluator@example.test"}
    assert told("comment.mention") == set()
    assert "colleague@example.test" not in told()


def test_status_change_tells_followers_and_authors(users, idea, person, emit):
    follower = person("follower")
    Follow.objects.create(idea=idea, user=follower)
    idea.status = "selected"
    idea.save(update_fields=["status"])
    emit(events.IDEA_STATUS_CHANGED, actor=users["manager"], idea=idea,
         extra={"from": "submitted", "to": "selected"})
    assert told() == {"contributor@example.test", "follower@example.test"}
    assert Notification.objects.first().text == "“Reusable crates” is now selected"


def test_invitations_tell_the_invited_person_when_they_may_see_the_idea(users, idea, emit):
    CoAuthor.objects.create(idea=idea, user=users["evaluator"], invited_by=users["contributor"])
    emit(events.COAUTHOR_INVITED, actor=users["contributor"], idea=idea,
         recipients=[users["evaluator"]])
    emit(events.EXPERT_INVITED, actor=users["contributor"], idea=idea,
         recipients=[users["leader"], users["partner"]])
    assert told("coauthor.invited") == {"evaluator@example.test"}
    # The partner's organisation is not invited to this challenge: they are told nothing.
    assert told("expert.invited") == {"leader@example.test"}
    note = Notification.objects.get(kind="expert.invited")
    assert note.text == "Contributor Person asked for your expertise on “Reusable crates”"


def test_draft_idea_is_not_announced_to_followers_it_is_hidden_from(users, idea, person, emit):
    idea.status = "draft"
    idea.save(update_fields=["status"])
    Follow.objects.create(idea=idea, user=users["evaluator"])
    emit(events.IDEA_STATUS_CHANGED, actor=users["manager"], idea=idea)
    assert told() == {"contributor@example.test"}


def test_challenge_for_units_reaches_those_units_and_below_only(users, org, person, emit):
    ops, sales, root = person("ops", unit="ops"), person("sales", unit="sales"), \
        person("root", unit="root")
    ch = new_challenge(users["manager"], title="Faster changeovers", description="Cut time.",
                       audience="units", units=[org["ops"]])
    Challenge.objects.filter(pk=ch.pk).update(status="open")
    emit(events.CHALLENGE_OPENED, actor=users["manager"], challenge=ch)
    # The fixture's employees sit in Plant Leeds, below Operations; the auditor is no
    # participant, and the manager who opened it is not told about their own action.
    assert told() == {"ops@example.test", "contributor@example.test", "evaluator@example.test",
                      "admin@example.test", "leader@example.test"}
    assert sales.email not in told() and root.email not in told()
    note = Notification.objects.get(recipient=ops)
    assert note.challenge_id == ch.pk and note.idea_id is None
    assert note.url == ch.get_absolute_url()
    assert note.text == "New challenge open for your ideas: “Faster changeovers”"


def test_whole_organisation_challenge_reaches_every_employee_not_partners(users, emit):
    ch = new_challenge(users["manager"], title="Energy", description="Save energy.")
    Challenge.objects.filter(pk=ch.pk).update(status="open")
    emit(events.CHALLENGE_OPENED, actor=users["manager"], challenge=ch)
    assert told() == {f"{r}@example.test" for r in ("admin", "leader", "evaluator",
                                                      "contributor")}


def test_partner_is_told_only_of_challenges_their_organisation_is_invited_to(users, person,
                                                                            emit):
    from seedbed.strategy.models import PartnerOrganisation

    other_org = PartnerOrganisation.objects.create(name="Other Ltd", kind="supplier",
                                                   created_by=users["admin"])
    outsider = person("outsider", role=policy.PARTNER, unit=None, partner_org=other_org)
    ch = new_challenge(users["manager"], title="Open call", description="With partners.",
                       audience="partners", partner_orgs=[users["partner"].partner_org])
    Challenge.objects.filter(pk=ch.pk).update(status="open")
    emit(events.CHALLENGE_OPENED, actor=users["manager"], challenge=ch)
    assert told() == {"partner@example.test"}
    assert outsider.email not in told()


def test_challenge_audience_costs_queries_by_organisation_shape_not_head_count(users, org,
                                                                              person, emit):
    def measure(n: int) -> int:
        for k in range(n):
            person(f"p{n}-{k}", unit=("plant", "ops", "sales")[k % 3])
        ch = new_challenge(users["manager"], title=f"Call {n}", description="Everyone.")
        Challenge.objects.filter(pk=ch.pk).update(status="open")
        with CaptureQueriesContext(connection) as queries:
            emit(events.CHALLENGE_OPENED, actor=users["manager"], challenge=ch)
        assert Notification.objects.filter(challenge=ch).count() >= n
        return len(queries)

    # Within one insert batch the cost does not move with the number of people; beyond it,
    # only by one INSERT per batch.
    small, larger = measure(5), measure(60)
    assert small == larger
    assert measure(400) <= small + 6


# --- End to end: the real actions, through the HTTP API ---------------------------------------


def test_comment_through_the_api_tells_the_author_and_mails_them(users, idea, client_for,
                                                                 django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.support import api_call

    with django_capture_on_commit_callbacks(execute=True):
        response = api_call(client_for("evaluator"), "post", f"/api/v1/ideas/{idea.pk}/comments",
                            {"body": "Could the crates fold flat?"})
    assert response.status_code == 201
    assert told("comment.added") == {"contributor@example.test"}
    assert [m.to for m in mail.outbox] == [["contributor@example.test"]]


def test_opening_a_challenge_through_the_api_tells_its_audience(users, org, person, client_for,
                                                                django_capture_on_commit_callbacks):
    from tests.support import api_call

    outside = person("outside", unit="sales")
    ch = new_challenge(users["manager"], title="Line speed", description="Faster lines.",
                       audience="units", units=[org["plant"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_call(client_for("manager"), "post", f"/api/v1/challenges/{ch.pk}/open")
    assert response.status_code == 200
    assert "contributor@example.test" in told("challenge.opened")
    assert outside.email not in told() and "manager@example.test" not in told()
