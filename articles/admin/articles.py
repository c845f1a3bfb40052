"""The article list and form: workflow, previews, versions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from js_asset import Media
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from images.renditions import CROPS, crop_box

from ..models import (
    Article,
    PreviewLink,
    StaleEditError,
)
from ..models.states import WRITER_STATUSES, may_publish, may_recover_deleted
from ..versions import record_restore
from .editing import EditingSessionsAdmin
from .forms import (
    ARTICLE_FIELDSETS,
    TIMES_SHOWN_TO_WRITERS,
    ArticleAdminForm,
    time_set_by_the_desk,
)
from .inlines import CorrectionInline, PreviewLinkInline, TopicBoxInline
from .taxonomy import GERMAN_SLUGS_JS


class StateFilter(admin.SimpleListFilter):
    title = "Stand"
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Entwurf"),
            ("review", "In Prüfung"),
            ("scheduled", "Geplant"),
            ("live", "Online"),
            ("withdrawn", "Zurückgezogen"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "live":
                return queryset.in_workflow_state("published")
            case "draft" | "review" | "scheduled" | "withdrawn" as state:
                return queryset.in_workflow_state(state)
        return queryset


class SectionFilter(admin.RelatedFieldListFilter):
    """The sections by full path, as the article form offers them."""

    def field_choices(self, field, request, model_admin):
        sections = field.related_model.objects.labelled_by_path()
        return [(section.pk, section.full_name) for section in sections]


class MineFilter(admin.SimpleListFilter):
    title = "Verfasst von"
    parameter_name = "von"

    def lookups(self, request, model_admin):
        return [("mir", "Meine Artikel")]

    def queryset(self, request, queryset):
        if self.value() == "mir":
            return queryset.filter(created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(EditingSessionsAdmin, CompareVersionAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "state", "section", "published_at", "updated_at"]
    list_filter = [
        StateFilter,
        MineFilter,
        ("section", SectionFilter),
        "authors",
        "published_at",
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["authors"]
    # Not prepopulated: a slug filled in by script counts as typed, and a
    # second article with the same headline would need one invented. Left
    # empty, the server makes a free one (automatic_slug.js shows it).
    readonly_fields = ["preview_link"]
    actions = ["submit_for_review", "publish", "withdraw"]
    history_latest_first = True
    # Bookkeeping, not content: never shown as a change between versions.
    compare_exclude = [
        "edit_token",
        "search_vector",
        "image_width",
        "image_height",
        "updated_at",
    ]
    fieldsets = ARTICLE_FIELDSETS
    # Always shown; other apps add theirs with add_article_inline().
    inlines = [TopicBoxInline]

    class Media:
        js = [
            "admin/js/urlify.js",
            GERMAN_SLUGS_JS,
            "articles/admin/automatic_slug.js",
            "articles/admin/character_counter.js",
            "articles/admin/body_layout.js",
            "articles/admin/focal_point.js",
            "articles/admin/preview_links.js",
            "articles/admin/editing.js",
        ]
        css = {"all": ["articles/admin/admin.css"]}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(
            form.__name__,
            (form,),
            {
                "user": request.user,
                "restored_draft": self.draft_to_restore(request, obj),
            },
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_publish(request.user):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        TIMES_SHOWN_TO_WRITERS.get(field, field)
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if may_publish(request.user):
            return readonly
        return [*readonly, *TIMES_SHOWN_TO_WRITERS.values()]

    def get_inlines(self, request, obj):
        inlines = list(self.inlines)
        if (
            request.user.has_perm("articles.add_correction")
            and obj
            and obj.takes_corrections
        ):
            inlines.append(CorrectionInline)
        if obj is not None:
            inlines.append(PreviewLinkInline)
        return inlines

    def get_queryset(self, request):
        return super().get_queryset(request).readable_by(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return obj.can_be_edited_by(request.user)

    def has_recover_permission(self, request):
        return may_recover_deleted(request.user)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion checks the object rules against the version being
        # restored, not the article as it is now.
        article = self.get_object(request, unquote(object_id))
        version = (
            Version.objects.get_for_object_reference(Article, unquote(object_id))
            .filter(pk=version_id)
            .first()
        )
        if (
            article is None
            or version is None
            or not article.can_be_restored_by(
                request.user, version.field_dict["status"]
            )
        ):
            raise PermissionDenied
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        left_path = article.get_absolute_url()
        with transaction.atomic():
            response = super().revision_view(
                request, object_id, version_id, extra_context
            )
            restored = Article.objects.select_related("section").get(pk=article.pk)
            # Every save takes a new edit token: an unchanged one means the
            # form was refused and everything rolled back.
            if restored.edit_token != article.edit_token:
                record_restore(restored, version, left_path)
        return response

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def compare(self, obj, version1, version2):
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        for entry in diff:
            # Corrections, boxes and tags reached from the article have no
            # label of their own; their model's name says what they are.
            field = entry["field"]
            entry["label"] = (
                getattr(field, "verbose_name", None)
                or field.related_model._meta.verbose_name_plural
            )
        return diff, has_unfollowed_fields

    def compare_view(self, request, object_id, extra_context=None):
        # django-reversion-compare checks no permission of its own.
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def get_view_on_site_url(self, obj=None):
        if obj is None or obj.is_published:
            return super().get_view_on_site_url(obj)
        return reverse("articles:article_preview", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self.forget_draft(request, obj if change else None)
        if not form.cleaned_data.get("slug"):
            address = request.build_absolute_uri(obj.get_absolute_url())
            self.message_user(
                request, f"Die Adresse des Artikels lautet {address}", messages.INFO
            )
        self.warn_if_too_long_to_publish(request, obj)

    def warn_if_too_long_to_publish(self, request, article):
        """Saved, but the desk could not publish it: say so now, not then."""
        if article.status in WRITER_STATUSES and (
            too_long := article.headline_too_long()
        ):
            self.message_user(
                request,
                f"„{article}“: {too_long} Bitte vor der Veröffentlichung kürzen.",
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if hasattr(instance, "created_by_id") and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        # The body editor's import map is an inline script: the admin's
        # Content Security Policy lets it run with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        article = kwargs.get("obj")
        # Not on a restore's or recovery's form: that page shows an old version.
        restoring = context.get("revert") or context.get("recover")
        if change and not restoring and self.may_share_preview(request, article):
            context["share_preview_url"] = reverse(
                "admin:articles_article_share_preview", args=[article.pk]
            )
        response = super().render_change_form(request, context, add, change, **kwargs)
        # After the admin has put its permission answers into the context.
        context["editing"] = self.editing_context(request, article, context)
        return response

    def get_urls(self):
        share_preview = path(
            "<path:object_id>/vorschau-link/",
            self.admin_site.admin_view(self.share_preview_view),
            name="articles_article_share_preview",
        )
        layout = path(
            "aufbau/",
            self.admin_site.admin_view(self.layout_view),
            name="articles_article_layout",
        )
        crops = path(
            "zuschnitte/",
            self.admin_site.admin_view(self.crops_view),
            name="articles_article_crops",
        )
        return [share_preview, layout, crops, *super().get_urls()]

    def crops_view(self, request):
        """The 16:9, 4:3 and 1:1 crops of a picture this size around this
        focal point, cut by the renditions' own rule, for the previews
        beside the focal point (focal_point.js)."""
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        try:
            size = (int(request.GET["breite"]), int(request.GET["hoehe"]))
            focal_point = (float(request.GET["x"]), float(request.GET["y"]))
        except (KeyError, ValueError):
            return JsonResponse({"error": "Bildgröße und Fokus fehlen."}, status=400)
        if min(size) < 1 or not all(0 <= share <= 1 for share in focal_point):
            return JsonResponse({"error": "Bildgröße oder Fokus ungültig."}, status=400)
        return JsonResponse(
            {
                "crops": [
                    {"name": name, "box": crop_box(size, ratio, focal_point)}
                    for name, ratio in CROPS.items()
                ]
            }
        )

    def layout_view(self, request):
        """Where the "Mehr zum Thema" boxes and the inline ad stand in the
        text being typed, placed by the reader page's own rule
        (Article.body_parts), for the form's outline (body_layout.js)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (
            self.has_add_permission(request) or self.has_change_permission(request)
        ):
            raise PermissionDenied
        positions = [
            int(value) if value.isdecimal() and int(value) >= 1 else None
            for value in request.POST.getlist("after_paragraph")
        ]
        parts = Article.layout_of(request.POST.get("body", ""), positions)
        return JsonResponse(
            {
                "parts": [
                    {"markup": markup, "boxes": boxes, "inline_ad": inline_ad}
                    for markup, boxes, inline_ad in parts
                ]
            }
        )

    def may_share_preview(self, request, article):
        return request.user.has_perm(
            "articles.add_previewlink"
        ) and self.has_change_permission(request, article)

    def share_preview_view(self, request, object_id):
        """Make a new preview link: the URL, ready to copy, for the script
        on the article page, or a message on that page without it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("Diesen Artikel gibt es nicht.")
        if not self.may_share_preview(request, article):
            raise PermissionDenied
        with self.create_revision(request):
            link = PreviewLink.objects.create(article=article, created_by=request.user)
            expires_at = timezone.localtime(link.expires_at)
            done = (
                f"Vorschau-Link erstellt, gültig bis {expires_at:%d.%m.%Y, %H:%M} Uhr."
            )
            # Into the article's history, next to its versions.
            add_to_revision(article)
            self.log_change(request, article, done)
        url = request.build_absolute_uri(link.get_absolute_url())
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"url": url, "message": done})
        self.message_user(request, f"{done} {url}", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEditError:
            # Two saves raced past the form check; the database let only one win.
            self.message_user(
                request,
                "Nicht gespeichert: Der Artikel wurde gerade von jemand anderem "
                "geändert. Bitte laden Sie die aktuelle Fassung.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    @admin.display(description="Stand", ordering="status")
    def state(self, article):
        css, label = article.workflow_state
        return format_html(
            '<span class="article-state article-state--{}">{}</span>', css, label
        )

    @admin.display(description="Veröffentlichung")
    def publication_time(self, article):
        return time_set_by_the_desk(article.published_at)

    @admin.display(description="Sichtbar bis")
    def visible_until(self, article):
        return time_set_by_the_desk(article.unpublish_at)

    @admin.display(description="Vorschau")
    def preview_link(self, article):
        if not article.pk:
            return "nach dem ersten Sichern"
        url = reverse("articles:article_preview", args=[article.pk])
        return format_html('<a href="{}" target="_blank">Vorschau öffnen</a>', url)

    def run_transition(self, request, queryset, action, done):
        changed = 0
        for article in queryset:
            if not article.can_be_edited_by(request.user):
                self.message_user(
                    request, f"„{article}“: keine Berechtigung.", messages.ERROR
                )
                continue
            try:
                with create_revision():
                    set_user(request.user)
                    set_comment(done)
                    action(article)
            except ValidationError as error:
                problems = " ".join(error.messages)
                self.message_user(request, f"„{article}“: {problems}", messages.ERROR)
            except StaleEditError:
                # Someone saved the article between the list and this action.
                self.message_user(
                    request,
                    f"„{article}“: nicht geändert, der Artikel wurde gerade von "
                    "jemand anderem geändert. Bitte noch einmal versuchen.",
                    messages.ERROR,
                )
            else:
                changed += 1
                self.warn_if_too_long_to_publish(request, article)
        if changed:
            self.message_user(request, f"{changed} Artikel: {done}.", messages.SUCCESS)

    @admin.action(description="Zur Prüfung einreichen", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_transition(
            request,
            queryset,
            lambda article: article.submit_for_review(),
            "zur Prüfung eingereicht",
        )

    @admin.action(description="Veröffentlichen", permissions=["publish"])
    def publish(self, request, queryset):
        self.run_transition(
            request, queryset, lambda article: article.publish(), "veröffentlicht"
        )

    @admin.action(description="Zurückziehen", permissions=["publish"])
    def withdraw(self, request, queryset):
        self.run_transition(
            request, queryset, lambda article: article.withdraw(), "zurückgezogen"
        )


def add_article_inline(inline):
    """Show `inline` on the article form, after the article's own links.

    For apps that attach rows to an article (recommendations' pins): call it
    from the app's admin module, which the admin loads after this one.
    """
    ArticleAdmin.inlines.append(inline)
