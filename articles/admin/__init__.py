"""The newsroom's admin, one module per subject.

Other apps add inlines to the article form with add_article_inline().
"""

from django.contrib import admin
from taggit.models import Tag as TaggitTag

from . import taxonomy  # noqa: F401  (registers its admins)
from .articles import ArticleAdmin, add_article_inline

__all__ = ["ArticleAdmin", "add_article_inline"]

admin.site.site_header = "Newsroom – Redaktion"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Übersicht"

# Tags live in our own model (German slugs); taggit's stays unused.
admin.site.unregister(TaggitTag)
