from django import template

from pagecache import dependencies
from pages.cache_keys import FOOTER
from pages.models import Page

register = template.Library()


@register.inclusion_tag("pages/footer_links.html")
def footer_links():
    """Links to every page, for the footer of every page."""
    dependencies.note(FOOTER)
    return {"pages": Page.objects.values("title", "slug")}
