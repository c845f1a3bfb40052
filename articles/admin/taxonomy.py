"""Sections, authors, tags and old addresses."""

from django.contrib import admin

from ..models import (
    ArticleRedirect,
    Author,
    Section,
    Tag,
)

GERMAN_SLUGS_JS = "articles/admin/german_urlify.js"


class GermanSlugMedia:
    js = ["admin/js/urlify.js", GERMAN_SLUGS_JS]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "path", "parent", "position"]
    list_editable = ["position"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "path"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    Media = GermanSlugMedia


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    Media = GermanSlugMedia


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    Media = GermanSlugMedia


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    autocomplete_fields = ["article"]
