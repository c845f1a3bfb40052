from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import F, Q, Sum
from django.utils import timezone

from articles.models import Section, Tag

# Files above this size slow the page down more than any ad is worth.
IMAGE_WEIGHT_BUDGET = 150 * 1024
# Native images sit in a card that is about 270 CSS pixels wide on desktops.
NATIVE_MIN_WIDTH = 480
# Pacing is "im Plan" while delivery is within this share of the even pace.
PACING_TOLERANCE = 0.10
BERLIN = ZoneInfo("Europe/Berlin")


class SlotFormat(models.TextChoices):
    IMAGE = "image", "Bild"
    NATIVE = "native", "Native (im Block „Das könnte Sie auch interessieren“)"


class AdSlotQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class AdSlot(models.Model):
    key = models.SlugField(
        "Schlüssel", max_length=50, unique=True, help_text="Wie im Template: „header“."
    )
    name = models.CharField("Name", max_length=100)
    format = models.CharField(
        "Format", max_length=10, choices=SlotFormat, default=SlotFormat.IMAGE
    )
    width = models.PositiveIntegerField(
        "Breite (px)",
        null=True,
        blank=True,
        help_text="Feste Größe auf Desktop und Tablet. Leer lassen, wenn der Platz "
        "ein Seitenverhältnis hat.",
    )
    height = models.PositiveIntegerField("Höhe (px)", null=True, blank=True)
    mobile_width = models.PositiveIntegerField(
        "Breite auf Telefonen (px)",
        null=True,
        blank=True,
        help_text="Nur wenn der Platz auf schmalen Bildschirmen (unter 640 px) eine "
        "eigene Größe hat.",
    )
    mobile_height = models.PositiveIntegerField(
        "Höhe auf Telefonen (px)", null=True, blank=True
    )
    ratio_width = models.PositiveSmallIntegerField(
        "Seitenverhältnis Breite",
        null=True,
        blank=True,
        help_text="Statt fester Größe, z. B. 16 : 9 für die Native-Karte.",
    )
    ratio_height = models.PositiveSmallIntegerField(
        "Seitenverhältnis Höhe", null=True, blank=True
    )
    is_below_fold = models.BooleanField(
        "Unterhalb des ersten Bildschirms",
        default=True,
        help_text="Motive dieses Platzes werden erst geladen, wenn man in ihre Nähe "
        "scrollt.",
    )
    is_active = models.BooleanField("Aktiv", default=True)

    objects = AdSlotQuerySet.as_manager()

    class Meta:
        verbose_name = "Werbeplatz"
        verbose_name_plural = "Werbeplätze"
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        width__isnull=False,
                        height__isnull=False,
                        ratio_width__isnull=True,
                        ratio_height__isnull=True,
                    )
                    | Q(
                        width__isnull=True,
                        height__isnull=True,
                        mobile_width__isnull=True,
                        mobile_height__isnull=True,
                        ratio_width__isnull=False,
                        ratio_height__isnull=False,
                    )
                ),
                name="ads_adslot_size_or_ratio",
                violation_error_message="Bitte entweder Breite und Höhe oder ein "
                "Seitenverhältnis angeben (nicht beides).",
            ),
            models.CheckConstraint(
                condition=Q(mobile_width__isnull=True, mobile_height__isnull=True)
                | Q(mobile_width__isnull=False, mobile_height__isnull=False),
                name="ads_adslot_mobile_size_whole",
                violation_error_message="Für Telefone bitte Breite und Höhe angeben "
                "oder beides leer lassen.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.size_label})"

    @property
    def size_label(self):
        if self.ratio_width:
            return f"{self.ratio_width} : {self.ratio_height}"
        label = f"{self.width}×{self.height}"
        if self.mobile_width:
            label += f", Telefon {self.mobile_width}×{self.mobile_height}"
        return label

    @property
    def has_mobile_size(self):
        return self.mobile_width is not None

    def box(self):
        """(width, height) the page reserves for this slot, as image attributes."""
        if self.ratio_width:
            scale = -(-NATIVE_MIN_WIDTH // self.ratio_width)
            return self.ratio_width * scale, self.ratio_height * scale
        return self.width, self.height

    def image_problem(self, width, height, mobile=False):
        """Why an image of this size does not fit, or "" when it does."""
        if self.ratio_width:
            if width * self.ratio_height != height * self.ratio_width:
                return (
                    f"Das Bild ist {width}×{height} px groß; „{self.name}“ braucht "
                    f"das Seitenverhältnis {self.size_label}."
                )
            if width < NATIVE_MIN_WIDTH:
                return (
                    f"Das Bild ist {width} px breit; „{self.name}“ braucht "
                    f"mindestens {NATIVE_MIN_WIDTH} px."
                )
            return ""
        wanted = (
            (self.mobile_width, self.mobile_height)
            if mobile
            else (self.width, self.height)
        )
        if (width, height) in (wanted, (wanted[0] * 2, wanted[1] * 2)):
            return ""
        return (
            f"Das Bild ist {width}×{height} px groß; „{self.name}“ braucht "
            f"{wanted[0]}×{wanted[1]} px oder für hochauflösende Bildschirme "
            f"genau das Doppelte ({wanted[0] * 2}×{wanted[1] * 2} px)."
        )


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
        """Delivery against an even pace towards the goal, or None without one."""
        if not self.impression_goal:
            return None
        at = at or timezone.now()
        run = (self.ends_at - self.starts_at).total_seconds()
        passed = (min(at, self.ends_at) - self.starts_at).total_seconds()
        expected = self.impression_goal * max(0.0, min(1.0, passed / run))
        ratio = served / expected if expected else None
        if ratio is None:
            verdict = "noch nicht begonnen"
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


https_only = URLValidator(
    schemes=["https"],
    message="Bitte eine sichere Adresse angeben (https://…).",
    code="not_https",
)


class CreativeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def servable_in(self, slot_key, at=None):
        """Active creatives of running campaigns that fit the slot `slot_key`."""
        return self.active().filter(
            slots__key=slot_key,
            slots__is_active=True,
            campaign__in=Campaign.objects.running(at),
        )


class Creative(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="Kampagne",
        on_delete=models.CASCADE,
        related_name="creatives",
    )
    name = models.CharField("Interner Name", max_length=100)
    slots = models.ManyToManyField(
        AdSlot,
        verbose_name="Werbeplätze",
        related_name="creatives",
        help_text="Das Motiv muss zu jedem gewählten Platz passen.",
    )
    image = models.ImageField(
        "Motiv",
        upload_to="ads/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        help_text="Genau in der Größe des Platzes oder genau doppelt so groß, "
        "höchstens 150 KB.",
    )
    image_width = models.PositiveIntegerField(null=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, editable=False)
    mobile_image = models.ImageField(
        "Motiv für Telefone",
        upload_to="ads/%Y/%m/",
        width_field="mobile_image_width",
        height_field="mobile_image_height",
        blank=True,
        help_text="Nur für Plätze mit eigener Telefongröße. Fehlt es, wird das "
        "Motiv verkleinert.",
    )
    mobile_image_width = models.PositiveIntegerField(null=True, editable=False)
    mobile_image_height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        "Alternativtext", max_length=200, help_text="Was das Motiv zeigt oder sagt."
    )
    headline = models.CharField(
        "Überschrift (Native)",
        max_length=120,
        blank=True,
        help_text="Pflicht für Native-Plätze; erscheint wie eine Artikelüberschrift.",
    )
    target_url = models.URLField("Zieladresse", max_length=500, validators=[https_only])
    is_active = models.BooleanField("Aktiv", default=True)

    objects = CreativeQuerySet.as_manager()

    class Meta:
        verbose_name = "Werbemittel"
        verbose_name_plural = "Werbemittel"
        ordering = ["campaign", "name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for field in ("image", "mobile_image"):
            upload = getattr(self, field)
            if upload and upload.size > IMAGE_WEIGHT_BUDGET:
                errors[field] = (
                    f"Die Datei ist {upload.size // 1024} KB groß; erlaubt sind "
                    f"höchstens {IMAGE_WEIGHT_BUDGET // 1024} KB."
                )
        if errors:
            raise ValidationError(errors)

    def fit_errors(self, slots):
        """Field errors that keep this creative out of `slots`, by field name."""
        errors = {}
        formats = {slot.format for slot in slots}
        if len(formats) > 1:
            errors["slots"] = (
                "Ein Werbemittel ist entweder ein Bild oder eine Native-Anzeige; "
                "bitte nur Plätze eines Formats wählen."
            )
        if SlotFormat.NATIVE in formats and not self.headline.strip():
            errors["headline"] = "Native-Anzeigen brauchen eine Überschrift."
        if self.image and self.image_width:
            problems = [
                slot.image_problem(self.image_width, self.image_height)
                for slot in slots
            ]
            if problem := next((p for p in problems if p), ""):
                errors["image"] = problem
        if self.mobile_image:
            if without := [slot.name for slot in slots if not slot.has_mobile_size]:
                errors["mobile_image"] = (
                    "Diese Plätze haben keine eigene Telefongröße: "
                    + ", ".join(without)
                    + "."
                )
            elif self.mobile_image_width:
                problems = [
                    slot.image_problem(
                        self.mobile_image_width, self.mobile_image_height, mobile=True
                    )
                    for slot in slots
                ]
                if problem := next((p for p in problems if p), ""):
                    errors["mobile_image"] = problem
        return errors


class AdEvent(models.TextChoices):
    SERVED = "served", "Ausgeliefert"
    VIEWABLE = "viewable", "Sichtbar"
    CLICK = "click", "Klick"


class CountReason(models.TextChoices):
    """Why an event was or was not counted."""

    COUNTED = "counted", "Gezählt"
    BOT = "bot", "Bot"
    STAFF = "staff", "Angemeldete Mitarbeiter"
    PREFETCH = "prefetch", "Vorab-Abruf"
    INVALID = "invalid", "Ungültiges Token"
    EXPIRED = "expired", "Abgelaufenes Token"
    REPEAT = "repeat", "Schon gezählt"
    RATE_LIMITED = "rate_limited", "Zu viele Anfragen"


def hour_bucket(at):
    """The start of `at`'s hour in UTC."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


class EventCountQuerySet(models.QuerySet):
    def add(self, event, reason, creative_id=None, slot_id=None, at=None):
        """Add one event to its hourly bucket, safely under concurrency.

        Returns False (and counts nothing) if the creative or slot is gone.
        """
        # An upsert in one statement: two workers counting into a new bucket
        # at the same moment cannot lose an increment. SQLite and PostgreSQL
        # share this syntax, including the partial-index conflict target.
        table = EventCount._meta.db_table
        hour = connection.ops.adapt_datetimefield_value(
            hour_bucket(at or timezone.now())
        )
        if creative_id is None:
            values = "VALUES (%s, %s, %s, NULL, NULL, 1)"
            target = "(hour, event, reason) WHERE creative_id IS NULL"
            params = [hour, event, reason]
        else:
            values = (
                "SELECT %s, %s, %s, %s, %s, 1 WHERE EXISTS "
                f"(SELECT 1 FROM {Creative._meta.db_table} WHERE id = %s) AND EXISTS "
                f"(SELECT 1 FROM {AdSlot._meta.db_table} WHERE id = %s)"
            )
            target = (
                "(hour, event, reason, creative_id, slot_id) "
                "WHERE creative_id IS NOT NULL"
            )
            params = [hour, event, reason, creative_id, slot_id, creative_id, slot_id]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (hour, event, reason, creative_id, slot_id, "
                f"count) {values} ON CONFLICT {target} "
                f"DO UPDATE SET count = {table}.count + 1",
                params,
            )
            return cursor.rowcount == 1

    def counted(self):
        return self.filter(reason=CountReason.COUNTED)

    def between(self, start, end):
        return self.filter(hour__gte=start, hour__lt=end)

    def served_by_campaign(self, since=None):
        """{campaign id: counted served events}, optionally since a moment."""
        rows = self.counted().filter(event=AdEvent.SERVED)
        if since is not None:
            rows = rows.filter(hour__gte=hour_bucket(since))
        return dict(
            rows.values_list("creative__campaign")
            .annotate(total=Sum("count"))
            .values_list("creative__campaign", "total")
        )


class EventCount(models.Model):
    """How often an event happened in one hour (UTC), by creative, slot and reason.

    Only these aggregates are kept: no reader, address or browser is stored.
    """

    hour = models.DateTimeField("Stunde (UTC)")
    event = models.CharField("Ereignis", max_length=10, choices=AdEvent)
    reason = models.CharField("Grund", max_length=15, choices=CountReason)
    creative = models.ForeignKey(
        Creative,
        verbose_name="Werbemittel",
        on_delete=models.PROTECT,
        null=True,
        related_name="event_counts",
    )
    slot = models.ForeignKey(
        AdSlot,
        verbose_name="Werbeplatz",
        on_delete=models.PROTECT,
        null=True,
        related_name="event_counts",
    )
    count = models.PositiveBigIntegerField("Anzahl", default=0)

    objects = EventCountQuerySet.as_manager()

    class Meta:
        verbose_name = "Zählung"
        verbose_name_plural = "Zählungen"
        ordering = ["-hour"]
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "event", "reason", "creative", "slot"],
                condition=Q(creative__isnull=False),
                name="ads_eventcount_one_bucket",
            ),
            models.UniqueConstraint(
                fields=["hour", "event", "reason"],
                condition=Q(creative__isnull=True),
                name="ads_eventcount_one_unknown_bucket",
            ),
            models.CheckConstraint(
                condition=Q(creative__isnull=True, slot__isnull=True)
                | Q(creative__isnull=False, slot__isnull=False),
                name="ads_eventcount_creative_with_slot",
            ),
        ]
        indexes = [models.Index(fields=["hour"], name="ads_eventcount_hour_idx")]

    def __str__(self):
        return f"{self.get_event_display()} {self.get_reason_display()}: {self.count}"


class SpentTokenQuerySet(models.QuerySet):
    def spend(self, nonce, event):
        """Mark the token's `event` as counted; False if it already was."""
        # Insert-or-nothing in one statement is the atomic check: of many
        # identical beacons arriving together exactly one inserts the row.
        table = SpentToken._meta.db_table
        spent_at = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (nonce, event, spent_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (nonce, event) DO NOTHING",
                [nonce, event, spent_at],
            )
            return cursor.rowcount == 1

    def older_than(self, moment):
        return self.filter(spent_at__lt=moment)


class SpentToken(models.Model):
    """A counted event of one ad shown, kept until its token has expired."""

    nonce = models.CharField(max_length=24)
    event = models.CharField(max_length=10, choices=AdEvent)
    spent_at = models.DateTimeField()

    objects = SpentTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "Verbrauchtes Token"
        verbose_name_plural = "Verbrauchte Tokens"
        constraints = [
            models.UniqueConstraint(
                fields=["nonce", "event"], name="ads_spenttoken_once_per_event"
            ),
        ]
        indexes = [models.Index(fields=["spent_at"], name="ads_spenttoken_spent_idx")]

    def __str__(self):
        return f"{self.nonce} ({self.get_event_display()})"
