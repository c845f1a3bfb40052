"""„Das könnte Sie auch interessieren“: the ranking, its index, stored lists.

The ranking core (`Document`, `RankingConfig`, `signature`, `score`,
`diversify`) is plain Python and works on any corpus in any language
Snowball knows. The functions after it keep, in the database, the
characteristic words of every published or scheduled article and each
article's ranked list, computed ahead of time when articles change, so that
a page only reads a stored list (Article.recommendations).
"""

import logging
import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, F

from .language import analyzer, plain_text
from .models import (
    Article,
    RecommendationSource,
    RelatedArticle,
    RelatedPin,
    RelatedProfile,
    RelatedTerm,
    RelatedTermCount,
    TaggedArticle,
)

logger = logging.getLogger(__name__)

# How much a word counts in each field.
FIELD_WEIGHTS = (("headline", 3.0), ("kicker", 2.0), ("lead", 2.0), ("body", 1.0))
TEXT_FIELDS = [name for name, _ in FIELD_WEIGHTS]
CHUNK = 500


@dataclass(frozen=True)
class RankingConfig:
    """The ranking's knobs; override them in settings.NEWSROOM_RELATED."""

    language: str = "de"
    # Entries stored per article: more than a page shows, so that articles
    # going offline leave no gap.
    stored: int = 8
    signature_terms: int = 32
    text_weight: float = 0.6
    tag_weight: float = 0.25
    section_weight: float = 0.15
    min_text_similarity: float = 0.04
    max_age_days: float = 730
    freshness_half_life_days: float = 60
    # Texts at least this similar tell the same thing twice.
    duplicate_similarity: float = 0.8
    diversity: float = 0.3
    candidates: int = 300
    bm25_k1: float = 1.2
    bm25_b: float = 0.75


def ranking_config():
    return RankingConfig(**getattr(settings, "NEWSROOM_RELATED", {}))


@dataclass
class Document:
    """An article as the ranking sees it."""

    id: int
    section_path: str
    published_at: object
    tags: frozenset = frozenset()
    signature: dict = field(default_factory=dict)


@dataclass
class CorpusStats:
    documents: int
    average_length: float
    term_documents: dict


def term_frequencies(fields, language):
    """Weighted counts of the stems of an article's text fields."""
    words = analyzer(language)
    counts = Counter()
    for name, weight in FIELD_WEIGHTS:
        text = fields.get(name) or ""
        if name == "body":
            text = plain_text(text)
        for term in words.terms(text):
            counts[term] += weight
    return counts


def signature(frequencies, stats, config):
    """The article's most characteristic stems, BM25-weighted, unit length."""
    length = sum(frequencies.values())
    relative_length = length / stats.average_length if stats.average_length else 1
    k1, b = config.bm25_k1, config.bm25_b
    weights = {}
    for term, frequency in frequencies.items():
        df = stats.term_documents.get(term, 0)
        idf = math.log(1 + max(stats.documents - df + 0.5, 0.5) / (df + 0.5))
        saturated = (
            frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * relative_length))
        )
        weights[term] = saturated * idf
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    top = top[: config.signature_terms]
    norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
    return {term: weight / norm for term, weight in top}


def similarity(one, other):
    """Cosine of two signatures."""
    if len(one) > len(other):
        one, other = other, one
    return sum(weight * other.get(term, 0.0) for term, weight in one.items())


def section_affinity(path, other_path):
    """1 for the same section, 0.5 for its parent or a sibling, else 0."""
    if path == other_path:
        return 1.0
    parent, other_parent = path.rpartition("/")[0], other_path.rpartition("/")[0]
    if (parent and parent in (other_parent, other_path)) or other_parent == path:
        return 0.5
    return 0.0


def days_apart(one, other):
    if one is None or other is None:
        return 0.0
    return abs((one - other).total_seconds()) / 86400


