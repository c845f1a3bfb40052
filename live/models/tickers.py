"""Liveticker: an article that grows by entries while an event runs.

Entries are rows of their own, so several journalists post at once without
touching each other's work. Each change to an entry (new, edited, deleted,
pinned) takes the ticker's next revision number: readers' pages ask for
"what changed after revision N", and every reader who is up to date asks
the same question, which the caches answer once for all of them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article
from articles.text import sanitize_body
from images.models import PictureWithRenditions
from images.uploads import validate_image

# Entries on the article page and on each older page; the rest is paged.
ENTRIES_PER_PAGE = 20
# At most this many changes in one poll answer; a reader further behind
# reloads the page.
CHANGES_PER_ANSWER = 50


class TickerQuerySet(models.QuerySet):
    def running(self):
        """Tickers readers may follow now: started, not ended, on a
        published article (e.g. for a front's Liveticker block)."""
        return self.filter(
            started_at__lte=timezone.now(),
            ended_at__isnull=True,
            article__in=Article.objects.published(),
        ).select_related("article", "article__section")


class Ticker(models.Model):
    article = models.OneToOneField(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="ticker",
    )
    started_at = models.DateTimeField("Beginn", default=timezone.now)
    ended_at = models.DateTimeField("Beendet um", null=True, blank=True, editable=False)
    revision = models.PositiveBigIntegerField("Stand", default=0, editable=False)

    objects = TickerQuerySet.as_manager()

    class Meta:
        verbose_name = "Liveticker"
        verbose_name_plural = "Liveticker"
        ordering = ["-started_at"]
        permissions = [("end_ticker", "Kann Liveticker beenden")]

    def __str__(self):
        return self.article.headline

    @property
    def is_running(self):
        return self.ended_at is None

    def end(self):
        self.ended_at = timezone.now()
        self.save(update_fields=["ended_at"])

    def take_revision(self):
        """The next revision number, inside the caller's transaction.

        The row stays locked until the caller commits, so revisions become
        visible in their order and a poll never skips one.
        """
        Ticker.objects.filter(pk=self.pk).update(revision=F("revision") + 1)
        self.revision = (
            Ticker.objects.filter(pk=self.pk).values_list("revision", flat=True).get()
        )
        return self.revision

    def visible_entries(self):
        return self.entries.select_related("author").order_by("-created_at", "-pk")

    def highlights(self):
        """(pinned entries, key events), newest first, in one query."""
        marked = list(
            self.visible_entries().filter(
                Q(is_pinned=True) | Q(is_key_event=True), deleted_at__isnull=True
            )
        )
        return (
            [entry for entry in marked if entry.is_pinned],
            [entry for entry in marked if entry.is_key_event],
        )

    def changes_since(self, revision):
        """Entries changed after `revision`, oldest change first, and
        whether there were more than one answer holds."""
        changed = list(
            self.entries.select_related("author")
            .filter(revision__gt=revision)
            .order_by("revision")[: CHANGES_PER_ANSWER + 1]
        )
        return changed[:CHANGES_PER_ANSWER], len(changed) > CHANGES_PER_ANSWER


class Entry(PictureWithRenditions, models.Model):
    ticker = models.ForeignKey(
        Ticker,
        verbose_name="Liveticker",
        on_delete=models.CASCADE,
        related_name="entries",
    )
    created_at = models.DateTimeField("Zeit", default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Autor/in",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    text = models.TextField(
        "Text",
        help_text="Wie im Artikeltext: Absätze, fett, kursiv, Links, Listen und "
        "Zitate; alles andere wird beim Speichern entfernt.",
    )
    image = models.ImageField(
        "Bild",
        upload_to="live/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        blank=True,
        validators=[validate_image],
    )
    image_width = models.PositiveIntegerField(null=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, editable=False)
    image_focal_x = models.FloatField(default=0.5, editable=False)
    image_focal_y = models.FloatField(default=0.5, editable=False)
    image_alt = models.CharField("Bildbeschreibung", max_length=300, blank=True)
    image_credit = models.CharField("Bildnachweis", max_length=200, blank=True)
    is_pinned = models.BooleanField("Oben angeheftet", default=False)
    is_key_event = models.BooleanField("Das Wichtigste in Kürze", default=False)
    edited_at = models.DateTimeField("Bearbeitet um", null=True, editable=False)
    deleted_at = models.DateTimeField("Gelöscht um", null=True, editable=False)
    revision = models.PositiveBigIntegerField("Stand", default=0, editable=False)

    class Meta:
        verbose_name = "Eintrag"
        verbose_name_plural = "Einträge"
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("mark_entry", "Kann Einträge anheften und als wichtig markieren")
        ]
        indexes = [
            models.Index(fields=["ticker", "revision"], name="live_entry_revision_idx"),
            models.Index(fields=["ticker", "created_at"], name="live_entry_time_idx"),
        ]

    def __str__(self):
        return f"{self.ticker} – {timezone.localtime(self.created_at):%H:%M}"

    def save(self, *args, **kwargs):
        self.text = sanitize_body(self.text)
        if self.pk and self.deleted_at is None:
            stored = (
                Entry.objects.filter(pk=self.pk).values("text", "image").first() or {}
            )
            if stored and (
                stored["text"] != self.text or stored["image"] != self.image.name
            ):
                self.edited_at = timezone.now()
        with transaction.atomic():
            self.revision = self.ticker.take_revision()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
            super().save(*args, **kwargs)
        self.create_copies_later()

    def clean(self):
        if self.image and not self.image_credit.strip():
            raise ValidationError({"image_credit": "Bitte den Bildnachweis angeben."})
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Bitte beschreiben, was auf dem Bild zu sehen ist."}
            )
        if not strip_tags(sanitize_body(self.text)).strip():
            raise ValidationError({"text": "Der Eintrag ist leer."})

    def remove(self):
        """Deleted for readers, who see that it was (and when)."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    @property
    def author_name(self):
        if self.author is None:
            return ""
        return self.author.get_full_name() or self.author.get_username()

    @property
    def is_deleted(self):
        return self.deleted_at is not None
