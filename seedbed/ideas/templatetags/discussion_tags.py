"""Rendering comments: plain text with @mentions turned into links to the people mentioned."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from seedbed.ideas.selectors.discussion import MENTION_RE, handle_of

register = template.Library()


@register.filter(name="comment_body")
def comment_body(comment) -> SafeString:
    """The comment's text, escaped, with each @mention of a person stored in
    ``comment.mentions`` linked to their profile. Mentions nobody resolved stay plain text."""
    people = {}
    for person in comment.mentions.all():  # prefetched by the selectors
        people[handle_of(person)] = person
        people[person.email.lower()] = person
    text = str(comment.body)
    parts: list[str] = []
    last = 0
    for match in MENTION_RE.finditer(text):
        token = match.group(1).rstrip(".")
        person = people.get(token.lower())
        if person is None:
            continue
        start, end = match.start(), match.start(1) + len(token)
        parts.append(escape(text[last:start]))
        parts.append(format_html('<a class="mention" href="{}">@{}</a>',
                                 reverse("ideas:person_detail", args=[person.pk]), token))
        last = end
    parts.append(escape(text[last:]))
    # Every piece above is escaped or built by format_html; linebreaks keeps them as they are.
    return mark_safe(linebreaks("".join(parts), autoescape=False))  # noqa: S308


@register.filter(name="handle")
def handle(person) -> str:
    return handle_of(person)
