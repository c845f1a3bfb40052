from django.db import models
from django.utils import timezone

from .articles import Article
from .fields import created_by_field


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Korrektur"
    UPDATE = "update", "Aktualisierung"


KIND_MISSING = (
    "Bitte wählen Sie, ob es eine Korrektur (ein Fehler wurde berichtigt) oder "
    "eine Aktualisierung (neue Entwicklungen) ist."
)


class Correction(models.Model):
    """A dated note to readers that the article was corrected or updated."""

    article = models.ForeignKey(
        Article,
        verbose_name="Artikel",
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    # No default: a correction published as an update misleads readers, so
    # the kind is always chosen.
    kind = models.CharField("Art", max_length=12, choices=CorrectionKind)
    text = models.TextField(
        "Hinweis für Leserinnen und Leser",
        help_text="Was wurde korrigiert oder ergänzt? Erscheint unter dem Artikel.",
    )
    created_at = models.DateTimeField("Zeitpunkt", default=timezone.now)
    created_by = created_by_field()

    class Meta:
        verbose_name = "Korrektur oder Aktualisierung"
        verbose_name_plural = "Korrekturen und Aktualisierungen"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CorrectionKind.values),
                name="articles_correction_kind_chosen",
                violation_error_message=KIND_MISSING,
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} vom {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"
