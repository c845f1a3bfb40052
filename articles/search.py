"""Full-text search over articles.

On PostgreSQL the database does the work: a stored tsvector per article in
the German configuration (headline above kicker and lead, above body), a GIN
index, websearch_to_tsquery for whatever a reader types, ts_rank and
ts_headline. Elsewhere (SQLite in development) a substring search over the
same stems keeps the page working, with the same weighting order.

Only the newest RANKED_CANDIDATES matches are ranked: on a news site a
reader looking for a common word wants this year's stories, not the best
match from ten years ago, and ranking a third of the archive per request
would make the page slower with every article.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .language import analyzer, plain_text

CONFIG = "german"
LANGUAGE = "de"
# Characters from Unicode's private use area mark the matches in snippets,
# so that the snippet can be escaped first and highlighted afterwards.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 35
# Shorter stems would match the start of too many words.
MIN_STEM_LENGTH = 3
# How many of the newest matches are ranked (PostgreSQL).
RANKED_CANDIDATES = 500
FIELD_WEIGHTS = (("headline", 4), ("kicker", 2), ("lead", 2), ("body", 1))
UMLAUT_FOLDS = {"a": "[aä]", "o": "[oö]", "u": "[uü]"}


class StripTags(Func):
    """The text of HTML markup, for snippets (PostgreSQL)."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '<[^>]+>', ' ', 'g')"


def document_vector():
    """What the stored search vector of an article is built from."""
    return (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("kicker", weight="B", config=CONFIG)
        + SearchVector("lead", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def matching(queryset, query):
    """`queryset` narrowed to `query`, best match first.

    Each article gets `search_snippet`: text with the matches between
    MARK_START and MARK_END (or None, to be made by `snippet()`).
    """
    if connection.vendor == "postgresql":
        return _postgresql_matching(queryset, query)
    return _fallback_matching(queryset, query)


def _postgresql_matching(queryset, query):
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    # Ranking reads every candidate's vector; a common word matches much of
    # the archive, so only its newest matches are ranked and the work stays
    # the same however large the archive grows.
    candidates = (
        queryset.filter(search_vector=search_query)
        .order_by("-published_at", "-pk")
        .values("pk")[:RANKED_CANDIDATES]
    )
    return (
        queryset.filter(pk__in=candidates)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search_query),
            search_snippet=SearchHeadline(
                StripTags(F("body")),
                search_query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _fallback_matching(queryset, query):
    patterns = stem_patterns(query)
    if not patterns:
        return queryset.none()
    score = Value(0.0)
    for pattern in patterns:
        queryset = queryset.filter(
            Q(headline__iregex=pattern)
            | Q(kicker__iregex=pattern)
            | Q(lead__iregex=pattern)
            | Q(body__iregex=pattern)
        )
        for field, weight in FIELD_WEIGHTS:
            score = score + Case(
                When(**{f"{field}__iregex": pattern}, then=Value(float(weight))),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return queryset.annotate(
        search_rank=score, search_snippet=Value(None, output_field=TextField())
    ).order_by("-search_rank", "-published_at", "-pk")


def stem_patterns(query):
    """Regular expressions finding words that start with the query's stems."""
    words = analyzer(LANGUAGE)
    patterns = []
    for word in words.words(query):
        stem = words.stem(word)
        if stem is None or len(stem) < MIN_STEM_LENGTH:
            continue
        # Snowball folds umlauts and ß; the text still has them.
        folded = "".join(
            UMLAUT_FOLDS.get(char, re.escape(char)) for char in stem
        ).replace("ss", "(?:ss|ß)")
        patterns.append(rf"(?<!\w){folded}")
    return list(dict.fromkeys(patterns))[:10]


def snippet(article, query):
    """Highlighted HTML of the part of the article that matched."""
    text = article.search_snippet
    if text is None:
        text = _fallback_snippet(article, query)
    highlighted = (
        escape(text or article.lead)
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
    )
    return mark_safe(highlighted)


def _fallback_snippet(article, query):
    patterns = stem_patterns(query)
    if not patterns:
        return ""
    match = re.compile(rf"(?:{'|'.join(patterns)})\w*", re.IGNORECASE)
    text = f"{article.lead} {plain_text(article.body)}"
    words = text.replace(MARK_START, "").replace(MARK_END, "").split()
    first = next((n for n, word in enumerate(words) if match.search(word)), 0)
    start = max(0, first - 8)
    window = " ".join(words[start : start + SNIPPET_WORDS])
    window = match.sub(lambda found: f"{MARK_START}{found.group()}{MARK_END}", window)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return f"{prefix}{window}{suffix}"
