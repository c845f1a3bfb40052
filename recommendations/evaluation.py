"""Measure „Das könnte Sie auch interessieren“ on a labelled corpus.

A corpus is JSON Lines: one article per line (id, language, section,
headline, lead, body, tags, label; kicker and published_at optional) and,
optionally, graded pairs (query, candidate, grade 0–2). Articles that share
a label tell the same story; an article may carry several (a Usenet post
sent to several groups is in each). The corpus is loaded into the current
database, which must be a scratch one: the command and the tests use a test
database.
"""

import json
import math
import random
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from articles.models import Article, ArticleStatus, Section, Tag, TaggedArticle
from articles.text import german_slugify, sanitize_body

from .lists import rebuild, recommendations_for
from .ranking import TEXT_FIELDS, RankingConfig, similarity, term_frequencies

OURS = "Newsroom-Ranking"
# The settings cross-validation chooses among: the Ressort as a weight
# (two rounds ago), the Ressort as a rank with feedback from three matches
# (the last round: a similarity floor of 0.04, candidates looked up by 32
# terms), then the floor lowered to 0.02, and on top the lookup by 64 terms.
BEFORE = {"min_text_similarity": 0.04, "query_terms": 32}
CANDIDATES = {
    "vorvorher: Ressort als Gewicht 0,15": RankingConfig(
        section_tier=False, section_weight=0.15, **BEFORE
    ),
    "vorher: Rang, Rückkopplung 3 × 1,0": RankingConfig(
        section_tier=True, feedback_neighbours=3, feedback_weight=1.0, **BEFORE
    ),
    "Rang, Rückkopplung, Schwelle 0,02": RankingConfig(
        min_text_similarity=0.02, query_terms=32
    ),
    "Schwelle 0,02, Suche mit 64 Wörtern": RankingConfig(
        min_text_similarity=0.02, query_terms=64
    ),
}

DEPTH = 5
ARTICLE_FIELDS = (
    "id",
    "language",
    "section",
    "headline",
    "lead",
    "body",
    "tags",
    "label",
)


class CorpusError(ValueError):
    pass


@dataclass
class Corpus:
    articles: list = field(default_factory=list)
    grades: dict = field(default_factory=dict)


def read_corpus(lines):
    """Parse and check a corpus; errors name the line."""
    corpus = Corpus()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(
                f"Zeile {number}: kein gültiges JSON ({error.msg})."
            ) from None
        if not isinstance(entry, dict):
            raise CorpusError(f"Zeile {number}: erwartet wird ein JSON-Objekt.")
        if "query" in entry:
            corpus.grades[_pair(entry, number)] = _grade(entry, number)
        else:
            corpus.articles.append(_article(entry, number))
    ids = [entry["id"] for entry in corpus.articles]
    if len(ids) != len(set(ids)):
        raise CorpusError("Artikel-IDs müssen eindeutig sein.")
    if len(ids) < DEPTH + 1:
        raise CorpusError(f"Der Korpus braucht mindestens {DEPTH + 1} Artikel.")
    unknown = {pk for pair in corpus.grades for pk in pair} - set(ids)
    if unknown:
        raise CorpusError(
            f"Bewertete Paare nennen unbekannte Artikel: {sorted(unknown)[:5]}."
        )
    return corpus


def _article(entry, number):
    missing = [name for name in ARTICLE_FIELDS if name not in entry]
    if missing:
        raise CorpusError(f"Zeile {number}: es fehlt {', '.join(missing)}.")
    if not isinstance(entry["tags"], list):
        raise CorpusError(f"Zeile {number}: „tags“ muss eine Liste sein.")
    entry = {**entry, "id": str(entry["id"]), "label": _labels(entry, number)}
    if entry.get("published_at"):
        try:
            entry["published_at"] = datetime.fromisoformat(entry["published_at"])
        except (TypeError, ValueError):
            raise CorpusError(
                f"Zeile {number}: „published_at“ ist kein ISO-Datum."
            ) from None
    return entry


