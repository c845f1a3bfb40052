from django.contrib import admin
from django.db import models

from .models import AdSlot, Creative


@admin.register(AdSlot)
class AdSlotAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "width", "height"]
    search_fields = ["key", "name"]


@admin.register(Creative)
class CreativeAdmin(admin.ModelAdmin):
    list_display = ["name", "slot", "is_active", "active_from", "active_until"]
    list_filter = ["slot", "is_active"]
    list_select_related = ["slot"]
    search_fields = ["name", "alt_text", "target_url"]
    autocomplete_fields = ["slot"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
