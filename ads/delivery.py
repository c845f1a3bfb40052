"""Which ads one page view shows: one decision for all its slots.

The running campaigns are read from the database at most once a minute per
process (and again as soon as an ad manager saves); every decision in between
works on that snapshot and costs no query.

Each process keeps its snapshot in memory, so that a page view need not
unpickle it from the cache. A small version number in the shared cache
tells every process (and every app server) when an ad manager's save has
made its snapshot old.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property
from itertools import accumulate

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from images.renditions import half_size_name

from .models import (
    BERLIN,
    AdSlot,
    Campaign,
    CampaignTier,
    Creative,
    EventCount,
    SlotFormat,
)

SNAPSHOT_VERSION_KEY = "ads:delivery-snapshot-version"
# First to last; iterating the enum itself costs more on every page view.
TIERS = tuple(CampaignTier)
# Also how late a daily cap or a goal can take effect.
SNAPSHOT_SECONDS = 60
# The names screen readers announce for the ads of a page: each ad is a
# landmark of its own, and a page's landmarks need names of their own.
READER_LABELS = {
    "header": "Anzeige oben",
    "sidebar": "Anzeige neben den Artikeln",
    "article-inline": "Anzeige im Artikel",
    "article-end-1": "Anzeige nach dem Artikel",
    "article-end-2": "Zweite Anzeige nach dem Artikel",
}


@dataclass(frozen=True)
class SlotPlan:
    id: int
    key: str
    name: str
    format: str
    width: int
    height: int
    mobile_width: int | None
    mobile_height: int | None
    is_below_fold: bool

    @property
    def is_native(self):
        return self.format == SlotFormat.NATIVE

    @property
    def reader_label(self):
        return READER_LABELS.get(self.key, f"Anzeige: {self.name}")


@dataclass(frozen=True)
class CreativePlan:
    id: int
    campaign_id: int
    slot_keys: frozenset
    image_url: str
    mobile_image_url: str
    # "half 1x, full 2x" for an image twice its slot's size, else "".
    image_srcset: str
    mobile_image_srcset: str
    alt_text: str
    headline: str
    advertiser_name: str
    target_url: str


@dataclass(frozen=True)
class CampaignPlan:
    id: int
    tier: int
    weight: int
    starts_at: datetime
    ends_at: datetime
    sections: tuple = ()
    tags: frozenset = frozenset()
    excluded_sections: tuple = ()
    excluded_tags: frozenset = frozenset()
    creatives: tuple = ()

    def matches(self, page):
        """Targeting and exclusions allow this campaign on `page`."""
        if self.excluded_sections and _below(page.section_path, self.excluded_sections):
            return False
        if self.excluded_tags & page.tag_ids:
            return False
        if self.sections and not _below(page.section_path, self.sections):
            return False
        return not self.tags or bool(self.tags & page.tag_ids)

    def creatives_for(self, slot_key):
        return self.creatives_by_slot.get(slot_key, [])

    @cached_property
    def creatives_by_slot(self):
        """{slot key: [creative]}: worked out once per snapshot, not per view."""
        by_slot = {}
        for creative in self.creatives:
            for key in creative.slot_keys:
                by_slot.setdefault(key, []).append(creative)
        return by_slot


def _below(path, section_paths):
    """`path` is one of `section_paths` or lies below one of them."""
    if not path:
        return False
    return any(path == s or path.startswith(f"{s}/") for s in section_paths)


@dataclass(frozen=True)
class Page:
    """What targeting may look at on the page being shown."""

    section_path: str = ""
    tag_ids: frozenset = frozenset()

    @classmethod
    def about(cls, article=None, section=None, tag=None):
        """The page about `article`, `section` or `tag` (the first given);
        None for an ad-free article, whose page shows no ad at all."""
        if article is not None:
            if article.is_ad_free:
                return None
            return cls(
                section_path=article.section.path,
                tag_ids=frozenset(tag.pk for tag in article.tag_list),
            )
        if section is not None:
            return cls(section_path=section.path)
        if tag is not None:
            return cls(tag_ids=frozenset([tag.pk]))
        return cls()


# Pages (section and tags) whose choices a snapshot keeps worked out; a
# site has a few hundred, and made-up ones can't grow it past this.
KEPT_CHOICES = 1024


@dataclass(frozen=True)
class Snapshot:
    slots: dict
    campaigns: tuple
    # {(page, slot keys): [[(slot, campaigns that fit it, their cumulative
    # weights)] per tier]}, see choices().
    _choices: dict = field(default_factory=dict, compare=False, repr=False)
    # [ids of the running campaigns, from, until]: see running().
    _running: list = field(
        default_factory=lambda: [frozenset(), None, None], compare=False, repr=False
    )

    def choices(self, slot_keys, page):
        """For each tier, first to last, each of `slot_keys`' slots with the
        campaigns of the tier that may show on `page` and have a creative
        for it, in the snapshot's order, and their cumulative weights (as
        random.choices takes them); a slot no campaign of the tier fits is
        left out. Time and what the page already shows are left to decide().

        The same for every view of a page while the snapshot lasts, so
        worked out once: a view then only makes its weighted picks.
        """
        key = (page, tuple(slot_keys))
        found = self._choices.get(key)
        if found is None:
            slots = [self.slots[k] for k in slot_keys if k in self.slots]
            matching = [c for c in self.campaigns if c.matches(page)]
            found = [
                [
                    (slot, fitting, list(accumulate(c.weight for c in fitting)))
                    for slot in slots
                    if (fitting := [c for c in in_tier if c.creatives_for(slot.key)])
                ]
                for in_tier in (
                    [c for c in matching if c.tier == tier] for tier in TIERS
                )
            ]
            if len(self._choices) >= KEPT_CHOICES:
                self._choices.clear()
            self._choices[key] = found
        return found

    def running(self, at):
        """The ids of the campaigns running at `at`, worked out again only
        when a campaign of the snapshot has started or ended since."""
        ids, since, until = self._running
        if since is None or not since <= at < until:
            changes = [
                moment for c in self.campaigns for moment in (c.starts_at, c.ends_at)
            ]
            ids = frozenset(
                c.id for c in self.campaigns if c.starts_at <= at < c.ends_at
            )
            since = max(
                (m for m in changes if m <= at),
                default=datetime.min.replace(tzinfo=at.tzinfo),
            )
            until = min(
                (m for m in changes if m > at),
                default=datetime.max.replace(tzinfo=at.tzinfo),
            )
            self._running[:] = [ids, since, until]
        return ids


@dataclass(frozen=True)
class Placement:
    slot: SlotPlan
    creative: CreativePlan


def slot_plan(slot):
    width, height = slot.box()
    return SlotPlan(
        id=slot.pk,
        key=slot.key,
        name=slot.name,
        format=slot.format,
        width=width,
        height=height,
        mobile_width=slot.mobile_width,
        mobile_height=slot.mobile_height,
        is_below_fold=slot.is_below_fold,
    )


def density_srcset(creative, name, slot_widths):
    """Both copies of an image made twice its slot's size, for the browser
    to choose by screen density; "" for any other image."""
    picture = getattr(creative, name)
    if not (
        creative.is_double_size(name)
        and getattr(creative, f"{name}_width") in {2 * w for w in slot_widths if w}
    ):
        return ""
    half = half_size_name(picture.name)
    # Creatives stored before half-size copies existed have none.
    if not default_storage.exists(half):
        return ""
    return f"{default_storage.url(half)} 1x, {picture.url} 2x"


def creative_plan(creative, advertiser_name):
    slots = creative.slots.all()
    return CreativePlan(
        id=creative.pk,
        campaign_id=creative.campaign_id,
        slot_keys=frozenset(slot.key for slot in slots),
        image_url=creative.image.url,
        mobile_image_url=creative.mobile_image.url if creative.mobile_image else "",
        image_srcset=density_srcset(creative, "image", [s.width for s in slots]),
        mobile_image_srcset=(
            density_srcset(creative, "mobile_image", [s.mobile_width for s in slots])
            if creative.mobile_image
            else ""
        ),
        alt_text=creative.alt_text,
        headline=creative.headline,
        advertiser_name=advertiser_name,
        target_url=creative.target_url,
    )


def is_held_back(campaign, served_total, served_today, now):
    """The campaign has used up its daily cap, its goal or today's pace."""
    if campaign.daily_cap is not None and served_today >= campaign.daily_cap:
        return True
    if campaign.impression_goal is None:
        return False
    # Even pacing: no more than the goal's share for the run up to tonight.
    allowed = campaign.impression_goal * campaign.expected_share(now)
    return served_total >= min(allowed, campaign.impression_goal)


