"""Full-text search over ideas with the database's own index.

SQLite: one FTS5 table, ``ideas_search`` (rowid = idea id; columns title, description and
comments, the idea's comment bodies joined), kept in sync by triggers on ``ideas_idea`` and
``ideas_comment`` (migration 0004_search_index). PostgreSQL: GIN expression indexes on
``ideas_idea`` (weighted title + description) and ``ideas_comment`` (body), no extra table.

Nothing here decides visibility: callers pass a queryset built from
``selectors.visible_ideas(user)`` and the search only narrows and ranks it.

User input never reaches the query syntax: it is cut into words (letters and digits only) and
each word is quoted (FTS5) or passed as a lexeme (PostgreSQL), so operators, quotes, brackets
or column filters typed into the box are just text and no query can fail on syntax.
"""

# ruff: noqa: S608, S610 - the SQL text is built from this module's constants only; user input
# travels as parameters (and, for the match expression, as quoted words; see terms()).
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "ideas_search"
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
# Snippet markers: control characters, which the text cleaner keeps out of stored text; the
# renderer escapes everything else and turns only these into <mark> tags.
OPEN, CLOSE = "\x02", "\x03"
# Column weights: a hit in the title counts most, one in a comment least.
WEIGHTS = (10.0, 3.0, 1.0)
# PostgreSQL: the indexed expressions (must match migration 0004 so the GIN indexes are used).
PG_CONFIG = "english"
PG_IDEA_VECTOR = ("(setweight(to_tsvector('english'::regconfig, coalesce(ideas_idea.title, '')), "
                  "'A') || setweight(to_tsvector('english'::regconfig, "
                  "coalesce(ideas_idea.description, '')), 'B'))")
PG_COMMENT_VECTOR = "to_tsvector('english'::regconfig, coalesce(ideas_comment.body, ''))"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def terms(text: str) -> list[str]:
    """The words of a query, lower-case, de-duplicated, in order (at most MAX_TERMS)."""
    seen: list[str] = []
    for word in _WORD.findall((text or "").lower()):
        word = word[:MAX_TERM_LENGTH]
        if word not in seen:
            seen.append(word)
        if len(seen) == MAX_TERMS:
            break
    return seen


def _vendor() -> str:
    return connection.vendor


def _fts_query(words: list[str], *, any_word: bool, columns: str = "") -> str:
    quoted = [f'"{w}"' for w in words]  # a word holds no quote, so this is always a string
    expr = (" OR " if any_word else " AND ").join(quoted)
    return f"{columns}({expr})" if columns else expr


def _pg_query(words: list[str], *, any_word: bool) -> str:
    # Words are letters and digits only, so they are valid to_tsquery operands.
    return (" | " if any_word else " & ").join(words)


# --- For the duplicates finder --------------------------------------------------------------

def match_ids(text: str, limit: int) -> list[tuple[int, float]]:
    """Ideas whose title or description shares words with ``text``: (idea id, relevance),
    best first; any word counts (OR), so a partial match ranks too. Not filtered by
    visibility or status: intersect with ``selectors.visible_ideas(user)`` and ``listed()``."""
    words = terms(text)
    if not words or limit < 1:
        return []
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            cursor.execute(
                f"SELECT id, ts_rank({PG_IDEA_VECTOR}, q) AS score "
                f"FROM ideas_idea, to_tsquery('{PG_CONFIG}', %s) q "
                f"WHERE {PG_IDEA_VECTOR} @@ q ORDER BY score DESC, id DESC LIMIT %s",
                [_pg_query(words, any_word=True), limit])
        else:
            cursor.execute(
                f"SELECT rowid, -bm25({FTS_TABLE}, %s, %s, 0.0) AS score FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH %s ORDER BY score DESC, rowid DESC LIMIT %s",
                [WEIGHTS[0], WEIGHTS[1],
                 _fts_query(words, any_word=True, columns="{title description} : "), limit])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


# --- For the search page and the API --------------------------------------------------------

@dataclass
class Hit:
    idea_id: int
    score: float
    title: SafeString | None = None  # highlighted title, when the title matched
    snippet: SafeString | None = None  # highlighted passage of the description or a comment


