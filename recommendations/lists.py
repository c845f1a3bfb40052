"""The stored lists of "Das könnte Sie auch interessieren".

Each article's ranked list is computed ahead of time, when articles change,
so that a page only reads it (recommendations_for).
"""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count

from articles.models import Article, TaggedArticle

from .index import CHUNK, chunks, corpus_stats, documents, index, rebuild_index
from .models import RecommendationSource, RelatedArticle, RelatedPin, RelatedTerm
from .ranking import (
    diversify,
    expand,
    ranking_config,
    score,
    tag_weights,
    tie_order,
)

# Places in the block on the article page.
SHOWN = 4


def recommendations_for(article, count=SHOWN):
    """Up to `count` articles for "Das könnte Sie auch interessieren".

    The stored list decides the order; what a reader may see is decided
    now, and if too little of the list is visible, the newest articles
    near this one fill the block.
    """
    shown = list(
        Article.objects.published()
        .filter(recommended_in__article=article)
        .order_by("recommended_in__position")
        .for_cards()[:count]
    )
    if len(shown) < count:
        shown += (
            Article.objects.published()
            .exclude(pk__in=[other.pk for other in shown])
            .newest_near(article)
            .for_cards()[: count - len(shown)]
        )
    return shown


def refresh(article_ids, config=None):
    """Bring the index and lists of these articles up to date, and the lists
    of the articles they enter or leave."""
    config = config or ranking_config()
    ids = set(Article.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    if not ids:
        return
    index(ids, config)
    eligible_count = Article.objects.marked_published().count()
    if eligible_count <= config.stored + 1:
        # A small site: every list is short, and anything new belongs in it.
        ids |= set(Article.objects.marked_published().values_list("pk", flat=True))
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
    document) pairs, best first.

    Two steps: the query's strongest terms find the candidates through the
    index (reading the long tail of every term would read most of the
    archive), then the whole signatures decide their similarity.
    """
    strongest = sorted(query.signature, key=lambda term: -query.signature[term])
    text = defaultdict(float)
    for chunk in chunks(sorted(strongest[: config.query_terms])):
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

    candidates = set(shared) | set(text)
    best = sorted(candidates, key=lambda pk: (-promise(pk), pk))[: config.candidates]
    found = documents(best)
    eligible = [
        found[pk]
        for chunk in chunks(best)
        for pk in Article.objects.marked_published()
        .filter(pk__in=chunk)
        .values_list("pk", flat=True)
    ]
    scored = _scored(query, eligible, weights, config)
    # Feedback: the best matches widen the query, and the same candidates
    # are scored again against it.
    expanded = expand(query, [document for _, document in scored], config)
    if expanded is not None:
        scored = _scored(query, eligible, weights, config, expanded)
    return scored


def _scored(query, candidates, weights, config, expanded=None):
    scored = []
    for candidate in candidates:
        value = score(query, candidate, weights, config, expanded=expanded)
        if value is not None:
            scored.append((value, candidate))
    scored.sort(key=tie_order)
    return scored


def compute_lists(article_ids, config):
    """Rank and store the lists of these articles; returns the ids of the
    articles that rank best for them (whose lists they may now belong in)."""
    stats = corpus_stats()
    eligible = list(
        Article.objects.marked_published()
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
                Article.objects.marked_published()
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
        Article.objects.marked_published()
        .filter(pk__in=changed_ids)
        .values_list("pk", flat=True)
    )
    involved = set(article_ids) | eligible_changed
    for entries in stored.values():
        involved.update(entry.target_id for entry in entries)
    docs = documents(sorted(involved))
    stats = corpus_stats()
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
        # The stored best matches stand for the feedback of a full ranking.
        expanded = expand(
            query, [document for _, document in sorted(scored, key=tie_order)], config
        )
        for changed in sorted(eligible_changed - {pk} - set(pinned)):
            value = score(query, docs[changed], weights, config, expanded=expanded)
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
