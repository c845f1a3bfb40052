from datetime import UTC

from django.db import connection, models
from django.db.models import Q, Sum
from django.utils import timezone

from .creatives import Creative
from .slots import AdSlot


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
