"""What the page cache needs to know about fronts.

A page that may show a front notes `front:start` (the Startseite) or
`front:section:<id>`, whether or not a front exists there yet, so that
creating, changing or removing the front retires exactly that page. The
articles a front shows are noted as rows (`article:<id>`) and the lists
its blocks fill from as list keys (fronts.filling), so an article change
retires the fronts that show it. A planned version goes live by the clock.
"""

from django.db.models.signals import pre_save
from django.utils import timezone

from pagecache import dependencies
from pagecache.dependencies import key

from .models import Block, Front, FrontVersion, Placement

START = "front:start"


def place_key(section_id):
    """The key of the page a front with `section_id` (None: Startseite) shows on."""
    return key("front", f"section:{section_id}") if section_id else START


def front_keys(front):
    return {place_key(front.section_id)}


def version_keys(version):
    """A change to a version reaches readers only once it has started;
    a planned one's edits leave the cached page alone."""
    starts = {version.starts_at, getattr(version, "_starts_at_before", None)} - {None}
    now = timezone.now()
    if any(moment <= now for moment in starts):
        front = Front.objects.filter(pk=version.front_id).values("section_id").first()
        if front is not None:
            return {place_key(front["section_id"])}
    return set()


def version_part_keys(part):
    version = FrontVersion.objects.filter(pk=part.version_id).first()
    return version_keys(version) if version else set()


def version_saving(sender, instance, raw=False, **kwargs):
    stored = (
        FrontVersion.objects.filter(pk=instance.pk).values("starts_at").first()
        if instance.pk
        else None
    )
    instance._starts_at_before = stored and stored["starts_at"]


def next_start(since):
    """When the next planned version goes live after `since`."""
    return (
        FrontVersion.objects.filter(starts_at__gt=since)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def started_by_the_clock(since, now):
    """The pages whose front got a new version in (since, now]."""
    return {
        place_key(section_id)
        for section_id in FrontVersion.objects.filter(
            starts_at__gt=since, starts_at__lte=now
        ).values_list("front__section_id", flat=True)
    }


def register():
    dependencies.touch_on_change(Front, front_keys)
    dependencies.touch_on_change(FrontVersion, version_keys)
    dependencies.touch_on_change(Block, version_part_keys)
    dependencies.touch_on_change(Placement, version_part_keys)
    pre_save.connect(version_saving, sender=FrontVersion)
    dependencies.register_clock(next_start, started_by_the_clock)