def build_snapshot():
    now = timezone.now()
    slots = {slot.key: slot_plan(slot) for slot in AdSlot.objects.active()}
    campaigns = (
        Campaign.objects.deliverable_soon(timedelta(seconds=SNAPSHOT_SECONDS))
        .select_related("advertiser")
        .prefetch_related(
            "sections",
            "tags",
            "excluded_sections",
            "excluded_tags",
            Prefetch(
                "creatives",
                queryset=Creative.objects.active().prefetch_related("slots"),
            ),
        )
    )
    day_start = datetime.combine(timezone.localtime(now, BERLIN).date(), time(), BERLIN)
    served_total = EventCount.objects.served_by_campaign()
    served_today = EventCount.objects.served_by_campaign(since=day_start)
    plans = []
    for campaign in campaigns:
        if is_held_back(
            campaign,
            served_total.get(campaign.pk, 0),
            served_today.get(campaign.pk, 0),
            now,
        ):
            continue
        creatives = tuple(
            creative_plan(creative, campaign.advertiser.name)
            for creative in campaign.creatives.all()
        )
        if not creatives:
            continue
        plans.append(
            CampaignPlan(
                id=campaign.pk,
                tier=campaign.tier,
                weight=campaign.weight,
                starts_at=campaign.starts_at,
                ends_at=campaign.ends_at,
                sections=tuple(s.path for s in campaign.sections.all()),
                tags=frozenset(t.pk for t in campaign.tags.all()),
                excluded_sections=tuple(
                    s.path for s in campaign.excluded_sections.all()
                ),
                excluded_tags=frozenset(t.pk for t in campaign.excluded_tags.all()),
                creatives=creatives,
            )
        )
    return Snapshot(slots=slots, campaigns=tuple(plans))