def _labels(entry, number):
    label = entry["label"]
    labels = [label] if isinstance(label, str) else label
    if (
        not isinstance(labels, list)
        or not labels
        or not all(isinstance(one, str) and one for one in labels)
    ):
        raise CorpusError(
            f"Zeile {number}: „label“ muss ein Text oder eine Liste von Texten sein."
        )
    return frozenset(labels)


def same_story(labels, one, other):
    return bool(labels[one] & labels[other])


def _pair(entry, number):
    if "candidate" not in entry:
        raise CorpusError(f"Zeile {number}: ein Paar braucht „query“ und „candidate“.")
    return str(entry["query"]), str(entry["candidate"])


def _grade(entry, number):
    grade = entry.get("grade")
    if grade not in (0, 1, 2):
        raise CorpusError(f"Zeile {number}: „grade“ muss 0, 1 oder 2 sein.")
    return grade


def load(corpus):
    """Create the corpus's sections, tags and articles; map its ids to pks."""
    now = timezone.now()
    sections = {}
    articles = []
    for index, entry in enumerate(corpus.articles):
        published_at = entry.get("published_at") or now - timedelta(hours=index)
        articles.append(
            Article(
                section=_section(entry["section"], sections),
                kicker=entry.get("kicker", "")[:80],
                headline=entry["headline"][:200],
                slug=f"{german_slugify(entry['headline'])[:180] or 'artikel'}-{index}",
                lead=entry["lead"],
                body=sanitize_body(entry["body"]),
                status=ArticleStatus.PUBLISHED,
                published_at=published_at,
            )
        )
    # bulk_create sends no signals: the lists are built once, afterwards.
    Article.objects.bulk_create(articles)
    ids = {
        entry["id"]: article.pk
        for entry, article in zip(corpus.articles, articles, strict=True)
    }
    tags = {}
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object_id=ids[entry["id"]], tag=_tag(name, tags))
        for entry in corpus.articles
        for name in dict.fromkeys(entry["tags"])
    )
    languages = {ids[entry["id"]]: entry["language"] for entry in corpus.articles}
    rebuild(languages=languages)
    return ids


def _section(path, sections):
    if path not in sections:
        parent_path, _, slug = path.strip("/").rpartition("/")
        parent = _section(parent_path, sections) if parent_path else None
        sections[path] = Section.objects.create(
            name=slug.capitalize(), slug=german_slugify(slug), parent=parent
        )
    return sections[path]


def _tag(name, tags):
    key = name.lower()
    if key not in tags:
        tags[key] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
            name=name
        )
    return tags[key]


def our_ranking(article):
    """What the page shows, as deep as the measure looks."""
    return recommendations_for(article, DEPTH)


def newest_in_section(article):
    return list(
        Article.objects.published()
        .filter(section=article.section)
        .exclude(pk=article.pk)
        .order_by("-published_at", "-pk")[:DEPTH]
    )


def shared_tags(article):
    """django-taggit's similar_objects(): most shared tags first (ties:
    newest first, so that the baseline is deterministic)."""
    similar = article.tags.similar_objects()
    similar.sort(
        key=lambda other: (-other.similar_tags, -other.published_at.timestamp())
    )
    return similar[:DEPTH]


