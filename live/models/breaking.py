"""Eilmeldung: one line across every reader page while it runs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Article


class EilmeldungQuerySet(models.QuerySet):
    def running(self, at=None):
        at = at or timezone.now()
        return self.filter(started_at__lte=at, ended_at__isnull=True).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at)
        )

    def current(self):
        """The newest running one, with its article, or None."""
        return self.running().select_related("article").order_by("-started_at").first()


class Eilmeldung(models.Model):
    text = models.CharField(
        "Text",
        max_length=200,
        blank=True,
        help_text="Eine Zeile. Leer lassen, um die Überschrift des Artikels zu nehmen.",
    )
    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Ein veröffentlichter Artikel, auf den die Meldung verweist.",
    )
    link = models.URLField(
        "Link",
        blank=True,
        help_text="Statt eines Artikels: eine Adresse, auf die die Meldung verweist.",
    )
    started_at = models.DateTimeField("Beginn", default=timezone.now, editable=False)
    ends_at = models.DateTimeField(
        "Endet automatisch um",
        null=True,
        blank=True,
        help_text="Leer lassen, um sie von Hand zu beenden.",
    )
    ended_at = models.DateTimeField("Beendet um", null=True, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Gestartet von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Beendet von",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = EilmeldungQuerySet.as_manager()

    class Meta:
        verbose_name = "Eilmeldung"
        verbose_name_plural = "Eilmeldungen"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["ends_at"], name="live_eilmeldung_ends_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | Q(article__isnull=False),
                name="live_eilmeldung_says_something",
                violation_error_message="Bitte einen Text schreiben oder einen "
                "Artikel wählen.",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(link=""),
                name="live_eilmeldung_one_target",
                violation_error_message="Bitte entweder einen Artikel oder einen "
                "Link angeben.",
            ),
        ]

    def __str__(self):
        return self.headline

    @property
    def headline(self):
        return self.text or (self.article.headline if self.article else "")

    @property
    def url(self):
        return self.article.get_absolute_url() if self.article else self.link

    def clean(self):
        # Text or article, and not article and link: Meta.constraints.
        errors = {}
        if self.article and not self.article.is_published:
            errors["article"] = (
                "Der Artikel ist nicht veröffentlicht; Leser würden ihn nicht finden."
            )
        if self.ends_at and self.ends_at <= (self.started_at or timezone.now()):
            errors["ends_at"] = "Das Ende muss in der Zukunft liegen."
        if errors:
            raise ValidationError(errors)

    @property
    def is_running(self):
        now = timezone.now()
        return (
            self.started_at <= now
            and self.ended_at is None
            and (self.ends_at is None or self.ends_at > now)
        )

    def end(self, user):
        self.ended_at = timezone.now()
        self.ended_by = user
        self.save(update_fields=["ended_at", "ended_by"])
