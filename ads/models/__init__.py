from .campaigns import (
    BERLIN,
    PACING_TOLERANCE,
    Advertiser,
    Campaign,
    CampaignStatus,
    CampaignTier,
)
from .counts import AdEvent, CountReason, EventCount
from .creatives import IMAGE_WEIGHT_BUDGET, Creative, https_only
from .slots import NATIVE_MIN_WIDTH, AdSlot, SlotFormat

__all__ = [
    "BERLIN",
    "IMAGE_WEIGHT_BUDGET",
    "NATIVE_MIN_WIDTH",
    "PACING_TOLERANCE",
    "AdEvent",
    "AdSlot",
    "Advertiser",
    "Campaign",
    "CampaignStatus",
    "CampaignTier",
    "CountReason",
    "Creative",
    "EventCount",
    "SlotFormat",
    "https_only",
]
