from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Section, Tag

# Pacing is "im Plan" while delivery is within this share of the even pace.
PACING_TOLERANCE = 0.10
# Before a full day has run, the time of day decides delivery more than the
# plan does: no verdict yet.
PACING_NEEDS = timedelta(hours=24)
BERLIN = ZoneInfo("Europe/Berlin")


class Advertiser(models.Model):
    name = models.CharField(
        "Name",
        max_length=100,
        unique=True,
        help_text="Erscheint bei Native-Anzeigen neben „Anzeige“.",
    )
    website = models.URLField("Website", blank=True)
    contact = models.TextField("Ansprechpartner", blank=True)

    class Meta:
        verbose_name = "Werbekunde"
        verbose_name_plural = "Werbekunden"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CampaignTier(models.IntegerChoices):
    """Delivery priority: a lower number is served first."""

    SPONSORING = 1, "Sponsoring"
    STANDARD = 2, "Standard"
    HOUSE = 3, "Eigenwerbung"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    ACTIVE = "active", "Aktiv"
    PAUSED = "paused", "Pausiert"


class CampaignQuerySet(models.QuerySet):
    def running(self, at=None):
        """Active campaigns whose run includes `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(
            status=CampaignStatus.ACTIVE, starts_at__lte=at, ends_at__gt=at
        )

    def deliverable_soon(self, within):
        """Active campaigns running now or starting within `within`."""
        now = timezone.now()
        return self.filter(
            status=CampaignStatus.ACTIVE,
            starts_at__lte=now + within,
            ends_at__gt=now,
        )

    def pause(self):
        return self.filter(status=CampaignStatus.ACTIVE).update(
            status=CampaignStatus.PAUSED
        )

    def activate(self):
        return self.exclude(status=CampaignStatus.ACTIVE).update(
            status=CampaignStatus.ACTIVE
        )


class Campaign(models.Model):
    advertiser = models.ForeignKey(
        Advertiser,
        verbose_name="Werbekunde",
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField("Name", max_length=150)
    tier = models.PositiveSmallIntegerField(
        "Stufe",
        choices=CampaignTier,
        default=CampaignTier.STANDARD,
        help_text="Sponsoring geht vor Standard; Eigenwerbung füllt, was übrig bleibt.",
    )
    weight = models.PositiveSmallIntegerField(
        "Gewicht",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Innerhalb einer Stufe erscheint eine Kampagne mit doppeltem "
        "Gewicht doppelt so oft.",
    )
    status = models.CharField(
        "Status", max_length=10, choices=CampaignStatus, default=CampaignStatus.DRAFT
    )
    starts_at = models.DateTimeField("Beginn")
    ends_at = models.DateTimeField("Ende")
    sections = models.ManyToManyField(
        Section,
        verbose_name="Nur in Ressorts",
        blank=True,
        related_name="+",
        help_text="Einschließlich ihrer Unterressorts. Leer: überall.",
    )
    tags = models.ManyToManyField(
        Tag,
        verbose_name="Nur bei Schlagwörtern",
        blank=True,
        related_name="+",
        help_text="Artikel mit mindestens einem dieser Schlagwörter. Sind auch "
        "Ressorts gewählt, muss beides passen.",
    )
    excluded_sections = models.ManyToManyField(
        Section,
        verbose_name="Nie in Ressorts",
        blank=True,
        related_name="+",
        help_text="Einschließlich ihrer Unterressorts.",
    )
    excluded_tags = models.ManyToManyField(
        Tag,
        verbose_name="Nie bei Schlagwörtern",
        blank=True,
        related_name="+",
    )
    impression_goal = models.PositiveIntegerField(
        "Ziel (Auslieferungen insgesamt)",
        null=True,
        blank=True,
        help_text="Gleichmäßig über die Laufzeit verteilt; ist es erreicht, endet "
        "die Auslieferung.",
    )
    daily_cap = models.PositiveIntegerField(
        "Tageslimit (Auslieferungen)",
        null=True,
        blank=True,
        help_text="Höchstens so viele gezählte Auslieferungen je Kalendertag. "
        "Greift mit bis zu einer Minute Verzögerung.",
    )
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)
    updated_at = models.DateTimeField("Zuletzt geändert", auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "Kampagne"
        verbose_name_plural = "Kampagnen"
        ordering = ["tier", "-starts_at", "name"]
        permissions = [("view_report", "Kann die Werbestatistik sehen")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="ads_campaign_ends_after_start",
                violation_error_message="Das Ende muss nach dem Beginn liegen.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="ads_campaign_weight_positive",
                violation_error_message="Das Gewicht muss mindestens 1 sein.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "ends_at"], name="ads_campaign_status_end_idx"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.advertiser})"

    @property
    def is_running(self):
        now = timezone.now()
        return (
            self.status == CampaignStatus.ACTIVE
            and self.starts_at <= now < self.ends_at
        )

    def expected_share(self, at):
        """Share of the run passed by the end of `at`'s day (Europe/Berlin)."""
        day_end = datetime.combine(
            timezone.localtime(at, BERLIN).date() + timedelta(days=1), time(), BERLIN
        )
        run = (self.ends_at - self.starts_at).total_seconds()
        passed = (min(day_end, self.ends_at) - self.starts_at).total_seconds()
        return max(0.0, min(1.0, passed / run))

    def pacing(self, served, at=None):
        """Delivery against an even pace towards the goal, or None without one.

        The goal is spread evenly over the run, so by `at` the campaign
        should have delivered its share of the time passed. Traffic follows
        the time of day, so a verdict waits until a full day has run (or
        half the run, for shorter campaigns); until then the figures are
        shown without one.
        """
        if not self.impression_goal:
            return None
        at = at or timezone.now()
        run = self.ends_at - self.starts_at
        passed = max(timedelta(0), min(at, self.ends_at) - self.starts_at)
        expected = self.impression_goal * (passed / run)
        ratio = served / expected if expected else None
        if at >= self.ends_at:
            verdict = "beendet"
            ratio = served / self.impression_goal
        elif not expected:
            verdict = "noch nicht begonnen"
        elif passed < min(PACING_NEEDS, run / 2):
            verdict = "noch zu früh für eine Prognose"
            ratio = None
        elif ratio < 1 - PACING_TOLERANCE:
            verdict = "zu langsam"
        elif ratio > 1 + PACING_TOLERANCE:
            verdict = "zu schnell"
        else:
            verdict = "im Plan"
        return {
            "goal": self.impression_goal,
            "served": served,
            "expected": round(expected),
            "ratio": ratio,
            "percent": round(ratio * 100) if ratio is not None else None,
            "verdict": verdict,
            "tolerance_percent": round(PACING_TOLERANCE * 100),
        }

    def report_days(self, today, longest):
        """(first, last) day of the campaign's statistics so far: from its
        start to today or its end, at most `longest` days back."""
        first = timezone.localtime(self.starts_at, BERLIN).date()
        # The end is the first moment the campaign no longer runs.
        last_moment = self.ends_at - timedelta(microseconds=1)
        last = min(today, timezone.localtime(last_moment, BERLIN).date())
        last = max(first, last)
        return max(first, last - timedelta(days=longest - 1)), last
