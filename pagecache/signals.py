"""Note what pages read, and touch what changes.

Signals, because saves come from everywhere (the admin and its inlines,
bulk actions, taggit's manager, management commands) and rows are loaded by
every view, block and feed: these receivers are the one place that sees
them all. Which keys a change touches is decided in
pagecache.dependencies.
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from articles.models import (
    Article,
    ArticleStatus,
    Author,
    Correction,
    Section,
    Tag,
    TaggedArticle,
    TopicBox,
)
from recommendations.models import RelatedPin

from . import dependencies
from .dependencies import key, section_lists

READ_AS = {Article: "article", Section: "section", Tag: "tag", Author: "author"}
# Fields that decide in which lists, and where, an article appears.
LISTING_FIELDS = ("status", "published_at", "unpublish_at", "section_id")


def row_read(sender, instance, **kwargs):
    if instance.pk is not None:
        dependencies.note(key(READ_AS[sender], instance.pk))


for model in READ_AS:
    post_init.connect(row_read, sender=model, weak=False)


def stored_values(instance, *fields):
    if instance._state.adding or instance.pk is None:
        return None
    return type(instance).objects.filter(pk=instance.pk).values(*fields).first()


@receiver(pre_save, sender=Article)
def article_saving(sender, instance, raw=False, **kwargs):
    instance._listing_before = stored_values(instance, *LISTING_FIELDS, "section__path")


@receiver(post_save, sender=Article)
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
    dependencies.article_changed(
        [instance.pk],
        lists=moved and listed,
        section_paths=[before["section__path"]] if before else [],
    )


@receiver(pre_delete, sender=Article)
def article_deleting(sender, instance, **kwargs):
    dependencies.article_changed([instance.pk])


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
@receiver(post_save, sender=TopicBox)
@receiver(post_delete, sender=TopicBox)
@receiver(post_save, sender=RelatedPin)
@receiver(post_delete, sender=RelatedPin)
def article_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        dependencies.article_changed([instance.article_id], lists=False)


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def tagging_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slug = Tag.objects.filter(pk=instance.tag_id).values_list("slug", flat=True)
    dependencies.touch(
        {
            key("article", instance.content_object_id),
            dependencies.ANY_ARTICLE,
            *(key("list:tag", value) for value in slug),
        }
    )


@receiver(m2m_changed, sender=Article.authors.through)
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
    dependencies.touch(
        {key("article", pk) for pk in article_ids}
        | {dependencies.ANY_ARTICLE}
        | {key("list:author", slug) for slug in slugs}
    )


@receiver(pre_save, sender=Section)
def section_saving(sender, instance, raw=False, **kwargs):
    instance._path_before = (stored_values(instance, "path") or {}).get("path")


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def section_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    paths = {instance.path, getattr(instance, "_path_before", None)} - {None}
    dependencies.touch(
        {key("section", instance.pk), dependencies.ALL_SECTIONS}.union(
            *(section_lists(path) for path in paths)
        )
    )


@receiver(pre_save, sender=Tag)
@receiver(pre_save, sender=Author)
def slugged_saving(sender, instance, raw=False, **kwargs):
    instance._slug_before = (stored_values(instance, "slug") or {}).get("slug")


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def slugged_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    kind = READ_AS[sender]
    slugs = {instance.slug, getattr(instance, "_slug_before", None)} - {None}
    dependencies.touch(
        {key(kind, instance.pk)} | {key(f"list:{kind}", slug) for slug in slugs}
    )
