"""What a model with pictures gets: clean stored uploads, and renditions
cropped around a focal point with their srcsets and credit line.

Plain mixins, so that every model keeps its own fields and columns.
"""

from functools import partial

from django.db import transaction
from django.utils.functional import cached_property

from .jobs import create_copies
from .renditions import Renditions, delete_picture
from .uploads import without_metadata


def delete_pictures(names):
    for name in names:
        delete_picture(name)


class CleanUploads:
    """Stores new uploads of `image_fields` re-encoded from their pixels.

    Each of those image fields keeps its width and height fields filled.
    """

    image_fields = ("image",)

    def save(self, *args, **kwargs):
        dropped = self.dropped_pictures()
        for name in self.image_fields:
            upload = getattr(self, name)
            if upload and not upload._committed:
                cleaned = without_metadata(upload)
                upload.save(cleaned.name, cleaned, save=False)
            if upload and not getattr(self, f"{name}_width"):
                # A file assigned without a name leaves the size unread.
                self._meta.get_field(name).update_dimension_fields(self, force=True)
        super().save(*args, **kwargs)
        self.delete_pictures_after_commit(dropped)

    def stored_pictures(self):
        return [
            getattr(self, name).name
            for name in self.image_fields
            if getattr(self, name)
        ]

    def dropped_pictures(self):
        """Stored pictures this save replaces or removes.

        Reads the row only when an image field holds a new upload or
        nothing (where a picture may have been): a save that keeps its
        pictures costs no query.
        """
        if self._state.adding or self.pk is None:
            return []
        changed = [
            name
            for name in self.image_fields
            if not getattr(self, name) or not getattr(self, name)._committed
        ]
        if not changed:
            return []
        stored = (
            type(self)._default_manager.filter(pk=self.pk).values_list(*changed).first()
        )
        return [
            old
            for name, old in zip(changed, stored or (), strict=False)
            if old and old != getattr(self, name).name
        ]

    def delete_pictures_after_commit(self, names):
        # Only once the row no longer names them: a rolled-back save or
        # delete keeps its pictures.
        if names:
            transaction.on_commit(partial(delete_pictures, names))

    def create_copies(self):
        """Write the copies readers download besides the stored upload, if
        a model makes any (manage.py create_renditions calls this)."""

    def create_copies_later(self):
        """Leave writing the copies to the worker (a job), if there is a
        picture; call it from save(), after the row is written."""
        # The stored picture or its focal point may have changed.
        self.__dict__.pop("renditions", None)
        if any(getattr(self, name) for name in self.image_fields):
            create_copies.enqueue(self._meta.label, self.pk)


class PictureWithRenditions(CleanUploads):
    """A picture offered in several widths and crops.

    Reads the image field named by `picture_field` and the fields beside it
    with that prefix: `_width`, `_height`, `_focal_x`, `_focal_y` (shares of
    the width and height, 0 to 1) and `_credit`.
    """

    picture_field = "image"

    def picture_attribute(self, suffix):
        return getattr(self, f"{self.picture_field}{suffix}")

    @cached_property
    def renditions(self):
        picture = self.picture_attribute("")
        if not picture or not self.picture_attribute("_width"):
            return None
        return Renditions(
            picture.name,
            (self.picture_attribute("_width"), self.picture_attribute("_height")),
            (self.picture_attribute("_focal_x"), self.picture_attribute("_focal_y")),
        )

    def create_renditions(self):
        """Write the copies the stored picture and focal point call for."""
        self.__dict__.pop("renditions", None)
        if self.renditions:
            self.renditions.create(self.picture_attribute(""))

    def create_copies(self):
        self.create_renditions()

    @property
    def image_credit_line(self):
        credit = self.picture_attribute("_credit")
        return f"Foto: {credit}" if credit else ""

    @property
    def image_renditions(self):
        """(url, width) of each JPEG copy in the original framing, narrowest first."""
        if not self.renditions:
            return []
        return [
            (self.renditions.url("original", width), width)
            for width in self.renditions.widths("original")
        ]

    def image_srcset(self, crop="original", extension="jpg"):
        return self.renditions.srcset(crop, extension) if self.renditions else ""

    @property
    def feed_image(self):
        """(url, size in bytes) of a mid-sized rendition, or None."""
        if not self.image_renditions:
            return None
        url, width = self.image_renditions[min(1, len(self.image_renditions) - 1)]
        try:
            size = self.picture_attribute("").storage.size(
                self.renditions.name("original", width, "jpg")
            )
        except OSError:
            size = 0
        return url, size

    @property
    def card_image_url(self):
        """A small 16:9 crop for cards and lists."""
        if not self.renditions:
            return ""
        return self.renditions.url("16x9", self.renditions.widths("16x9")[0])

    @property
    def card_image_srcset(self):
        return self.image_srcset("16x9")

    @property
    def card_image_srcset_webp(self):
        return self.image_srcset("16x9", "webp")

    @property
    def lead_image_srcset(self):
        return self.image_srcset("original")

    @property
    def lead_image_srcset_webp(self):
        return self.image_srcset("original", "webp")

    def crop_urls(self):
        """The largest JPEG of each crop, e.g. for structured data."""
        if not self.renditions:
            return {}
        return {
            crop: self.renditions.url(crop, self.renditions.widths(crop)[-1])
            for crop in ("16x9", "4x3", "1x1")
        }
