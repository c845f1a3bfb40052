"""Agenturmeldungen in the admin: the list, what changed between versions,
one-click takeover, and the agencies with their rules (the desk's)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.admin import add_article_inline

from .models import Agency, AgencyItem, Rule, Takeover
from .takeover import take_over

UPDATED_FLAG = "Agenturmeldung aktualisiert"


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["position", "subject", "urgency_at_most", "section", "publishes_directly"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "credit", "is_active", "last_pulled_at"]
    fields = ["name", "credit", "folder", "pull_url", "token", "is_active"]
    inlines = [RuleInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


def flag(takeover):
    if takeover.is_outdated:
        return format_html(
            '<strong class="agency-updated">{}</strong>: Version {} liegt vor, '
            "genutzt wurde Version {}.",
            UPDATED_FLAG,
            takeover.item.version,
            takeover.version,
        )
    return f"Version {takeover.version} genutzt, aktuell."


@admin.register(AgencyItem)
class AgencyItemAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "urgency",
        "embargo",
        "subject_names",
        "agency_source",
        "version",
        "changed",
        "our_articles",
        "take_over_button",
    ]
    list_filter = ["agency", "pubstatus", "urgency"]
    search_fields = ["headline", "guid"]
    date_hierarchy = "updated_at"
    actions = ["take_over"]
    fields = [
        "take_over_button",
        "headline",
        "lead",
        "body_preview",
        "changes_since_previous",
        "our_articles",
        "agency",
        "guid",
        "version",
        "version_created_at",
        "urgency",
        "pubstatus",
        "embargoed_until",
        "subject_names",
        "note",
        "rights",
        "source",
        "received_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agency")
            .prefetch_related("versions", "takeovers__article__section")
        )

    # Items come from the agencies only, and stay as they sent them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_take_over_permission(self, request):
        return request.user.has_perm("agency.take_over_agencyitem")

    def get_list_display(self, request):
        return self._with_button_for(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._with_button_for(request, super().get_fields(request, obj))

    def _with_button_for(self, request, names):
        """`names`, without the takeover button for those who may not use it."""
        if self.has_take_over_permission(request):
            return names
        return [name for name in names if name != "take_over_button"]

    @admin.display(description="Sperrfrist", ordering="embargoed_until")
    def embargo(self, item):
        if not item.is_embargoed:
            return "–"
        until = timezone.localtime(item.embargoed_until)
        return format_html("<strong>bis {}</strong>", f"{until:%d.%m.%Y, %H:%M} Uhr")

    @admin.display(description="Themen")
    def subject_names(self, item):
        return item.subject_names

    @admin.display(description="Quelle", ordering="agency__name")
    def agency_source(self, item):
        return f"{item.agency.credit} · {item.source}"

    @admin.display(description="Geändert")
    def changed(self, item):
        if item.previous_version() is None:
            return "–"
        return ", ".join(label for label, _ in item.changes()) or "nur Angaben"

    @admin.display(description="Änderungen zur Vorversion")
    def changes_since_previous(self, item):
        changes = item.changes()
        if not changes:
            return "Keine (erste Version oder nur Angaben geändert)."
        tags = {"+": "ins", "-": "del", " ": "span"}
        return format_html_join(
            "",
            '<div class="agency-diff"><h4>{}</h4><p>{}</p></div>',
            (
                (
                    label,
                    format_html_join(
                        " ",
                        "<{0}>{1}</{0}>",
                        ((tags[kind], text) for kind, text in parts),
                    ),
                )
                for label, parts in changes
            ),
        )

    @admin.display(description="Text")
    def body_preview(self, item):
        # Sanitised with the article body's allow-list when it arrived.
        return format_html("<div>{}</div>", item.body) if item.body else "–"

    @admin.display(description="Unsere Artikel")
    def our_articles(self, item):
        takeovers = item.takeovers.all()
        if not takeovers:
            return "–"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> – {}',
            (
                (
                    reverse("admin:articles_article_change", args=[t.article.pk]),
                    t.article.headline,
                    flag(t),
                )
                for t in takeovers
            ),
        )

    @admin.display(description="Übernehmen")
    def take_over_button(self, item):
        if item.takeovers.all():
            return "übernommen"
        # Inside the list's (or the page's) own form, which carries the
        # CSRF token: one click, no second form.
        return format_html(
            '<button type="submit" class="button" formmethod="post" '
            'formaction="{}">Übernehmen</button>',
            reverse("admin:agency_agencyitem_take_over", args=[item.pk]),
        )

    def get_urls(self):
        take_over_url = path(
            "<int:item_id>/uebernehmen/",
            self.admin_site.admin_view(self.take_over_view),
            name="agency_agencyitem_take_over",
        )
        return [take_over_url, *super().get_urls()]

    def take_over_view(self, request, item_id):
        if not self.has_take_over_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = self.get_queryset(request).filter(pk=item_id).first()
        if item is None:
            raise Http404("Diese Agenturmeldung gibt es nicht.")
        article = self.take_over_one(request, item)
        if article is not None and not article.is_published:
            target = reverse("admin:articles_article_change", args=[article.pk])
        else:
            target = reverse("admin:agency_agencyitem_changelist")
        return HttpResponseRedirect(target)

    def take_over_one(self, request, item):
        try:
            article, held_back = take_over(item, request.user)
        except ValidationError as error:
            problems = " ".join(error.messages)
            self.message_user(request, f"„{item}“: {problems}", messages.ERROR)
            return None
        self.log_addition(request, article, f"Aus Agenturmeldung {item.guid}")
        state = article.workflow_state[1]
        self.message_user(
            request,
            f"„{article}“ übernommen ({article.section.name}): {state}.",
            messages.SUCCESS,
        )
        if held_back:
            self.message_user(
                request,
                f"„{article}“ bleibt Entwurf statt direkt zu erscheinen: {held_back}",
                messages.WARNING,
            )
        return article

    @admin.action(description="Als Artikel übernehmen", permissions=["take_over"])
    def take_over(self, request, queryset):
        for item in queryset:
            self.take_over_one(request, item)


class TakeoverInline(admin.TabularInline):
    """On the article form of an article made from agency copy: which
    item, which version, and whether the agency has sent a newer one."""

    model = Takeover
    fk_name = "article"
    extra = 0
    fields = ["agency_item", "state", "taken_at", "taken_by"]
    readonly_fields = fields
    verbose_name = verbose_name_plural = "Agenturmeldung"

    def get_queryset(self, request):
        # The rule for who sees the rows is has_view_permission below; the
        # formset narrows them to the article's own.
        return Takeover.objects.select_related("item", "taken_by")

    def has_view_permission(self, request, obj=None):
        # Only on articles that came from an agency: others send no rows,
        # and their forms need none.
        # One query per article: the accessor keeps its answer, also "none".
        return (
            super().has_view_permission(request, obj)
            and obj is not None
            and hasattr(obj, "agency_takeover")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Meldung")
    def agency_item(self, takeover):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:agency_agencyitem_change", args=[takeover.item_id]),
            takeover.item,
        )

    @admin.display(description="Stand")
    def state(self, takeover):
        return flag(takeover)


add_article_inline(TakeoverInline)
