from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .delivery import forget_snapshot
from .forms import MAX_REPORT_DAYS, CreativeForm, PreviewForm, ReportForm
from .models import BERLIN, AdSlot, Advertiser, Campaign, Creative
from .reports import build_report, write_csv
from .views import PREVIEW_MAX_AGE, preview_token


class RefreshesDelivery:
    """Saving or deleting here changes what readers see within seconds."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_snapshot()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_snapshot()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_snapshot()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_snapshot()


@admin.register(AdSlot)
class AdSlotAdmin(RefreshesDelivery, admin.ModelAdmin):
    list_display = ["key", "name", "format", "size_label", "is_below_fold", "is_active"]
    list_filter = ["format", "is_active"]
    search_fields = ["key", "name"]
    fieldsets = [
        (None, {"fields": ["key", "name", "format", "is_active", "is_below_fold"]}),
        (
            "Größe",
            {
                "fields": [
                    ("width", "height"),
                    ("mobile_width", "mobile_height"),
                    ("ratio_width", "ratio_height"),
                ],
                "description": "Entweder eine feste Größe (auf Wunsch mit eigener "
                "Größe für Telefone) oder ein Seitenverhältnis. Die Seite hält "
                "genau diesen Raum frei, damit nichts verrutscht.",
            },
        ),
    ]

    @admin.display(description="Größe")
    def size_label(self, slot):
        return slot.size_label


@admin.register(Advertiser)
class AdvertiserAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # Native ads show the advertiser's name.
        super().save_model(request, obj, form, change)
        forget_snapshot()


class CreativeInline(admin.StackedInline):
    model = Creative
    form = CreativeForm
    extra = 0
    min_num = 0
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(RefreshesDelivery, admin.ModelAdmin):
    list_display = [
        "name",
        "advertiser",
        "tier",
        "weight",
        "status",
        "starts_at",
        "ends_at",
        "is_running",
    ]
    list_filter = ["status", "tier", "advertiser"]
    list_select_related = ["advertiser"]
    search_fields = ["name", "advertiser__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = [
        "advertiser",
        "sections",
        "tags",
        "excluded_sections",
        "excluded_tags",
    ]
    inlines = [CreativeInline]
    actions = ["pause_campaigns", "activate_campaigns"]
    fieldsets = [
        (None, {"fields": ["name", "advertiser", "status"]}),
        ("Auslieferung", {"fields": ["starts_at", "ends_at", "tier", "weight"]}),
        (
            "Zielgruppe",
            {
                "fields": ["sections", "tags", "excluded_sections", "excluded_tags"],
                "description": "Ohne Auswahl läuft die Kampagne auf allen Seiten. "
                "Ausschlüsse gehen immer vor.",
            },
        ),
        ("Ziele", {"fields": ["impression_goal", "daily_cap"]}),
    ]

    @admin.display(boolean=True, description="Läuft")
    def is_running(self, campaign):
        return campaign.is_running

    @admin.action(description="Ausgewählte Kampagnen pausieren", permissions=["change"])
    def pause_campaigns(self, request, queryset):
        changed = queryset.pause()
        forget_snapshot()
        self.message_user(request, f"{changed} Kampagne(n) pausiert.", messages.SUCCESS)

    @admin.action(
        description="Ausgewählte Kampagnen aktivieren", permissions=["change"]
    )
    def activate_campaigns(self, request, queryset):
        changed = queryset.activate()
        forget_snapshot()
        self.message_user(
            request, f"{changed} Kampagne(n) aktiviert.", messages.SUCCESS
        )

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        campaign = kwargs.get("obj")
        if change and campaign and request.user.has_perm("ads.view_report"):
            today = timezone.localtime(timezone.now(), BERLIN).date()
            first, last = campaign.report_days(today, MAX_REPORT_DAYS)
            query = urlencode({"campaign": campaign.pk, "start": first, "end": last})
            context["report_url"] = f"{reverse('admin:ads_campaign_report')}?{query}"
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_urls(self):
        return [
            path(
                "statistik/",
                self.admin_site.admin_view(self.report_view),
                name="ads_campaign_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        if not request.user.has_perm("ads.view_report"):
            raise PermissionDenied
        form = ReportForm.with_defaults(request.GET)
        report = None
        if form.is_valid():
            report = build_report(
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                form.cleaned_data["grouping"],
                campaign=form.cleaned_data["campaign"],
                creative=form.cleaned_data["creative"],
                slot=form.cleaned_data["slot"],
            )
            if request.GET.get("format") == "csv":
                response = HttpResponse(content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = (
                    f'attachment; filename="werbestatistik-{report.start}-{report.end}.csv"'
                )
                write_csv(report, response)
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Werbestatistik",
            "form": form,
            "report": report,
            "chart": report.chart() if report else None,
            "csv_query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/ads/report.html", context)


@admin.register(Creative)
class CreativeAdmin(RefreshesDelivery, admin.ModelAdmin):
    form = CreativeForm
    list_display = ["name", "campaign", "slot_names", "is_active", "preview_link"]
    list_filter = ["is_active", "slots", "campaign__advertiser"]
    list_select_related = ["campaign__advertiser"]
    search_fields = ["name", "alt_text", "headline", "target_url", "campaign__name"]
    autocomplete_fields = ["campaign"]
    fields = ["campaign", *CreativeForm.Meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("slots")

    @admin.display(description="Werbeplätze")
    def slot_names(self, creative):
        return ", ".join(slot.key for slot in creative.slots.all())

    @admin.display(description="Vorschau")
    def preview_link(self, creative):
        return format_html(
            '<a href="{}">Vorschau-Link</a>',
            reverse("admin:ads_creative_preview", args=[creative.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<int:creative_id>/vorschau/",
                self.admin_site.admin_view(self.preview_view),
                name="ads_creative_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, creative_id):
        creative = get_object_or_404(Creative, pk=creative_id)
        if not self.has_view_permission(request, creative):
            raise PermissionDenied
        form = PreviewForm(request.POST or None, creative=creative)
        link = None
        if request.method == "POST" and form.is_valid():
            link = request.build_absolute_uri(
                reverse(
                    "ads:preview",
                    kwargs={
                        "token": preview_token(
                            creative,
                            form.cleaned_data["slot"],
                            form.cleaned_data["article"],
                        )
                    },
                )
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": creative,
            "title": f"Vorschau: {creative}",
            "form": form,
            "link": link,
            "valid_until": timezone.now() + timedelta(seconds=PREVIEW_MAX_AGE),
        }
        return TemplateResponse(request, "admin/ads/preview.html", context)