def score(query, candidate, weights, config, text=None):
    """How well `candidate` suits a reader of `query`; None if not at all."""
    if text is None:
        text = similarity(query.signature, candidate.signature)
    shared = query.tags & candidate.tags
    if text < config.min_text_similarity and not shared:
        return None
    if text >= config.duplicate_similarity:
        return None
    gap = days_apart(query.published_at, candidate.published_at)
    if gap > config.max_age_days:
        return None
    query_tags = sum(weights.get(tag, 0.0) for tag in query.tags)
    tags = (
        sum(weights.get(tag, 0.0) for tag in shared) / query_tags if query_tags else 0.0
    )
    relevance = (
        config.text_weight * text
        + config.tag_weight * tags
        + config.section_weight
        * section_affinity(query.section_path, candidate.section_path)
    )
    freshness = 0.5 ** (gap / config.freshness_half_life_days)
    return relevance * (0.5 + 0.5 * freshness)


def tag_weights(tag_documents, documents):
    """Rare tags weigh more: an inverse document frequency per tag."""
    return {
        tag: math.log(1 + max(documents, count) / max(count, 1))
        for tag, count in tag_documents.items()
    }


def _tie_order(item):
    value, document = item
    timestamp = document.published_at.timestamp() if document.published_at else 0
    return (-value, -timestamp, document.id)


def diversify(scored, config, limit):
    """Up to `limit` of the (score, document) pairs, best first.

    Greedy maximal marginal relevance: each pick loses in proportion to its
    similarity to what is already chosen, so that several tellings of one
    event are spread out, and near-duplicates of a chosen one are dropped.
    """
    pool = sorted(scored, key=_tie_order)[: limit * 5]
    chosen = []
    while pool and len(chosen) < limit:
        best_index, best_value, best_overlap = 0, None, 0.0
        for index, (value, document) in enumerate(pool):
            overlap = max(
                (
                    similarity(document.signature, other.signature)
                    for _, other in chosen
                ),
                default=0.0,
            )
            adjusted = value - config.diversity * overlap
            # Strictly greater: on ties the earlier (newer, lower id) wins.
            if best_value is None or adjusted > best_value + 1e-12:
                best_index, best_value, best_overlap = index, adjusted, overlap
        pick = pool.pop(best_index)
        if best_overlap < config.duplicate_similarity:
            chosen.append(pick)
    return chosen


# The database side: refreshing after changes.

_pending = threading.local()


def refresh_later(article_id):
    """Recompute for this article once the current transaction commits.

    The admin saves an article, then its tags and pins, all in one
    transaction; waiting for the commit sees all of it and runs once.
    """
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(article_id)
    transaction.on_commit(_refresh_pending, robust=True)


def _refresh_pending():
    ids = getattr(_pending, "ids", set())
    _pending.ids = set()
    if ids:
        refresh(ids)


def refresh(article_ids, config=None):
    """Bring the index and lists of these articles up to date, and the lists
    of the articles they enter or leave."""
    config = config or ranking_config()
    ids = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    if not ids:
        return
    index(ids, config)
    eligible_count = Article.objects.published_or_scheduled().count()
    if eligible_count <= config.stored + 1:
        # A small site: every list is short, and anything new belongs in it.
        ids |= set(
            Article.objects.published_or_scheduled().values_list("pk", flat=True)
        )
        compute_lists(ids, config)
        return
    listing_them = set(
        RelatedArticle.objects.filter(
            target_id__in=ids, source=RecommendationSource.RANKED
        ).values_list("article_id", flat=True)
    )
    nearest = compute_lists(ids, config)
    merge_into_lists((listing_them | nearest) - ids, ids, config)


def rebuild(config=None, languages=None, progress=None):
    """Index every article and compute every list from scratch."""
    config = config or ranking_config()
    eligible = rebuild_index(config, languages=languages, progress=progress)
    for start in range(0, len(eligible), CHUNK):
        compute_lists(eligible[start : start + CHUNK], config)
        if progress:
            progress("Listen", min(start + CHUNK, len(eligible)), len(eligible))


