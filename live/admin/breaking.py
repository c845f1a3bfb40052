"""Starting and ending an Eilmeldung in the admin."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from reversion import create_revision, set_comment, set_user
from reversion_compare.admin import CompareVersionAdmin

from articles.models.states import may_publish

from ..models import Eilmeldung


@admin.register(Eilmeldung)
class EilmeldungAdmin(CompareVersionAdmin):
    list_display = ["headline", "started_at", "ends_at", "ended_at", "status"]
    fields = ["text", "article", "link", "ends_at"]
    readonly_fields = ["started_at", "started_by", "ended_at", "ended_by"]
    autocomplete_fields = ["article"]
    actions = ["end_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="Meldung")
    def headline(self, eilmeldung):
        return eilmeldung.headline

    @admin.display(description="Status")
    def status(self, eilmeldung):
        return "Läuft" if eilmeldung.is_running else "Beendet"

    # Only those who may publish put a line on every page.
    def has_add_permission(self, request):
        return may_publish(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_publish(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Kept as a record: an Eilmeldung is ended, never deleted.
        return False

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_running:
            return [*self.fields, *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.started_at = timezone.now()
            obj.started_by = request.user
        super().save_model(request, obj, form, change)

    # The history and the admin log say what happened in the desk's words.
    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, "Eilmeldung gestartet")

    def log_change(self, request, obj, message):
        if not isinstance(message, str):
            message = "Eilmeldung geändert"
        return super().log_change(request, obj, message)

    @admin.action(
        description="Ausgewählte Eilmeldungen jetzt beenden", permissions=["change"]
    )
    def end_now(self, request, queryset):
        ended = 0
        for eilmeldung in queryset.filter(ended_at__isnull=True):
            with create_revision():
                set_user(request.user)
                set_comment("Eilmeldung beendet")
                eilmeldung.end(request.user)
            self.log_change(request, eilmeldung, "Eilmeldung beendet")
            ended += 1
        messages.success(request, f"Beendet: {ended}.")
