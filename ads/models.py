from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AdSlot(models.Model):
    key = models.SlugField(
        "Schlüssel", max_length=50, unique=True, help_text="Wie im Template: „header“."
    )
    name = models.CharField("Name", max_length=100)
    width = models.PositiveIntegerField("Breite (px)")
    height = models.PositiveIntegerField("Höhe (px)")

    class Meta:
        verbose_name = "Werbeplatz"
        verbose_name_plural = "Werbeplätze"
        ordering = ["key"]

    def __str__(self):
        return f"{self.name} ({self.width}×{self.height})"


class CreativeQuerySet(models.QuerySet):
    def active(self):
        """Creatives inside their booking window right now."""
        now = timezone.now()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=now),
            Q(active_until__isnull=True) | Q(active_until__gt=now),
            is_active=True,
        )

    def servable_in(self, slot_key):
        """Active creatives for the slot with this key, newest booking first."""
        return (
            self.active()
            .filter(slot__key=slot_key)
            .select_related("slot")
            .order_by("-active_from", "-pk")
        )


https_only = URLValidator(
    schemes=["https"], message="Bitte eine sichere Adresse angeben (https://…)."
)


class Creative(models.Model):
    slot = models.ForeignKey(
        AdSlot,
        verbose_name="Werbeplatz",
        on_delete=models.CASCADE,
        related_name="creatives",
    )
    name = models.CharField("Interner Name", max_length=100)
    image = models.ImageField("Motiv", upload_to="ads/%Y/%m/")
    alt_text = models.CharField(
        "Alternativtext", max_length=200, help_text="Was das Motiv zeigt oder sagt."
    )
    target_url = models.URLField("Zieladresse", max_length=500, validators=[https_only])
    is_active = models.BooleanField("Aktiv", default=True)
    active_from = models.DateTimeField("Aktiv ab", null=True, blank=True)
    active_until = models.DateTimeField("Aktiv bis", null=True, blank=True)

    objects = CreativeQuerySet.as_manager()

    class Meta:
        verbose_name = "Werbemittel"
        verbose_name_plural = "Werbemittel"
        ordering = ["slot", "-active_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gt=models.F("active_from")),
                name="ads_creative_ends_after_start",
                violation_error_message="„Aktiv bis“ muss nach „Aktiv ab“ liegen.",
            ),
        ]

    def __str__(self):
        return self.name
