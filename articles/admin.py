from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
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
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from taggit.models import Tag as TaggitTag

from .forms import CorrectionForm, count_headline_and_lead
from .models import (
    Article,
    ArticleRedirect,
    ArticleStatus,
    Author,
    Correction,
    PreviewLink,
    Section,
    StaleEditError,
    Tag,
    TopicBox,
)
from .models.states import WRITER_STATUSES, may_publish, may_recover_deleted
from .versions import record_restore

admin.site.site_header = "Newsroom – Redaktion"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Übersicht"

# Tags live in our own model (German slugs); taggit's stays unused.
admin.site.unregister(TaggitTag)

GERMAN_SLUGS_JS = "articles/admin/german_urlify.js"

# Exactly what the body's sanitiser keeps (articles.text.BODY_TAGS), so the
# editor never offers something that would vanish on save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # German menu labels (settings.DJANGO_PROSE_EDITOR_EXTENSIONS).
    "GermanMenu": True,
}


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


ARTICLE_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "kicker",
                "headline",
                "slug",
                "lead",
                "body",
                "loaded_edit_token",
            ]
        },
    ),
    ("Einordnung", {"fields": ["section", "authors", "tags"]}),
    (
        "Aufmacherbild",
        {
            "fields": [
                "image",
                ("image_focal_x", "image_focal_y"),
                "image_alt",
                "image_caption",
                "image_credit",
            ]
        },
    ),
    (
        "Veröffentlichung",
        {
            "fields": [
                "status",
                "published_at",
                "unpublish_at",
                "is_ad_free",
                "preview_link",
            ]
        },
    ),
]


class ArticleAdminForm(forms.ModelForm):
    user = None  # set per request by ArticleAdmin.get_form

    loaded_edit_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    body = ProseEditorFormField(
        label="Text",
        required=False,
        config={"extensions": BODY_EDITOR_EXTENSIONS},
        help_text=Article._meta.get_field("body").help_text,
    )

    class Meta:
        model = Article
        fields = [
            name
            for name in flatten_fieldsets(ARTICLE_FIELDSETS)
            if name not in ("loaded_edit_token", "preview_link")
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_edit_token"].initial = self.instance.edit_token
        if "status" in self.fields:
            allowed = self.instance.statuses_for(self.user)
            self.fields["status"].choices = [
                choice for choice in ArticleStatus.choices if choice[0] in allowed
            ]
        count_headline_and_lead(self)

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.instance.pk
            and cleaned_data.get("loaded_edit_token") != self.current_token()
        ):
            raise ValidationError(self.stale_message(), code="stale")
        return cleaned_data

    def current_token(self):
        return (
            Article.objects.filter(pk=self.instance.pk)
            .values_list("edit_token", flat=True)
            .first()
        )

    def stale_message(self):
        latest = (
            Version.objects.get_for_object(self.instance)
            .select_related("revision__user")
            .first()
        )
        who = "jemand anderes"
        when = ""
        if latest is not None:
            who = latest.revision.user or who
            when = timezone.localtime(latest.revision.date_created).strftime(
                " am %d.%m.%Y um %H:%M Uhr"
            )
        history = reverse("admin:articles_article_history", args=[self.instance.pk])
        current = reverse("admin:articles_article_change", args=[self.instance.pk])
        return format_html(
            "Nicht gespeichert: {} hat diesen Artikel{} geändert, nachdem Sie ihn "
            "geöffnet haben. Ihre Fassung steht unverändert in diesem Formular. "
            '<a href="{}" target="_blank">Änderungen ansehen</a> oder '
            '<a href="{}" target="_blank">die aktuelle Fassung öffnen</a> und Ihre '
            "Änderungen dort übernehmen.",
            who,
            when,
            history,
            current,
        )


# Without the right to publish, the times are shown as text: a disabled date
# field still has working "Heute" and "Jetzt" links.
TIMES_SHOWN_TO_WRITERS = {
    "published_at": "publication_time",
    "unpublish_at": "visible_until",
}


def time_set_by_the_desk(value):
    if value is None:
        return "Noch offen – legt die Chefin oder der Chef vom Dienst fest."
    return (
        f"{timezone.localtime(value):%d.%m.%Y, %H:%M} Uhr – legt die Chefin oder "
        "der Chef vom Dienst fest."
    )


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
class ArticleAdmin(CompareVersionAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "state", "section", "published_at", "updated_at"]
    list_filter = [StateFilter, MineFilter, "section", "authors", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "lead"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "authors"]
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
            "articles/admin/focal_point.js",
            "articles/admin/preview_links.js",
        ]
        css = {"all": ["articles/admin/admin.css"]}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

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
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_urls(self):
        share_preview = path(
            "<path:object_id>/vorschau-link/",
            self.admin_site.admin_view(self.share_preview_view),
            name="articles_article_share_preview",
        )
        return [share_preview, *super().get_urls()]

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


@admin.register(ArticleRedirect)
class ArticleRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article", "created_at"]
    search_fields = ["old_path", "article__headline"]
    autocomplete_fields = ["article"]


def add_article_inline(inline):
    """Show `inline` on the article form, after the article's own links.

    For apps that attach rows to an article (recommendations' pins): call it
    from the app's admin module, which the admin loads after this one.
    """
    ArticleAdmin.inlines.append(inline)
