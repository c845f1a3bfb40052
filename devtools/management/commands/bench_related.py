"""Time „Das könnte Sie auch interessieren“ on a large synthetic newsroom.

Builds a temporary database with --articles articles (default 50,000) of
generated German-like text, sections, tags and stories, indexes them, and
prints how long it takes to compute one article's list (the work done when
an article is saved), to read a list for a page, to render a whole article
page and to count a view (median and p95).
"""

import random
import statistics
import time
from datetime import timedelta
from itertools import accumulate

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from articles.models import (
    Article,
    ArticleStatus,
    Section,
    Tag,
    TaggedArticle,
)
from readership import services
from readership.models import DailyArticleViews, HourlyArticleViews
from recommendations import index, lists
from recommendations.management.commands.evaluate_related import temporary_database
from recommendations.ranking import ranking_config

SYLLABLES = (
    "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki "
    "ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro "
    "ru sa se si so su ta te ti to tu wa we wi wo za ze zi zo ber ster lin burg "
    "dorf feld hau mann schaft ung keit heit lich isch ner ter"
).split()
ENDINGS = ["", "en", "er", "ung", "ungen", "es", "e", "s"]
TOP_SECTIONS = ["news", "sport", "kultur", "wissen"]
SUBSECTIONS = ["eins", "zwei", "drei"]


