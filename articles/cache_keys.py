"""What the page cache needs to know about articles and their taxonomy.

Which rows are content, which lists a page shows, and which keys a change
touches (see pagecache.dependencies for keys and touching):

- rows: `article:12`, `section:3`, `tag:7`, `author:2`, noted as they are
  loaded, so a related block, a "Mehr zum Thema" box or the navigation
  needs no list of its own;
- lists, named from a page's address: `list:all` (home, main feeds,
  sitemaps), `list:section:<path>`, `list:tag:<slug>`, `list:author:<slug>`
  and `list:sections` (the navigation on every page). A list key changes
  when an article may enter, leave or move in that list;
- `clock:day`: the page says "today" or "yesterday" somewhere (a teaser's
  time), which midnight in Berlin makes untrue.

Signals, because saves come from everywhere (the admin and its inlines,
bulk actions, taggit's manager, management commands); register() connects
them, from ArticlesConfig.ready().
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils.timezone import localtime, make_aware

from pagecache import dependencies
from pagecache.dependencies import key, touch

from .models import (
    Article,
    ArticleStatus,
    Author,
    Correction,
    Section,
    Tag,
    TaggedArticle,
    TopicBox,
)

EVERY_ARTICLE = "list:all"
# The newest change readers were told about on any article (the sitemap
# index's date): a publication touches EVERY_ARTICLE, a correction this.
LAST_CHANGE = "list:last-change"
SECTIONS = "list:sections"
CALENDAR_DAY = "clock:day"
# Fields that decide in which lists, and where, an article appears.
LISTING_FIELDS = ("status", "published_at", "unpublish_at", "section_id")

READ_AS = {Article: "article", Section: "section", Tag: "tag", Author: "author"}


# The lists a page shows, from its address (cache_page_with_dependencies).


def all_articles(**url_kwargs):
    return [SECTIONS, EVERY_ARTICLE]


def sitemap_index(**url_kwargs):
    return [*all_articles(), LAST_CHANGE]


def section_page(section_path, **url_kwargs):
    return [SECTIONS, key("list:section", section_path)]


def article_page(section_path, slug, **url_kwargs):
    # The address may name a subsection rather than an article.
    return section_page(f"{section_path}/{slug}")


def tag_page(slug, **url_kwargs):
    return [SECTIONS, key("list:tag", slug)]


def author_page(slug, **url_kwargs):
    return [SECTIONS, key("list:author", slug)]


# What a change touches.


def section_lists(path):
    """The list keys of a section and of every section above it."""
    parts = path.split("/")
    return [
        key("list:section", "/".join(parts[:end])) for end in range(1, len(parts) + 1)
    ]


def listing_keys(article_ids, section_paths=()):
    """Every list the articles are (or, in `section_paths`, were) part of."""
    keys = {EVERY_ARTICLE}
    paths = set(section_paths)
    paths.update(
        Article.objects.filter(pk__in=article_ids).values_list(
            "section__path", flat=True
        )
    )
    for path in paths:
        keys.update(section_lists(path))
    for slug in Tag.objects.filter(
        tagged_articles__content_object__in=article_ids
    ).values_list("slug", flat=True):
        keys.add(key("list:tag", slug))
    for slug in Author.objects.filter(articles__in=article_ids).values_list(
        "slug", flat=True
    ):
        keys.add(key("list:author", slug))
    return keys


def article_keys(article_ids, lists=True, section_paths=()):
    """The keys to touch when the articles change (their lists too, if
    they may have entered, left or moved in them)."""
    keys = {key("article", pk) for pk in article_ids}
    if lists:
        keys |= listing_keys(article_ids, section_paths)
    return keys


def article_part_keys(part):
    """A box, correction or pin shows on its article's page only (for the
    pins, recommendations registers it)."""
    return article_keys([part.article_id], lists=False)


def correction_keys(correction):
    """A correction also moves the article's "last changed" date, which the
    sitemap index shows for all articles."""
    return article_part_keys(correction) | {LAST_CHANGE}


def stored_values(instance, *fields):
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


def article_saving(sender, instance, raw=False, **kwargs):
    instance._listing_before = stored_values(instance, *LISTING_FIELDS, "section__path")


def article_saved(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_listing_before", None)
    moved = before is None or any(
        before[field] != getattr(instance, field) for field in LISTING_FIELDS
    )
    # Drafts are in no list; an edit that keeps an article's place in its
    # lists only changes the pages that show it.
    listed = ArticleStatus.PUBLISHED in (
        instance.status,
        before and before["status"],
    )
    touch(
        article_keys(
            [instance.pk],
            lists=moved and listed,
            section_paths=[before["section__path"]] if before else [],
        )
    )


def article_deleting(sender, instance, **kwargs):
    # Before the delete: its lists are found through its rows.
    touch(article_keys([instance.pk]))


def tagging_keys(tagging):
    slug = Tag.objects.filter(pk=tagging.tag_id).values_list("slug", flat=True)
    return {
        key("article", tagging.content_object_id),
        *(key("list:tag", value) for value in slug),
    }


def authors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    if action == "pre_clear":
        related = instance.articles if reverse else instance.authors
        pk_set = set(related.values_list("pk", flat=True))
    article_ids, author_ids = (
        (pk_set, {instance.pk}) if reverse else ({instance.pk}, pk_set)
    )
    slugs = Author.objects.filter(pk__in=author_ids).values_list("slug", flat=True)
    touch(
        {key("article", pk) for pk in article_ids}
        | {key("list:author", slug) for slug in slugs}
    )


def section_saving(sender, instance, raw=False, **kwargs):
    instance._path_before = (stored_values(instance, "path") or {}).get("path")


def section_keys(section):
    paths = {section.path, getattr(section, "_path_before", None)} - {None}
    return {key("section", section.pk), SECTIONS}.union(
        *(section_lists(path) for path in paths)
    )


def slugged_saving(sender, instance, raw=False, **kwargs):
    instance._slug_before = (stored_values(instance, "slug") or {}).get("slug")


def slugged_keys(instance):
    kind = READ_AS[type(instance)]
    slugs = {instance.slug, getattr(instance, "_slug_before", None)} - {None}
    return {key(kind, instance.pk)} | {key(f"list:{kind}", slug) for slug in slugs}


# The clock: scheduled publications and ends change lists without a save.


def next_scheduled_change(since):
    """When the clock next publishes or ends an article after `since`."""
    scheduled = Article.objects.marked_published()
    # Two ordered reads: each walks its own index from `since`.
    moments = [
        scheduled.filter(**{f"{field}__gt": since})
        .order_by(field)
        .values_list(field, flat=True)
        .first()
        for field in ("published_at", "unpublish_at")
    ]
    return min((moment for moment in moments if moment is not None), default=None)


def changed_by_the_clock(since, now):
    """The keys of the articles published or ended in (since, now]."""
    due = list(
        Article.objects.marked_published()
        .filter(
            Q(published_at__gt=since, published_at__lte=now)
            | Q(unpublish_at__gt=since, unpublish_at__lte=now)
        )
        .values_list("pk", flat=True)
    )
    return article_keys(due) if due else set()


def next_midnight(since):
    """The first midnight (Berlin) after `since`."""
    tomorrow = localtime(since).date() + timedelta(days=1)
    return make_aware(datetime.combine(tomorrow, time.min))


def days_changed(since, now):
    return {CALENDAR_DAY} if localtime(since).date() != localtime(now).date() else set()


def register():
    """Tell the page cache which rows are content and what changes touch."""
    for model, kind in READ_AS.items():
        dependencies.track(model, kind)
    dependencies.touch_on_change(TopicBox, article_part_keys)
    dependencies.touch_on_change(Correction, correction_keys)
    dependencies.touch_on_change(TaggedArticle, tagging_keys)
    dependencies.touch_on_change(Section, section_keys)
    dependencies.touch_on_change(Tag, slugged_keys)
    dependencies.touch_on_change(Author, slugged_keys)
    # An article's own rules need its place in the lists before the save,
    # and its rows before a delete.
    pre_save.connect(article_saving, sender=Article)
    post_save.connect(article_saved, sender=Article)
    pre_delete.connect(article_deleting, sender=Article)
    m2m_changed.connect(authors_changed, sender=Article.authors.through)
    pre_save.connect(section_saving, sender=Section)
    pre_save.connect(slugged_saving, sender=Tag)
    pre_save.connect(slugged_saving, sender=Author)
    dependencies.register_clock(next_scheduled_change, changed_by_the_clock)
    dependencies.register_clock(next_midnight, days_changed)
