from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.html import format_html

from .models import Embed, PreviewState
from .providers import Provider, provider_of_host, recognise
from .services import fetch_preview

PROVIDER_NAMES = ", ".join(provider.label for provider in Provider)


class EmbedForm(forms.ModelForm):
    # Declared rather than listed in Meta, so that it is built once, here,
    # with https for a link pasted without its scheme.
    url = forms.URLField(
        label="Adresse",
        max_length=500,
        assume_scheme="https",
        help_text=Embed._meta.get_field("url").help_text,
    )

    class Meta:
        model = Embed
        fields = ["title", "author_name", "preview"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if (link := recognise(url)) is not None:
            if Embed.objects.filter(url=link.url).exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError("Dieser Beitrag ist schon eingebettet.")
            self.link = link
            return link.url
        if provider := provider_of_host(url):
            raise forms.ValidationError(
                f"Diese Adresse bei {provider.label} ist kein einzelner Beitrag. "
                "Bitte den Link zu genau einem Video, Beitrag oder einer Grafik "
                "einfügen."
            )
        raise forms.ValidationError(
            "Diese Adresse können wir nicht einbetten. Möglich sind Links zu "
            f"einzelnen Beiträgen bei {PROVIDER_NAMES}."
        )


def report_fetch(request, embed):
    """Fetch the preview of `embed` after the commit and tell the editor."""

    def fetch():
        fetch_preview(embed.pk)
        embed.refresh_from_db()
        if embed.state == PreviewState.FAILED:
            messages.warning(request, f"„{embed}“: {embed.problem}")
        else:
            messages.success(request, f"Vorschau für „{embed}“ geladen.")

    transaction.on_commit(fetch)


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    form = EmbedForm
    # Links are pasted whole; one typed without a scheme means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["thumbnail", "__str__", "provider", "state", "problem"]
    list_filter = ["provider", "state"]
    search_fields = ["url", "title", "author_name"]
    readonly_fields = ["provider", "state", "problem", "fetched_at"]
    actions = ["fetch_again"]

    def get_readonly_fields(self, request, obj=None):
        # The address is what texts link to; a new one is a new embed.
        if obj is not None:
            return ["url", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="Bild")
    def thumbnail(self, embed):
        if not embed.preview:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="96" height="54" style="object-fit:cover">',
            embed.preview.url,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.provider = form.link.provider
            obj.frame_url = form.link.frame_url
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            report_fetch(request, obj)

    @admin.action(description="Vorschau neu laden", permissions=["change"])
    def fetch_again(self, request, queryset):
        for embed in queryset:
            report_fetch(request, embed)
