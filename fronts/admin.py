"""The fronts in the admin: a page per front, a page per version with its
blocks and placed articles, drag to reorder (fronts/admin/ordering.js)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion import add_to_revision
from reversion_compare.admin import CompareVersionAdmin

from articles.admin.inlines import PreviewLinkForm, PreviewLinkInline

from .models import Block, Front, FrontPreviewLink, FrontVersion, Placement

ORDERING_JS = "fronts/admin/ordering.js"


def read_choices_once(field):
    """A plain select's choices, read once for every row of the inline
    (autocomplete fields read only the chosen value)."""
    if field is not None and not hasattr(field.widget, "url_name"):
        field.choices = list(field.choices)
    return field


class VersionInline(admin.TabularInline):
    model = FrontVersion
    extra = 0
    fields = ["name", "starts_at", "state", "created_by"]
    readonly_fields = ["name", "starts_at", "state", "created_by"]
    show_change_link = True
    verbose_name_plural = "Fassungen (neue über „Fassung hinzufügen“)"

    def get_formset(self, request, obj=None, **kwargs):
        # Which row is online, read once for the whole list.
        current = obj and obj.current_version()
        self.current_pk = current and current.pk
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj):
        return False

    @admin.display(description="Stand")
    def state(self, version):
        if not version.has_started:
            return "Geplant"
        return "Online" if version.pk == self.current_pk else "Abgelöst"


def first_version_name(versions):
    return Subquery(versions.filter(front=OuterRef("pk")).values("name")[:1])


@admin.register(Front)
class FrontAdmin(CompareVersionAdmin):
    list_display = ["__str__", "online", "next_planned"]
    list_select_related = ["section"]
    fields = ["section"]
    autocomplete_fields = ["section"]
    inlines = [VersionInline]

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                online_name=first_version_name(FrontVersion.objects.live(now)),
                next_name=first_version_name(
                    FrontVersion.objects.planned(now).order_by("starts_at")
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # A front stays with its page: a new one is made for another.
        return ["section"] if obj else []

    @admin.display(description="Online")
    def online(self, front):
        return front.online_name or "–"

    @admin.display(description="Nächste geplante Fassung")
    def next_planned(self, front):
        return front.next_name or "–"


class BlockInline(admin.TabularInline):
    model = Block
    extra = 0
    fields = [
        "position",
        "kind",
        "title",
        "layout",
        "count",
        "section",
        "tag",
        "ad_slot",
        "allows_repeats",
    ]
    autocomplete_fields = ["section", "tag"]
    classes = ["sortable-rows"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return read_choices_once(
            super().formfield_for_foreignkey(db_field, request, **kwargs)
        )


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    fields = ["position", "block", "article", "label"]
    autocomplete_fields = ["article"]
    classes = ["sortable-rows"]
    verbose_name_plural = (
        "Von Hand gesetzte Artikel (neue Blöcke erst speichern, dann Artikel setzen)"
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "block":
            # Only this version's blocks, known once it is saved.
            kwargs["queryset"] = Block.objects.filter(
                version_id=request.resolver_match.kwargs.get("object_id") or 0
            ).select_related("section", "tag")
        return read_choices_once(
            super().formfield_for_foreignkey(db_field, request, **kwargs)
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article__section", "block__section", "block__tag")
        )


class FrontPreviewLinkForm(PreviewLinkForm):
    class Meta(PreviewLinkForm.Meta):
        model = FrontPreviewLink


class FrontPreviewLinkInline(PreviewLinkInline):
    model = FrontPreviewLink
    form = FrontPreviewLinkForm

    def get_fields(self, request, obj=None):
        fields = admin.TabularInline.get_fields(self, request, obj)
        if not self.has_change_permission(request, obj):
            fields = [name for name in fields if name != "revoke"]
        return fields


@admin.register(FrontVersion)
class FrontVersionAdmin(CompareVersionAdmin):
    list_display = ["name", "front", "starts_at", "created_by"]
    list_filter = ["front"]
    list_select_related = ["front__section", "created_by"]
    date_hierarchy = "starts_at"
    fields = ["front", "name", "starts_at", "preview_link"]
    readonly_fields = ["preview_link"]
    inlines = [BlockInline, PlacementInline, FrontPreviewLinkInline]
    history_latest_first = True

    class Media:
        js = [ORDERING_JS, "articles/admin/preview_links.js"]
        css = {"all": ["articles/admin/admin.css", "fronts/admin/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("front__section")

    def get_readonly_fields(self, request, obj=None):
        # A version stays with its page; another page gets a version of its own.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "front"] if obj else readonly

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, FrontPreviewLink) and instance.pk is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.display(description="Vorschau")
    def preview_link(self, version):
        if version.pk is None:
            return "Nach dem Speichern."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Fassung in der Vorschau '
            "ansehen</a> (mit den Artikeln, wie sie jetzt veröffentlicht sind)",
            version.get_absolute_url(),
        )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        version = kwargs.get("obj")
        restoring = context.get("revert") or context.get("recover")
        if change and not restoring and self.may_share_preview(request, version):
            context["share_preview_url"] = reverse(
                "admin:fronts_frontversion_share_preview", args=[version.pk]
            )
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_urls(self):
        share_preview = path(
            "<path:object_id>/vorschau-link/",
            self.admin_site.admin_view(self.share_preview_view),
            name="fronts_frontversion_share_preview",
        )
        return [share_preview, *super().get_urls()]

    def may_share_preview(self, request, version):
        return request.user.has_perm(
            "fronts.add_frontpreviewlink"
        ) and self.has_change_permission(request, version)

    def share_preview_view(self, request, object_id):
        """A new preview link, for the script on the version's page (as for
        articles: articles/admin/preview_links.js), or a message without it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = self.get_object(request, unquote(object_id))
        if version is None:
            raise Http404("Diese Fassung gibt es nicht.")
        if not self.may_share_preview(request, version):
            raise PermissionDenied
        with self.create_revision(request):
            link = FrontPreviewLink.objects.create(
                version=version, created_by=request.user
            )
            expires_at = timezone.localtime(link.expires_at)
            done = (
                f"Vorschau-Link erstellt, gültig bis {expires_at:%d.%m.%Y, %H:%M} Uhr."
            )
            add_to_revision(version)
            self.log_change(request, version, done)
        url = request.build_absolute_uri(link.get_absolute_url())
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"url": url, "message": done})
        self.message_user(request, f"{done} {url}", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:fronts_frontversion_change", args=[version.pk])
        )