def rebuild_index(config, languages=None, progress=None):
    """Throw the index away and build it from all published or scheduled
    articles; returns their ids."""
    languages = languages or {}
    eligible = list(
        Article.objects.published_or_scheduled()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        RelatedTerm.objects.all().delete()
        RelatedProfile.objects.all().delete()
        RelatedTermCount.objects.all().delete()
        counts = Counter()
        for number, chunk in enumerate(_chunks(eligible), start=1):
            profiles = []
            for pk, row in _texts(chunk).items():
                language = languages.get(pk, config.language)
                frequencies = term_frequencies(row, language)
                counts.update(frequencies.keys())
                profiles.append(
                    RelatedProfile(
                        article_id=pk,
                        language=language,
                        length=sum(frequencies.values()),
                        vocabulary=" ".join(sorted(frequencies)),
                    )
                )
            RelatedProfile.objects.bulk_create(profiles, batch_size=CHUNK)
            if progress:
                progress("Wörter", min(number * CHUNK, len(eligible)), len(eligible))
        RelatedTermCount.objects.bulk_create(
            (RelatedTermCount(term=term, documents=n) for term, n in counts.items()),
            batch_size=2000,
        )
        stats = _corpus_stats()
        stats.term_documents = counts
        for number, chunk in enumerate(_chunks(eligible), start=1):
            _store_signatures(chunk, set(chunk), languages, config, stats, counted=True)
            if progress:
                progress(
                    "Signaturen", min(number * CHUNK, len(eligible)), len(eligible)
                )
    return eligible


def forget(article_ids):
    """Take articles out of the index before they are deleted."""
    index([], config=ranking_config(), removed=article_ids)


def index(article_ids, config, removed=()):
    """Update the index for these articles: stems, their document counts and
    each article's signature. Unpublished and `removed` articles leave it."""
    ids = sorted(set(article_ids) | set(removed))
    eligible = set()
    for chunk in _chunks(ids):
        eligible |= set(
            Article.objects.filter(pk__in=chunk)
            .exclude(pk__in=removed)
            .published_or_scheduled()
            .values_list("pk", flat=True)
        )
    # First the document counts of every stem, then the signatures that
    # depend on them.
    for chunk in _chunks(ids):
        _count_terms(chunk, eligible, {}, config)
    stats = _corpus_stats()
    for chunk in _chunks(ids):
        _store_signatures(chunk, eligible, {}, config, stats)


def _chunks(items, size=CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _texts(ids):
    return {
        row["pk"]: row
        for row in Article.objects.filter(pk__in=ids).values("pk", *TEXT_FIELDS)
    }


def _count_terms(ids, eligible, languages, config):
    old = dict(
        RelatedProfile.objects.filter(article_id__in=ids).values_list(
            "article_id", "vocabulary"
        )
    )
    texts = _texts([pk for pk in ids if pk in eligible])
    delta = Counter()
    profiles = []
    for pk in ids:
        before = set(old.get(pk, "").split())
        after = set()
        if pk in texts:
            language = languages.get(pk, config.language)
            frequencies = term_frequencies(texts[pk], language)
            after = set(frequencies)
            profiles.append(
                RelatedProfile(
                    article_id=pk,
                    language=language,
                    length=sum(frequencies.values()),
                    vocabulary=" ".join(sorted(after)),
                )
            )
        for term in after - before:
            delta[term] += 1
        for term in before - after:
            delta[term] -= 1
    with transaction.atomic():
        RelatedProfile.objects.filter(article_id__in=ids).delete()
        RelatedProfile.objects.bulk_create(profiles, batch_size=CHUNK)
        new_terms = [term for term, change in delta.items() if change > 0]
        RelatedTermCount.objects.bulk_create(
            [RelatedTermCount(term=term) for term in new_terms],
            ignore_conflicts=True,
            batch_size=CHUNK,
        )
        by_change = defaultdict(list)
        for term, change in delta.items():
            if change:
                by_change[change].append(term)
        for change, terms in by_change.items():
            for chunk in _chunks(terms):
                RelatedTermCount.objects.filter(term__in=chunk).update(
                    documents=F("documents") + change
                )


def _corpus_stats(terms=()):
    totals = RelatedProfile.objects.aggregate(
        documents=Count("pk"), average_length=Avg("length")
    )
    term_documents = {}
    for chunk in _chunks(sorted(set(terms))):
        term_documents.update(
            RelatedTermCount.objects.filter(term__in=chunk).values_list(
                "term", "documents"
            )
        )
    return CorpusStats(
        documents=totals["documents"],
        average_length=totals["average_length"] or 0.0,
        term_documents=term_documents,
    )


def _store_signatures(ids, eligible, languages, config, stats, counted=False):
    """Write the signatures of `ids`; `counted`: `stats` already knows the
    document counts of every term."""
    texts = _texts([pk for pk in ids if pk in eligible])
    frequencies = {
        pk: term_frequencies(row, languages.get(pk, config.language))
        for pk, row in texts.items()
    }
    if not counted:
        vocabulary = set().union(*frequencies.values()) if frequencies else set()
        stats = CorpusStats(
            stats.documents,
            stats.average_length,
            _corpus_stats(vocabulary).term_documents,
        )
    rows = [
        (pk, term, weight)
        for pk, counts in frequencies.items()
        for term, weight in signature(counts, stats, config).items()
    ]
    table = connection.ops.quote_name(RelatedTerm._meta.db_table)
    with transaction.atomic():
        RelatedTerm.objects.filter(article_id__in=ids).delete()
        # Plain executemany: a full rebuild writes millions of these rows,
        # and model instances would cost more than the database does.
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (article_id, term, weight) VALUES (%s, %s, %s)",
                rows,
            )


def documents(ids):
    """Documents for these article ids, with their tags and signatures."""
    found = {}
    for chunk in _chunks(ids):
        for pk, path, published_at in Article.objects.filter(pk__in=chunk).values_list(
            "pk", "section__path", "published_at"
        ):
            found[pk] = Document(pk, path, published_at, set(), {})
        for pk, tag_id in TaggedArticle.objects.filter(
            content_object_id__in=chunk
        ).values_list("content_object_id", "tag_id"):
            found[pk].tags.add(tag_id)
        for pk, term, weight in RelatedTerm.objects.filter(
            article_id__in=chunk
        ).values_list("article_id", "term", "weight"):
            found[pk].signature[term] = weight
    for document in found.values():
        document.tags = frozenset(document.tags)
    return found


def _tag_weights(tag_ids, documents_indexed):
    counts = Counter(
        dict(
            TaggedArticle.objects.filter(tag_id__in=tag_ids)
            .values("tag_id")
            .annotate(count=Count("pk"))
            .values_list("tag_id", "count")
        )
    )
    return tag_weights(counts, documents_indexed)


def rank(query, config, stats):
    """Every eligible article worth recommending with `query`, as (score,
    document) pairs, best first."""
    text = defaultdict(float)
    for chunk in _chunks(sorted(query.signature)):
        for pk, term, weight in (
            RelatedTerm.objects.filter(term__in=chunk)
            .exclude(article_id=query.id)
            .values_list("article_id", "term", "weight")
        ):
            text[pk] += query.signature[term] * weight
    shared = defaultdict(set)
    tag_counts = Counter()
    if query.tags:
        for pk, tag_id in TaggedArticle.objects.filter(
            tag_id__in=query.tags
        ).values_list("content_object_id", "tag_id"):
            tag_counts[tag_id] += 1
            if pk != query.id:
                shared[pk].add(tag_id)
    weights = tag_weights(tag_counts, stats.documents)
    total_tag_weight = sum(weights.get(tag, 0.0) for tag in query.tags) or 1.0

    def promise(pk):
        tags = sum(weights.get(tag, 0.0) for tag in shared[pk]) / total_tag_weight
        return config.text_weight * text[pk] + config.tag_weight * tags

    candidates = set(shared) | {
        pk for pk, value in text.items() if value >= config.min_text_similarity
    }
    best = sorted(candidates, key=lambda pk: (-promise(pk), pk))[: config.candidates]
    scored = []
    for chunk in _chunks(best):
        for pk, path, published_at in (
            Article.objects.published_or_scheduled()
            .filter(pk__in=chunk)
            .values_list("pk", "section__path", "published_at")
        ):
            candidate = Document(pk, path, published_at, frozenset(shared[pk]))
            value = score(query, candidate, weights, config, text=text[pk])
            if value is not None:
                scored.append((value, candidate))
    scored.sort(key=_tie_order)
    # Diversifying compares the leaders' texts with each other.
    leaders = scored[: config.stored * 5]
    signatures = documents([candidate.id for _, candidate in leaders])
    for _, candidate in leaders:
        candidate.signature = signatures[candidate.id].signature
    return scored


def compute_lists(article_ids, config):
    """Rank and store the lists of these articles; returns the ids of the
    articles that rank best for them (whose lists they may now belong in)."""
    stats = _corpus_stats()
    eligible = list(
        Article.objects.published_or_scheduled()
        .filter(pk__in=article_ids)
        .select_related("section")
    )
    queries = documents([article.pk for article in eligible])
    pins = defaultdict(list)
    for article_id, target_id in RelatedPin.objects.filter(
        article__in=eligible
    ).values_list("article_id", "target_id"):
        pins[article_id].append(target_id)
    nearest, rows = set(), []
    for article in eligible:
        scored = rank(queries[article.pk], config, stats)
        nearest.update(document.id for _, document in scored[: config.stored * 2])
        pinned = pins[article.pk][: config.stored]
        ranked = diversify(
            [item for item in scored if item[1].id not in pinned],
            config,
            config.stored - len(pinned),
        )
        rows += _entries(article, pinned, ranked, config)
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=article_ids).delete()
        RelatedArticle.objects.bulk_create(rows, batch_size=2000)
    return nearest


