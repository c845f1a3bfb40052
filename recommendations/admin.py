from django.contrib import admin

from articles.admin import add_article_inline

from .models import RelatedPin


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]


add_article_inline(RelatedPinInline)
