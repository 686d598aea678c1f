from __future__ import annotations

from seedbed.audit.models import AuditEvent


def _comment(client, idea, **headers):
    r = client.post(f"/ideas/{idea.pk}/comments/", {"body": "Let's pilot it."}, **headers)
    assert r.status_code == 302
    return AuditEvent.objects.filter(verb="comment.added").latest("seq")


def test_forwarded_header_is_ignored_without_trusted_proxies(client_for, idea):
    event = _comment(client_for("contributor"), idea, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert event.ip == "127.0.0.1"


def test_behind_one_trusted_proxy_the_rightmost_forwarded_address_is_the_client(
        client_for, idea, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client claims to be 10.0.0.1; the proxy appends what it really saw.
    event = _comment(client_for("contributor"), idea,
                     HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")
    assert event.ip == "198.51.100.7"


def test_garbage_in_the_forwarded_header_falls_back_to_the_socket_address(
        client_for, idea, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    event = _comment(client_for("contributor"), idea, HTTP_X_FORWARDED_FOR="not-an-ip")
    assert event.ip == "127.0.0.1"
