"""The bell, the notifications page and its API, preferences and e-mails (immediate and the
daily digest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from seedbed.audit.models import AuditEvent
from seedbed.ideas.models import Comment
from seedbed.notifications import events
from seedbed.notifications.models import Notification, NotificationPreference
from seedbed.notifications.tasks import send_daily_digests
from tests.support import api_call, assert_error_body


def notify(user, n: int, *, idea=None, read=False, **fields):
    now = timezone.now()
    return Notification.objects.bulk_create([Notification(
        recipient=user, kind="comment.added", text=f"Note {k}", url=idea.get_absolute_url()
        if idea else "/notifications/", idea=idea, created_at=now - timedelta(minutes=k),
        read_at=now if read else None, **fields) for k in range(n)])


# --- The bell and the page -----------------------------------------------------------------


@pytest.mark.parametrize("size", (3, 30))
def test_bell_and_page_cost_a_fixed_number_of_queries(size, users, client_for,
                                                      django_assert_num_queries):
    notify(users["contributor"], size)
    notify(users["contributor"], 2, read=True)
    client = client_for("contributor")
    # session, user, the bell's count, the page's count, the page of notifications
    with django_assert_num_queries(5):
        html = client.get(reverse("notifications:list")).content.decode()
    assert f'aria-label="Notifications: {size} unread"' in html
    assert html.count('<li id="notification-') == min(size + 2, 20)


def test_every_page_shows_the_bell_with_the_unread_count(users, client_for, challenge):
    notify(users["evaluator"], 4)
    notify(users["evaluator"], 3, read=True)
    html = client_for("evaluator").get(reverse("ideas:challenge_list")).content.decode()
    assert 'aria-label="Notifications: 4 unread"' in html
    assert '<span class="bell-count">4</span>' in html
    other = client_for("leader").get(reverse("ideas:challenge_list")).content.decode()
    assert 'aria-label="Notifications: 0 unread"' in other and "bell-count" not in other


def test_page_is_paginated_and_filters_unread(users, client_for):
    notify(users["contributor"], 25)
    notify(users["contributor"], 1, read=True)
    client = client_for("contributor")
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count('<li id="notification-') == 6
    unread = client.get(reverse("notifications:list") + "?unread=1&page=2").content.decode()
    assert unread.count('<li id="notification-') == 5


def test_mark_one_read_with_htmx_returns_the_row_and_without_redirects(users, client_for):
    first, second = notify(users["contributor"], 2)
    client = client_for("contributor")
    response = client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li id="notification-{first.pk}"') and "<html" not in html
    assert "Mark read" not in html
    response = client.post(reverse("notifications:read", args=[second.pk]))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb="notification.read").count() == 2


def test_mark_all_read(users, client_for):
    notify(users["contributor"], 3)
    notify(users["leader"], 2)
    response = client_for("contributor").post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2  # the leader's
    event = AuditEvent.objects.get(verb="notifications.read_all")
    assert event.changes == {"unread": {"before": 3, "after": 0}}


def test_opening_marks_read_and_goes_to_the_idea(users, client_for, idea):
    note, = notify(users["contributor"], 1, idea=idea)
    response = client_for("contributor").post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_an_idea_no_longer_visible_shows_it_as_unavailable(users, client_for, idea):
    note, = notify(users["evaluator"], 1, idea=idea)
    idea.confidential = True
    idea.save(update_fields=["confidential"])
    response = client_for("evaluator").post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No longer available" in html and idea.title not in html.split("<main")[1]


def test_someone_elses_notification_does_not_exist(users, client_for):
    note, = notify(users["contributor"], 1)
    client = client_for("evaluator")
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert_error_body(api_call(client, "post", f"/api/v1/notifications/{note.pk}/read"), 404)
    note.refresh_from_db()
    assert note.read_at is None


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_counts_and_marks(users, client_for):
    notes = notify(users["contributor"], 3)
    notify(users["contributor"], 2, read=True)
    notify(users["leader"], 4)
    client = client_for("contributor")
    page = client.get("/api/v1/notifications?limit=2").json()
    assert page["count"] == 5 and len(page["items"]) == 2
    assert page["items"][0]["text"] == "Note 0"
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 3
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 3}
    marked = api_call(client, "post", f"/api/v1/notifications/{notes[0].pk}/read").json()
    assert marked["id"] == notes[0].pk and marked["read_at"] is not None
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    assert api_call(client, "post", "/api/v1/notifications/read-all").json() == {"marked": 2}
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert Notification.objects.filter(recipient=users["leader"], read_at=None).count() == 4


# --- Preferences -------------------------------------------------------------------------------


def test_defaults_put_personal_news_first_and_broadcasts_in_the_digest(users, client_for):
    prefs = {p["kind"]: p["email"]
             for p in client_for("contributor").get("/api/v1/notifications/preferences").json()}
    assert prefs == {"comment.added": "immediate", "comment.mention": "immediate",
                     "coauthor.invited": "immediate", "expert.invited": "immediate",
                     "idea.status_changed": "daily", "challenge.opened": "daily"}


def test_preferences_page_saves_each_kind(users, client_for):
    client = client_for("contributor")
    assert client.get(reverse("notifications:preferences")).status_code == 200
    data = {"comment-added": "daily", "comment-mention": "off", "idea-status_changed": "daily",
            "challenge-opened": "off", "coauthor-invited": "immediate",
            "expert-invited": "immediate"}
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=users["contributor"])
                 .values_list("kind", "email"))
    assert saved["comment.added"] == "daily" and saved["challenge.opened"] == "off"
    assert AuditEvent.objects.filter(verb="notification_preferences.changed").count() == 1
    bad = client.post(reverse("notifications:preferences"), {**data, "comment-added": "hourly"})
    assert bad.status_code == 400


def test_preferences_api_changes_only_the_kinds_named(users, client_for):
    client = client_for("partner")
    body = {"preferences": [{"kind": "comment.added", "email": "off"}]}
    answer = api_call(client, "put", "/api/v1/notifications/preferences", body).json()
    assert {p["kind"]: p["email"] for p in answer}["comment.added"] == "off"
    assert {p["kind"]: p["email"] for p in answer}["comment.mention"] == "immediate"
    bad = api_call(client, "put", "/api/v1/notifications/preferences",
                   {"preferences": [{"kind": "everything", "email": "often"}]})
    assert_error_body(bad, 422, "invalid")


# --- E-mail ------------------------------------------------------------------------------------


def comment(idea, author):
    return Comment.objects.create(idea=idea, author=author, body="Retailers will love it.")


def test_immediate_email_with_text_and_html_and_absolute_links(users, idea, emit, settings):
    settings.SEEDBED_BASE_URL = "https://ideas.alder-valley.example"
    c = comment(idea, users["evaluator"])
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea, comment=c)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["contributor@example.test"]
    assert message.subject == "[Seedbed] Evaluator Person commented on “Reusable crates”"
    link = f"https://ideas.alder-valley.example/ideas/{idea.pk}/#comment-{c.pk}"
    assert link in message.body or f"#comment-{c.pk}" in message.body
    assert "https://ideas.alder-valley.example/notifications/preferences/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and "https://ideas.alder-valley.example" in html
    note = Notification.objects.get()
    assert note.emailed_at is not None and not note.in_digest


def test_daily_and_off_send_nothing_at_once(users, idea, emit):
    NotificationPreference.objects.create(user=users["contributor"], kind="comment.added",
                                          email="daily")
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea,
         comment=comment(idea, users["evaluator"]))
    assert mail.outbox == []
    assert Notification.objects.get().in_digest
    NotificationPreference.objects.filter(user=users["contributor"]).update(email="off")
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea,
         comment=comment(idea, users["evaluator"]))
    assert mail.outbox == []
    later = Notification.objects.order_by("-id").first()
    assert not later.in_digest and later.emailed_at is None


def test_daily_digest_groups_each_persons_news_once(users, idea, emit, person):
    follower = person("follower")
    for who in (users["contributor"], follower):
        NotificationPreference.objects.create(user=who, kind="comment.added", email="daily")
    from seedbed.ideas.models import Follow

    Follow.objects.create(idea=idea, user=follower)
    with time_machine.travel("2030-03-02 08:00Z", tick=False):
        for _ in range(3):
            emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea,
                 comment=comment(idea, users["evaluator"]))
        emit(events.IDEA_STATUS_CHANGED, actor=users["manager"], idea=idea)  # daily by default
    assert mail.outbox == []
    with time_machine.travel("2030-03-03 06:00Z", tick=False):
        assert send_daily_digests() == 2
        assert send_daily_digests() == 0  # idempotent: nothing is sent twice
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"contributor@example.test", "follower@example.test"}
    digest = by_person["contributor@example.test"]
    assert digest.subject == "[Seedbed] Your daily digest: 4 updates"
    assert digest.body.count("Evaluator Person commented on") == 3
    assert "is now" in digest.body
    assert not Notification.objects.filter(in_digest=True, emailed_at=None).exists()


def test_digest_is_a_registered_daily_job(users, idea, emit):
    from seedbed.core import periodic

    jobs = {job.name: job for job in periodic.jobs()}
    assert jobs["notifications.daily_digest"].every == timedelta(days=1)
    NotificationPreference.objects.create(user=users["contributor"], kind="comment.added",
                                          email="daily")
    emit(events.COMMENT_ADDED, actor=users["evaluator"], idea=idea,
         comment=comment(idea, users["evaluator"]))
    periodic.forget_runs()
    periodic.run_due(force=True)
    assert len(mail.outbox) == 1


def test_digest_leaves_out_what_the_person_may_no_longer_see(users, idea, emit):
    NotificationPreference.objects.create(user=users["evaluator"], kind="comment.added",
                                          email="daily")
    from seedbed.ideas.models import Follow

    Follow.objects.create(idea=idea, user=users["evaluator"])
    emit(events.COMMENT_ADDED, actor=users["leader"], idea=idea,
         comment=comment(idea, users["leader"]))
    idea.confidential = True
    idea.save(update_fields=["confidential"])
    mail.outbox = []
    send_daily_digests()
    assert [m.to for m in mail.outbox] == []
    assert not Notification.objects.filter(recipient=users["evaluator"], emailed_at=None).exists()
