from django import template
from django.utils.safestring import mark_safe

from ads.delivery import Page
from ads.middleware import placeholder
from articles.models import Article, Section, Tag

register = template.Library()


def page_for(context):
    """What ads may target on the page being rendered; None on an ad-free page.

    The first slot of a page (the header, in base.html) sees the page's own
    context; the answer is kept on the request for later slots, which may sit
    in partials included with `only` or in loops over other articles.
    """
    request = getattr(context, "request", None)
    if request is not None and hasattr(request, "ad_page"):
        return request.ad_page
    article, section, tag = (
        context.get(name) for name in ("article", "section", "tag")
    )
    if isinstance(article, Article):
        page = None
        if not article.is_ad_free:
            page = Page(
                section_path=article.section.path,
                tag_ids=frozenset(tag.pk for tag in article.tag_list),
            )
    elif isinstance(section, Section):
        page = Page(section_path=section.path)
    elif isinstance(tag, Tag):
        page = Page(tag_ids=frozenset([tag.pk]))
    else:
        page = Page()
    if request is not None:
        request.ad_page = page
    return page


@register.simple_tag(takes_context=True)
def ad_slot(context, slot_key):
    """The ad chosen for the named slot on this page view, or nothing at all."""
    # The choice (tiers, weights, targeting, caps) is made once for the whole
    # page by ads.middleware.AdSlotMiddleware; the tag only marks the place.
    page = page_for(context)
    if page is None:
        return ""
    return mark_safe(placeholder(slot_key, page))


class AdSlotOrNode(template.Node):
    def __init__(self, slot_key, nodelist):
        self.slot_key = slot_key
        self.nodelist = nodelist

    def render(self, context):
        fallback = self.nodelist.render(context)
        page = page_for(context)
        if page is None:
            return fallback
        return mark_safe(placeholder(self.slot_key.resolve(context), page, fallback))


@register.tag
def ad_slot_or(parser, token):
    """{% ad_slot_or "key" %}…{% end_ad_slot_or %}: the slot's ad in place of
    the enclosed content, or the content when the slot stays empty."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} erwartet einen Platz-Schlüssel.")
    nodelist = parser.parse(("end_ad_slot_or",))
    parser.delete_first_token()
    return AdSlotOrNode(parser.compile_filter(bits[1]), nodelist)
