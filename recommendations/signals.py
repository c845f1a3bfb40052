"""Keep the stored recommendation lists current when articles change.

The receivers only trigger; the work is in recommendations.lists and .index,
run by a job (recommendations.jobs). Tags and pins
change after the article itself is saved (admin inlines, taggit's manager),
so they trigger too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.models import Article, TaggedArticle

from . import index, jobs
from .models import RelatedPin


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        jobs.refresh_later(instance.pk)


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    index.forget([instance.pk])


@receiver(m2m_changed, sender=TaggedArticle)
def tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, Article
    ):
        jobs.refresh_later(instance.pk)


@receiver(post_save, sender=RelatedPin)
@receiver(post_delete, sender=RelatedPin)
def pin_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        jobs.refresh_later(instance.article_id)