class TfIdf:
    """Plain TF-IDF cosine over every word of the text (the same stems as
    the ranking), the textbook baseline; `within_section` keeps to the
    article's own Ressort."""

    def __init__(self, articles, languages, within_section=False):
        self.within_section = within_section
        counts = {
            article.pk: term_frequencies(
                {name: getattr(article, name) for name in TEXT_FIELDS},
                languages.get(article.pk, "de"),
                weighted=False,
            )
            for article in articles
        }
        documents = Counter(term for terms in counts.values() for term in terms)
        total = len(counts)
        self.vectors = {}
        for pk, terms in counts.items():
            vector = {
                term: count * math.log((1 + total) / (1 + documents[term])) + count
                for term, count in terms.items()
            }
            norm = math.sqrt(sum(value * value for value in vector.values())) or 1
            self.vectors[pk] = {term: value / norm for term, value in vector.items()}
        self.articles = {article.pk: article for article in articles}

    def __call__(self, article):
        query = self.vectors[article.pk]
        scored = []
        for pk, vector in self.vectors.items():
            other = self.articles[pk]
            if pk == article.pk or (
                self.within_section and other.section_id != article.section_id
            ):
                continue
            scored.append((-similarity(query, vector), pk, other))
        scored.sort(key=lambda item: item[:2])
        return [other for value, _, other in scored[:DEPTH] if value < 0]


@dataclass
class Result:
    name: str
    precision: float
    ndcg: float
    coverage: float
    catalog: float


def ranked_lists(corpus, configs=None):
    """Load the corpus and rank every article's list with every method and
    with our ranking under each of `configs` ({name: RankingConfig}; the
    settings' one if None). Returns the lists ({method: {corpus id: [corpus
    ids]}}) and the languages the corpus was loaded with."""
    ids = load(corpus)
    languages = {ids[entry["id"]]: entry["language"] for entry in corpus.articles}
    corpus_ids = {pk: corpus_id for corpus_id, pk in ids.items()}
    articles = list(
        Article.objects.filter(pk__in=ids.values()).select_related("section")
    )
    methods = [
        ("Neueste im Ressort", newest_in_section),
        ("TF-IDF im Ressort", TfIdf(articles, languages, within_section=True)),
        ("TF-IDF (alle Ressorts)", TfIdf(articles, languages)),
    ]
    if any(entry["tags"] for entry in corpus.articles):
        methods.append(("Gemeinsame Schlagwörter (taggit)", shared_tags))
    lists = {}
    for name, config in (configs or {OURS: None}).items():
        if config is not None:
            rebuild(config=config, languages=languages)
        lists[name] = _lists(our_ranking, articles, corpus_ids)
    for name, method in methods:
        lists[name] = _lists(method, articles, corpus_ids)
    return lists


def _lists(method, articles, corpus_ids):
    return {
        corpus_ids[article.pk]: [corpus_ids[other.pk] for other in method(article)]
        for article in articles
    }


def evaluate(corpus, queries=None):
    """Load the corpus and measure every method; returns Results (ours
    first). `queries`: measure only the lists of these corpus ids."""
    return measure_lists(corpus, ranked_lists(corpus), queries)


def measure_lists(corpus, lists, queries=None):
    labels = {entry["id"]: entry["label"] for entry in corpus.articles}
    grades = corpus.grades or _grades_from_labels(labels)
    return [
        measure(
            name,
            {
                q: shown
                for q, shown in by_query.items()
                if queries is None or q in queries
            },
            labels,
            grades,
        )
        for name, by_query in lists.items()
    ]


def _grades_from_labels(labels):
    return {
        (one, other): 2
        for one in labels
        for other in labels
        if one != other and same_story(labels, one, other)
    }


def half(corpus, which):
    """Cross-validation's two halves of a corpus's articles, fixed by id."""
    return {
        entry["id"]
        for entry in corpus.articles
        if zlib.crc32(entry["id"].encode()) % 2 == which
    }


def cross_validate(corpora, lists):
    """Two-fold cross-validation over several corpora at once: the candidate
    with the best mean of P@5 and nDCG@5 over all corpora on one half is
    reported on the other half. Yields (chosen on, reported on, candidate,
    {corpus: Results with ours first})."""
    for chosen_on in (0, 1):
        quality = Counter()
        for name, corpus in corpora.items():
            for result in measure_lists(
                corpus,
                {key: lists[name][key] for key in CANDIDATES},
                half(corpus, chosen_on),
            ):
                quality[result.name] += (result.precision + result.ndcg) / 2
        choice = max(CANDIDATES, key=lambda key: quality[key])
        reported_on = 1 - chosen_on
        results = {}
        for name, corpus in corpora.items():
            chosen = {OURS: lists[name][choice]}
            baselines = {
                key: value
                for key, value in lists[name].items()
                if key not in CANDIDATES
            }
            results[name] = measure_lists(
                corpus, chosen | baselines, half(corpus, reported_on)
            )
        yield chosen_on, reported_on, choice, results


