"""Text similarity for duplicate suggestions. Knows no models.

The pipeline: ``terms()`` turns text into comparable terms (folded to ASCII, lower case, stop
words dropped, a light suffix stemmer, a handful of domain synonyms mapped to one word), and
``rank()`` scores candidate texts against a query. The score mixes three signals:

- a weighted cosine of the two term bags, title terms counting double and every term weighted
  by its rarity among the candidates (a word every candidate shares says little);
- the Jaccard similarity of the titles' character trigrams, which forgives typos
  ("pallet" / "palet") and word-order changes;
- the retrieval score the database's full-text index gave the candidate (0 when unknown),
  already scaled to 0..1 by the caller.

Everything is deterministic and pure Python: a few hundred microseconds per candidate.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TITLE_WEIGHT = 2.0
# How the three signals combine; tuned on bench/paraphrases.json (see docs/performance.md).
W_COSINE, W_TRIGRAM, W_RETRIEVAL = 0.7, 0.2, 0.1
MIN_QUERY_CHARS = 4  # shorter input suggests nothing (a person has hardly started typing)

_STOP_WORDS_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further get got had has have having he her here hers him his how i if in into is it its itself
just let lets like make makes making may me might more most much must my no nor not now of off
on once only or other our ours out over own per put same she should so some such than that the
their theirs them then there these they this those through to too under until up upon us use
used using very via was we were what when where which while who whom why will with would you
your yours one two new idea ideas better less fewer lot lots instead rather get gets every
each already still even way ways thing things really
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# A handful of domain words that people write in several ways. Every word in a group maps to
# the group's first word (after stemming), so "film", "wrap" and "packaging" meet.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("pack", "packag", "packaging", "wrap", "wrapper", "wrapping", "film", "sleeve"),
    ("waste", "scrap", "wastage", "discard", "throw", "bin"),
    ("energy", "electricity", "power", "kwh"),
    ("reuse", "reusable", "returnable", "refillable", "refill", "reused"),
    ("crate", "tray", "tote", "container", "box", "carton", "case"),
    ("fridge", "refrigeration", "chiller", "chill", "cooling", "cool", "cold"),
    ("clean", "cleaning", "hygiene", "sanitise", "sanitize", "wash", "washdown"),
    ("fault", "breakdown", "failure", "downtime", "stoppage"),
    ("staff", "employee", "worker", "operator", "colleague", "people", "team"),
    ("customer", "shopper", "consumer", "buyer"),
    ("truck", "lorry", "van", "vehicle", "delivery", "transport", "haulage"),
    ("cost", "spend", "expense", "money", "cheaper", "saving"),
    ("salt", "sodium"),
    ("sugar", "sweetener"),
    ("label", "labelling", "sticker", "tag"),
    ("recipe", "formulation", "formula"),
    ("sensor", "monitor", "probe", "meter"),
    ("heat", "heating", "warm", "hot", "thermal"),
    ("water", "rinse"),
    ("train", "training", "teach", "course", "coach", "onboard"),
    ("fast", "faster", "quick", "quicker", "speed", "shorter", "rapid"),
    ("app", "software", "digital", "tablet", "screen", "online"),
    ("plastic", "polymer"),
    ("leftover", "surplus", "excess", "spare", "unsold"),
    ("supplier", "vendor", "grower", "farmer"),
    ("shift", "rota", "roster"),
    ("change", "changeover", "switch", "swap", "replace"),
)

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, anything not a letter or digit turned into a space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def stem(word: str) -> str:
    """A light, conservative suffix stripper (plurals, -ing, -ed, -er, -ly, -ment, -ation).
    Not Porter: it only needs to map the common inflections of one word to one form, the same
    way for the query and the candidates."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, keep in (("ational", "ate"), ("isation", "ise"), ("ization", "ise"),
                         ("ations", "ate"), ("ation", "ate"), ("ments", ""), ("ment", ""),
                         ("ness", ""), ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""),
                         ("ies", "y"), ("ied", "y"), ("ers", ""), ("er", ""), ("ed", ""),
                         ("ly", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + keep
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # "stopp" → "stop", "plann" → "plan"
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "reduce"/"reduc" meet
    return word


def _synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in SYNONYM_GROUPS:
        head = stem(group[0])
        for word in group:
            table.setdefault(stem(word), head)
    return table


SYNONYMS = _synonym_table()


def words(text: str) -> list[str]:
    """The text's words, folded, stop words dropped (no stemming): for full-text queries."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS and len(w) > 1]


def terms(text: str) -> list[str]:
    """The comparable terms of a text, in order (duplicates kept)."""
    out = []
    for word in words(text):
        term = stem(word)
        out.append(SYNONYMS.get(term, term))
    return out


def trigrams(text: str) -> set[str]:
    """Character trigrams of each word (padded), so typos cost only a few trigrams."""
    grams: set[str] = set()
    for word in words(text):
        padded = f" {word} "
        grams.update(padded[i: i + 3] for i in range(len(padded) - 2))
    return grams


def jaccard(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def bag(title: str, description: str) -> Counter:
    """Terms with their weights: a title term counts ``TITLE_WEIGHT`` times."""
    counts: Counter = Counter()
    for term in terms(title):
        counts[term] += TITLE_WEIGHT
    for term in terms(description):
        counts[term] += 1.0
    return counts


def is_meaningful(title: str, description: str = "") -> bool:
    """Enough typed to look for anything: a few characters and at least one real term."""
    text = f"{title} {description}".strip()
    return len(text) >= MIN_QUERY_CHARS and bool(terms(text))


def query_words(title: str, description: str = "", limit: int = 12) -> list[str]:
    """The words to hand the full-text index: title words first, then the description's
    longest (usually most specific) words; each once, at most ``limit``."""
    chosen: list[str] = []
    seen: set[str] = set()
    desc = sorted(dict.fromkeys(words(description)), key=len, reverse=True)
    for word in [*dict.fromkeys(words(title)), *desc]:
        if len(chosen) >= limit:
            break
        if word in seen:
            continue
        seen.add(word)
        chosen.append(word)
    return chosen


def _groups_by_head() -> dict[str, tuple[str, ...]]:
    return {stem(group[0]): group for group in SYNONYM_GROUPS}


GROUPS = _groups_by_head()


def synonym_words(title: str, description: str = "", limit: int = 12) -> list[str]:
    """Other spellings of the query's domain words (from ``SYNONYM_GROUPS``), for a second
    full-text query: "lorry" also looks for "truck", "van", "delivery"… Title words first."""
    typed = set(words(f"{title} {description}"))
    out: list[str] = []
    for term in dict.fromkeys([*terms(title), *terms(description)]):
        for word in GROUPS.get(term, ()):
            if word not in typed and word not in out and len(out) < limit:
                out.append(word)
    return out


@dataclass(frozen=True)
class Candidate:
    key: int
    title: str
    description: str
    retrieval: float = 0.0  # 0..1, from the full-text index


def _weighted(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    return {term: (1.0 + math.log(weight)) * idf.get(term, 1.0)
            for term, weight in counts.items() if weight > 0}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(value * b[term] for term, value in a.items() if term in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm


def rank(title: str, description: str, candidates: Sequence[Candidate],
         limit: int = 5, min_score: float = 0.05) -> list[tuple[int, float]]:
    """The ``limit`` best candidates as (key, score), best first; score in 0..1."""
    if not candidates:
        return []
    query = bag(title, description)
    if not query:
        return []
    bags = [bag(c.title, c.description[:4000]) for c in candidates]
    # Rarity among the candidates (plus the query): shared-by-all words weigh little.
    df: Counter = Counter()
    for b in bags:
        df.update(b.keys())
    n = len(bags) + 1
    idf = {term: math.log(1.0 + n / (1.0 + df[term])) for term in query}
    q_vec = _weighted(query, idf)
    q_grams = trigrams(title or description[:200])
    scored = []
    for cand, cand_bag in zip(candidates, bags, strict=True):
        c_idf = {term: idf.get(term, math.log(1.0 + n / (1.0 + df[term]))) for term in cand_bag}
        cosine = _cosine(q_vec, _weighted(cand_bag, c_idf))
        tri = jaccard(q_grams, trigrams(cand.title))
        score = W_COSINE * cosine + W_TRIGRAM * tri + W_RETRIEVAL * cand.retrieval
        if score >= min_score:
            scored.append((cand.key, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


def scale(scores: Iterable[tuple[int, float]]) -> dict[int, float]:
    """Scale raw retrieval scores (higher is better) to 0..1 by the best one."""
    pairs = list(scores)
    if not pairs:
        return {}
    best = max(score for _, score in pairs)
    if best <= 0:
        return {key: 0.0 for key, _ in pairs}
    return {key: max(0.0, score / best) for key, score in pairs}
