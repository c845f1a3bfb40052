from django.contrib import admin
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media
from reversion_compare.admin import CompareVersionAdmin

from .models import Page

# What articles.text.sanitize_body keeps, so nothing offered vanishes on save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "GermanMenu": True,
}


@admin.register(Page)
class PageAdmin(CompareVersionAdmin):
    list_display = ["title", "slug", "position", "updated_at"]
    list_editable = ["position"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated_at"]
    fields = ["title", "slug", "body", "position", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            return ProseEditorFormField(
                label=db_field.verbose_name,
                required=False,
                help_text=db_field.help_text,
                config={"extensions": BODY_EDITOR_EXTENSIONS},
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor's import map is an inline script: the admin's
        # Content Security Policy lets it run with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)
