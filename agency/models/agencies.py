"""The agencies we receive copy from, and the desk's rules for it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When

from articles.models import Section


class Agency(models.Model):
    name = models.CharField("Name", max_length=100)
    credit = models.CharField(
        "Quellenangabe",
        max_length=30,
        unique=True,
        help_text="So steht die Agentur als Quelle unter übernommenen Artikeln, "
        "z. B. „dpa“.",
    )
    folder = models.CharField(
        "Eingangsordner",
        max_length=500,
        blank=True,
        help_text="Ordner auf dem Server, in den die Agentur ninjs-Dateien legt. "
        "Verarbeitete Dateien wandern nach „done“, fehlerhafte nach „failed“.",
    )
    pull_url = models.URLField(
        "Abruf-Adresse",
        blank=True,
        help_text="HTTPS-Adresse, die neue Meldungen als ninjs-JSON liefert.",
    )
    token = models.CharField(
        "Zugangsschlüssel",
        max_length=200,
        blank=True,
        help_text="Wird beim Abruf als „Authorization: Bearer …“ mitgeschickt.",
    )
    is_active = models.BooleanField(
        "Aktiv", default=True, help_text="Nur aktive Agenturen werden abgerufen."
    )
    last_pulled_at = models.DateTimeField(
        "Zuletzt abgerufen", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "Agentur"
        verbose_name_plural = "Agenturen"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def rule_for(self, subject_codes, urgency):
        """The desk's rule for an item with these subjects and urgency: the
        first that names one of its subjects, else the first for any
        subject; None if no rule fits."""
        rules = self.rules.filter(
            Q(subject="") | Q(subject__in=subject_codes),
            Q(urgency_at_most__isnull=True) | Q(urgency_at_most__gte=urgency or 9),
        ).select_related("section")
        catch_all_last = Case(When(subject="", then=Value(1)), default=Value(0))
        return rules.order_by(catch_all_last, "position", "pk").first()


class Rule(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="Agentur", on_delete=models.CASCADE, related_name="rules"
    )
    subject = models.CharField(
        "Thema",
        max_length=200,
        blank=True,
        help_text="Code oder Name eines Themas der Meldung (z. B. „medtop:15000000“ "
        "oder „Sport“). Leer: jede Meldung.",
    )
    urgency_at_most = models.PositiveSmallIntegerField(
        "Bis Dringlichkeit",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="1 = am dringendsten, 9 = am wenigsten. Leer: jede Dringlichkeit.",
    )
    section = models.ForeignKey(
        Section, verbose_name="Ressort", on_delete=models.PROTECT, related_name="+"
    )
    publishes_directly = models.BooleanField(
        "Direkt veröffentlichen",
        default=False,
        help_text="Übernommene Meldungen gehen sofort online (nach einer Sperrfrist "
        "zu deren Ende), statt als Entwurf zu warten.",
    )
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    class Meta:
        verbose_name = "Regel"
        verbose_name_plural = "Regeln"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.subject or 'alle Themen'} → {self.section}"
