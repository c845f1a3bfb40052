"""German words as the search index and the search box see them.

Compounds are split here, in Python, when an article is saved, with a
German decompounder from PyPI (split-words, the CharSplit n-gram model).
Splitting at index time keeps every search a plain GIN index lookup, works
on managed PostgreSQL services that allow no custom dictionary files, and
gives SQLite the very same terms; a database ispell dictionary would do
none of the three.

Every word of an article leaves lexemes at its position in the text:

- the word itself, lower-cased, umlauts written out ("wählen" → "waehlen"),
  so that "Buergermeister" finds "Bürgermeister";
- "~" and its Snowball stem ("~wahl"): Snowball reads "ue" as "ü" too;
- "+" and the stem of every part of it as a compound ("Oberbürgermeisterin"
  → "+ob", "+burgermeist", "+burg", "+meisterin").

Every two neighbouring words of a field that are not stopwords also leave
a word pair, without a position: "=" and both words as written out, a "_"
for each stopword between them ("deutlicher Mehrheit" → "=deutlicher
mehrheit", "Wahl in Köln" → "=wahl _ koeln"). The GIN index can tell
whether an article holds a pair but not where its words stand, and the
positions are in the stored vector, which has to be read from the table
for every candidate; a quoted phrase is therefore first narrowed to the
articles holding all its pairs, which the index answers alone, and only
those are read for the exact order. Two words are their pair: such a phrase
is found without reading a vector. Pairs are neither ranked nor suggested.

A query word matches the stem or a part by prefix; the word itself
matches twice (as typed and by its stem), so that "Wahl" shows the election
before "wählen", and "Bahn" the railway before "Straßenbahn".
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

from .language import MAX_TERM_LENGTH, analyzer, plain_text

LANGUAGE = "de"
STEM, PART, PAIR = "~", "+", "="
# Stopwords between the two words of a pair at most; a phrase with more in
# a row is checked by position alone there ("Abkommen, das er mit ihr …").
MAX_PAIR_GAP = 3
# PostgreSQL keeps positions up to 16383 and 256 of them per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
# Positions skipped between fields, so that no phrase spans two of them.
FIELD_GAP = 10
# A split the model is less sure of than this is left alone ("Regierung"
# is not "Regie" and "Rung").
MIN_SPLIT_SCORE = 0.4
MIN_PART_LENGTH = 3
# Longer "words" are codes or garbage; splitting takes time by the square.
MAX_COMPOUND_LENGTH = 48
# Stems shorter than this would match the start of too many words.
MIN_PREFIX_LENGTH = 3
# Endings the model takes for a word of their own.
NOT_PARTS = frozenset({"in", "innen", "ung", "ungen", "heit", "keit", "schaft"})
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
QUOTED = re.compile(r'"([^"]*)"?')


@cache
def _splitter():
    # Loading the model takes two seconds and 350 MB: only processes that
    # index articles pay for it, searching never does.
    from split_words import Splitter

    return Splitter()


def exact(word):
    """A lower-case word with its umlauts written out: "Straße" → "strasse"."""
    written_out = word.lower().translate(UMLAUTS).replace("'", "").replace("’", "")
    return written_out[:MAX_TERM_LENGTH]


def stem(word):
    """The Snowball stem of a lower-case word, None for a stopword."""
    return analyzer(LANGUAGE).stem(word)


@lru_cache(maxsize=100_000)
def compound_parts(word):
    """The parts of a lower-case compound and of its parts, as a tuple.

    "oberbürgermeisterin" → ("ober", "bürgermeisterin", "bürger", "meisterin")
    """
    if len(word) > MAX_COMPOUND_LENGTH:
        return ()
    pending = [part for part in word.split("-") if part]
    parts = pending[:] if len(pending) > 1 else []
    while pending:
        whole = pending.pop()
        if len(whole) < 2 * MIN_PART_LENGTH:
            continue
        score, head, tail = _splitter().split_compound(whole)[0]
        head, tail = head.lower(), tail.lower()
        if (
            score < MIN_SPLIT_SCORE
            or min(len(head), len(tail)) < MIN_PART_LENGTH
            or tail in NOT_PARTS
        ):
            continue
        parts += [head, tail]
        pending += [head, tail]
    return tuple(dict.fromkeys(parts))


def word_lexemes(word):
    """What the index holds for one lower-case word (none for a stopword)."""
    word_stem = stem(word)
    if word_stem is None:
        return []
    lexemes = [exact(word), STEM + word_stem]
    for part in compound_parts(word):
        if part_stem := stem(part):
            lexemes.append(PART + part_stem)
    return list(dict.fromkeys(lexemes))


def words(text):
    return analyzer(LANGUAGE).words(text)


def pair(first, second, gap):
    """The pair lexeme of two words with `gap` stopwords between them."""
    return " ".join([PAIR + exact(first), *["_"] * gap, exact(second)])


def document(fields):
    """A tsvector literal for [(text, weight letter), …], markup removed."""
    positions = defaultdict(list)
    pairs = {}
    position = 0
    for text, weight in fields:
        # Pairs stay inside a field: a phrase never spans two.
        previous = None
        for word in words(plain_text(text or "")):
            position += 1
            if position > MAX_POSITION:
                break
            lexemes = word_lexemes(word)
            if not lexemes:
                continue
            for lexeme in lexemes:
                if len(positions[lexeme]) < MAX_POSITIONS_PER_LEXEME:
                    positions[lexeme].append(f"{position}{weight}")
            if previous and position - previous[1] - 1 <= MAX_PAIR_GAP:
                pairs[pair(previous[0], word, position - previous[1] - 1)] = None
            previous = word, position
        position += FIELD_GAP
    return " ".join(
        [
            *(f"{quote(lexeme)}:{','.join(at)}" for lexeme, at in positions.items()),
            *map(quote, pairs),
        ]
    )


def quote(lexeme):
    """A lexeme in tsvector/tsquery syntax."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class Query:
    """What a reader typed: single words, and "exact phrases" in quotes."""

    words: list = field(default_factory=list)
    phrases: list = field(default_factory=list)

    @classmethod
    def parse(cls, text):
        query = cls()
        for phrase in QUOTED.findall(text):
            phrase_words = words(phrase)
            if len(phrase_words) > 1:
                query.phrases.append(phrase_words)
            else:
                query.words += phrase_words
        query.words += words(QUOTED.sub(" ", text))
        query.words = [word for word in dict.fromkeys(query.words) if stem(word)]
        query.phrases = [p for p in query.phrases if any(map(stem, p))]
        return query

    def __bool__(self):
        return bool(self.words or self.phrases)

    def all_words(self):
        phrase_words = (word for phrase in self.phrases for word in phrase)
        return [w for w in dict.fromkeys([*self.words, *phrase_words]) if stem(w)]

    def stems(self):
        return list(dict.fromkeys(stem(word) for word in self.all_words()))

    def matches(self):
        """The tsquery every result matches: each word, each phrase."""
        conditions = [_word_condition(word) for word in self.words]
        conditions += [_phrase_match(phrase) for phrase in self.phrases]
        return " & ".join(f"({condition})" for condition in conditions)

    def narrowed_by_pairs(self):
        """Whether each phrase has word pairs: the index alone then finds
        few candidates, whatever the words."""
        return bool(self.phrases) and all(
            _phrase_pairs(_phrase_words(phrase)) for phrase in self.phrases
        )

    def ranked_terms(self):
        """The tsquery the ranking counts: the words as typed (and the
        phrases), their stems, and parts of compounds starting with them.

        The word itself matches twice (as typed and by its stem), another
        word with its stem or a compound containing it once: so "Wahl"
        ranks above "wählen", and "Bahn" above "Straßenbahn".
        """
        terms = [quote(exact(word)) for word in self.all_words()]
        terms += [f"({_phrase(phrase)})" for phrase in self.phrases]
        terms += [quote(STEM + word_stem) for word_stem in self.stems()]
        terms += [_prefix(PART + word_stem) for word_stem in self.stems()]
        return " | ".join(terms)


