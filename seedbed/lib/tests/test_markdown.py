"""User Markdown keeps its formatting and loses everything that could run."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from seedbed.lib.markdown import render_markdown


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def test_bold_emphasis_and_code_survive():
    html = render_markdown("**bold**, *quiet* and `code`")
    assert html == "<p><strong>bold</strong>, <em>quiet</em> and <code>code</code></p>\n"


def test_strikethrough_survives():
    assert render_markdown("~~dropped~~") == "<p><s>dropped</s></p>\n"


def test_lists_headings_quotes_and_tables_survive():
    html = render_markdown("# Aim\n\n- one\n- two\n\n1. first\n\n> said\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |")
    names = [tag for tag, _ in tags_of(html)]
    for tag in ("h1", "ul", "li", "ol", "blockquote", "table", "thead", "tbody", "tr", "th", "td"):
        assert tag in names, tag


def test_links_keep_their_target_and_get_a_safe_rel():
    html = render_markdown("[our site](https://example.org/page?a=1)")
    [(tag, attrs)] = [t for t in tags_of(html) if t[0] == "a"]
    assert attrs["href"] == "https://example.org/page?a=1"
    assert set(attrs["rel"].split()) == {"noopener", "noreferrer", "nofollow"}


def test_mailto_links_are_allowed():
    html = render_markdown("[write](mailto:ideas@example.org)")
    assert tags_of(html)[1] == ("a", {"href": "mailto:ideas@example.org",
                                      "rel": "noopener noreferrer nofollow"})


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '[x](https://example.org "t" onclick="alert(1)")',
])
def test_active_content_is_neutralised(payload):
    html = render_markdown(payload)
    for tag, attrs in tags_of(html):
        assert tag not in {"script", "img", "svg", "iframe", "style", "object"}
        for name, value in attrs.items():
            assert not name.startswith("on")
            if name in {"href", "src"}:
                assert value.split(":", 1)[0].strip().lower() in {"http", "https", "mailto"}


def test_raw_html_is_shown_as_text_not_dropped_silently():
    # A contributor who types a tag sees it back literally, rather than losing words.
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"


def test_empty_and_none_render_as_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
