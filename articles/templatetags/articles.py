import json

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from articles.models import Section

register = template.Library()

# Characters that could end or confuse a <script> block, written as JSON
# escapes so that the JSON still means the same.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, ancestors, current_name):
    """BreadcrumbList structured data matching the visible breadcrumb trail."""
    request = context["request"]
    crumbs = [("Home", reverse("articles:front_page"))]
    crumbs += [(section.name, section.get_absolute_url()) for section in ancestors]
    crumbs.append((current_name, request.path))
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }
    payload = json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE_JSON)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.inclusion_tag("articles/site_navigation.html")
def site_navigation():
    """The top-level sections, for the navigation on every page."""
    return {"sections": Section.objects.top_level()}