# This process's snapshot: (version, built at, Snapshot), or None.
_kept = None


def snapshot_version():
    """The version the campaigns are at; a new one after a cleared cache."""
    version = cache.get(SNAPSHOT_VERSION_KEY)
    if version is None:
        cache.add(SNAPSHOT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(SNAPSHOT_VERSION_KEY)
    return version


def current_snapshot():
    global _kept
    version, now = snapshot_version(), timezone.now()
    if (
        _kept is None
        or _kept[0] != version
        or (now - _kept[1]).total_seconds() >= SNAPSHOT_SECONDS
    ):
        _kept = (version, now, build_snapshot())
    return _kept[2]


def forget_snapshot():
    """Make the next page view in every process read the campaigns afresh
    (after a change)."""
    cache.set(SNAPSHOT_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def decide(slot_keys, page, snapshot=None, rng=None, at=None):
    """Choose a creative for each of `slot_keys` on `page`: {key: Placement}.

    Tiers go first to last; within a tier a campaign's chance follows its
    weight. A campaign appears at most once on the page, and a slot nobody
    fits stays out of the result.
    """
    snapshot = snapshot or current_snapshot()
    rng = rng or random
    at = at or timezone.now()
    placements, used = {}, set()
    running = snapshot.running(at)
    for in_tier in snapshot.choices(slot_keys, page):
        for slot, campaigns, cumulative_weights in in_tier:
            if slot.key in placements:
                continue
            fitting = [c for c in campaigns if c.id in running and c.id not in used]
            if not fitting:
                continue
            if len(fitting) == len(campaigns):
                # The same draw as from the weights, without adding them up.
                (campaign,) = rng.choices(campaigns, cum_weights=cumulative_weights)
            else:
                (campaign,) = rng.choices(fitting, weights=[c.weight for c in fitting])
            used.add(campaign.id)
            placements[slot.key] = Placement(
                slot=slot, creative=rng.choice(campaign.creatives_for(slot.key))
            )
    return placements
