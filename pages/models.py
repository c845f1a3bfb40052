"""Pages the publisher keeps beside the news: Impressum, Datenschutz, Kontakt."""

import reversion
from django.db import models
from django.urls import reverse

from articles.text import sanitize_body


@reversion.register()
class Page(models.Model):
    title = models.CharField("Titel", max_length=100)
    slug = models.SlugField(
        "Adresse",
        max_length=100,
        unique=True,
        error_messages={"unique": "Unter dieser Adresse steht schon eine Seite."},
        help_text="Die Seite steht unter /info/<Adresse>/, etwa „impressum“.",
    )
    body = models.TextField(
        "Text",
        blank=True,
        help_text="Absätze, Zwischenüberschriften, Listen und Links.",
    )
    position = models.PositiveSmallIntegerField(
        "Platz im Seitenfuß",
        default=0,
        help_text="Kleinere Zahlen stehen weiter links.",
    )
    updated_at = models.DateTimeField("Zuletzt geändert", auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "Seite"
        verbose_name_plural = "Seiten"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])