def _entries(article, pinned, ranked, config, fallback=None):
    """The rows of one stored list: pins, ranked, then filled up."""
    entries = [(pk, RecommendationSource.PINNED, None) for pk in pinned]
    entries += [(doc.id, RecommendationSource.RANKED, value) for value, doc in ranked]
    taken = {pk for pk, _, _ in entries}
    missing = config.stored - len(entries)
    if missing > 0:
        if fallback is None:
            fallback = (
                Article.objects.published_or_scheduled()
                .exclude(pk__in=taken)
                .newest_near(article)
                .values_list("pk", flat=True)[:missing]
            )
        entries += [
            (pk, RecommendationSource.FALLBACK, None)
            for pk in fallback
            if pk not in taken
        ][:missing]
    return [
        RelatedArticle(
            article_id=article.pk,
            target_id=pk,
            position=position,
            source=source,
            score=value,
        )
        for position, (pk, source, value) in enumerate(entries[: config.stored])
    ]


def merge_into_lists(article_ids, changed_ids, config):
    """Let changed articles enter or leave the stored lists of others
    without ranking those from scratch: their other entries keep their
    scores, only the changed articles are scored anew."""
    if not article_ids:
        return
    stored = defaultdict(list)
    for entry in RelatedArticle.objects.filter(article_id__in=article_ids).order_by(
        "article_id", "position"
    ):
        stored[entry.article_id].append(entry)
    eligible_changed = set(
        Article.objects.published_or_scheduled()
        .filter(pk__in=changed_ids)
        .values_list("pk", flat=True)
    )
    involved = set(article_ids) | eligible_changed
    for entries in stored.values():
        involved.update(entry.target_id for entry in entries)
    docs = documents(sorted(involved))
    stats = _corpus_stats()
    weights = _tag_weights(
        set().union(*(docs[pk].tags for pk in article_ids if pk in docs)),
        stats.documents,
    )
    articles = Article.objects.select_related("section").in_bulk(article_ids)
    rows = []
    for pk in sorted(article_ids):
        if pk not in docs or pk not in articles:
            continue
        query = docs[pk]
        entries = [entry for entry in stored[pk] if entry.target_id not in changed_ids]
        pinned = [
            entry.target_id
            for entry in entries
            if entry.source == RecommendationSource.PINNED
        ]
        scored = [
            (entry.score, docs[entry.target_id])
            for entry in entries
            if entry.source == RecommendationSource.RANKED and entry.target_id in docs
        ]
        for changed in sorted(eligible_changed - {pk} - set(pinned)):
            value = score(query, docs[changed], weights, config)
            if value is not None:
                scored.append((value, docs[changed]))
        ranked = diversify(scored, config, config.stored - len(pinned))
        fallback = [
            entry.target_id
            for entry in entries
            if entry.source == RecommendationSource.FALLBACK
        ]
        rows += _entries(articles[pk], pinned, ranked, config, fallback=fallback)
    with transaction.atomic():
        RelatedArticle.objects.filter(article_id__in=article_ids).delete()
        RelatedArticle.objects.bulk_create(rows, batch_size=2000)