def measure(name, lists, labels, grades):
    """Precision@5 against the labels, nDCG@5 against the grades, the share
    of full lists, and the share of articles recommended anywhere."""
    per_query = query_scores(lists, labels, grades)
    recommended = {other for shown in lists.values() for other in shown[:DEPTH]}
    return Result(
        name=name,
        precision=_mean([precision for precision, _ in per_query.values()]),
        ndcg=_mean([ndcg for _, ndcg in per_query.values() if ndcg is not None]),
        coverage=_mean([len(shown) >= DEPTH for shown in lists.values()]),
        catalog=len(recommended) / len(lists) if lists else 0.0,
    )


def query_scores(lists, labels, grades):
    """Each query's (precision@5, nDCG@5); nDCG is None where no pair of the
    query is judged relevant."""
    judged = defaultdict(list)
    for (query, _), grade in grades.items():
        judged[query].append(grade)
    scores = {}
    for query, shown in lists.items():
        shown = shown[:DEPTH]
        precision = sum(same_story(labels, query, other) for other in shown) / DEPTH
        ideal_gain = _dcg(sorted(judged[query], reverse=True)[:DEPTH])
        ndcg = None
        if ideal_gain:
            ndcg = _dcg([grades.get((query, other), 0) for other in shown]) / ideal_gain
        scores[query] = (precision, ndcg)
    return scores


@dataclass
class Difference:
    """How much one method's mean is above another's, with the 95 % interval
    of a paired bootstrap over the queries."""

    mean: float
    low: float
    high: float


def differences(corpus, lists, one, other, queries=None, rounds=2000):
    """{"P@5": Difference, "nDCG@5": Difference} of method `one` minus
    method `other`, query by query (`queries`: only these corpus ids).

    On a corpus of a few hundred articles a difference of a few hundredths
    can be chance: the interval says which differences the corpus can tell
    apart. Resampled with a fixed seed, so that a run repeats.
    """
    labels = {entry["id"]: entry["label"] for entry in corpus.articles}
    grades = corpus.grades or _grades_from_labels(labels)
    first, second = (
        query_scores(
            {
                q: shown
                for q, shown in lists[name].items()
                if queries is None or q in queries
            },
            labels,
            grades,
        )
        for name in (one, other)
    )
    # Where every article is its own story (graded pairs only), P@5 says
    # nothing.
    measures = {"P@5": 0, "nDCG@5": 1} if best_precision(corpus) else {"nDCG@5": 1}
    random_ = random.Random(0)
    found = {}
    for measure, index in measures.items():
        gaps = [
            first[query][index] - second[query][index]
            for query in first
            if first[query][index] is not None and second[query][index] is not None
        ]
        if gaps:
            means = sorted(
                _mean(random_.choices(gaps, k=len(gaps))) for _ in range(rounds)
            )
            found[measure] = Difference(
                _mean(gaps), means[int(rounds * 0.025)], means[int(rounds * 0.975) - 1]
            )
    return found


def best_precision(corpus):
    """The highest precision@5 possible: stories of fewer than six articles
    can't fill five places with their own."""
    labels = {entry["id"]: entry["label"] for entry in corpus.articles}
    return _mean(
        [
            min(sum(same_story(labels, query, other) for other in labels) - 1, DEPTH)
            / DEPTH
            for query in labels
        ]
    )


def _dcg(grades):
    return sum(
        (2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades)
    )


def _mean(values):
    return sum(values) / len(values) if values else 0.0
