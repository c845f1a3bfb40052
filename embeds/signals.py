"""How the embeds app hears of texts and tells the page cache of changes.

Articles and ticker entries know nothing of embeds: a saved text's links
are read here, and a changed embed retires the pages that showed it.
"""

from django.db.models.signals import post_save

from articles.models import Article
from live.models import Entry
from pagecache import dependencies
from pagecache.dependencies import key

from .models import Embed
from .services import remember_embeds


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        remember_embeds(instance.body)


def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        remember_embeds(instance.text)


def embed_keys(embed):
    return {key("embed", embed.pk)}


def register():
    post_save.connect(article_saved, sender=Article, dispatch_uid="embeds.article")
    post_save.connect(entry_saved, sender=Entry, dispatch_uid="embeds.entry")
    # Every page that shows an embed loads its row (embeds.blocks).
    dependencies.track(Embed, "embed")
    dependencies.touch_on_change(Embed, embed_keys)
