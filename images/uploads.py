"""Image uploads: checks before anything is stored, and the stored copy
re-encoded from the pixels alone.

Nothing hidden in or appended to an upload (EXIF data such as the GPS
position of a photographer, a script, an archive) reaches readers, and the
orientation the camera recorded is applied once, here.
"""

import hashlib
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

# EXIF orientations that turn the picture by 90°: its width is the height.
ORIENTATION_TAG = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}

MIN_LEAD_IMAGE_WIDTH = 1200
# Longer strips have no sensible crops, and their renditions would be
# taller than WebP allows (16383 pixels).
MAX_ASPECT_RATIO = 4
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000
# Stored names end in a digest of the content, so a name never stands for
# two different pictures and browsers and CDNs may keep media for a year.
# The stem is shortened first: the storage shortens names that are too long
# for the field from the end, where the digest is.
NAME_STEM_LENGTH = 40
NAME_DIGEST_LENGTH = 12
# What the stored copy keeps of the original's format, and its file suffix.
KEPT_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def validate_image(file, max_pixels=MAX_UPLOAD_PIXELS):
    """Refuse files that are no image, too large or damaged; returns the
    upright (width, height).

    The size is read from the header before any pixel is, so a small file
    that unpacks to gigabytes is refused without being unpacked.
    """
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
            code="file_too_large",
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            if image.getexif().get(ORIENTATION_TAG) in QUARTER_TURNS:
                width, height = height, width
            if width * height > max_pixels:
                raise ValidationError(
                    "Das Bild hat %(megapixels)s Megapixel; erlaubt sind höchstens "
                    "%(limit)s.",
                    params={
                        "megapixels": round(width * height / 1_000_000),
                        "limit": max_pixels // 1_000_000,
                    },
                    code="too_many_pixels",
                )
            # Decoding every pixel is the only way to find a truncated file.
            image.load()
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(
            "Die Datei ist kein lesbares Bild (beschädigt oder unvollständig).",
            code="invalid_image",
        ) from error
    finally:
        file.seek(0)
    return width, height


def validate_lead_image(file):
    """Refuse files that are no image, too large, too small or damaged.

    Stored images passed when they were uploaded; only new uploads are read.
    """
    if getattr(file, "_committed", False):
        return
    width, height = validate_image(file)
    if width < MIN_LEAD_IMAGE_WIDTH:
        raise ValidationError(
            "Das Bild ist %(width)s Pixel breit; Aufmacherbilder brauchen mindestens "
            "%(minimum)s Pixel.",
            params={"width": width, "minimum": MIN_LEAD_IMAGE_WIDTH},
            code="too_narrow",
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(
            "Das Bild ist %(width)s × %(height)s Pixel groß; die längere Seite darf "
            "höchstens %(ratio)s-mal so lang sein wie die kürzere.",
            params={"width": width, "height": height, "ratio": MAX_ASPECT_RATIO},
            code="too_long",
        )


def without_metadata(file):
    """The image re-encoded from its pixels: upright, without EXIF.

    Only pixels are copied, so nothing appended to or hidden in the upload
    (a script, an archive) is kept. The name's suffix follows the format,
    and the name ends in a digest of the stored bytes.
    """
    file.seek(0)
    with Image.open(file) as original:
        fmt = original.format if original.format in KEPT_FORMATS else "JPEG"
        image = ImageOps.exif_transpose(original)
        if fmt == "JPEG":
            image = image.convert("RGB")
        buffer = BytesIO()
        image.save(buffer, fmt, quality=92)
    file.seek(0)
    name = PurePosixPath(file.name)
    suffix = name.suffix if SUFFIXES.get(name.suffix.lower()) == fmt else None
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()[:NAME_DIGEST_LENGTH]
    stored_name = (
        f"{name.stem[:NAME_STEM_LENGTH]}-{digest}{suffix or KEPT_FORMATS[fmt]}"
    )
    # Named, so that the image field can read its dimensions from it.
    return ContentFile(buffer.getvalue(), name=stored_name)
