"""Full-text search over the sentences of collected texts, Swedish-aware on both databases.

PostgreSQL searches ``to_tsvector('swedish', body)`` through a GIN expression index; SQLite
keeps the Snowball stems of each sentence in the FTS5 table ``qualitative_segment_fts``.
Queries are read the same way on both: words, "quoted phrases", ``-word`` to exclude and
``or`` between alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from naravard.core.stems import WORD, words
from naravard.qualitative.models import Segment, Text

FTS_TABLE = "qualitative_segment_fts"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12  # words, counting those of phrases
MAX_LIMIT = 500
CHUNK = 500

TOKEN = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')
ANY_CASE_WORD = re.compile(WORD.pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    segment: Segment
    text: Text
    rank: float  # higher is better; comparable only within one search
    snippet_html: SafeString


@dataclass(frozen=True)
class Term:
    """One query word, or the consecutive words of a phrase."""

    words: tuple[str, ...]
    stems: tuple[str, ...]


@dataclass
class ParsedQuery:
    groups: list[list[Term]]  # every group must match: one of its terms
    excluded: list[Term]

    @property
    def stems(self) -> set[str]:
        return {s for group in self.groups for term in group for s in term.stems}


def parse(query: str) -> ParsedQuery:
    """Read a query like a web search; anything that is not a word is ignored."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    alternative = False
    count = 0
    for match in TOKEN.finditer(query[:MAX_QUERY_CHARS]):
        minus, phrase, bare = match.groups()
        if phrase is None:
            if bare.lower() == "or":
                alternative = bool(groups)
                continue
            minus, phrase = ("-" if bare.startswith("-") else ""), bare.lstrip("-")
        found = words(phrase)[: MAX_TERMS - count]
        if not found:
            continue
        count += len(found)
        term = Term(tuple(w for w, _s in found), tuple(s for _w, s in found))
        if minus:
            excluded.append(term)
        elif alternative:
            groups[-1].append(term)
        else:
            groups.append([term])
        alternative = False
        if count >= MAX_TERMS:
            break
    return ParsedQuery(groups, excluded)


def _fts_match(parsed: ParsedQuery) -> str:
    """An FTS5 expression of stems; stems are plain letters and digits, so quoting is safe."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.stems) + '"'

    expression = " AND ".join(
        "(" + " OR ".join(phrase(t) for t in group) + ")" for group in parsed.groups
    )
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(phrase(t) for t in parsed.excluded)})"
    return expression


def _websearch(parsed: ParsedQuery) -> str:
    """The same query for ``websearch_to_tsquery``, every term quoted (so "or" stays a word)."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    parts = [" or ".join(phrase(t) for t in group) for group in parsed.groups]
    parts += ["-" + phrase(t) for t in parsed.excluded]
    return " ".join(parts)


def document(body: str) -> str:
    """What the SQLite index holds for a sentence: the stems of its words."""
    return " ".join(stem for _word, stem in words(body))


def snippet(body: str, stems: set[str]) -> SafeString:
    """The sentence, escaped, with the words whose stem was searched for in <mark>."""
    parts: list[str] = []
    at = 0
    for match in ANY_CASE_WORD.finditer(body):
        if stems.isdisjoint(s for _w, s in words(match.group())):
            continue
        parts.append(escape(body[at : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        at = match.end()
    parts.append(escape(body[at:]))
    return mark_safe("".join(parts))  # every piece is escaped above


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index(segments: list[Segment]) -> None:
    """Add sentences to the SQLite index (PostgreSQL's expression index needs nothing)."""
    if not _is_sqlite():
        return
    rows = [(s.pk, document(s.body)) for s in segments if s.pk is not None]
    unindex([pk for pk, _doc in rows])
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, stems) VALUES (%s, %s)", rows)


def unindex(segment_ids) -> None:
    """Take sentences out of the SQLite index."""
    if not _is_sqlite():
        return
    ids = list(segment_ids)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)


def reindex() -> int:
    """Rebuild the SQLite index from every stored sentence; the number of sentences."""
    if not _is_sqlite():
        return Segment.objects.count()
    n = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        batch = []
        for pk, body in Segment.objects.values_list("pk", "body").iterator(chunk_size=CHUNK):
            batch.append((pk, document(body)))
            if len(batch) >= CHUNK:
                cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, stems) VALUES (%s, %s)", batch)
                n, batch = n + len(batch), []
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, stems) VALUES (%s, %s)", batch)
    return n + len(batch)


def _filters(kind: str | None, region: str | None, include_replaced: bool) -> Q:
    q = Q()
    if not include_replaced:
        q &= Q(text__replaced_at__isnull=True)
    if kind:
        q &= Q(text__kind=kind)
    if region:
        q &= Q(text__region_id=region) | Q(text__municipality__region_id=region)
    return q


def _ranked_postgresql(parsed: ParsedQuery, where: Q, limit: int) -> list[tuple[Segment, float]]:
    vector = SearchVector("body", config="swedish")
    query = SearchQuery(_websearch(parsed), config="swedish", search_type="websearch")
    found = (
        Segment.objects.filter(where)
        .alias(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query))
        .select_related("text")
        .order_by("-rank", "text_id", "position")[:limit]
    )
    return [(s, s.rank) for s in found]


def _ranked_sqlite(parsed: ParsedQuery, where: Q, limit: int) -> list[tuple[Segment, float]]:
    allowed, params = Segment.objects.filter(where).order_by().values("pk").query.sql_with_params()
    table = Segment._meta.db_table
    sql = (
        f"SELECT s.id, bm25({FTS_TABLE}) AS score FROM {FTS_TABLE} "
        f"JOIN {table} s ON s.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND s.id IN ({allowed}) "
        f"ORDER BY score, s.text_id, s.position LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_match(parsed), *params, limit])
        scores = cursor.fetchall()
    segments = Segment.objects.select_related("text").in_bulk([pk for pk, _s in scores])
    return [(segments[pk], -score) for pk, score in scores if pk in segments]


def search(
    query: str,
    *,
    kind: str | None = None,
    region: str | None = None,
    include_replaced: bool = False,
    limit: int = 50,
) -> list[Hit]:
    """The sentences matching ``query``, best first, of current texts unless told otherwise;
    ``region`` (a region code) takes in the texts of its municipalities."""
    if not isinstance(query, str):
        return []
    parsed = parse(query)
    limit = min(max(int(limit), 0), MAX_LIMIT)
    if not parsed.groups or not limit:
        return []
    where = _filters(kind, region, include_replaced)
    ranked = (_ranked_sqlite if _is_sqlite() else _ranked_postgresql)(parsed, where, limit)
    stems = parsed.stems
    return [
        Hit(segment, segment.text, float(rank), snippet(segment.body, stems))
        for segment, rank in ranked
    ]