def ranked(ideas: QuerySet, text: str) -> QuerySet:
    """``ideas`` narrowed to those matching every word of ``text`` in the title, description
    or a comment, annotated with ``search_score`` (higher is better) and ordered by it. The
    visibility of ``ideas`` is kept: the match is an extra condition on the same query."""
    words = terms(text)
    if not words:
        return ideas.none().extra(select={"search_score": "0"})
    if _vendor() == "postgresql":
        query = _pg_query(words, any_word=False)
        comment_hit = (f"ideas_idea.id IN (SELECT ideas_comment.idea_id FROM ideas_comment "
                       f"WHERE {PG_COMMENT_VECTOR} @@ to_tsquery('{PG_CONFIG}', %s))")
        vector_hit = f"{PG_IDEA_VECTOR} @@ to_tsquery('{PG_CONFIG}', %s)"
        score = (f"ts_rank({PG_IDEA_VECTOR}, to_tsquery('{PG_CONFIG}', %s)) "
                 f"+ CASE WHEN {comment_hit} THEN 0.05 ELSE 0 END")
        return ideas.extra(
            select={"search_score": score}, select_params=[query, query],
            where=[f"({vector_hit} OR {comment_hit})"], params=[query, query],
        ).order_by("-search_score", "-id")
    return ideas.extra(
        tables=[FTS_TABLE],
        select={"search_score": f"-bm25({FTS_TABLE}, %s, %s, %s)"}, select_params=list(WEIGHTS),
        where=[f"{FTS_TABLE}.rowid = ideas_idea.id", f"{FTS_TABLE} MATCH %s"],
        params=[_fts_query(words, any_word=False)],
    ).order_by("-search_score", "-id")


def matching(ideas: QuerySet, text: str) -> QuerySet:
    """``ideas`` narrowed like ``ranked`` but not scored: for counting the matches."""
    words = terms(text)
    if not words:
        return ideas.none()
    if _vendor() == "postgresql":
        query = _pg_query(words, any_word=False)
        return ideas.extra(where=[
            f"({PG_IDEA_VECTOR} @@ to_tsquery('{PG_CONFIG}', %s) OR ideas_idea.id IN ("
            f"SELECT ideas_comment.idea_id FROM ideas_comment "
            f"WHERE {PG_COMMENT_VECTOR} @@ to_tsquery('{PG_CONFIG}', %s)))"],
            params=[query, query])
    return ideas.extra(where=[f"ideas_idea.id IN (SELECT rowid FROM {FTS_TABLE} "
                              f"WHERE {FTS_TABLE} MATCH %s)"],
                       params=[_fts_query(words, any_word=False)])


def highlights(idea_ids: list[int], text: str) -> dict[int, tuple[SafeString | None,
                                                                   SafeString | None]]:
    """For a page of results: idea id -> (highlighted title or None, highlighted snippet or
    None). One query whatever the page size. Marked text is escaped before the <mark> tags go
    in (see ``render_marked``)."""
    words = terms(text)
    if not words or not idea_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(idea_ids))
    out: dict[int, tuple[SafeString | None, SafeString | None]] = {}
    with connection.cursor() as cursor:
        if _vendor() == "postgresql":
            query = _pg_query(words, any_word=False)
            options = (f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=30, MinWords=12, "
                       "MaxFragments=2, FragmentDelimiter=\" … \"")
            q = f"to_tsquery('{PG_CONFIG}', %s)"
            cursor.execute(
                f"SELECT ideas_idea.id, ts_headline('{PG_CONFIG}', ideas_idea.title, {q}, %s), "
                f"ts_headline('{PG_CONFIG}', ideas_idea.description, {q}, %s), "
                f"(SELECT ts_headline('{PG_CONFIG}', ideas_comment.body, {q}, %s) "
                f" FROM ideas_comment WHERE ideas_comment.idea_id = ideas_idea.id "
                f" AND {PG_COMMENT_VECTOR} @@ {q} ORDER BY ideas_comment.id LIMIT 1) "
                f"FROM ideas_idea WHERE ideas_idea.id IN ({placeholders})",
                [query, options, query, options, query, options, query, *idea_ids])
        else:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "
                f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', 24), "
                f"snippet({FTS_TABLE}, 2, %s, %s, ' … ', 24) "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [OPEN, CLOSE, OPEN, CLOSE, OPEN, CLOSE, _fts_query(words, any_word=False),
                 *idea_ids])
        for pk, title, description, comment in cursor.fetchall():
            title_html = render_marked(title) if title and OPEN in title else None
            if description and OPEN in description:
                snippet = render_marked(description)
            elif comment and OPEN in comment:
                snippet = render_marked(comment)
            else:
                snippet = None
            out[int(pk)] = (title_html, snippet)
    return out


def render_marked(text: str) -> SafeString:
    """Escape ``text`` and turn the OPEN/CLOSE markers into balanced <mark> tags. Stored text is
    never trusted as HTML: only the markers this module asked the database to insert become
    tags, and every other character is escaped."""
    parts: list[str] = []
    inside = False
    for piece in re.split(f"([{OPEN}{CLOSE}])", text or ""):
        if piece == OPEN:
            if not inside:
                parts.append("<mark>")
                inside = True
        elif piece == CLOSE:
            if inside:
                parts.append("</mark>")
                inside = False
        else:
            parts.append(str(escape(piece)))
    if inside:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
