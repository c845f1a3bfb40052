"""Which articles a page, block or feed shows."""

from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber, StrIndex, Substr
from django.utils import timezone

from .. import search
from .states import ArticleStatus, published_condition
from .tags import TaggedArticle

# Articles indexed per statement when search vectors are rebuilt.
SEARCH_BATCH = 500


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, its time come and not yet gone.

        Decided when the database is queried, so scheduled articles appear
        and expire on time without any job running.
        """
        return self.filter(published_condition())

    def scheduled(self):
        """Published articles whose time has not come yet."""
        return self.filter(
            status=ArticleStatus.PUBLISHED, published_at__gt=timezone.now()
        )

    def expired(self):
        """Published articles whose "Sichtbar bis" has passed."""
        return self.filter(
            status=ArticleStatus.PUBLISHED, unpublish_at__lte=timezone.now()
        )

    def in_workflow_state(self, key):
        """Articles whose `Article.workflow_state` has `key`."""
        match key:
            case "published":
                return self.published()
            case "scheduled":
                return self.scheduled()
            case "expired":
                return self.expired()
        return self.filter(status=key)

    def readable_by(self, user):
        """The articles `user` may read in the admin and preview.

        Everything for the people who write articles; published ones only
        for the others (ad managers), so no one outside the newsroom reads
        an unpublished story.
        """
        if user.has_perm("articles.change_article"):
            return self
        return self.published()

    def editable_by(self, user):
        """The articles `user` may change: everything for editors, own drafts otherwise."""
        if not user.has_perm("articles.change_article"):
            return self.none()
        if user.has_perm("articles.edit_others_articles"):
            return self
        return self.filter(created_by=user, status=ArticleStatus.DRAFT)

    def on_the_desk(self, since, until):
        """What the desk plans: every article in review, and the published
        ones whose time lies between `since` and `until` (live or scheduled),
        earliest first."""
        return self.filter(
            Q(status=ArticleStatus.REVIEW)
            | Q(
                status=ArticleStatus.PUBLISHED,
                published_at__gte=since,
                published_at__lt=until,
            )
        ).order_by(F("published_at").asc(nulls_first=True), "updated_at", "pk")

    def marking_own_drafts(self, user):
        """Each article with `is_own_draft`: a draft `user` started."""
        return self.annotate(
            is_own_draft=ExpressionWrapper(
                Q(created_by=user, status=ArticleStatus.DRAFT)
                if user.is_authenticated
                else Value(False),
                output_field=BooleanField(),
            )
        )

    def in_section(self, section):
        """Articles of `section` and of every section below it."""
        return self.filter(
            Q(section__path=section.path)
            | Q(section__path__startswith=f"{section.path}/")
        )

    def tagged(self, tag):
        return self.filter(tags=tag)

    def by_author(self, author):
        return self.filter(authors=author)

    def since(self, moment):
        """Articles published at `moment` or later."""
        return self.filter(published_at__gte=moment)

    def for_cards(self):
        """What an article card shows, fetched in the same query."""
        return self.select_related("section")

    def with_tag_list(self):
        """Prefetch what Article.tag_list reads."""
        return self.prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    "tag__name"
                ),
            )
        )

    def last_modified(self):
        """The newest `Article.modified_at` among these articles, from two
        index reads rather than every row."""
        corrections = self.model._meta.get_field("corrections").related_model
        return max(
            filter(
                None,
                (
                    self.aggregate(newest=Max("published_at"))["newest"],
                    corrections.objects.filter(article__in=self).aggregate(
                        newest=Max("created_at")
                    )["newest"],
                ),
            ),
            default=None,
        )

    def for_feeds(self):
        """What a feed item shows, in three queries however many items."""
        return (
            self.select_related("section")
            .with_tag_list()
            .prefetch_related("authors", "corrections")
        )

    def marked_published(self):
        """Articles with the status "published", whatever their times say:
        live, scheduled for later, and past their unpublish time.

        For work done ahead of the clock (stored recommendation lists, the
        page cache's schedule), so that an article appears and expires on
        time without another edit; readers only ever get what published()
        lets through.
        """
        return self.filter(status=ArticleStatus.PUBLISHED)

    def newest_near(self, article):
        """Newest first: `article`'s section, then its parent's, then the rest."""
        section = article.section
        parent_path = section.path.rpartition("/")[0] or section.path
        return (
            self.exclude(pk=article.pk)
            .annotate(
                nearness=Case(
                    When(section_id=section.pk, then=Value(2)),
                    When(
                        Q(section__path=parent_path)
                        | Q(section__path__startswith=f"{parent_path}/"),
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-nearness", "-published_at", "-pk")
        )

    def search(self, query, order=search.RELEVANCE):
        """Articles matching the reader's words, best match (or newest) first."""
        return search.matching(self, query, order)

    def refresh_search_vectors(self):
        """Rebuild the stored search terms, and note the words of those a
        reader can see for "Meinten Sie …?"."""
        from .search_words import SearchWord

        batch, visible = [], []
        articles = self.order_by().annotate(
            visible_now=ExpressionWrapper(
                published_condition(), output_field=BooleanField()
            )
        )
        fields = ("pk", "headline", "kicker", "lead", "body")
        for article in articles.only(*fields).iterator(chunk_size=SEARCH_BATCH):
            article.search_vector = search.document_vector(article)
            batch.append(article)
            if article.visible_now:
                visible.append(article)
            if len(batch) == SEARCH_BATCH:
                self.model.objects.bulk_update(batch, ["search_vector"])
                SearchWord.objects.add_words_of(visible)
                batch, visible = [], []
        if batch:
            self.model.objects.bulk_update(batch, ["search_vector"])
            SearchWord.objects.add_words_of(visible)

    def latest_per_top_section(self, sections, count):
        """The newest `count` articles below each of `sections`, in one query.

        Where the database allows it, each section's articles come from
        their own index read, so the cost stays the same however large the
        archive; otherwise (SQLite, in development) one window over all.
        """
        if not connection.features.supports_slicing_ordering_in_compound:
            return self._latest_per_top_section_by_window(count)
        parts = [
            self.in_section(section).order_by("-published_at", "-pk")[:count]
            for section in sections
        ]
        if len(parts) < 2:
            # A union needs two parts; a single slice is already in order.
            return parts[0] if parts else self.none()
        return parts[0].union(*parts[1:], all=True).order_by("-published_at", "-pk")

    def _latest_per_top_section_by_window(self, count):
        path = Concat("section__path", Value("/"))
        return (
            self.annotate(
                top_section_slug=Substr(path, 1, StrIndex(path, Value("/")) - 1),
            )
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("top_section_slug"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=count)
            .order_by("-published_at", "-pk")
        )
