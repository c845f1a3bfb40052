"""The resized and cropped copies readers download of a stored picture,
each re-encoded from its upright pixels."""

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}
RENDITION_QUALITY = 82
# Crops offered besides the photographer's own framing, as (width, height).
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}


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


def forget_urls(**kwargs):
    """Drop remembered URLs when the storage changes (tests switch to S3)."""
    media_url.cache_clear()
    srcset.cache_clear()


def rendition_widths(original_width):
    """The widths worth offering for an image this wide (never upscaled).

    A picture no wider than the largest width is also offered whole, so
    that each crop has a copy as large as its pixels allow: search engines
    want about 800,000 pixels (a 1600×900 source gives a 4:3 crop of
    1200×900 and a 1:1 of 900×900).
    """
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    if original_width <= RENDITION_WIDTHS[-1]:
        widths.append(original_width)
    return widths


def half_size_name(name):
    """Where the half-size copy of a picture made for 2x screens lies."""
    folder, file_name = posixpath.split(name)
    stem, extension = posixpath.splitext(file_name)
    return posixpath.join("renditions", folder, f"{stem}-1x{extension}")


def copy_pattern(name):
    """What every copy made of the stored picture `name` is called: each crop,
    focal point, width and format, and the half-size copy."""
    stem, extension = posixpath.splitext(posixpath.basename(name))
    crops = "|".join(("original", *CROPS))
    formats = "|".join(RENDITION_FORMATS)
    return re.compile(
        rf"{re.escape(stem)}-(?:(?:{crops})(?:-f\d+-\d+)?-\d+w\.(?:{formats})"
        rf"|1x{re.escape(extension)})"
    )


def delete_picture(name):
    """Remove the stored picture `name` and every copy made of it, for all
    focal points it ever had. A plain call, so that a task queue can run it."""
    folder = posixpath.join("renditions", posixpath.dirname(name))
    pattern = copy_pattern(name)
    try:
        copies = default_storage.listdir(folder)[1]
    except FileNotFoundError:
        copies = []
    for file_name in copies:
        if pattern.fullmatch(file_name):
            default_storage.delete(posixpath.join(folder, file_name))
    default_storage.delete(name)


def create_half_size(picture):
    """Write the half-size copy of a stored picture, in its own format."""
    name = half_size_name(picture.name)
    if default_storage.exists(name):
        return
    with picture.open("rb") as source, Image.open(source) as original:
        image_format = original.format
        half = original.resize(
            (original.width // 2, original.height // 2), Image.Resampling.LANCZOS
        )
    buffer = BytesIO()
    half.save(buffer, image_format, quality=RENDITION_QUALITY)
    default_storage.save(name, ContentFile(buffer.getvalue()))


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
    """The files made from one picture, named after what they contain.

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
