import json

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate, localtime

from articles import search
from articles.cache_keys import CALENDAR_DAY
from articles.models import Section
from articles.text import xml_text
from pagecache import dependencies

register = template.Library()

# Characters that could end or confuse a <script> block, written as JSON
# escapes so that the JSON still means the same.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})
PUBLISHER = "Newsroom"


def json_ld(data):
    payload = json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE_JSON)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


register.filter("xml_text", xml_text)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` on the host the page was requested from."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context, ancestors, current_name):
    """BreadcrumbList structured data matching the visible breadcrumb trail."""
    request = context["request"]
    crumbs = [("Startseite", reverse("articles:front_page"))]
    crumbs += [(section.name, section.get_absolute_url()) for section in ancestors]
    crumbs.append((current_name, request.path))
    return json_ld(
        {
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
    )


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """NewsArticle structured data saying what the page shows."""
    absolute = context["request"].build_absolute_uri
    modified = article.modified_at
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {
                "@type": "WebPage",
                "@id": absolute(article.get_absolute_url()),
            },
            "headline": article.headline,
            "description": article.lead,
            "image": [absolute(url) for url in article.structured_data_images()],
            "datePublished": localtime(article.published_at).isoformat(),
            "dateModified": localtime(modified).isoformat(),
            "author": [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": absolute(author.get_absolute_url()),
                }
                for author in article.authors.all()
            ],
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": PUBLISHER,
                "url": absolute(reverse("articles:front_page")),
            },
            "articleSection": article.section.name,
            "keywords": [tag.name for tag in article.tag_list],
            "inLanguage": "de",
        }
    )


@register.inclusion_tag("articles/social_meta.html", takes_context=True)
def social_meta(context, article):
    """OpenGraph and Twitter card tags for sharing an article."""
    absolute = context["request"].build_absolute_uri
    image = article.image_renditions[-1] if article.image_renditions else None
    return {
        "article": article,
        "publisher": PUBLISHER,
        "url": absolute(article.get_absolute_url()),
        "image_url": absolute(image[0]) if image else "",
        "image_width": image[1] if image else None,
        "image_height": (
            article.renditions.height("original", image[1]) if image else None
        ),
        "modified": article.modified_at,
    }


@register.filter
def teaser_time(moment):
    """A teaser's time in a <time> element: "14:32" today, "gestern, 14:32"
    yesterday, the date before that (Berlin time).

    "Today" and "yesterday" stop being true at midnight, so a page showing
    them depends on the calendar day (articles.cache_keys.CALENDAR_DAY).
    "vor 5 Min." would be stale in a stored page; static/js/teaser-time.js
    writes it on the reader's screen instead.
    """
    if moment is None:
        return ""
    local = localtime(moment).replace(microsecond=0)
    days_ago = (localdate() - local.date()).days
    if days_ago == 0:
        text = format_date(local, "H:i")
    elif days_ago == 1:
        text = "gestern, " + format_date(local, "H:i")
    else:
        text = format_date(local, "j. F Y")
    if days_ago in (0, 1):
        dependencies.note(CALENDAR_DAY)
    return format_html(
        '<time class="teaser-time" datetime="{}">{}</time>', local.isoformat(), text
    )


@register.simple_tag
def search_snippet(article, query):
    return search.snippet(article, query)


@register.inclusion_tag("articles/site_navigation.html")
def site_navigation():
    """The top-level sections, for the navigation on every page."""
    return {"sections": Section.objects.top_level()}