class Command(BaseCommand):
    help = "Misst Berechnung und Abruf der Empfehlungslisten bei vielen Artikeln."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=50_000)
        parser.add_argument("--samples", type=int, default=30)
        parser.add_argument("--reads", type=int, default=500)
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, articles, samples, reads, seed, **options):
        rng = random.Random(seed)
        with temporary_database():
            started = time.perf_counter()
            ids = self.generate(rng, articles)
            self.say(f"{articles} Artikel erzeugt", started)
            started = time.perf_counter()
            index.rebuild_index(ranking_config())
            self.say("Index aufgebaut", started)
            self.count_views(rng, ids)
            # A live database keeps statistics for its query planner
            # (PostgreSQL's autovacuum); a freshly filled one has none yet.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.measure(rng, ids, samples, reads)

    def say(self, what, started):
        self.stdout.write(f"{what} ({time.perf_counter() - started:.1f} s)")

    def generate(self, rng, count):
        vocabulary = [self.word(rng) for _ in range(30_000)]
        weights = list(accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
        sections = []
        for position, name in enumerate(TOP_SECTIONS):
            top = Section.objects.create(
                name=name.capitalize(), slug=name, position=position
            )
            sections.append(top)
            sections += [
                Section.objects.create(name=f"{name} {sub}", slug=sub, parent=top)
                for sub in SUBSECTIONS
            ]
        tags = Tag.objects.bulk_create(
            Tag(name=f"Thema {n}", slug=f"thema-{n}") for n in range(3000)
        )
        tag_weights = list(
            accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(tags)))
        )
        # Stories of about ten articles share a few names and a section.
        stories = [
            (
                [self.word(rng).capitalize() for _ in range(4)],
                rng.choice(sections),
                rng.choices(tags, cum_weights=tag_weights, k=2),
            )
            for _ in range(count // 10 + 1)
        ]
        now = timezone.now()
        batch = []
        story_of = []
        for number in range(count):
            names, section, story_tags = stories[rng.randrange(len(stories))]

            def text(words, names=names):
                chosen = rng.choices(vocabulary, cum_weights=weights, k=words)
                for _ in range(max(1, words // 25)):
                    chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(names))
                return " ".join(chosen)

            batch.append(
                Article(
                    section=section if rng.random() < 0.8 else rng.choice(sections),
                    kicker=text(3).capitalize(),
                    headline=text(8).capitalize(),
                    slug=f"artikel-{number}",
                    lead=text(25).capitalize() + ".",
                    body="".join(f"<p>{text(50).capitalize()}.</p>" for _ in range(3)),
                    status=ArticleStatus.PUBLISHED,
                    published_at=now
                    - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
                )
            )
            story_of.append(story_tags)
        created = Article.objects.bulk_create(batch, batch_size=2000)
        links = []
        for article, story_tags in zip(created, story_of, strict=True):
            chosen = set(rng.sample(story_tags, rng.randint(0, 2)))
            chosen |= set(
                rng.choices(tags, cum_weights=tag_weights, k=rng.randint(0, 3))
            )
            links += [TaggedArticle(content_object=article, tag=tag) for tag in chosen]
        TaggedArticle.objects.bulk_create(links, batch_size=5000)
        return [article.pk for article in created]

    def count_views(self, rng, ids):
        """A week of views on 3,000 articles, as the counters would hold them."""
        now = timezone.now()
        today = timezone.localdate()
        hour = now.replace(minute=0, second=0, microsecond=0)
        read = rng.sample(ids, 3000)
        DailyArticleViews.objects.bulk_create(
            DailyArticleViews(
                article_id=pk,
                day=today - timedelta(days=day),
                views=rng.randint(1, 500),
            )
            for pk in read
            for day in range(7)
        )
        HourlyArticleViews.objects.bulk_create(
            HourlyArticleViews(
                article_id=pk, hour=hour - timedelta(hours=h), views=rng.randint(1, 40)
            )
            for pk in read[:1500]
            for h in range(0, 48, 3)
        )
        services.refresh_most_read(force=True)

    def word(self, rng):
        return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) + rng.choice(
            ENDINGS
        )

    def measure(self, rng, ids, samples, reads):
        config = ranking_config()
        chosen = rng.sample(ids, samples)
        compute = []
        for pk in chosen:
            started = time.perf_counter()
            lists.compute_lists([pk], config)
            compute.append((time.perf_counter() - started) * 1000)
        refresh = []
        for pk in chosen[:10]:
            started = time.perf_counter()
            lists.refresh([pk], config)
            refresh.append((time.perf_counter() - started) * 1000)
        articles = list(Article.objects.filter(pk__in=chosen).select_related("section"))
        read = []
        with CaptureQueriesContext(connection) as queries:
            lists.recommendations_for(articles[0], 4)
        read_queries = len(queries)
        for number in range(reads):
            article = articles[number % len(articles)]
            started = time.perf_counter()
            shown = lists.recommendations_for(article, 4)
            read.append((time.perf_counter() - started) * 1000)
            assert len(shown) == 4
        beacon = []
        for number in range(min(reads, 200)):
            started = time.perf_counter()
            services.count_view(articles[number % len(articles)])
            beacon.append((time.perf_counter() - started) * 1000)
        most_read = []
        for _ in range(10):
            started = time.perf_counter()
            services.refresh_most_read(force=True)
            most_read.append((time.perf_counter() - started) * 1000)
        setup_test_environment()
        client = Client()
        page = []
        for number in range(min(reads, 200)):
            url = articles[number % len(articles)].get_absolute_url()
            started = time.perf_counter()
            response = client.get(url)
            page.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            reset_queries()
        total = Article.objects.count()
        self.stdout.write(
            f"\n{total} Artikel, {connection.vendor}; Zeiten in ms\n"
            f"{'Messung':<52}{'Median':>9}{'p95':>9}{'Max':>9}"
        )
        for name, timings in [
            (f"Liste eines Artikels berechnen ({samples}x)", compute),
            (f"Speichern: Index, Liste, betroffene ({len(refresh)}x)", refresh),
            (f"Liste für die Seite lesen, {read_queries} Abfrage ({reads}x)", read),
            (f"ganze Artikelseite ({len(page)}x)", page),
            (f"Aufruf zählen ({len(beacon)}x)", beacon),
            ("„Meistgelesen“ neu berechnen (10x)", most_read),
        ]:
            self.stdout.write(
                f"{name:<52}{statistics.median(timings):>9.1f}"
                f"{percentile(timings, 95):>9.1f}{max(timings):>9.1f}"
            )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]
