"""Place the demo articles: a curated Startseite with a version planned for
the next hour, and a curated Sport front. The Startseite's Liveticker block
shows the newest running ticker, whenever load_demo_ticker starts it.

Run after load_demo_content and load_demo_ads (the fronts place their
articles and show an ad slot). Running it again changes nothing, except
that a new evening version is planned once the last one has gone live.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ads.models import AdSlot
from articles.models import Article, Section, Tag
from fronts.models import BlockKind, Front, TeaserLabel, TeaserLayout

PLANNED_IN = timedelta(minutes=45)

# (kind, layout, count, heading, section path or tag name, placed headlines)
MORNING = [
    (BlockKind.LEAD, TeaserLayout.LARGE, 1, "", None, ["Schwere Gewitter"]),
    (BlockKind.TOP, TeaserLayout.MEDIUM, 4, "Top-Themen", None, ["Durchbruch in Oslo"]),
    # The newest running ticker: the flood in Auenbrück (load_demo_ticker).
    (BlockKind.TICKER, "", 1, "", None, []),
    (BlockKind.SECTION, TeaserLayout.MEDIUM, 4, "", "news", []),
    (BlockKind.AD, "", 1, "", "sidebar", []),
    (BlockKind.TOPIC, TeaserLayout.COMPACT, 6, "Die Hitzewelle", "Hitzewelle", []),
    (BlockKind.SECTION, TeaserLayout.COMPACT, 4, "", "sport", []),
    (BlockKind.SECTION, TeaserLayout.MEDIUM, 4, "", "kultur", []),
    (BlockKind.MOST_READ, "", 1, "", None, []),
    (BlockKind.SECTION, TeaserLayout.COMPACT, 4, "", "wissen", []),
]
EVENING = [
    (BlockKind.LEAD, TeaserLayout.LARGE, 1, "", None, ["Debütant Konstantin Feyh"]),
    (BlockKind.TOP, TeaserLayout.MEDIUM, 4, "Am Abend", None, ["Schwere Gewitter"]),
    (BlockKind.TICKER, "", 1, "", None, []),
    (
        BlockKind.TOPIC,
        TeaserLayout.COMPACT,
        4,
        "Streit um die Linie 4",
        "Auenbrück",
        [],
    ),
    (BlockKind.SECTION, TeaserLayout.MEDIUM, 4, "", "news", []),
    (BlockKind.MOST_READ, "", 1, "", None, []),
    (BlockKind.SECTION, TeaserLayout.COMPACT, 4, "", "kultur", []),
]
SPORT = [
    (BlockKind.LEAD, TeaserLayout.LARGE, 1, "", None, ["Trinkpausen bei 34 Grad"]),
    (BlockKind.SECTION, TeaserLayout.COMPACT, 4, "", "sport/fussball", []),
    (BlockKind.SECTION, TeaserLayout.MEDIUM, 4, "", "sport/wintersport", []),
    (BlockKind.TOPIC, TeaserLayout.COMPACT, 4, "Sport bei Hitze", "Hitzewelle", []),
]
# The storm story is still developing: the desk marks it.
LABELS = {"Schwere Gewitter": TeaserLabel.UPDATE}


class Command(BaseCommand):
    help = "Lädt die Demo-Seiten (geplante Startseite, Ressortseite Sport)."

    def handle(self, *args, **options):
        now = timezone.now()
        with transaction.atomic():
            start, made = Front.objects.get_or_create(section=None)
            if made:
                self._add_version(
                    start, "Tagesausgabe", now - timedelta(hours=6), MORNING
                )
            if not start.versions.planned(now).exists():
                self._add_version(start, "Abendausgabe", now + PLANNED_IN, EVENING)
            sport, made = Front.objects.get_or_create(
                section=Section.objects.get(path="sport")
            )
            if made:
                self._add_version(
                    sport, "Sport am Tag", now - timedelta(hours=6), SPORT
                )
        self.stdout.write(
            f"Demo-Seiten: Startseite (Abendausgabe geplant ab "
            f"{timezone.localtime(now + PLANNED_IN):%H:%M} Uhr), Ressortseite Sport."
        )

    def _add_version(self, front, name, starts_at, blocks):
        version = front.versions.create(name=name, starts_at=starts_at)
        for position, (kind, layout, count, title, about, placed) in enumerate(
            blocks, start=1
        ):
            block = version.blocks.create(
                position=position,
                kind=kind,
                layout=layout or TeaserLayout.MEDIUM,
                count=count,
                title=title,
                section=Section.objects.get(path=about)
                if kind == BlockKind.SECTION
                else None,
                tag=Tag.objects.get(name=about) if kind == BlockKind.TOPIC else None,
                ad_slot=AdSlot.objects.get(key=about) if kind == BlockKind.AD else None,
            )
            for order, start_of_headline in enumerate(placed, start=1):
                version.placements.create(
                    block=block,
                    article=Article.objects.get(headline__startswith=start_of_headline),
                    position=order,
                    label=LABELS.get(start_of_headline, ""),
                )
