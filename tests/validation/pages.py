"""A small site with every kind of reader page, for the validators.

Each page shows what it can show: pictures, a breadcrumb, a correction, a
"Mehr zum Thema" box, recommendations and the demo's ads in every slot.
"""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from articles.models import Correction, CorrectionKind, Tag
from tests.factories import (
    image_file,
    make_article,
    make_author,
    make_embed,
    make_section,
    make_topic_box,
)

EMBED = "https://vimeo.com/76979871"
BODY = "".join(
    f"<p>Absatz {number}: Der Gemeinderat hat lange beraten, bevor er über den "
    "Neubau der Brücke abgestimmt hat.</p>"
    + ("<h2>Wie es weitergeht</h2>" if number == 3 else "")
    # An embed's placeholder, which the checkers read like the rest.
    + (f'<p><a href="{EMBED}">{EMBED}</a></p>' if number == 5 else "")
    for number in range(1, 8)
)


def reader_pages():
    """Make the site; (name, address) of each kind of page, in a fixed order."""
    news = make_section(name="News", slug="news", description="Das Neueste.")
    politik = make_section(
        name="Politik", slug="politik", parent=news, description="Aus den Parlamenten."
    )
    author = make_author(name="Lea Brandt", bio="Berichtet aus dem Landtag.")
    make_embed(EMBED, title="Die Brücke im Zeitraffer", author_name="Stadtarchiv")
    articles = [
        make_article(
            section=politik,
            kicker="Landtag",
            headline=f"Gemeinderat stimmt über die Brücke ab, Teil {number}",
            lead="Nach langer Debatte fällt die Entscheidung über den Neubau.",
            body=BODY,
            image=image_file(f"bruecke-{number}.jpg", color=(40, 80 + number, 120)),
            image_alt="Die alte Brücke über den Fluss",
            image_caption="Die Brücke ist seit 1962 in Betrieb.",
            image_credit="Newsroom/Lea Brandt",
            tags=["Brücke", "Gemeinderat"],
            authors=[author],
        )
        for number in range(1, 7)
    ]
    article = articles[-1]
    make_topic_box(article, articles[0], after_paragraph=2)
    Correction.objects.create(
        article=article, kind=CorrectionKind.UPDATE, text="Abstimmung ergänzt."
    )
    call_command("load_demo_ads", stdout=StringIO())
    return [
        ("Startseite", reverse("articles:front_page")),
        ("Ressort", politik.get_absolute_url()),
        ("Artikel mit Anzeigen", article.get_absolute_url()),
        ("Thema", Tag.objects.get(name="Brücke").get_absolute_url()),
        ("Autor/in", author.get_absolute_url()),
        ("Suche", f"{reverse('articles:search')}?q=Br%C3%BCcke"),
        ("Seite nicht gefunden", "/gibt-es-nicht/"),
    ]
