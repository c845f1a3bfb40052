"""Full-text search over articles.

The words an article is found by come from `search_terms`: the exact
words, their stems and the parts of compounds, stored per article in
`search_vector`. On PostgreSQL that column is a tsvector with a GIN index;
the query is a tsquery built the same way, and ts_rank orders the matches:
the word as typed above another word with its stem or a compound with it,
the headline above kicker and lead above the body. SQLite (in development) keeps the same
literal as text and matches it with regular expressions, in the same order.

Only the newest RANKED_CANDIDATES matches are ranked: on a news site a
reader looking for a common word wants this year's stories, not the best
match from ten years ago, and ranking a third of the archive per request
would make the page slower with every article.

"Meinten Sie …?" comes from `SearchWord`, the words of published articles,
by trigram similarity (pg_trgm) on PostgreSQL and difflib elsewhere.
"""

import re
from datetime import timedelta

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import search_terms
from .language import WORD, plain_text
from .search_terms import PART, STEM, Query, exact, stem

# Characters from Unicode's private use area mark the matches in snippets,
# so that the snippet can be escaped first and highlighted afterwards.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 35
# How many of the newest matches are ranked (PostgreSQL).
# As many as the page lists at most (SEARCH_MAX_RESULTS): each ranked
# match costs reading its stored terms.
RANKED_CANDIDATES = 200
FIELDS = (("headline", "A"), ("kicker", "B"), ("lead", "B"), ("body", "C"))
# ts_rank's default weights of the fields (A, B, C), used by SQLite too.
FIELD_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}
NEWEST, RELEVANCE = "neu", "relevanz"
SUGGESTION_SIMILARITY = 0.3


class StripTags(Func):
    """The text of HTML markup, for snippets (PostgreSQL)."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, '<[^>]+>', ' ', 'g')"


class Matches(Func):
    """vector @@ query."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Rank(Func):
    function = "ts_rank"
    output_field = FloatField()


def tsquery(text):
    return Cast(Value(text), output_field=SearchQueryField())


def document_vector(article):
    """The stored search vector of `article`, as an expression to save."""
    literal = search_terms.document(
        (getattr(article, name), weight) for name, weight in FIELDS
    )
    if connection.vendor == "postgresql":
        return Cast(Value(literal), output_field=SearchVectorField())
    return Value(literal)


def matching(queryset, text, order=RELEVANCE):
    """`queryset` narrowed to what a reader typed, best match first
    (or newest first, with `order=NEWEST`).

    Each article gets `search_snippet`: text with the matches between
    MARK_START and MARK_END (or None, to be made by `snippet()`).
    """
    query = Query.parse(text)
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        found = _postgresql_matching(queryset, query)
    else:
        found = _fallback_matching(queryset, query)
    # The stored terms are many times the text; no page shows them.
    found = found.defer("search_vector")
    if order == NEWEST:
        return found.order_by("-published_at", "-pk")
    return found.order_by("-search_rank", "-published_at", "-pk")


def _postgresql_matching(queryset, query):
    # Ranking reads every candidate's vector; a common word matches much of
    # the archive, so only its newest matches are ranked and the work stays
    # the same however large the archive grows.
    newest = F("published_at").desc()
    if query.narrowed_by_pairs():
        # PostgreSQL prices `@@` like any operator, not as reading a stored
        # vector, and would walk the newest articles, reading thousands of
        # vectors to find a phrase that is in a few percent of them. An
        # order no index serves makes it take the index's answer for the
        # word pairs instead, which reads no vector at all.
        newest = (F("published_at") + Value(timedelta(0))).desc()
    candidates = (
        queryset.filter(Matches(F("search_vector"), tsquery(query.matches())))
        .order_by(newest, "-pk")
        .values("pk")[:RANKED_CANDIDATES]
    )
    # One ts_rank over all the terms: reading the vectors is the cost.
    rank = Rank(F("search_vector"), tsquery(query.ranked_terms()))
    # ts_headline marks whole words only; prefixes let it mark inflections.
    highlighted = SearchQuery(
        " | ".join(f"{search_terms.quote(word)}:*" for word in query.all_words()),
        search_type="raw",
        config="simple",
    )
    return queryset.filter(pk__in=candidates).annotate(
        search_rank=rank,
        search_snippet=SearchHeadline(
            StripTags(F("body")),
            highlighted,
            config="simple",
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=SNIPPET_WORDS,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )


def _fallback_matching(queryset, query):
    for word in query.words:
        word_stem = re.escape(stem(word))
        queryset = queryset.filter(
            search_vector__regex=rf"'[{re.escape(STEM + PART)}]{word_stem}[^']*':"
        )
    for phrase in query.phrases:
        queryset = queryset.filter(_phrase_condition(phrase))
    score = Value(0.0)
    for word in query.all_words():
        word_stem = stem(word)
        for lexeme, prefix in [
            (exact(word), False),
            (STEM + word_stem, False),
            (PART + word_stem, True),
        ]:
            score = score + _fallback_rank(lexeme, prefix)
    return queryset.annotate(
        search_rank=score, search_snippet=Value(None, output_field=TextField())
    )


def _phrase_condition(phrase):
    """The phrase in one of the fields, in the plain text (SQLite)."""
    pattern = r"\W+".join(re.escape(word) for word in phrase)
    pattern = rf"(?i)(?<!\w){pattern}(?!\w)"
    condition = Q()
    for name, _weight in FIELDS:
        condition |= Q(**{f"{name}__regex": pattern})
    return condition


def _fallback_rank(lexeme, prefix):
    """The best field the lexeme stands in, weighted like ts_rank (SQLite)."""
    tail = "[^']*" if prefix else ""
    return Case(
        *(
            When(
                search_vector__regex=rf"'{re.escape(lexeme)}{tail}':[0-9A-D,]*{letter}",
                then=Value(field_weight),
            )
            for letter, field_weight in FIELD_WEIGHTS.items()
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )


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


def _fallback_snippet(article, text):
    stems = Query.parse(text).stems()
    if not stems:
        return ""

    def matches(word):
        lexemes = search_terms.word_lexemes(word.lower())
        return any(
            lexeme[1:].startswith(word_stem)
            for lexeme in lexemes
            if lexeme[0] in (STEM, PART)
            for word_stem in stems
        )

    body = f"{article.lead} {plain_text(article.body)}"
    words = body.replace(MARK_START, "").replace(MARK_END, "").split()
    first = next(
        (n for n, word in enumerate(words) if any(map(matches, WORD.findall(word)))),
        0,
    )
    start = max(0, first - 8)
    window = " ".join(words[start : start + SNIPPET_WORDS])
    window = WORD.sub(
        lambda found: (
            f"{MARK_START}{found.group()}{MARK_END}"
            if matches(found.group())
            else found.group()
        ),
        window,
    )
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return f"{prefix}{window}{suffix}"
