"""Curated fronts: the Startseite and the Ressort pages as the desk places them.

A front has versions; the version shown is the one whose start time is the
latest that has come, decided when the page is read, so a planned version
goes live at its time without any job running. A version is an ordered
list of blocks; a block shows the articles placed in it by hand and fills
the rest from its source (see fronts.filling).
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from ads.models import AdSlot
from articles.models import Article, Section, SharedPreview, Tag
from articles.models.fields import created_by_field


class FrontQuerySet(models.QuerySet):
    def for_section(self, section):
        """The front of `section`, or the Startseite for None."""
        return self.filter(section=section) if section else self.filter(section=None)


class Front(models.Model):
    section = models.OneToOneField(
        Section,
        verbose_name="Ressort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="front",
        help_text="Leer lassen für die Startseite.",
    )

    objects = FrontQuerySet.as_manager()

    class Meta:
        verbose_name = "Seite"
        verbose_name_plural = "Seiten (Startseite und Ressorts)"
        ordering = [Coalesce("section__path", Value(""))]
        constraints = [
            # Nulls are distinct in a plain unique index: one Startseite.
            models.UniqueConstraint(
                Coalesce("section", Value(0)),
                name="fronts_front_one_per_page",
                violation_error_message=(
                    "Für diese Seite gibt es schon eine geplante Seite."
                ),
            ),
        ]

    def __str__(self):
        return f"Ressort {self.section.name}" if self.section_id else "Startseite"

    def get_absolute_url(self):
        if self.section_id:
            return self.section.get_absolute_url()
        return reverse("articles:front_page")

    def current_version(self, now=None):
        """The version readers see now, or None before the first one starts."""
        return self.versions.live(now).first()


class FrontVersionQuerySet(models.QuerySet):
    def live(self, now=None):
        """Versions whose time has come, the one shown first."""
        return self.filter(starts_at__lte=now or timezone.now()).order_by(
            "-starts_at", "-pk"
        )

    def planned(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now())


class FrontVersion(models.Model):
    front = models.ForeignKey(
        Front, verbose_name="Seite", on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField(
        "Bezeichnung", max_length=100, help_text="Zum Beispiel „Morgenausgabe“."
    )
    starts_at = models.DateTimeField(
        "Gilt ab",
        default=timezone.now,
        help_text=(
            "Ab diesem Zeitpunkt sehen Leserinnen und Leser diese Fassung, bis "
            "eine spätere Fassung beginnt. Eine Zeit in der Zukunft plant sie."
        ),
    )
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    created_by = created_by_field()

    objects = FrontVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "Fassung"
        verbose_name_plural = "Fassungen"
        ordering = ["front", "-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["front", "starts_at"],
                name="fronts_version_one_per_start",
                violation_error_message=(
                    "Zu diesem Zeitpunkt beginnt schon eine andere Fassung dieser "
                    "Seite."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.front}: {self.name} (ab {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("fronts:preview", args=[self.pk])

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()


class BlockKind(models.TextChoices):
    LEAD = "lead", "Aufmacher"
    TOP = "top", "Top-Themen"
    SECTION = "section", "Ressort"
    TOPIC = "topic", "Thema (Schlagwort)"
    MOST_READ = "most_read", "Meistgelesen"
    AD = "ad", "Werbeplatz"
    TICKER = "ticker", "Liveticker"


# What each kind needs from the editor, and whether it shows articles of
# its own (placed and filled). A new kind is a row here, a template in
# templates/fronts/blocks/ and, if it fills, a source in fronts.filling.
KIND_NEEDS = {
    BlockKind.LEAD: (),
    BlockKind.TOP: (),
    BlockKind.SECTION: ("section",),
    BlockKind.TOPIC: ("tag",),
    BlockKind.MOST_READ: (),
    BlockKind.AD: ("ad_slot",),
    # The article placed by hand, if its ticker runs; else the newest running.
    BlockKind.TICKER: (),
}
SHOWS_ARTICLES = {BlockKind.LEAD, BlockKind.TOP, BlockKind.SECTION, BlockKind.TOPIC}


class TeaserLayout(models.TextChoices):
    LARGE = "large", "Groß (Bild, Dachzeile, Überschrift, Vorspann)"
    MEDIUM = "medium", "Mittel (Bild, Dachzeile, Überschrift)"
    COMPACT = "compact", "Kompakt (kleines Bild oder keins)"


class Block(models.Model):
    version = models.ForeignKey(
        FrontVersion,
        verbose_name="Fassung",
        on_delete=models.CASCADE,
        related_name="blocks",
    )
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    kind = models.CharField("Art", max_length=20, choices=BlockKind)
    title = models.CharField(
        "Überschrift",
        max_length=100,
        blank=True,
        help_text="Leer: der Name des Ressorts oder Schlagworts.",
    )
    layout = models.CharField(
        "Darstellung",
        max_length=10,
        choices=TeaserLayout,
        default=TeaserLayout.MEDIUM,
    )
    count = models.PositiveSmallIntegerField(
        "Anzahl Artikel",
        default=4,
        help_text="Von Hand gesetzte Artikel zuerst, der Rest die neuesten.",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="Ressort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Für Ressort-Blöcke; beim Werbeplatz die Ausrichtung.",
    )
    tag = models.ForeignKey(
        Tag,
        verbose_name="Schlagwort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Für Themen-Blöcke; beim Werbeplatz die Ausrichtung.",
    )
    ad_slot = models.ForeignKey(
        AdSlot,
        verbose_name="Werbeplatz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    allows_repeats = models.BooleanField(
        "Doppelte erlaubt",
        default=False,
        help_text=(
            "Artikel dieses Blocks dürfen auch in anderen Blöcken der Seite "
            "stehen. Sonst erscheint jeder Artikel nur einmal."
        ),
    )

    class Meta:
        verbose_name = "Block"
        verbose_name_plural = "Blöcke"
        ordering = ["version", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=24),
                name="fronts_block_count_range",
                violation_error_message="Ein Block zeigt 1 bis 24 Artikel.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.heading}"

    def clean(self):
        missing = {
            name: "Für diese Art von Block bitte auswählen."
            for name in KIND_NEEDS.get(self.kind, ())
            if getattr(self, f"{name}_id") is None
        }
        if missing:
            raise ValidationError(missing)

    @property
    def heading(self):
        if self.title:
            return self.title
        if self.kind == BlockKind.SECTION and self.section_id:
            return self.section.name
        if self.kind == BlockKind.TOPIC and self.tag_id:
            return self.tag.name
        return self.get_kind_display()

    @property
    def shows_articles(self):
        return self.kind in SHOWS_ARTICLES


class TeaserLabel(models.TextChoices):
    LIVE = "live", "Live"
    BREAKING = "breaking", "Eilmeldung"
    UPDATE = "update", "Aktualisiert"

    @property
    def reader_text(self):
        """What readers see on the teaser; the newsroom's word for an
        update is German, the readers' is the one the trade uses."""
        return "Update" if self is TeaserLabel.UPDATE else self.label


