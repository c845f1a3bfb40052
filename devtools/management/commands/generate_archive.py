"""Fill an empty database with a large generated archive, for size benchmarks.

Articles, tags, authors and sections are written with bulk_create in
batches, without saving each article, so no renditions are made and no
signal fires. The stored recommendation lists are written directly: each
article gets the articles nearest in time that share its main tag, then
its section (computing them with `rebuild_related` takes far longer on a
large archive; run it afterwards for real rankings). The text is German-
looking nonsense from a small vocabulary of our own.
"""

import bisect
import itertools
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleStatus,
    Author,
    Section,
    Tag,
    TaggedArticle,
)
from articles.text import german_slugify
from recommendations.models import RecommendationSource, RelatedArticle

BATCH = 5000
RELATED_PER_ARTICLE = 6
YEARS = 6

TOP_SECTIONS = [
    "Politik",
    "Wirtschaft",
    "Kultur",
    "Sport",
    "Wissen",
    "Region",
    "Gesellschaft",
    "Digitales",
    "Reise",
    "Meinung",
]
SUBSECTIONS = ["Inland", "Ausland", "Hintergrund", "Berichte"]
FIRST_NAMES = [
    "Anna", "Jonas", "Lea", "Felix", "Mira", "Paul", "Greta", "Emil", "Ida",
    "Karl", "Lotte", "Henrik", "Frieda", "Moritz", "Clara", "Theo", "Jule",
    "Anton", "Nele", "Oskar",
]  # fmt: skip
LAST_NAMES = [
    "Brandt", "Vogel", "Hartmann", "Seidel", "Kramer", "Lindner", "Roth",
    "Pohl", "Engel", "Sommer", "Winter", "Fuchs", "Busch", "Haas", "Ernst",
]  # fmt: skip
TAG_HEADS = [
    "Hafen", "Stadt", "Wald", "Schul", "Bahn", "Energie", "Wasser", "Kultur",
    "Bau", "Land", "Kinder", "Sport", "Markt", "Klima", "Rad", "Brücken",
    "Theater", "Museums", "Garten", "Fluss", "Dorf", "Netz", "Miet", "Wahl",
    "Pflege", "Arbeits", "Wein", "Fisch", "Feuerwehr", "Kirchen", "Musik",
    "Film", "Buch", "Strom", "Wind", "Sonnen", "Insel", "Berg", "Straßen",
    "Jugend", "Senioren", "Handwerks", "Polizei", "Gesundheits", "Forschungs",
    "Verkehrs", "Haushalts", "Steuer", "Wohnungs", "Kunst",
]  # fmt: skip
TAG_TAILS = [
    "fest", "streit", "plan", "reform", "ausbau", "gipfel", "preis", "projekt",
    "verein", "bericht", "woche", "tag", "debatte", "politik", "förderung",
    "krise", "wende", "netz", "schutz", "konzept", "gesetz", "studie",
    "initiative", "bündnis", "wettbewerb", "saison", "messe", "verband",
    "programm", "umbau", "sanierung", "beirat", "forum", "rat", "zentrum",
    "kasse", "ordnung", "quote", "abgabe", "strategie",
]  # fmt: skip
NOUNS = [
    "Gemeinde", "Rathaus", "Ufer", "Versammlung", "Anwohner", "Verwaltung",
    "Bürgermeisterin", "Hafenbecken", "Kreistag", "Schule", "Werkstatt",
    "Bibliothek", "Brücke", "Sportplatz", "Marktplatz", "Kläranlage",
    "Stadtteil", "Genossenschaft", "Ausschuss", "Mannschaft", "Ausstellung",
    "Haltestelle", "Landesregierung", "Forscherin", "Vorstand", "Betrieb",
]  # fmt: skip
VERBS = [
    "beschließt", "prüft", "verschiebt", "eröffnet", "fordert", "plant",
    "erhält", "bestätigt", "kritisiert", "unterstützt", "verlängert",
    "zeigt", "erweitert", "stellt vor", "lehnt ab", "begrüßt",
]  # fmt: skip
ADJECTIVES = [
    "neue", "alte", "große", "kleine", "umstrittene", "lange", "geplante",
    "erste", "letzte", "gemeinsame", "späte", "knappe", "offene", "ruhige",
]  # fmt: skip
FILLERS = [
    "nach", "langer", "Debatte", "am", "Abend", "mit", "deutlicher", "Mehrheit",
    "für", "die", "kommenden", "Jahre", "und", "ohne", "weitere", "Kosten",
    "im", "Frühjahr", "wie", "erwartet", "laut", "Bericht", "der", "zuständigen",
    "Stelle", "bis", "zum", "Sommer", "trotz", "Einwänden", "aus", "dem",
    "Publikum", "vor", "allem", "wegen", "steigender", "Preise",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Erzeugt ein großes Archiv (Artikel, Schlagwörter, Autoren, Ressorts) "
        "in einer leeren Datenbank, für Messungen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--tags", type=int, default=2000)
        parser.add_argument("--authors", type=int, default=40)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, articles, tags, authors, seed, **options):
        if Article.objects.exists():
            raise CommandError(
                "Die Datenbank enthält schon Artikel; das Archiv braucht eine leere."
            )
        if articles < 1 or not 1 <= tags <= len(TAG_HEADS) * len(TAG_TAILS):
            raise CommandError(
                "Mindestens ein Artikel und 1 bis "
                f"{len(TAG_HEADS) * len(TAG_TAILS)} Schlagwörter."
            )
        self.random = random.Random(seed)
        self.now = timezone.now()
        started = time.monotonic()
        with transaction.atomic():
            sections = self.make_sections()
            tag_ids = self.make_tags(tags)
            author_ids = self.make_authors(authors)
            self.step("Ressorts, Schlagwörter, Autoren", started)
            rows = self.make_articles(articles, sections, tag_ids, author_ids)
            self.step(f"{articles} Artikel mit Schlagwörtern", started)
            self.make_related(rows)
            self.step("Empfehlungslisten", started)
        Article.objects.refresh_search_vectors()
        self.step("Suchindex", started)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.step("Fertig", started)

    def step(self, what, started):
        self.stdout.write(f"{what}: {time.monotonic() - started:.1f} s")

    def make_sections(self):
        sections = []
        for position, name in enumerate(TOP_SECTIONS):
            top = Section.objects.create(name=name, position=position)
            sections.append(top)
            for sub_position, sub_name in enumerate(SUBSECTIONS):
                sections.append(
                    Section.objects.create(
                        name=f"{name} {sub_name}",
                        slug=german_slugify(sub_name),
                        parent=top,
                        position=sub_position,
                    )
                )
        return sections

    def make_tags(self, count):
        names = [head + tail for head, tail in itertools.product(TAG_HEADS, TAG_TAILS)]
        self.random.shuffle(names)
        created = Tag.objects.bulk_create(
            Tag(name=name, slug=german_slugify(name)) for name in names[:count]
        )
        return [tag.pk for tag in created]

    def make_authors(self, count):
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        chosen = self.random.sample(names, min(count, len(names)))
        created = Author.objects.bulk_create(
            Author(name=name, slug=german_slugify(name)) for name in chosen
        )
        return [author.pk for author in created]

    def make_articles(self, count, sections, tag_ids, author_ids):
        """Write the articles in batches; return (pk, section, time, tags) rows."""
        rand = self.random
        # Popularity falls with rank as in real archives (Zipf): a few tags
        # and authors carry much of the archive, most tags are rare.
        tag_weights = list(
            itertools.accumulate(1 / rank for rank in range(1, 1 + len(tag_ids)))
        )
        author_weights = list(
            itertools.accumulate(
                1 / rank**0.8 for rank in range(1, 1 + len(author_ids))
            )
        )
        section_weights = list(
            itertools.accumulate(rand.uniform(0.3, 1.5) for _ in sections)
        )
        span = timedelta(days=365 * YEARS).total_seconds()
        rows = []
        for start in range(0, count, BATCH):
            batch, batch_tags, batch_authors = [], [], []
            for number in range(start, min(start + BATCH, count)):
                section = rand.choices(sections, cum_weights=section_weights)[0]
                status, published_at = self.status_and_time(span)
                headline = self.headline()
                batch.append(
                    Article(
                        kicker=rand.choice(NOUNS),
                        headline=headline,
                        slug=f"{german_slugify(headline)[:150]}-{number}",
                        lead=self.sentence(14) + " " + self.sentence(12),
                        body=self.body(),
                        section=section,
                        status=status,
                        published_at=published_at,
                    )
                )
                batch_tags.append(
                    list(
                        dict.fromkeys(
                            rand.choices(
                                tag_ids, cum_weights=tag_weights, k=rand.randint(2, 5)
                            )
                        )
                    )
                )
                batch_authors.append(
                    set(
                        rand.choices(
                            author_ids,
                            cum_weights=author_weights,
                            k=1 if rand.random() < 0.8 else 2,
                        )
                    )
                )
            Article.objects.bulk_create(batch)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object_id=article.pk, tag_id=tag_id)
                for article, chosen in zip(batch, batch_tags, strict=True)
                for tag_id in chosen
            )
            Article.authors.through.objects.bulk_create(
                Article.authors.through(article_id=article.pk, author_id=author_id)
                for article, chosen in zip(batch, batch_authors, strict=True)
                for author_id in chosen
            )
            rows += [
                (article.pk, article.section_id, article.published_at, chosen)
                for article, chosen in zip(batch, batch_tags, strict=True)
                if article.status == ArticleStatus.PUBLISHED
            ]
            self.stdout.write(f"  {min(start + BATCH, count)}/{count}")
        return rows

    def status_and_time(self, span):
        """Mostly published over the years, some drafts, a few scheduled."""
        roll = self.random.random()
        if roll < 0.03:
            return ArticleStatus.DRAFT, None
        if roll < 0.04:
            return ArticleStatus.PUBLISHED, self.now + timedelta(
                hours=self.random.uniform(1, 24 * 14)
            )
        if roll < 0.05:
            return ArticleStatus.WITHDRAWN, self.now - timedelta(
                seconds=self.random.uniform(0, span)
            )
        # More recent years carry more articles, as a growing site's do.
        age = span * (1 - self.random.random() ** 0.7)
        return ArticleStatus.PUBLISHED, self.now - timedelta(seconds=age)

    def headline(self):
        rand = self.random
        return (
            f"{rand.choice(NOUNS)} {rand.choice(VERBS)} "
            f"{rand.choice(ADJECTIVES)} {rand.choice(TAG_HEADS)}{rand.choice(TAG_TAILS)}"
        )

    def sentence(self, words):
        rand = self.random
        text = " ".join(
            [
                "Die",
                rand.choice(NOUNS),
                rand.choice(VERBS),
                "den",
                rand.choice(ADJECTIVES).rstrip("e") + "en",
                rand.choice(TAG_HEADS) + rand.choice(TAG_TAILS),
            ]
            + rand.choices(FILLERS, k=max(0, words - 6))
        )
        return text + "."

    def body(self):
        paragraphs = (
            " ".join(self.sentence(self.random.randint(8, 16)) for _ in range(4))
            for _ in range(self.random.randint(3, 6))
        )
        return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)

    def make_related(self, rows):
        """Store each list: nearest in time with the same main tag, then in the
        same section, then anywhere."""
        timelines = defaultdict(list)
        for pk, section_id, published_at, tag_ids in sorted(rows, key=lambda r: r[2]):
            for key in (("tag", tag_ids[0]), ("section", section_id), ("all", None)):
                timelines[key].append((published_at, pk))
        entries = []
        for pk, section_id, published_at, tag_ids in rows:
            targets = []
            for key in (("tag", tag_ids[0]), ("section", section_id), ("all", None)):
                nearby = self.nearest(
                    timelines[key], published_at, pk, RELATED_PER_ARTICLE
                )
                targets += [target for target in nearby if target not in targets]
            entries += [
                RelatedArticle(
                    article_id=pk,
                    target_id=target,
                    position=position,
                    source=RecommendationSource.RANKED,
                    score=round(1 - position / 10, 2),
                )
                for position, target in enumerate(targets[:RELATED_PER_ARTICLE])
            ]
            if len(entries) >= BATCH * 4:
                RelatedArticle.objects.bulk_create(entries)
                entries = []
        RelatedArticle.objects.bulk_create(entries)

    def nearest(self, timeline, published_at, pk, count):
        """The `count` articles of `timeline` closest in time, without `pk`."""
        middle = bisect.bisect_left(timeline, (published_at, pk))
        window = timeline[max(0, middle - count) : middle + count + 1]
        window.sort(key=lambda entry: abs((entry[0] - published_at).total_seconds()))
        return [target for _, target in window if target != pk][:count]
