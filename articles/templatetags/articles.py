import json

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from articles import search, services
from articles.beacons import VIEW_TOKEN_PLACEHOLDER
from articles.models import Article, Section
from articles.text import xml_text

register = template.Library()

# Characters that could end or confuse a <script> block, written as JSON
# escapes so that the JSON still means the same.
SCRIPT_SAFE_JSON = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})
PUBLISHER = "Newsroom"
CHART_WIDTH, CHART_HEIGHT = 720, 200


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
    crumbs = [("Home", reverse("articles:front_page"))]
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


@register.simple_tag
def view_token(article):
    """Where articles.middleware.ViewTokenMiddleware puts a fresh view token."""
    return f"{VIEW_TOKEN_PLACEHOLDER}{article.pk}"


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


@register.inclusion_tag("articles/most_read.html")
def most_read():
    """The "Meistgelesen" block: the last 24 hours, else the last 7 days."""
    articles = Article.objects.published().most_read().for_cards()
    return {"articles": articles[: services.MOST_READ_SHOWN]}


@register.simple_tag
def search_snippet(article, query):
    return search.snippet(article, query)


@register.inclusion_tag("articles/views_chart.html")
def views_chart(days):
    """Bars for (day, views) pairs, scaled to the largest day."""
    largest = max((views for _, views in days), default=0) or 1
    slot = CHART_WIDTH / max(len(days), 1)
    bars = [
        {
            "day": day,
            "views": views,
            "x": round(index * slot + slot * 0.1, 2),
            "width": round(slot * 0.8, 2),
            "height": round(views / largest * CHART_HEIGHT, 2),
            "y": round(CHART_HEIGHT - views / largest * CHART_HEIGHT, 2),
        }
        for index, (day, views) in enumerate(days)
    ]
    return {
        "bars": bars,
        "largest": largest,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first": days[0][0] if days else None,
        "last": days[-1][0] if days else None,
    }


@register.inclusion_tag("articles/site_navigation.html")
def site_navigation():
    """The top-level sections, for the navigation on every page."""
    return {"sections": Section.objects.top_level()}
