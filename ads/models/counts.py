from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone

from counting import rules
from counting.counters import add_one, hour_bucket

from .creatives import Creative
from .slots import AdSlot


class AdEvent(models.TextChoices):
    SERVED = "served", "Ausgeliefert"
    VIEWABLE = "viewable", "Sichtbar"
    CLICK = "click", "Klick"


class CountReason(models.TextChoices):
    """Why an event was or was not counted."""

    COUNTED = "counted", "Gezählt"
    BOT = rules.BOT, "Bot"
    STAFF = rules.STAFF, "Angemeldete Mitarbeitende"
    PREFETCH = rules.PREFETCH, "Vorab-Abruf"
    INVALID = "invalid", "Ungültiges Token"
    EXPIRED = "expired", "Abgelaufenes Token"
    REPEAT = "repeat", "Schon gezählt"
    RATE_LIMITED = rules.RATE_LIMITED, "Zu viele Anfragen"


class EventCountQuerySet(models.QuerySet):
    def add(self, event, reason, creative_id=None, slot_id=None, at=None):
        """Add one event to its hourly bucket, safely under concurrency.

        Returns False (and counts nothing) if the creative or slot is gone.
        """
        return add_one(
            EventCount,
            "count",
            {
                "hour": hour_bucket(at or timezone.now()),
                "event": event,
                "reason": reason,
                "creative": creative_id,
                "slot": slot_id,
            },
            constraint=(
                "ads_eventcount_one_unknown_bucket"
                if creative_id is None
                else "ads_eventcount_one_bucket"
            ),
        )

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
