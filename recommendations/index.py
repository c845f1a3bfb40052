"""The ranking's index in the database: every article's stems and signature.

Holds every article marked published, scheduled ones included, so that they
are recommended by themselves once their time comes.
"""

from collections import Counter, defaultdict
from itertools import islice

from django.db import connection, transaction
from django.db.models import Avg, Count, F

from articles.models import Article, TaggedArticle

from .models import RelatedProfile, RelatedTerm, RelatedTermCount
from .ranking import (
    TEXT_FIELDS,
    CorpusStats,
    Document,
    ranking_config,
    signature,
    term_frequencies,
)

CHUNK = 500


def rebuild_index(config, languages=None, progress=None):
    """Throw the index away and build it from all articles marked published;
    returns their ids."""
    languages = languages or {}
    eligible = list(
        Article.objects.marked_published().order_by("pk").values_list("pk", flat=True)
    )
    with transaction.atomic():
        RelatedTerm.objects.all().delete()
        RelatedProfile.objects.all().delete()
        RelatedTermCount.objects.all().delete()
        counts = Counter()
        for number, chunk in enumerate(chunks(eligible), start=1):
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
        stats = corpus_stats()
        stats.term_documents = counts
        for number, chunk in enumerate(chunks(eligible), start=1):
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
    for chunk in chunks(ids):
        eligible |= set(
            Article.objects.filter(pk__in=chunk)
            .exclude(pk__in=removed)
            .marked_published()
            .values_list("pk", flat=True)
        )
    # First the document counts of every stem, then the signatures that
    # depend on them.
    for chunk in chunks(ids):
        _count_terms(chunk, eligible, {}, config)
    stats = corpus_stats()
    for chunk in chunks(ids):
        _store_signatures(chunk, eligible, {}, config, stats)


def chunks(items, size=CHUNK):
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
            for chunk in chunks(terms):
                RelatedTermCount.objects.filter(term__in=chunk).update(
                    documents=F("documents") + change
                )


def corpus_stats(terms=()):
    totals = RelatedProfile.objects.aggregate(
        documents=Count("pk"), average_length=Avg("length")
    )
    term_documents = {}
    for chunk in chunks(sorted(set(terms))):
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
            corpus_stats(vocabulary).term_documents,
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
    for chunk in chunks(ids):
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
