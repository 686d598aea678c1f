"""Reads for duplicates: similar ideas (suggestions while typing, merge targets) and merges.

Similar ideas are found in two steps: the database's full-text index fetches candidates
(SQLite: the FTS5 table of ``seedbed.ideas.search``, one query; PostgreSQL:
``search.match_ids``), then ``seedbed.lib.similarity.rank`` re-ranks them in
Python. Only ideas the person may see are ever considered: candidates are filtered through
``visible_ideas`` and ``listed`` before ranking, so a suggestion can never reveal a
confidential idea, a draft or another partner's challenge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from seedbed.ideas.models import Idea, IdeaMerge
from seedbed.ideas.selectors import listed, visible_ideas
from seedbed.lib import similarity
from seedbed.lib.validation import is_valid_id

SUGGESTIONS = 5
CANDIDATES = 120  # fetched from the full-text index before re-ranking
PER_WORD = 40  # SQLite: newest matches taken per query word
# Without a full-text index (a test database built without migrations), the newest ideas are
# ranked instead: enough for small databases, never used at scale.
FALLBACK_CANDIDATES = 400
DESCRIPTION_CHARS = 1500  # what re-ranking reads of each description
SAME_CHALLENGE_BONUS = 0.03


@dataclass
class Suggestion:
    idea: Idea
    score: float


def _sqlite_candidates(weighted: list[tuple[str, float]], limit: int) -> list[tuple[int, float]]:
    """SQLite FTS5: for each word, its newest ``PER_WORD`` matches (walking the index backwards
    by rowid, so a common word costs no more than a rare one), in one statement; a candidate
    scores the sum over its words of ``weight / matches of that word``. A word matching fewer
    than ``PER_WORD`` ideas (a rare, telling word) thus weighs far more than a common one, and
    nothing is ranked over all the ideas a common word matches (which bm25 over an OR query
    would do: ten times slower at 100,000 ideas)."""
    from seedbed.ideas.search import FTS_TABLE

    one = (f"SELECT * FROM (SELECT rowid AS id, %s AS w, %s AS wt FROM {FTS_TABLE} "  # noqa: S608
           f"WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s)")
    params: list = []
    for number, (word, weight) in enumerate(weighted):
        # Words are letters and digits only (similarity.words), so quoting is enough.
        params += [number, float(weight), f'{{title description}} : "{word}"', PER_WORD]
    # Only constant SQL is joined here; every value is a parameter.
    sql = ("SELECT id, SUM(wt / n) AS score FROM (SELECT id, w, wt, COUNT(*) OVER "  # noqa: S608
           "(PARTITION BY w) AS n FROM (" + " UNION ALL ".join([one] * len(weighted)) + ")) "
           "GROUP BY id ORDER BY score DESC, id DESC LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _retrieve(title: str, description: str, limit: int) -> list[tuple[int, float]] | None:
    """Candidate ids with a 0..1 score from the full-text index, or None when there is no
    index to ask. The words as typed count fully, their domain synonyms (so "lorry" also
    finds "truck") at 0.8. One query on SQLite; on PostgreSQL two ``search.match_ids`` calls
    (GIN-indexed ``ts_rank``), a candidate keeping its better scaled score."""
    typed = similarity.query_words(title, description)
    synonyms = similarity.synonym_words(title, description)
    if not typed and not synonyms:
        return []
    try:
        # A savepoint: on PostgreSQL a failed query would otherwise spoil the transaction.
        with transaction.atomic():
            if connection.vendor == "sqlite":
                found = _sqlite_candidates([(w, 1.0) for w in typed]
                                           + [(w, 0.8) for w in synonyms], limit)
                return sorted(similarity.scale(found).items(), key=lambda pair: -pair[1])
            from seedbed.ideas.search import match_ids

            scores: dict[int, float] = {}
            for words, weight in ((typed, 1.0), (synonyms, 0.8)):
                if words:
                    for pk, score in similarity.scale(match_ids(" ".join(words), limit)).items():
                        scores[pk] = max(scores.get(pk, 0.0), score * weight)
            return sorted(scores.items(), key=lambda pair: -pair[1])
    except (ImportError, DatabaseError):
        return None


def similar_ideas(user, title: str, description: str = "", *, challenge_id: int | None = None,
                  exclude: tuple[int, ...] = (), limit: int = SUGGESTIONS) -> list[Suggestion]:
    """The ``limit`` listed ideas most like the text that this person may see, best first."""
    title, description = (title or "")[:200], (description or "")[:5000]
    if not similarity.is_meaningful(title, description):
        return []
    visible = (listed(visible_ideas(user)).exclude(pk__in=[pk for pk in exclude if pk])
               .annotate(excerpt=Substr("description", 1, DESCRIPTION_CHARS))
               .defer("description", "custom_values").select_related("challenge", "focus_area"))
    found = _retrieve(title, description, CANDIDATES)
    if found is None:
        rows = visible.order_by("-created_at", "-id")[:FALLBACK_CANDIDATES]
        retrieval: dict[int, float] = {}
    else:
        retrieval = dict(found)
        if not retrieval:
            return []
        rows = visible.filter(pk__in=list(retrieval))
    by_id = {idea.pk: idea for idea in rows}
    candidates = [similarity.Candidate(pk, idea.title, idea.excerpt, retrieval.get(pk, 0.0))
                  for pk, idea in by_id.items()]
    ranked = similarity.rank(title, description, candidates, limit=limit * 2)
    out = []
    for pk, score in ranked:
        idea = by_id[pk]
        if challenge_id and idea.challenge_id == challenge_id:
            score = min(1.0, score + SAME_CHALLENGE_BONUS)
        out.append(Suggestion(idea, round(score, 4)))
    out.sort(key=lambda s: (-s.score, s.idea.pk))
    return out[:limit]


def merge_targets(user, idea: Idea, query: str = "") -> list[Idea]:
    """Ideas this idea could be merged into: the most similar ones (or those matching what the
    manager typed), excluding itself, drafts and merged ideas."""
    text_title, text_desc = (query, "") if query.strip() else (idea.title, idea.description)
    found = similar_ideas(user, text_title, text_desc, exclude=(idea.pk,), limit=8)
    targets = [s.idea for s in found]
    if query.strip().isdigit() and is_valid_id(int(query)):
        exact = listed(visible_ideas(user)).select_related("challenge").filter(
            pk=int(query)).exclude(pk=idea.pk).first()
        if exact is not None and exact not in targets:
            targets.insert(0, exact)
    return targets


def merges_into(idea: Idea) -> QuerySet[IdeaMerge]:
    """Merges (not undone) that folded other ideas into this one."""
    return (IdeaMerge.objects.filter(target=idea, undone_at__isnull=True)
            .select_related("source").order_by("merged_at", "id"))


def active_merge_of(idea: Idea) -> IdeaMerge | None:
    """The merge that folded this idea into another, if it has not been undone."""
    return (IdeaMerge.objects.filter(source=idea, undone_at__isnull=True)
            .select_related("target", "merged_by").order_by("-merged_at", "-id").first())


def get_merge_for_user(user, pk: int) -> IdeaMerge:
    """A merge, when the person may see both of its ideas (404 otherwise)."""
    merge = (IdeaMerge.objects.select_related("source", "target", "merged_by", "undone_by")
             .filter(pk=pk).first() if is_valid_id(pk) else None)
    if merge is None:
        raise Http404("No such merge")
    seen = set(visible_ideas(user).filter(pk__in=[merge.source_id, merge.target_id])
               .values_list("pk", flat=True))
    if seen != {merge.source_id, merge.target_id}:
        raise Http404("No such merge")
    return merge
