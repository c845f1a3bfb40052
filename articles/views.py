import mimetypes
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from pagecache import dependencies, fragments
from pagecache.decorators import cache_page_with_dependencies

from . import cache_keys, search
from .forms import SearchForm
from .models import (
    Article,
    Author,
    PreviewLink,
    SearchWord,
    Section,
    Tag,
    TopicBox,
)
from .pagination import ARCHIVE_PARAMETERS, BoundedPaginator, archive_page

ARTICLES_PER_PAGE = 12
SEARCH_RESULTS_PER_PAGE = 10
SEARCH_MAX_RESULTS = 200
FRONT_PAGE_ARTICLES_PER_SECTION = 4
NEWS_SITEMAP_MAX_AGE = timedelta(days=2)
NEWS_SITEMAP_MAX_URLS = 1000

# Pages another app may put in place of the newest-first front page and
# section pages (curated fronts): see show_curated_pages().
_curated_pages = []


def show_curated_pages(page):
    """Let `page(request, section)` answer the front page (section None)
    and the first page of each section's list; it returns a response, or
    None to keep the newest-first page.

    Apps call this from AppConfig.ready(). The answer is stored in the page
    cache under the same address: `page` notes the keys it depends on,
    including one that changes when a curated page appears or goes.
    """
    _curated_pages.append(page)


def curated_page(request, section=None):
    for page in _curated_pages:
        response = page(request, section)
        if response is not None:
            return response
    return None


@cache_page_with_dependencies(lists=cache_keys.all_articles)
class FrontPageView(ListView):
    template_name = "articles/front_page.html"
    context_object_name = "articles"

    def get(self, request, *args, **kwargs):
        return curated_page(request) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        # One query for the sections, kept for the blocks below.
        self.sections = Section.objects.top_level()
        return (
            Article.objects.published()
            .for_cards()
            # One more per section, in case the lead article is among them.
            .latest_per_top_section(self.sections, FRONT_PAGE_ARTICLES_PER_SECTION + 1)
        )

    def get_context_data(self, **kwargs):
        articles = list(self.object_list)
        lead_article = articles[0] if articles else None
        return super().get_context_data(
            lead_article=lead_article,
            section_blocks=self.sections.with_articles(
                articles,
                leaving_out=lead_article,
                count=FRONT_PAGE_ARTICLES_PER_SECTION,
            ),
            **kwargs,
        )


class ArchiveListView(ListView):
    """A newest-first list paged by cursor (see articles.pagination)."""

    context_object_name = "articles"
    # Checked on the page itself: ListView would read the whole list.
    empty_is_not_found = False

    def get_context_data(self, **kwargs):
        page = archive_page(self.object_list, self.request.GET, ARTICLES_PER_PAGE)
        if page is None and self.empty_is_not_found:
            raise Http404("Hier gibt es keine Artikel.")
        return super().get_context_data(
            object_list=page.object_list if page else [], page_obj=page, **kwargs
        )


@cache_page_with_dependencies(
    parameters=ARCHIVE_PARAMETERS, lists=cache_keys.section_page
)
class SectionDetailView(ArchiveListView):
    template_name = "articles/section_detail.html"

    def get(self, request, *args, **kwargs):
        self.ancestry = Section.objects.ancestry(self.kwargs["section_path"])
        if not self.ancestry or self.ancestry[-1].path != self.kwargs["section_path"]:
            raise Http404("Dieses Ressort gibt es nicht.")
        self.section = self.ancestry[-1]
        # Older pages of the list stay newest first.
        if not any(name in request.GET for name in ARCHIVE_PARAMETERS):
            response = curated_page(request, self.section)
            if response is not None:
                return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().in_section(self.section).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            ancestors=self.ancestry[:-1],
            subsections=self.section.children.all(),
            **kwargs,
        )


