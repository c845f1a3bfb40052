"""A running Liveticker for the demo: key events, a pinned entry, an edit.

Running it again changes nothing: the ticker's article is matched by its
address.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleStatus, Author, Section
from articles.text import german_slugify
from live.models import Entry, Ticker

SECTION = "news/politik"
HEADLINE = "Hochwasser in Auenbrück: Die Lage im Liveticker"
# (minutes ago, text, pinned, key event, written by)
ENTRIES = [
    (
        230,
        "<p>Guten Morgen aus der Redaktion. Die Aue ist über Nacht um mehr als "
        "einen Meter gestiegen; wir berichten ab jetzt laufend.</p>",
        False,
        False,
        "redakteurin",
    ),
    (
        200,
        "<p>Die Stadt hat den <strong>Katastrophenfall</strong> ausgerufen. "
        "Schulen und Kitas in der Unterstadt bleiben heute geschlossen.</p>",
        False,
        True,
        "cvd",
    ),
    (
        170,
        "<p>Freiwillige füllen am Bauhof Sandsäcke. Die Feuerwehr bittet, "
        "Schaufeln mitzubringen und die Zufahrt am Mühlenweg freizuhalten.</p>",
        False,
        False,
        "redakteurin",
    ),
    (
        140,
        "<p>Bürgertelefon der Stadt für Fragen zu Evakuierung und Notunterkünften: "
        "<strong>0800 123 45 67</strong> (kostenlos, rund um die Uhr).</p>",
        True,
        False,
        "cvd",
    ),
    (
        110,
        "<p>Die Brücke an der Auenstraße ist gesperrt. Die Straßenbahnlinie 2 "
        "endet bis auf Weiteres am Marktplatz.</p>",
        False,
        True,
        "redakteurin",
    ),
    (
        80,
        "<p>In der Turnhalle am Lindenplatz sind inzwischen 140 Menschen "
        "untergekommen. Das Rote Kreuz sucht Decken und Feldbetten.</p>",
        False,
        False,
        "redakteurin",
    ),
    (
        45,
        "<blockquote><p>Der Deich an der Unterstadt hält, aber wir beobachten "
        "ihn stündlich.</p></blockquote><p>Das sagte der Leiter der Feuerwehr "
        "eben auf der Pressekonferenz im Rathaus.</p>",
        False,
        True,
        "cvd",
    ),
    (
        15,
        "<p>Der Pegel steigt nur noch langsam: 6,12 Meter um 11 Uhr, zwei "
        "Zentimeter mehr als vor einer Stunde.</p>",
        False,
        False,
        "redakteurin",
    ),
]


class Command(BaseCommand):
    help = (
        "Legt einen laufenden Liveticker mit wichtigen und angehefteten Einträgen an."
    )

    def handle(self, *args, **options):
        section = Section.objects.filter(path=SECTION).first()
        if section is None:
            self.stderr.write("Erst die Demo-Inhalte laden (load_demo_content).")
            return
        slug = german_slugify(HEADLINE)
        if Article.objects.filter(section=section, slug=slug).exists():
            self.stdout.write("Demo-Liveticker: besteht schon.")
            return
        now = timezone.now()
        people = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in={entry[4] for entry in ENTRIES}
            )
        }
        with transaction.atomic():
            article = Article.objects.create(
                section=section,
                slug=slug,
                kicker="Liveticker",
                headline=HEADLINE,
                lead="Die Aue steigt, die Stadt hat den Katastrophenfall ausgerufen. "
                "Alle Entwicklungen, Sperrungen und Hilfsangebote.",
                body="<p>Was bisher geschah: Nach zwei Tagen Dauerregen ist die Aue "
                "in Auenbrück über die Ufer getreten. Hier berichten wir, solange "
                "die Lage angespannt ist.</p>",
                status=ArticleStatus.PUBLISHED,
                published_at=now - timedelta(hours=4),
            )
            article.authors.set(Author.objects.order_by("pk")[:1])
            article.tags.set(["Auenbrück", "Hochwasser"])
            ticker = Ticker.objects.create(
                article=article, started_at=now - timedelta(hours=4)
            )
            for minutes, text, pinned, key_event, username in ENTRIES:
                Entry(
                    ticker=ticker,
                    created_at=now - timedelta(minutes=minutes),
                    text=text,
                    is_pinned=pinned,
                    is_key_event=key_event,
                    author=people.get(username),
                ).save()
            # A correction readers can see: "bearbeitet um …".
            corrected = ticker.entries.get(created_at=now - timedelta(minutes=80))
            corrected.text = corrected.text.replace("140 Menschen", "160 Menschen")
            corrected.save()
        self.stdout.write(
            f"Demo-Liveticker: {article.get_absolute_url()} ({len(ENTRIES)} Einträge)."
        )
