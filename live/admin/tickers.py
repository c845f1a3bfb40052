"""Livetickers in the admin: the desk where entries are posted, and the
entry form for corrections.

Each entry is a row of its own, posted with its own small form, so
journalists working on one ticker never overwrite each other.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from js_asset import Media
from reversion import create_revision, set_comment, set_user
from reversion_compare.admin import CompareVersionAdmin

from ..forms import EntryForm
from ..models import Entry, Ticker

# Entries listed on the desk, newest first.
DESK_ENTRIES = 50
# What the desk's buttons do to an entry: (permission, field, value, comment).
ENTRY_ACTIONS = {
    "pin": ("live.mark_entry", "is_pinned", True, "Eintrag angeheftet"),
    "unpin": ("live.mark_entry", "is_pinned", False, "Eintrag gelöst"),
    "key": ("live.mark_entry", "is_key_event", True, "Als wichtig markiert"),
    "unkey": ("live.mark_entry", "is_key_event", False, "Nicht mehr wichtig"),
}


def may_mark(user):
    return user.has_perm("live.mark_entry")


@admin.register(Ticker)
class TickerAdmin(CompareVersionAdmin):
    list_display = ["article", "started_at", "ended_at", "desk_link"]
    fields = ["article", "started_at"]
    autocomplete_fields = ["article"]
    actions = ["end_tickers"]

    @admin.display(description="Einträge")
    def desk_link(self, ticker):
        return format_html(
            '<a href="{}">Einträge schreiben</a>',
            reverse("admin:live_ticker_desk", args=[ticker.pk]),
        )

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Its entries are a public record: a ticker ends, it is not deleted.
        return False

    @admin.action(
        description="Ausgewählte Liveticker beenden", permissions=["end_ticker"]
    )
    def end_tickers(self, request, queryset):
        for ticker in queryset.filter(ended_at__isnull=True):
            with create_revision():
                set_user(request.user)
                set_comment("Ticker beendet")
                ticker.end()
            self.log_change(request, ticker, "Ticker beendet")
        messages.success(request, "Die Ticker sind beendet.")

    def has_end_ticker_permission(self, request):
        return request.user.has_perm("live.end_ticker")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/eintraege/",
                self.admin_site.admin_view(self.desk_view),
                name="live_ticker_desk",
            ),
            *super().get_urls(),
        ]

    def desk_view(self, request, object_id):
        """The fast form and the newest entries with their buttons."""
        user = request.user
        if not (self.has_view_permission(request) and user.has_perm("live.add_entry")):
            raise PermissionDenied
        ticker = get_object_or_404(
            Ticker.objects.select_related("article__section"), pk=unquote(object_id)
        )
        desk_url = reverse("admin:live_ticker_desk", args=[ticker.pk])
        form = EntryForm(may_mark=may_mark(user))
        if request.method == "POST":
            if "entry" in request.POST:
                self.change_entry(request, ticker, request.POST["entry"])
                return HttpResponseRedirect(desk_url)
            form = EntryForm(request.POST, request.FILES, may_mark=may_mark(user))
            if not ticker.is_running:
                messages.error(request, "Der Ticker ist beendet.")
            elif form.is_valid():
                self.post_entry(request, ticker, form)
                messages.success(request, "Eintrag veröffentlicht.")
                return HttpResponseRedirect(desk_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Liveticker: {ticker.article.headline}",
            "opts": self.opts,
            "ticker": ticker,
            "form": form,
            "media": Media.from_media(self.media + form.media, nonce=request.csp_nonce),
            "entries": ticker.visible_entries()[:DESK_ENTRIES],
            "may_mark": may_mark(user),
            "may_delete": user.has_perm("live.delete_entry"),
            "may_edit": user.has_perm("live.change_entry"),
        }
        return TemplateResponse(request, "admin/live/ticker/desk.html", context)

    def post_entry(self, request, ticker, form):
        entry = form.save(commit=False)
        entry.ticker = ticker
        entry.author = request.user
        with create_revision():
            set_user(request.user)
            set_comment("Eintrag veröffentlicht")
            entry.save()
        self.log_addition(request, entry, "Eintrag veröffentlicht")

    def change_entry(self, request, ticker, entry_id):
        """Pin, mark or delete one entry; each is a revision of its own."""
        try:
            entry = ticker.entries.get(pk=int(entry_id))
        except (ValueError, Entry.DoesNotExist) as error:
            raise Http404("Diesen Eintrag gibt es nicht.") from error
        action = request.POST.get("action", "")
        if action == "delete":
            permission, comment = "live.delete_entry", "Eintrag gelöscht"
        elif action in ENTRY_ACTIONS:
            permission, field, value, comment = ENTRY_ACTIONS[action]
        else:
            raise Http404("Unbekannte Aktion.")
        if not request.user.has_perm(permission):
            raise PermissionDenied
        with create_revision():
            set_user(request.user)
            set_comment(comment)
            if action == "delete":
                entry.remove()
            else:
                setattr(entry, field, value)
                entry.save(update_fields=[field])
        self.log_change(request, entry, comment)
        messages.success(request, f"{comment}.")


@admin.register(Entry)
class EntryAdmin(CompareVersionAdmin):
    """Correcting one entry: readers see "bearbeitet um …"."""

    form = EntryForm
    list_display = ["__str__", "author", "is_pinned", "is_key_event", "deleted_at"]
    list_filter = ["ticker"]
    list_select_related = ["ticker__article", "author"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        marking = may_mark(request.user)

        class DeskEntryForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, may_mark=marking, **kwargs)

        return DeskEntryForm

    def get_fields(self, request, obj=None):
        fields = ["text", "image", "image_alt", "image_credit"]
        return (
            [*fields, "is_pinned", "is_key_event"] if may_mark(request.user) else fields
        )

    def has_add_permission(self, request):
        # Entries are posted on their ticker's desk.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting leaves a note for readers; the desk's button does that.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script with this response's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def response_change(self, request, obj):
        self.message_user(request, "Der Eintrag ist korrigiert.", messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:live_ticker_desk", args=[obj.ticker_id])
        )
