"""Fill an empty site with the demo newsroom: sections, authors, articles,
and the publisher's pages (Impressum, Datenschutz, Kontakt).

Running it again changes nothing: existing sections, authors, articles and
pages (matched by their addresses) are left as they are.
"""

import json
import random
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Article, ArticleStatus, Author, Section, TopicBox
from articles.text import german_slugify
from pages.models import Page

CONTENT_FILE = Path(__file__).with_name("demo_content.json")
IMAGE_SIZE = (1600, 900)
SECTION_PALETTES = {
    "news": ((24, 46, 84), (208, 222, 240)),
    "sport": ((18, 92, 54), (214, 238, 200)),
    "kultur": ((104, 28, 72), (246, 214, 226)),
    "wissen": ((20, 86, 104), (250, 232, 190)),
}


class Command(BaseCommand):
    help = "Lädt die Demo-Inhalte (Ressorts, Autorinnen, Artikel mit Bildern)."

    def handle(self, *args, **options):
        content = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
        now = timezone.now()
        with transaction.atomic():
            sections = {}
            for position, entry in enumerate(content["sections"]):
                self._add_section(entry, None, position, sections)
            authors = {
                entry["name"]: Author.objects.get_or_create(
                    slug=german_slugify(entry["name"]),
                    defaults={"name": entry["name"], "bio": entry["bio"]},
                )[0]
                for entry in content["authors"]
            }
            articles, created = {}, 0
            for entry in content["articles"]:
                articles[entry["key"]], is_new = self._add_article(
                    entry, sections, authors, now
                )
                created += is_new
            for entry in content["articles"]:
                for box in entry.get("boxes", []):
                    TopicBox.objects.get_or_create(
                        article=articles[entry["key"]],
                        target=articles[box["target"]],
                        defaults={"after_paragraph": box["after_paragraph"]},
                    )
            for position, entry in enumerate(content["pages"]):
                Page.objects.get_or_create(
                    slug=entry["slug"],
                    defaults={
                        "title": entry["title"],
                        "body": entry["body"],
                        "position": position,
                    },
                )
        self.stdout.write(
            f"Demo-Inhalte: {len(sections)} Ressorts, {len(authors)} Autor/innen, "
            f"{len(articles)} Artikel ({created} neu angelegt), "
            f"{len(content['pages'])} Seiten."
        )

    def _add_section(self, entry, parent, position, sections):
        path = f"{parent.path}/{entry['slug']}" if parent else entry["slug"]
        section = Section.objects.filter(path=path).first()
        if section is None:
            section = Section.objects.create(
                name=entry["name"],
                slug=entry["slug"],
                parent=parent,
                position=position,
                description=entry.get("description", ""),
            )
        sections[path] = section
        for child_position, child in enumerate(entry.get("children", [])):
            self._add_section(child, section, child_position, sections)

    def _add_article(self, entry, sections, authors, now):
        section = sections[entry["section"]]
        slug = german_slugify(entry["headline"])
        article = Article.objects.filter(section=section, slug=slug).first()
        if article is not None:
            return article, False
        published_at = now - timedelta(hours=entry["published_hours_ago"])
        article = Article(
            section=section,
            slug=slug,
            kicker=entry["kicker"],
            headline=entry["headline"],
            lead=entry["lead"],
            body=entry["body"],
            image_alt=entry["image"]["alt"],
            image_caption=entry["image"]["caption"],
            image_credit=entry["image"]["credit"],
            status=ArticleStatus(entry["status"]),
            published_at=published_at if entry["status"] == "published" else None,
        )
        article.image = draw_lead_image(entry["key"], section, f"{slug[:80]}.jpg")
        article.save()
        article.authors.set(authors[name] for name in entry["authors"])
        article.tags.set(entry["tags"])
        updated_hours_ago = entry.get("updated_hours_ago")
        updated_at = (
            now - timedelta(hours=updated_hours_ago)
            if updated_hours_ago is not None
            else article.published_at or now
        )
        Article.objects.filter(pk=article.pk).update(updated_at=updated_at)
        return article, True


def draw_lead_image(seed, section, name):
    """An abstract picture in the section's colours, the same for each seed."""
    rng = random.Random(seed)
    dark, light = SECTION_PALETTES.get(
        section.path.split("/")[0], SECTION_PALETTES["news"]
    )
    width, height = IMAGE_SIZE
    image = Image.new("RGB", IMAGE_SIZE, dark)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(
                round(low + (high - low) * share * 0.6)
                for low, high in zip(dark, light, strict=True)
            ),
        )
    for _ in range(rng.randint(7, 12)):
        radius = rng.randint(60, 360)
        x, y = rng.randint(0, width), rng.randint(0, height)
        tint = tuple(min(255, c + rng.randint(-40, 40)) for c in light)
        shape = [(x - radius, y - radius), (x + radius, y + radius)]
        if rng.random() < 0.5:
            draw.ellipse(shape, outline=tint, width=rng.randint(4, 18))
        else:
            draw.rectangle(shape, outline=tint, width=rng.randint(4, 18))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=name)
