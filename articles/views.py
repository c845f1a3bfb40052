from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Author, Section, Tag, TopicBox

ARTICLES_PER_PAGE = 12
RELATED_ARTICLES = 4
FRONT_PAGE_ARTICLES_PER_SECTION = 4


class FrontPageView(ListView):
    template_name = "articles/front_page.html"
    context_object_name = "articles"

    def get_queryset(self):
        return (
            Article.objects.published()
            .for_cards()
            # One more per section, in case the lead article is among them.
            .latest_per_top_section(FRONT_PAGE_ARTICLES_PER_SECTION + 1)
        )

    def get_context_data(self, **kwargs):
        articles = list(self.object_list)
        lead_article = articles[0] if articles else None
        return super().get_context_data(
            lead_article=lead_article,
            section_blocks=Section.objects.top_level().with_articles(
                articles,
                leaving_out=lead_article,
                count=FRONT_PAGE_ARTICLES_PER_SECTION,
            ),
            **kwargs,
        )


class SectionDetailView(ListView):
    template_name = "articles/section_detail.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE

    def get_queryset(self):
        self.ancestry = Section.objects.ancestry(self.kwargs["section_path"])
        if not self.ancestry or self.ancestry[-1].path != self.kwargs["section_path"]:
            raise Http404("Dieses Ressort gibt es nicht.")
        self.section = self.ancestry[-1]
        return Article.objects.published().in_section(self.section).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section,
            ancestors=self.ancestry[:-1],
            subsections=self.section.children.all(),
            **kwargs,
        )


class TagDetailView(ListView):
    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorDetailView(ListView):
    template_name = "articles/author_detail.html"
    context_object_name = "articles"
    paginate_by = ARTICLES_PER_PAGE

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Not an article: the whole path may still name a subsection.
            section_path = f"{kwargs['section_path']}/{kwargs['slug']}"
            return SectionDetailView.as_view()(request, section_path=section_path)

    def get_queryset(self):
        return (
            Article.objects.published()
            .filter(section__path=self.kwargs["section_path"])
            .select_related("section")
            .prefetch_related(
                "authors",
                "tags",
                Prefetch(
                    "topic_boxes",
                    queryset=TopicBox.objects.visible().select_related(
                        "target__section"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            ancestors=Section.objects.ancestry(article.section.path),
            body_parts=article.body_parts(article.topic_boxes.all()),
            related_articles=article.recommendations(RELATED_ARTICLES),
            **kwargs,
        )
