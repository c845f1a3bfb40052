"""What the article form holds besides its own fields."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from ..forms import CorrectionForm
from ..models import (
    Correction,
    PreviewLink,
    TopicBox,
)


class TopicBoxInline(admin.TabularInline):
    model = TopicBox
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ["kind", "text", "created_at"]
    # Both kinds side by side and neither chosen: a deliberate choice.
    radio_fields = {"kind": admin.HORIZONTAL}


# A link ready to copy; articles/admin/preview_links.js makes the button work.
COPYABLE_LINK = (
    '<span class="preview-link">'
    '<input type="text" readonly value="{0}" class="vTextField preview-link__url" '
    'aria-label="Vorschau-Link">'
    '<button type="button" class="button" data-copy-link>Kopieren</button>'
    '<a href="{0}" target="_blank" rel="noopener">Öffnen</a>'
    "</span>"
)


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(label="Widerrufen", required=False)

    class Meta:
        model = PreviewLink
        fields = ["expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].initial = self.instance.revoked_at is not None

    def save(self, commit=True):
        if self.cleaned_data["revoke"]:
            self.instance.revoked_at = self.instance.revoked_at or timezone.now()
        else:
            self.instance.revoked_at = None
        return super().save(commit)


class PreviewLinkInline(admin.TabularInline):
    """The article's links, to revoke or extend; new ones come from the
    "Vorschau-Link erstellen" button (ArticleAdmin.share_preview_view)."""

    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    fields = ["share_url", "expires_at", "revoke", "created_by"]
    readonly_fields = ["share_url", "created_by"]
    verbose_name_plural = "Vorschau-Links für Menschen ohne Zugang (48 Stunden gültig)"
    template = "admin/articles/article/preview_links_inline.html"

    @admin.display(description="Link")
    def share_url(self, link):
        url = self.request.build_absolute_uri(link.get_absolute_url())
        if not link.is_usable:
            return format_html("<s>{}</s>", url)
        return format_html(COPYABLE_LINK, url)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        read_only = obj is not None and not obj.can_be_edited_by(request.user)
        if read_only or not self.has_change_permission(request, obj):
            # Revoking is a choice, not a stored value: nothing to show.
            fields = [name for name in fields if name != "revoke"]
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        # The link column needs the host the editor is using.
        self.request = request
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj):
        # A row left at its defaults counts as unchanged and is never saved.
        return False
