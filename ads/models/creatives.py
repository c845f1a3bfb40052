from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from images.models import CleanUploads
from images.renditions import create_half_size
from images.uploads import validate_image

from .campaigns import Campaign
from .slots import AdSlot, SlotFormat

# Files above this size slow the page down more than any ad is worth.
IMAGE_WEIGHT_BUDGET = 150 * 1024
# Far more than twice any slot needs; checked before a pixel is decoded.
CREATIVE_MAX_PIXELS = 8_000_000


def validate_creative_image(file):
    """Refuse files that are no image, damaged or far too many pixels."""
    if getattr(file, "_committed", False):
        return
    validate_image(file, max_pixels=CREATIVE_MAX_PIXELS)


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


class Creative(CleanUploads, models.Model):
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
        validators=[validate_creative_image],
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
        validators=[validate_creative_image],
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

    # Stored from the pixels alone, so that nothing hidden in or appended to
    # an upload (a script, an archive) reaches readers.
    image_fields = ("image", "mobile_image")

    class Meta:
        verbose_name = "Werbemittel"
        verbose_name_plural = "Werbemittel"
        ordering = ["campaign", "name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.create_copies_later()

    def create_copies(self):
        # An image for high-density screens is exactly twice its slot;
        # ordinary screens get a copy at half the size (ads.delivery).
        for name in self.image_fields:
            if self.is_double_size(name):
                create_half_size(getattr(self, name))

    def is_double_size(self, name):
        """Whether the image in field `name` could be twice a slot's size."""
        width, height = (
            getattr(self, f"{name}_{side}") for side in ("width", "height")
        )
        return (
            bool(getattr(self, name)) and bool(width) and not (width % 2 or height % 2)
        )

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
