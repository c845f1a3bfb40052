from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from .models import Article, Section, Tag
from .text import xml_text

FEED_ITEMS = 30
PUBLICATION = "Newsroom"


class AbsoluteLinks:
    """Enclosure and author links made absolute on the feed's own host.

    Django only does that for item links; the feed's link already is.
    """

    def add_item(self, *, enclosures=None, author_link=None, **kwargs):
        base = self.feed["link"]
        enclosures = [
            Enclosure(
                urljoin(base, enclosure.url), enclosure.length, enclosure.mime_type
            )
            for enclosure in enclosures or []
        ]
        if author_link:
            author_link = urljoin(base, author_link)
        super().add_item(enclosures=enclosures, author_link=author_link, **kwargs)


def feed_text(value):
    """`value` (a text, or a list of them) as XML can carry it."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return [feed_text(item) for item in value]
    return value


class PlainTextAsWritten:
    """Our texts reach feed readers as the editors wrote them.

    Readers show descriptions (RSS) and summaries (Atom, type "html") as
    HTML, while leads and section descriptions are plain text: escaped
    once more, a "<script>" in them is shown, not run. Characters that
    XML 1.0 cannot carry are left out instead of breaking the feed.
    """

    def __init__(self, **kwargs):
        kwargs = {key: feed_text(value) for key, value in kwargs.items()}
        kwargs["description"] = escape(kwargs["description"])
        super().__init__(**kwargs)

    def add_item(self, **kwargs):
        kwargs = {key: feed_text(value) for key, value in kwargs.items()}
        if kwargs.get("description") is not None:
            kwargs["description"] = escape(kwargs["description"])
        super().add_item(**kwargs)


class RssFeed(PlainTextAsWritten, AbsoluteLinks, Rss201rev2Feed):
    pass


class AtomFeed(PlainTextAsWritten, AbsoluteLinks, Atom1Feed):
    pass


class LatestArticlesFeed(Feed):
    feed_type = RssFeed
    language = "de"
    title = PUBLICATION
    description = "Die neuesten Artikel von Newsroom."
    feed_copyright = "Newsroom"

    def link(self, obj):
        return reverse("articles:front_page")

    def items(self, obj):
        return self.articles(obj).for_feeds()[:FEED_ITEMS]

    def articles(self, obj):
        return Article.objects.published()

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.lead

    def item_guid(self, item):
        # Addresses change with the slug or section; the id does not.
        return f"urn:newsroom:artikel:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_author_link(self, item):
        authors = item.authors.all()
        return authors[0].get_absolute_url() if len(authors) == 1 else None

    def item_categories(self, item):
        kind = [item.get_kind_display()] if item.is_gallery else []
        return [item.section.name, *kind, *(tag.name for tag in item.tag_list)]

    def item_enclosures(self, item):
        image = item.feed_image
        if image is None:
            return []
        url, size = image
        return [Enclosure(url, str(size), "image/jpeg")]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, section_path):
        return get_object_or_404(Section, path=section_path)

    def title(self, obj):
        return f"{obj.name} | {PUBLICATION}"

    def description(self, obj):
        return obj.description or f"Die neuesten Artikel im Ressort {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"Thema {obj.name} | {PUBLICATION}"

    def description(self, obj):
        return f"Die neuesten Artikel zum Thema {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = AtomFeed

    def subtitle(self, obj):
        return self.description(obj)
