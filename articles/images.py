"""Resized copies of lead images, so that phones don't download 2000 px."""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_QUALITY = 82


def rendition_name(image_name, width):
    path = PurePosixPath(image_name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}w.jpg")


def rendition_widths(original_width):
    """The widths worth offering for an image this wide (never upscaled)."""
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    return widths or [original_width]


def create_renditions(image_field):
    """Write the JPEG renditions of an uploaded image that don't exist yet."""
    wanted = [
        width
        for width in rendition_widths(image_field.width)
        if not default_storage.exists(rendition_name(image_field.name, width))
    ]
    if not wanted:
        return
    with image_field.open("rb") as source, Image.open(source) as original:
        original = ImageOps.exif_transpose(original).convert("RGB")
        for width in wanted:
            height = round(original.height * width / original.width)
            resized = original.resize((width, height), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            resized.save(buffer, "JPEG", quality=RENDITION_QUALITY, optimize=True)
            default_storage.save(
                rendition_name(image_field.name, width), ContentFile(buffer.getvalue())
            )
