"""An embed: a provider's post or player, shown to readers first as our own
placeholder and loaded from the provider only after their click.

One row per address, shared by every article and ticker entry that links
to it: the body keeps the plain link (feeds and old versions show it as
one), and the row adds what the placeholder needs. Rows are never deleted
with a text, so restoring an old version finds its embeds again.
"""

from django.db import models
from django.utils import timezone

from articles.models.fields import created_by_field
from images.models import CleanUploads

from .providers import Provider, frame_origin


class PreviewState(models.TextChoices):
    PENDING = "pending", "Wird geladen"
    READY = "ready", "Vorschau geladen"
    FAILED = "failed", "Ohne Vorschau"


class EmbedQuerySet(models.QuerySet):
    def for_links(self, links):
        """The rows for these recognised links, by address."""
        addresses = {link.url for link in links}
        return {embed.url: embed for embed in self.filter(url__in=addresses)}

    def failed(self):
        """Embeds whose title and preview could not be fetched."""
        return self.filter(state=PreviewState.FAILED)


class Embed(CleanUploads, models.Model):
    url = models.URLField(
        "Adresse",
        max_length=500,
        unique=True,
        help_text="Der Link zum Beitrag, wie er im Text steht (YouTube, Vimeo, X, "
        "Instagram, Mastodon, Bluesky, TikTok, Spotify oder Datawrapper).",
    )
    provider = models.CharField("Anbieter", max_length=20, choices=Provider)
    title = models.CharField("Titel", max_length=300, blank=True)
    author_name = models.CharField("Urheber", max_length=200, blank=True)
    frame_url = models.URLField(
        "Adresse des Players",
        max_length=500,
        blank=True,
        editable=False,
        help_text="Was der Browser des Lesers nach dem Klick lädt.",
    )
    preview = models.ImageField(
        "Vorschaubild",
        upload_to="embeds/%Y/%m/",
        width_field="preview_width",
        height_field="preview_height",
        blank=True,
        help_text="Auf unserem Server gespeichert; Leser laden nichts vom Anbieter, "
        "bevor sie klicken.",
    )
    preview_width = models.PositiveIntegerField(null=True, editable=False)
    preview_height = models.PositiveIntegerField(null=True, editable=False)
    state = models.CharField(
        "Vorschau",
        max_length=10,
        choices=PreviewState,
        default=PreviewState.PENDING,
        editable=False,
    )
    problem = models.CharField("Hinweis", max_length=500, blank=True, editable=False)
    fetched_at = models.DateTimeField("Abgerufen", null=True, editable=False)
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    created_by = created_by_field()

    objects = EmbedQuerySet.as_manager()

    image_fields = ("preview",)

    class Meta:
        verbose_name = "Einbettung"
        verbose_name_plural = "Einbettungen"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state=PreviewState.FAILED) | ~models.Q(problem=""),
                name="embeds_embed_failure_explained",
                violation_error_message="Eine fehlgeschlagene Vorschau braucht "
                "einen Hinweis.",
            ),
        ]

    def __str__(self):
        return self.title or self.url

    @classmethod
    def for_link(cls, link):
        """The stored row for `link`, made (still without preview) if new;
        and whether it was made."""
        return cls.objects.get_or_create(
            url=link.url,
            defaults={"provider": link.provider, "frame_url": link.frame_url},
        )

    @property
    def provider_name(self):
        return Provider(self.provider).label

    def mark_ready(self, title, author_name, frame_url=""):
        self.title = title[:300]
        self.author_name = author_name[:200]
        self.frame_url = frame_url or self.frame_url
        self.state = PreviewState.READY
        self.problem = ""
        self.fetched_at = timezone.now()
        self.save()

    def mark_failed(self, problem):
        """No preview; readers still get the placeholder, editors `problem`."""
        self.state = PreviewState.FAILED
        self.problem = problem[:500]
        self.fetched_at = timezone.now()
        self.save()


class Placeholder:
    """What the reader's placeholder shows for a link: from its stored row,
    or from the link alone while none is stored."""

    def __init__(self, link, embed=None):
        self.link = link
        self.embed = embed

    @property
    def provider_name(self):
        return Provider(self.link.provider).label

    @property
    def provider(self):
        return self.link.provider

    @property
    def url(self):
        return self.link.url

    @property
    def title(self):
        return self.embed.title if self.embed else ""

    @property
    def author_name(self):
        return self.embed.author_name if self.embed else ""

    @property
    def preview(self):
        return self.embed.preview if self.embed and self.embed.preview else None

    @property
    def frame_url(self):
        return (self.embed and self.embed.frame_url) or self.link.frame_url

    @property
    def frame_origin(self):
        return frame_origin(self.frame_url) if self.frame_url else ""
