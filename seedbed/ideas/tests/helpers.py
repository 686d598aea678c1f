"""Reading rendered pages the way a browser would, with the standard library's HTMLParser."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from django.test import Client


def api(client: Client, method: str, url: str, body: dict | None = None, **extra):
    return getattr(client, method)(url, data=json.dumps(body or {}),
                                   content_type="application/json", **extra)


class _Elements(HTMLParser):
    """Collects every start tag with its attributes, the text inside <script> elements, and
    the text of elements with an id or class, so tests can read a page's parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._stack: list[tuple[str, dict[str, str], list[str]]] = []
        self.closed: list[tuple[str, dict[str, str], str]] = []

    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag not in self._VOID:
            self._stack.append((tag, attributes, []))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        if not any(name == tag for name, _, _ in self._stack):
            return
        # Close everything opened inside it too (an unclosed <p> or <li>), innermost first.
        while True:
            name, attributes, text = self._stack.pop()
            body = "".join(text)
            if name == "script":
                self.scripts.append(body)
            self.closed.append((name, attributes, body))
            if self._stack:
                self._stack[-1][2].append(body)
            if name == tag:
                return

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][2].append(data)


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def texts_with_class(html: str, css_class: str) -> list[str]:
    return [squash(text) for name, attrs, text in parse(html).closed
            if css_class in attrs.get("class", "").split()]


def text_by_id(html: str, element_id: str) -> str | None:
    for _, attrs, text in parse(html).closed:
        if attrs.get("id") == element_id:
            return squash(text)
    return None


def idea_rows(html: str) -> list[str]:
    """The visible text of each idea row on a list page, in order."""
    return texts_with_class(html, "idea-row")