class Placement(models.Model):
    """An article the desk put in a block by hand."""

    # The version as well as the block: the desk places articles on the
    # version's page, and its history keeps them with the blocks.
    version = models.ForeignKey(
        FrontVersion,
        verbose_name="Fassung",
        on_delete=models.CASCADE,
        related_name="placements",
    )
    block = models.ForeignKey(
        Block, verbose_name="Block", on_delete=models.CASCADE, related_name="placements"
    )
    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="front_placements",
    )
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    label = models.CharField(
        "Kennzeichnung",
        max_length=10,
        choices=TeaserLabel,
        blank=True,
        help_text=(
            "Ein Artikel mit einer Aktualisierung im Text wird ohnehin so "
            "gekennzeichnet."
        ),
    )

    class Meta:
        verbose_name = "Gesetzter Artikel"
        verbose_name_plural = "Gesetzte Artikel"
        ordering = ["block__position", "position", "pk"]

    def __str__(self):
        return f"{self.article} in {self.block}"

    def clean(self):
        if (
            self.block_id
            and self.version_id
            and self.block.version_id != self.version_id
        ):
            raise ValidationError(
                {"block": "Dieser Block gehört zu einer anderen Fassung."}
            )


class FrontPreviewLink(SharedPreview):
    """A signed link that shows a version (planned or not) to anyone."""

    SIGNING_SALT = "fronts.preview-link"
    URL_NAME = "fronts:shared_preview"

    version = models.ForeignKey(
        FrontVersion,
        verbose_name="Fassung",
        on_delete=models.CASCADE,
        related_name="preview_links",
    )

    class Meta(SharedPreview.Meta):
        pass


# Registered as the models load, before the admin's version support would
# register them following its inlines. A version keeps its blocks and
# placed articles: restoring one brings back the whole page as it was.
reversion.register(Front)
reversion.register(Block)
reversion.register(Placement)
reversion.register(FrontVersion, follow=["blocks", "placements"])
