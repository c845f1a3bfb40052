"""Builders for fronts: a front, a version started an hour ago, blocks."""

from datetime import timedelta

from django.utils import timezone

from fronts.models import BlockKind, Front, TeaserLayout


def make_front(section=None):
    return Front.objects.get_or_create(section=section)[0]


def make_version(front=None, name="Tagesausgabe", starts_in=None, **fields):
    """A version of `front` (the Startseite) that started an hour ago, or
    starts after `starts_in` (a timedelta)."""
    starts_at = timezone.now() + (starts_in or -timedelta(hours=1))
    return (front or make_front()).versions.create(
        name=name, starts_at=starts_at, **fields
    )


def make_block(version, kind=BlockKind.TOP, placed=(), **fields):
    """A block at the end of `version`, with `placed` articles in order."""
    fields.setdefault("layout", TeaserLayout.MEDIUM)
    fields.setdefault("position", version.blocks.count() + 1)
    block = version.blocks.create(kind=kind, **fields)
    for position, article in enumerate(placed, start=1):
        version.placements.create(block=block, article=article, position=position)
    return block
