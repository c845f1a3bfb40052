import json
from urllib.parse import urlencode

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate, localtime

from articles import search
from articles.cache_keys import CALENDAR_DAY, SECTIONS
from articles.models import Section
from articles.pagination import ARCHIVE_PARAMETERS
from articles.text import xml_text
from pagecache import dependencies

register = template.Library()

# Characters that could end or confuse a <script> block, written as JSON
# escapes so that the JSON still means the same.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})
PUBLISHER = "Newsroom"
# Drawn for us (static/img); square, as search engines want a publisher's
# logo, and large enough for any of their uses (at least 112 px).
PUBLISHER_LOGO = ("img/newsroom-logo.png", 512, 512)
HOME = "Startseite"
SITE_DESCRIPTION = (
    "Nachrichten, Hintergründe und Analysen aus Politik, Wirtschaft, Sport, "
    "Kultur und Wissen."
)


def publisher(absolute):
    """The publisher as schema.org describes a news organisation."""
    logo, width, height = PUBLISHER_LOGO
    return {
        "@type": "NewsMediaOrganization",
        "name": PUBLISHER,
        "url": absolute(reverse("articles:front_page")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(logo)),
            "width": width,
            "height": height,
        },
    }


def json_ld(data):
    payload = json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE_JSON)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


register.filter("xml_text", xml_text)


@register.filter
def iso_time(moment):
    """`moment` in Berlin time to the second, as <time datetime>, OpenGraph
    and structured data carry it: the HTML checker refuses the six
    fractional digits a database time would bring."""
    return localtime(moment).replace(microsecond=0).isoformat() if moment else ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` on the host the page was requested from."""
    return context["request"].build_absolute_uri(path)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, ancestors, current_name):
    """The visible trail and its BreadcrumbList, from one list of crumbs."""
    request = context["request"]
    crumbs = [(HOME, reverse("articles:front_page"))]
    crumbs += [(section.name, section.get_absolute_url()) for section in ancestors]
    structured_data = json_ld(
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
                for position, (name, url) in enumerate(
                    [*crumbs, (current_name, request.path)], start=1
                )
            ],
        }
    )
    return {"crumbs": crumbs, "current": current_name, "json_ld": structured_data}


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    """NewsArticle structured data saying what the page shows."""
    absolute = context["request"].build_absolute_uri
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
            "datePublished": iso_time(article.published_at),
            "dateModified": iso_time(article.modified_at),
            "author": [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": absolute(author.get_absolute_url()),
                }
                for author in article.authors.all()
            ],
            "publisher": publisher(absolute),
            "articleSection": article.section.name,
            "keywords": [tag.name for tag in article.tag_list],
            "inLanguage": "de",
        }
    )


@register.inclusion_tag("articles/social_meta.html", takes_context=True)
def social_meta(context, article):
    """Canonical address, OpenGraph and Twitter card tags for an article."""
    absolute = context["request"].build_absolute_uri
    image = article.image_renditions[-1] if article.image_renditions else None
    return {
        "article": article,
        "type": "article",
        "publisher": PUBLISHER,
        "title": article.headline,
        "description": article.lead,
        # A page of the article (a gallery's picture) may stand for itself.
        "url": absolute(context.get("canonical_path") or article.get_absolute_url()),
        "image_url": absolute(image[0]) if image else "",
        "image_width": image[1] if image else None,
        "image_height": (
            article.renditions.height("original", image[1]) if image else None
        ),
        "image_alt": article.image_alt,
        "modified": article.modified_at,
    }


@register.inclusion_tag("articles/social_meta.html", takes_context=True)
def page_social_meta(context, title, description=SITE_DESCRIPTION):
    """The same tags for a list page (home, Ressort, topic, author).

    Its canonical address keeps the page's place in the archive (a cursor),
    so every page of a list stands for itself, and drops everything else
    (trackers, typos).
    """
    request = context["request"]
    kept = {
        name: request.GET[name] for name in ARCHIVE_PARAMETERS if name in request.GET
    }
    path = f"{request.path}?{urlencode(kept)}" if kept else request.path
    logo, width, height = PUBLISHER_LOGO
    return {
        "type": "website",
        "publisher": PUBLISHER,
        "title": title,
        "description": description,
        "url": request.build_absolute_uri(path),
        "image_url": request.build_absolute_uri(static(logo)),
        "image_width": width,
        "image_height": height,
        "image_alt": f"Logo von {PUBLISHER}",
    }


@register.simple_tag
def site_description():
    """What the whole site offers, for pages without a description of their own."""
    return SITE_DESCRIPTION


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
    local = localtime(moment)
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
        '<time class="teaser-time" datetime="{}">{}</time>', iso_time(moment), text
    )


@register.simple_tag
def search_snippet(article, query):
    return search.snippet(article, query)


@register.inclusion_tag("articles/site_navigation.html")
def site_navigation():
    """The top-level sections, for the navigation on every page."""
    # A new section is in none of the rows read: the list's key says it.
    dependencies.note(SECTIONS)
    return {"sections": Section.objects.top_level()}
