from django.db import models
from django.db.models import Q

# Native images sit in a card that is about 270 CSS pixels wide on desktops.
NATIVE_MIN_WIDTH = 480


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