def _prefix(lexeme):
    # A prefix match on a very short stem would find half the archive.
    if len(lexeme) - 1 < MIN_PREFIX_LENGTH:
        return quote(lexeme)
    return f"{quote(lexeme)}:*"


def _word_condition(word):
    word_stem = stem(word)
    return f"{_prefix(STEM + word_stem)} | {_prefix(PART + word_stem)}"


def _phrase_words(phrase):
    """[(word, stopwords between it and the word before)] of the words of a
    phrase that the index holds."""
    found, gap = [], 0
    for word in phrase:
        if stem(word) is None:
            gap += 1
            continue
        found.append((word, gap if found else 0))
        gap = 0
    return found


def _phrase_pairs(found):
    """The pair lexemes of a phrase's words (from `_phrase_words`)."""
    return [
        pair(first, second, gap)
        for (first, _), (second, gap) in pairwise(found)
        if gap <= MAX_PAIR_GAP
    ]


def _phrase(phrase):
    """Exact words one after another; a stopword in between keeps its place."""
    terms = []
    for word, gap in _phrase_words(phrase):
        if terms:
            terms.append(f"<{gap + 1}>")
        terms.append(quote(exact(word)))
    return " ".join(terms)


def _phrase_match(phrase):
    """The phrase as a condition: all its word pairs, which the index
    answers alone, and the words in their places, checked only in the
    articles holding the pairs. Two words are their pair."""
    found = _phrase_words(phrase)
    pairs = [quote(lexeme) for lexeme in _phrase_pairs(found)]
    if len(found) == 2 and pairs:
        return pairs[0]
    if not pairs:
        return _phrase(phrase)
    return " & ".join([*pairs, f"({_phrase(phrase)})"])
