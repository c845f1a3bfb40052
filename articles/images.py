"""Lead images: checks on upload, and the resized copies readers download.

Every copy is re-encoded from the pixels alone, so no EXIF data (such as the
GPS position of a photographer) reaches readers, and the orientation the
camera recorded is applied once, here.
"""

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
RENDITION_QUALITY = 82
# Crops offered besides the photographer's own framing, as (width, height).
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}

# EXIF orientations that turn the picture by 90°: its width is the height.
ORIENTATION_TAG = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}

MIN_LEAD_IMAGE_WIDTH = 1200
# Longer strips have no sensible crops, and their renditions would be
# taller than WebP allows (16383 pixels).
MAX_ASPECT_RATIO = 4
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000
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
    (a script, an archive) is kept. The name's suffix follows the format.
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
    if SUFFIXES.get(name.suffix.lower()) != fmt:
        name = name.with_suffix(KEPT_FORMATS[fmt])
    # Named, so that the image field can read its dimensions from it.
    return ContentFile(buffer.getvalue(), name=name.name)


# A page lists dozens of copies, and the same cards appear on many pages.
# Media URLs are public and depend on the name alone (also on object
# storage, where media is served without signed query strings).
@lru_cache(maxsize=20_000)
def media_url(name):
    return default_storage.url(name)


@lru_cache(maxsize=5_000)
def srcset(renditions, crop, extension):
    return ", ".join(
        f"{media_url(renditions.name(crop, width, extension))} {width}w"
        for width in renditions.widths(crop)
    )


def rendition_widths(original_width):
    """The widths worth offering for an image this wide (never upscaled)."""
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    return widths or [original_width]


def crop_box(size, ratio, focal_point):
    """The largest box of `ratio` inside `size`, centred on the focal point."""
    width, height = size
    ratio_width, ratio_height = ratio
    crop_width = min(width, round(height * ratio_width / ratio_height))
    crop_height = min(height, round(width * ratio_height / ratio_width))
    focal_x, focal_y = focal_point
    left = min(max(round(focal_x * width - crop_width / 2), 0), width - crop_width)
    top = min(max(round(focal_y * height - crop_height / 2), 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


@dataclass(frozen=True)
class Renditions:
    """The files made from one lead image, named after what they contain.

    The focal point is part of each crop's name, so moving it makes new
    files instead of serving stale ones from a cache.
    """

    image_name: str
    size: tuple
    focal_point: tuple

    def name(self, crop, width, extension):
        # String functions, not pathlib: a page asks for dozens of names.
        folder, file_name = posixpath.split(self.image_name)
        stem = posixpath.splitext(file_name)[0]
        focus = (
            ""
            if crop == "original"
            else "-f{:.0f}-{:.0f}".format(*(share * 100 for share in self.focal_point))
        )
        return posixpath.join(
            "renditions", folder, f"{stem}-{crop}{focus}-{width}w.{extension}"
        )

    def crop_size(self, crop):
        if crop == "original":
            return self.size
        left, top, right, bottom = crop_box(self.size, CROPS[crop], self.focal_point)
        return (right - left, bottom - top)

    def widths(self, crop):
        return rendition_widths(self.crop_size(crop)[0])

    def height(self, crop, width):
        crop_width, crop_height = self.crop_size(crop)
        return round(crop_height * width / crop_width)

    def srcset(self, crop, extension):
        return srcset(self, crop, extension)

    def url(self, crop, width, extension="jpg"):
        return media_url(self.name(crop, width, extension))

    def create(self, image_file):
        """Write every rendition that doesn't exist yet."""
        wanted = [
            (crop, width, extension)
            for crop in ("original", *CROPS)
            for width in self.widths(crop)
            for extension in RENDITION_FORMATS
            if not default_storage.exists(self.name(crop, width, extension))
        ]
        if not wanted:
            return
        with image_file.open("rb") as source, Image.open(source) as original:
            pixels = ImageOps.exif_transpose(original).convert("RGB")
        for crop, width in dict.fromkeys((crop, width) for crop, width, _ in wanted):
            cropped = (
                pixels
                if crop == "original"
                else pixels.crop(crop_box(pixels.size, CROPS[crop], self.focal_point))
            )
            resized = cropped.resize(
                (width, self.height(crop, width)), Image.Resampling.LANCZOS
            )
            for extension in RENDITION_FORMATS:
                if (crop, width, extension) not in wanted:
                    continue
                buffer = BytesIO()
                resized.save(
                    buffer, RENDITION_FORMATS[extension][0], quality=RENDITION_QUALITY
                )
                default_storage.save(
                    self.name(crop, width, extension), ContentFile(buffer.getvalue())
                )
