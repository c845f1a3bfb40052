"""Work in progress on the article form: autosaved drafts and who has the
form open.

Neither is content. Nothing here is read by a reader page, by the page
cache or by a restore: an autosaved draft becomes part of the article only
when its author saves the form for real.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from .articles import Article

# A form that sent no heartbeat for this long counts as closed.
PRESENCE_TIMEOUT = timedelta(seconds=45)


class AutosavedDraftQuerySet(models.QuerySet):
    def of(self, user, article=None):
        """`user`'s draft of `article`, or of a new article (None)."""
        return self.filter(user=user, article=article)


class AutosavedDraft(models.Model):
    """What one person last typed into one article's form, unsaved.

    One row per person and article (and one for a new article never
    saved), overwritten every few seconds while they type and deleted when
    they save the form or discard the draft.
    """

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaved_drafts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The form's fields as its widgets read them from a POST.
    data = models.JSONField("Eingaben")
    # The article's edit token when the form was opened: a restored draft
    # is refused like any stale form if someone saved in between.
    started_from = models.UUIDField("Geöffnete Fassung", null=True, blank=True)
    saved_at = models.DateTimeField("Automatisch gespeichert")

    objects = AutosavedDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "Automatisch gespeicherter Entwurf"
        verbose_name_plural = "Automatisch gespeicherte Entwürfe"
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="articles_autosave_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="articles_autosave_one_new_article",
            ),
        ]

    def __str__(self):
        saved_at = timezone.localtime(self.saved_at)
        return f"Entwurf von {self.user} vom {saved_at:%d.%m.%Y, %H:%M} Uhr"

    @classmethod
    def keep(cls, user, article, data, started_from):
        """Store `data` as `user`'s draft of `article`; one UPDATE as a rule."""
        values = {"data": data, "started_from": started_from}
        values["saved_at"] = now = timezone.now()
        drafts = cls.objects.of(user, article)
        if drafts.update(**values):
            return now
        try:
            with transaction.atomic():
                cls.objects.create(user=user, article=article, **values)
        except IntegrityError:
            # The same person's other tab created it a moment ago.
            drafts.update(**values)
        return now


class EditingSessionQuerySet(models.QuerySet):
    def present(self):
        return self.filter(seen_at__gte=timezone.now() - PRESENCE_TIMEOUT)


class EditingSession(models.Model):
    """One open article form, kept alive by its page's heartbeat."""

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="editing_sessions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Person",
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Made by the form page, so two tabs of one person are two sessions.
    key = models.UUIDField("Fenster", unique=True)
    opened_at = models.DateTimeField("Geöffnet seit")
    seen_at = models.DateTimeField("Zuletzt gemeldet")

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "Geöffnetes Artikelformular"
        verbose_name_plural = "Geöffnete Artikelformulare"
        ordering = ["opened_at"]
        indexes = [
            models.Index(fields=["article", "seen_at"], name="editing_article_seen_idx")
        ]

    def __str__(self):
        return f"{self.user} bearbeitet „{self.article}“"

    @classmethod
    def beat(cls, article, user, key):
        """Note that `user`'s form `key` is still open: one statement."""
        now = timezone.now()
        cls.objects.bulk_create(
            [cls(article=article, user=user, key=key, opened_at=now, seen_at=now)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["seen_at"],
        )
