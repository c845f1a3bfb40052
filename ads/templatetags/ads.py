from django import template
from django.utils.safestring import mark_safe

from ads.delivery import Page
from ads.middleware import placeholder

register = template.Library()

TARGETS = ("article", "section", "tag")


def page_for(context, about):
    """What ads may target on this page: `about` names its article, section
    or tag; None on an ad-free page.

    A slot's arguments fix the page for the rest of the request, so that
    later slots, in partials included with `only` or in loops over other
    articles, may leave them out; before any slot named one, the page is
    untargeted.
    """
    request = getattr(context, "request", None)
    about = {name: value for name, value in about.items() if value is not None}
    if about:
        page = Page.about(**about)
        if request is not None:
            request.ad_page = page
        return page
    return getattr(request, "ad_page", Page())


@register.simple_tag(takes_context=True)
def ad_slot(context, slot_key, article=None, section=None, tag=None):
    """The ad chosen for the named slot on this page view, or nothing at all:
    {% ad_slot "sidebar" section=section %}."""
    # The choice (tiers, weights, targeting, caps) is made once for the whole
    # page by ads.middleware.fill_slots; the tag only marks the place.
    page = page_for(context, {"article": article, "section": section, "tag": tag})
    if page is None:
        return ""
    return mark_safe(placeholder(slot_key, page))


class AdSlotOrNode(template.Node):
    def __init__(self, slot_key, about, nodelist):
        self.slot_key = slot_key
        self.about = about
        self.nodelist = nodelist

    def render(self, context):
        fallback = self.nodelist.render(context)
        about = {name: value.resolve(context) for name, value in self.about.items()}
        page = page_for(context, about)
        if page is None:
            return fallback
        return mark_safe(placeholder(self.slot_key.resolve(context), page, fallback))


@register.tag
def ad_slot_or(parser, token):
    """{% ad_slot_or "key" article=article %}…{% end_ad_slot_or %}: the slot's
    ad in place of the enclosed content, or the content when the slot stays
    empty. The page's article, section or tag are optional, as for ad_slot."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} erwartet einen Platz-Schlüssel.")
    about = template.base.token_kwargs(bits[2:], parser)
    if len(about) != len(bits) - 2 or set(about) - set(TARGETS):
        raise template.TemplateSyntaxError(
            f"{bits[0]} kennt nur die Angaben {', '.join(TARGETS)}."
        )
    nodelist = parser.parse(("end_ad_slot_or",))
    parser.delete_first_token()
    return AdSlotOrNode(parser.compile_filter(bits[1]), about, nodelist)
