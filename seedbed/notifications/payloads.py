"""What a webhook delivery carries, per format.

Seedbed JSON: ``{"event", "id", "occurred_at", "data"}``. Slack and Microsoft Teams incoming
webhooks both accept ``{"text": "..."}``: a one-line message with a link back into Seedbed.
Payloads hold titles, statuses and links only, never descriptions or comment text, and ideas
marked IP-confidential are never sent at all (see dispatch): a webhook carries information past
the organisation's own access control.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from seedbed.notifications.models import Webhook


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SEEDBED_BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _teams_escape(text: str) -> str:
    # Teams renders Markdown: keep a title from breaking out of its link.
    for char in "\\[]()*_`":
        text = text.replace(char, "\\" + char)
    return text


def body_for(fmt: str, *, event: str, event_id: str, occurred_at: str, data: dict[str, Any],
             summary: str, title: str, url: str) -> dict[str, Any]:
    """The JSON body for one webhook format. ``summary`` says what happened ("New idea"),
    ``title`` and ``url`` name the idea or challenge."""
    link = absolute(url)
    if fmt == Webhook.Format.SLACK:
        text = f"{_slack_escape(summary)}: <{link}|{_slack_escape(title)}>" if link else \
            f"{_slack_escape(summary)}: {_slack_escape(title)}"
        return {"text": text}
    if fmt == Webhook.Format.TEAMS:
        text = f"{_teams_escape(summary)}: [{_teams_escape(title)}]({link})" if link else \
            f"{_teams_escape(summary)}: {_teams_escape(title)}"
        return {"text": text}
    return {"event": event, "id": event_id, "occurred_at": occurred_at, "data": data}
