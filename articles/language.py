"""Words of a text as the ranking and the search fallback see them.

Lower-cased tokens without markup, common function words dropped, reduced
to their Snowball stem ("Beziehungen" and "Beziehung" both become "bezieh").
"""

import html
import re
from functools import cache

import snowballstemmer

# Language codes as used in settings and corpora, mapped to Snowball's names;
# a Snowball name itself is accepted too.
SNOWBALL_NAMES = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}

GERMAN_STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen
    anderer anderes auch auf aus bei beim bereits bin bis bisher bist da
    dabei dadurch dafür dagegen daher damit danach dann daran darauf darum
    darüber das dass davon dazu dem den denen denn der deren des deshalb
    dessen die dies diese diesem diesen dieser dieses doch dort du durch
    ein eine einem einen einer eines einige einigen er es etwa etwas euch
    euer für gab gegen gehabt geht gewesen gibt habe haben hat hatte hatten
    hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im
    immer in ins ist ja jede jedem jeden jeder jedes jedoch jetzt kam kann
    kaum kein keine keinem keinen keiner können könnte man mehr mein meine
    mit muss musste müssen nach nachdem neben nicht nichts noch nun nur ob
    oder ohne rund schon sehr sei seien sein seine seinem seinen seiner
    seit selbst sich sie sind so soll sollen sollte sondern sowie über um
    und uns unser unter viel viele vom von vor wann war waren warum was
    weil weiter welche welchem welchen welcher wenn wer werde werden wie
    wieder will wir wird wo wohl wollen wurde wurden zu zum zur zwar
    zwischen sagt sagte sagten heißt hieß laut mal ganz gut neue neuen
    erst ersten zwei drei jahr jahre jahren prozent uhr
    """.split()
)

ENGLISH_STOPWORDS = frozenset(
    """
    a about after all also an and any are as at be been but by can could
    did do does for from had has have he her his how i if in into is it
    its more most no not of on or our out said says she so some than that
    the their them then there these they this to up was we were what when
    which who will with would you
    """.split()
)

STOPWORDS = {"german": GERMAN_STOPWORDS, "english": ENGLISH_STOPWORDS}

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
MARKUP = re.compile(r"<[^>]*>")
MAX_TERM_LENGTH = 64


def snowball_name(language):
    name = SNOWBALL_NAMES.get(language, language)
    if name not in snowballstemmer.algorithms():
        raise ValueError(f"Keine Stammformen für die Sprache „{language}“.")
    return name


def plain_text(markup):
    """The words of HTML, tags removed and entities decoded."""
    return html.unescape(MARKUP.sub(" ", markup))


class Analyzer:
    """Turns text into stems for one language (caches stems it has seen)."""

    def __init__(self, language):
        name = snowball_name(language)
        self._stemmer = snowballstemmer.stemmer(name)
        self._stopwords = STOPWORDS.get(name, frozenset())
        self._stems = {}

    def stem(self, word):
        """The stem of one lower-case word, or None for a stopword."""
        try:
            return self._stems[word]
        except KeyError:
            pass
        if word in self._stopwords or len(word) < 2:
            stem = None
        else:
            # Snowball folds umlauts (Brücke -> bruck); hyphenated compounds
            # stay one term.
            stem = self._stemmer.stemWord(word)[:MAX_TERM_LENGTH] or None
        if len(self._stems) > 500_000:
            self._stems.clear()
        self._stems[word] = stem
        return stem

    def words(self, text):
        """The lower-case words of `text`, stopwords included, in order."""
        return WORD.findall(text.lower())

    def terms(self, text):
        """The stems of `text`, in order, without stopwords."""
        return [stem for word in self.words(text) if (stem := self.stem(word))]


@cache
def analyzer(language):
    return Analyzer(language)
