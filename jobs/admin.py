import json

from django.contrib import admin, messages
from django.core.exceptions import SuspiciousOperation
from django.utils import formats, timezone
from django.utils.html import format_html
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from .definition import title_of
from .models import Job, Worker

STATUS_NAMES = {
    TaskResultStatus.READY: "Wartet",
    TaskResultStatus.RUNNING: "Läuft",
    TaskResultStatus.FAILED: "Fehlgeschlagen",
    TaskResultStatus.SUCCESSFUL: "Erledigt",
}


def when(moment):
    # Read-only fields show what a method returns as text, None included.
    if moment is None:
        return "–"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# The package's own English page; the newsroom's is below.
admin.site.unregister(DBTaskResult)


class StatusFilter(admin.SimpleListFilter):
    title = "Stand"
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return list(STATUS_NAMES.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "enqueued", "next_run", "attempts", "error"]
    list_filter = [StatusFilter]
    ordering = ["-enqueued_at"]
    date_hierarchy = "enqueued_at"
    actions = ["retry_now"]
    fields = [
        "title",
        "state",
        "arguments",
        "enqueued",
        "started",
        "finished",
        "next_run",
        "attempts",
        "formatted_traceback",
    ]
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        if Job.objects.pending().exists() and not Worker.objects.alive().exists():
            messages.warning(
                request,
                "Kein Worker meldet sich: Wartende Aufgaben bleiben liegen, bis "
                "einer läuft.",
            )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("jobs.retry_job")

    @admin.display(description="Aufgabe")
    def title(self, job):
        try:
            return title_of(job.task)
        except (ImportError, SuspiciousOperation):
            return job.task_path

    @admin.display(description="Stand", ordering="status")
    def state(self, job):
        return STATUS_NAMES.get(job.status, job.status)

    @admin.display(description="Eingereiht", ordering="enqueued_at")
    def enqueued(self, job):
        return when(job.enqueued_at)

    @admin.display(description="Zuletzt begonnen")
    def started(self, job):
        return when(job.started_at)

    @admin.display(description="Beendet")
    def finished(self, job):
        return when(job.finished_at)

    @admin.display(description="Nächster Versuch", ordering="run_after")
    def next_run(self, job):
        if job.status != TaskResultStatus.READY:
            return "–"
        if job.run_after == get_date_max() or job.run_after <= timezone.now():
            return "sofort"
        return when(job.run_after)

    @admin.display(description="Versuche")
    def attempts(self, job):
        return job.attempts

    @admin.display(description="Letzter Fehler")
    def error(self, job):
        return job.exception_class_path.rsplit(".", 1)[-1] or "–"

    @admin.display(description="Angaben")
    def arguments(self, job):
        return ", ".join(json.dumps(value) for value in job.args_kwargs["args"])

    @admin.display(description="Fehlermeldung")
    def formatted_traceback(self, job):
        return format_html("<pre>{}</pre>", job.traceback) if job.traceback else "–"

    @admin.action(description="Jetzt erneut versuchen", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = queryset.retry_now()
        self.message_user(
            request,
            f"{count} fehlgeschlagene Aufgabe(n) neu eingereiht.",
            messages.SUCCESS,
        )
