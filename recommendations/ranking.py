"""The ranking of "Das könnte Sie auch interessieren", in plain Python.

Works on any corpus in any language Snowball knows: an article's most
characteristic stems (its signature), how well one article suits a reader of
another, and a diverse pick of the best. recommendations.index keeps the
signatures in the database; recommendations.lists stores each article's list.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from articles.language import analyzer, plain_text

# How much a word counts in each field.
FIELD_WEIGHTS = (("headline", 3.0), ("kicker", 2.0), ("lead", 2.0), ("body", 1.0))
TEXT_FIELDS = [name for name, _ in FIELD_WEIGHTS]


@dataclass(frozen=True)
class RankingConfig:
    """The ranking's knobs; override them in settings.NEWSROOM_RELATED."""

    language: str = "de"
    # Entries stored per article: more than a page shows, so that articles
    # going offline leave no gap.
    stored: int = 8
    # A signature keeps an article's topical vocabulary, not only its rarest
    # words (names): with 32 terms two reports on one subject shared too
    # little to be found similar on unseen news.
    signature_terms: int = 128
    # The strongest terms of a signature that look up candidates. With 32,
    # reports that shared only the signature's middle terms were never
    # looked up (newsgroups, reuters-21578 and lee gained 0.002–0.008 in
    # P@5 or nDCG@5 with 64); the rest of the signature only scores. Chosen
    # by cross-validation (make evaluate-related) on both halves.
    query_terms: int = 64
    text_weight: float = 0.6
    tag_weight: float = 0.25
    # The Ressort as a rank, not a weight: every match of the article's own
    # Ressort before those of its neighbours, then the rest. A weight of
    # 0.15 (and 0.3) lost to TF-IDF kept within the Ressort on held-out news
    # (make evaluate-related); section_weight applies only without the tier.
    section_tier: bool = True
    section_weight: float = 0.0
    # Pseudo-relevance feedback (Rocchio): the signature is widened by the
    # centroid of its best `feedback_neighbours` matches, weighted so, and
    # the candidates are scored again against it; 0 switches it off. Chosen
    # by cross-validation on both halves of five corpora over no feedback
    # and ten matches at 0.5.
    feedback_neighbours: int = 3
    feedback_weight: float = 1.0
    # Below this cosine a candidate without a shared tag is none. At 0.04,
    # 31 of 200 newsgroups posts and 18 of 50 lee texts had fewer than five
    # matches in their Ressort, and the newest there filled the block where
    # a weak match of the Ressort would have been right more often (P@5
    # 0.841 → 0.879 at 0.02). Above 0: what shares nothing stays out.
    min_text_similarity: float = 0.02
    max_age_days: float = 730
    freshness_half_life_days: float = 60
    # Texts at least this similar tell the same thing twice (0.8 also cut
    # follow-ups that share a story's vocabulary).
    duplicate_similarity: float = 0.95
    # How much a pick loses per cosine to one already chosen. Off: chosen
    # by cross-validation on held-out news (make evaluate-related), where
    # 0.3 pushed out exactly the further reports on the same subject.
    diversity: float = 0.0
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


def term_frequencies(fields, language, weighted=True):
    """Counts of the stems of an article's text fields, weighted by field
    unless `weighted` is false."""
    words = analyzer(language)
    counts = Counter()
    for name, weight in FIELD_WEIGHTS:
        text = fields.get(name) or ""
        if name == "body":
            text = plain_text(text)
        for term in words.terms(text):
            counts[term] += weight if weighted else 1
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


def score(query, candidate, weights, config, text=None, expanded=None):
    """How well `candidate` suits a reader of `query`; None if not at all.

    With the Ressort tier, the whole part of the score is the tier (2 for the
    same Ressort, 1 for a neighbour, 0 else), the fraction the relevance.
    `expanded`: the query's signature widened by feedback (expand()); the
    thresholds keep to the article's own signature.
    """
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
    if expanded is not None:
        text = similarity(expanded, candidate.signature)
    affinity = section_affinity(query.section_path, candidate.section_path)
    relevance = config.text_weight * text + config.tag_weight * tags
    if not config.section_tier:
        relevance += config.section_weight * affinity
    freshness = 0.5 ** (gap / config.freshness_half_life_days)
    relevance *= 0.5 + 0.5 * freshness
    if config.section_tier:
        # Below 1 whatever the weights, so that it never crosses a tier.
        return 2 * affinity + min(relevance, 0.999)
    return relevance


def expand(query, neighbours, config):
    """The query's signature widened by the centroid of its best matches'
    (Rocchio's pseudo-relevance feedback), unit length; None if off.

    Reports on one subject share more vocabulary than any two of them do,
    so the centroid of the nearest finds the ones that share too little
    with the query alone.
    """
    neighbours = neighbours[: config.feedback_neighbours]
    if not neighbours or not config.feedback_weight:
        return None
    widened = Counter(query.signature)
    share = config.feedback_weight / len(neighbours)
    for document in neighbours:
        for term, weight in document.signature.items():
            widened[term] += share * weight
    norm = math.sqrt(sum(weight * weight for weight in widened.values())) or 1.0
    return {term: weight / norm for term, weight in widened.items()}


def tag_weights(tag_documents, documents):
    """Rare tags weigh more: an inverse document frequency per tag."""
    return {
        tag: math.log(1 + max(documents, count) / max(count, 1))
        for tag, count in tag_documents.items()
    }


def tie_order(item):
    value, document = item
    timestamp = document.published_at.timestamp() if document.published_at else 0
    return (-value, -timestamp, document.id)


def diversify(scored, config, limit):
    """Up to `limit` of the (score, document) pairs, best first.

    Greedy maximal marginal relevance: each pick loses in proportion to its
    similarity to what is already chosen, so that several tellings of one
    event are spread out, and near-duplicates of a chosen one are dropped.
    """
    pool = sorted(scored, key=tie_order)[: limit * 5]
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
