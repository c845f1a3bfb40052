"""Agency copy: who sends it, what arrived, and what the desk made of it."""

from .agencies import Agency, Rule
from .items import AgencyItem, ItemVersion, PubStatus, Takeover

__all__ = ["Agency", "AgencyItem", "ItemVersion", "PubStatus", "Rule", "Takeover"]