@cache_page_with_dependencies(parameters=ARCHIVE_PARAMETERS, lists=cache_keys.tag_page)
class TagDetailView(ArchiveListView):
    template_name = "articles/tag_detail.html"
    empty_is_not_found = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@cache_page_with_dependencies(
    parameters=ARCHIVE_PARAMETERS, lists=cache_keys.author_page
)
class AuthorDetailView(ArchiveListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticlePageMixin:
    """The article page's data, shared by the public page and the previews."""

    context_object_name = "article"
    template_name = "articles/article_detail.html"

    def topic_boxes(self):
        """The "Mehr zum Thema" boxes shown: those a reader may follow."""
        return TopicBox.objects.visible()

    def article_queryset(self):
        # The tags target the page's ads, which are chosen on every render.
        return Article.objects.select_related("section").with_tag_list()

    def article_in_full(self):
        """The article with everything its stored parts show (authors,
        corrections, boxes), read once on first use: a render that finds
        those parts stored (pagecache.fragments) never reads it."""
        article = self.object
        prefetch_related_objects(
            [article],
            "authors",
            "corrections",
            Prefetch(
                "topic_boxes",
                queryset=self.topic_boxes().select_related("target__section"),
            ),
        )
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        # Callables: the template calls them where a part is rendered.
        in_full = dependencies.read_once(self.article_in_full)
        return super().get_context_data(
            ancestors=dependencies.read_once(article.section.ancestry),
            article_in_full=in_full,
            body_parts=lambda: article.body_parts(in_full().topic_boxes.all()),
            **kwargs,
        )


@cache_page_with_dependencies(
    parameters=ARCHIVE_PARAMETERS, lists=cache_keys.article_page
)
class ArticleDetailView(ArticlePageMixin, DetailView):
    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Not an article: the whole path may still name a subsection.
            section_path = f"{kwargs['section_path']}/{kwargs['slug']}"
            return SectionDetailView.as_view()(request, section_path=section_path)

    def get_queryset(self):
        return (
            self.article_queryset()
            .published()
            .filter(section__path=self.kwargs["section_path"])
        )

    def get_object(self, queryset=None):
        # On a miss of the page cache (a new address) building the query
        # took half the page's time: the article its address names is
        # stored instead, with its section and tags, until one of them
        # changes (pagecache.fragments).
        return fragments.stored_value(
            "article-at-address",
            [self.kwargs["section_path"], self.kwargs["slug"]],
            lambda: super(ArticleDetailView, self).get_object(queryset),
        )


class PreviewMixin(ArticlePageMixin):
    """An unpublished article on the real template, marked and kept out of indexes."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
        return response


class ArticlePreviewView(PermissionRequiredMixin, PreviewMixin, DetailView):
    permission_required = "articles.view_article"

    def topic_boxes(self):
        # The newsroom sees every box where it will stand; those a reader
        # cannot follow yet are marked. The shared link keeps the readers'
        # boxes: it goes outside, and other unpublished stories must not.
        return TopicBox.objects.readable_by(self.request.user)

    def get_queryset(self):
        return self.article_queryset().readable_by(self.request.user)


class SharedPreviewView(PreviewMixin, DetailView):
    def get_object(self, queryset=None):
        link = PreviewLink.from_token(self.kwargs["token"])
        if link is None:
            raise Http404("Dieser Vorschau-Link ist abgelaufen oder wurde widerrufen.")
        return get_object_or_404(self.article_queryset(), pk=link.article_id)


class SearchView(ListView):
    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = SEARCH_RESULTS_PER_PAGE

    def get_paginator(self, queryset, per_page, **kwargs):
        return BoundedPaginator(queryset, per_page, SEARCH_MAX_RESULTS, **kwargs)

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        # A bad order is refused with a message; the words still count.
        self.form.is_valid()
        self.query = self.form.cleaned_data.get("q", "")
        self.order = self.form.cleaned_data.get("sort", search.RELEVANCE)
        if not self.query:
            return Article.objects.none()
        return Article.objects.published().search(self.query, self.order).for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parameters = {"q": self.query}
        if self.order != search.RELEVANCE:
            parameters["sort"] = self.order
        context.update(
            form=self.form,
            query=self.query,
            newest_first=self.order == search.NEWEST,
            query_string=urlencode(parameters),
        )
        suggestion = self.suggestion(context["paginator"]) if self.query else None
        if suggestion:
            context.update(
                suggestion=suggestion,
                suggestion_query_string=urlencode({**parameters, "q": suggestion}),
            )
        return context

    def suggestion(self, paginator):
        """ "Meinten Sie …?" when nothing was found, if the suggestion finds."""
        if paginator.count:
            return None
        suggestion = SearchWord.objects.suggestion(self.query)
        if suggestion and Article.objects.published().search(suggestion).exists():
            return suggestion
        return None


@cache_page_with_dependencies(lists=cache_keys.all_articles)
@require_safe
@cache_control(max_age=300)
def news_sitemap(request):
    """Google News sitemap: what was published in the last two days."""
    articles = (
        Article.objects.published()
        .since(timezone.now() - NEWS_SITEMAP_MAX_AGE)
        .for_cards()[:NEWS_SITEMAP_MAX_URLS]
    )
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": articles},
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def media_file(request, path):
    """An uploaded file, for sites without a web server in front for /media/:
    read through the media storage, the disk or an S3 bucket."""
    try:
        file = default_storage.open(path)
    except (OSError, ValueError, SuspiciousFileOperation):
        # Missing, a folder, or a name the storage cannot or may not hold.
        raise Http404("Diese Datei gibt es nicht.") from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
    return response
