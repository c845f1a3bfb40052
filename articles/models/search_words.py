"""The words of published articles, for "Meinten Sie …?" on the search page."""

import difflib

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, models
from django.db.models import F, Func, Value

from .. import search_terms
from ..language import WORD, plain_text

MAX_WORD_LENGTH = 64
# Shorter words are rarely mistyped and would suggest too much.
MIN_WORD_LENGTH = 4
# Words of a query corrected at most, one lookup each.
MAX_CORRECTED = 5


class TrigramIndex(GinIndex):
    """A trigram GIN index on PostgreSQL (pg_trgm), a plain one elsewhere."""

    def __init__(self, *, fields, name):
        super().__init__(fields=fields, name=name, opclasses=["gin_trgm_ops"])

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs.pop("opclasses")
        return path, args, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=self.fields, name=self.name)
        return plain.create_sql(model, schema_editor, **kwargs)


class TrigramMatch(Func):
    """word % 'typed': similar enough by pg_trgm's threshold, from the index.

    (The trigram_similar lookup would need django.contrib.postgres installed
    as an app.)
    """

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


class SearchWordQuerySet(models.QuerySet):
    def add_words_of(self, articles):
        """Note the words of `articles` (a reader can see them)."""
        found = set()
        for article in articles:
            for text in (article.headline, article.kicker, article.lead, article.body):
                found.update(
                    word
                    for word in search_terms.words(plain_text(text))
                    if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH
                    and search_terms.stem(word)
                )
        if found:
            self.bulk_create(
                [SearchWord(word=word) for word in found],
                ignore_conflicts=True,
                batch_size=1000,
            )

    def suggestion(self, text):
        """`text` with each word our articles don't use replaced by the
        closest one they do ("Makrelenstriet" → "Makrelenstreit"), or None."""
        query_words = search_terms.Query.parse(text).all_words()[:MAX_CORRECTED]
        known = set(self.filter(word__in=query_words).values_list("word", flat=True))
        replacements = {}
        for word in query_words:
            if word not in known and len(word) >= MIN_WORD_LENGTH:
                if closest := self._closest(word):
                    replacements[word] = closest
        if not replacements:
            return None

        def replace(found):
            typed = found.group()
            closest = replacements.get(typed.lower(), typed)
            return closest.capitalize() if typed[0].isupper() else closest

        return WORD.sub(replace, text)

    def _closest(self, word):
        if connection.vendor == "postgresql":
            return (
                self.filter(TrigramMatch(F("word"), Value(word)))
                .annotate(similarity=TrigramSimilarity("word", word))
                .order_by("-similarity", "word")
                .values_list("word", flat=True)
                .first()
            )
        # Without pg_trgm: the words sharing the first letter, compared in
        # Python (SQLite, in development).
        candidates = self.filter(word__startswith=word[0]).values_list(
            "word", flat=True
        )
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
        return close[0] if close else None


class SearchWord(models.Model):
    """A word of a published article, lower-case.

    Words stay when their article goes: a suggestion is only offered when
    it finds something, so an old word costs nothing.
    """

    word = models.CharField("Wort", max_length=MAX_WORD_LENGTH, unique=True)

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        verbose_name = "Suchwort"
        verbose_name_plural = "Suchwörter"
        indexes = [TrigramIndex(fields=["word"], name="searchword_trigram_idx")]

    def __str__(self):
        return self.word
