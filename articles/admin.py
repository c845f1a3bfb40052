from django.contrib import admin
from taggit.models import Tag as TaggitTag

from .models import (
    Article,
    ArticleRedirect,
    Author,
    RelatedPin,
    Section,
    Tag,
    TopicBox,
)

admin.site.site_header = "Newsroom – Redaktion"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Übersicht"

# Tags live in our own model (German slugs); taggit's stays unused.
admin.site.unregister(TaggitTag)

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


class TopicBoxInline(admin.TabularInline):
    model = TopicBox
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "published_at", "is_live"]
    list_filter = ["status", "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "authors"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [TopicBoxInline, RelatedPinInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "lead", "body"]}),
        ("Einordnung", {"fields": ["section", "authors", "tags"]}),
        (
            "Aufmacherbild",
            {"fields": ["image", "image_alt", "image_caption", "image_credit"]},
        ),
        ("Veröffentlichung", {"fields": ["status", "published_at"]}),
    ]
    Media = GermanSlugMedia

    @admin.display(boolean=True, description="Online")
    def is_live(self, article):
        return article.is_published


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    autocomplete_fields = ["article"]
