from django import template

from ads.models import Creative

register = template.Library()


@register.inclusion_tag("ads/ad_slot.html")
def ad_slot(slot_key):
    """Render the creative booked for the named slot, or nothing at all."""
    creative = Creative.objects.servable_in(slot_key).first()
    return {"slot_key": slot_key, "creative": creative}
