"""Partnerships and the steps of their status."""

from django.contrib import admin
from django.db.models import Q

from ..models import Partnership, PartnershipStatus, StatusStep
from .base import EDITORIAL, FuzzyDateAdminMixin, FuzzyDatedAdmin, RecordAdmin, place_countries, place_with_country
from .inlines import StatusStepInline, citations_inline


class PartnershipStatusFilter(admin.SimpleListFilter):
    title = "current status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*PartnershipStatus.choices, ("none", "no status yet")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(status="")
        if value in PartnershipStatus.values:
            return queryset.filter(status=value)
        return queryset


class PartnershipCountryFilter(admin.SimpleListFilter):
    title = "country (either side)"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return place_countries()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(place_a__country=self.value()) | Q(place_b__country=self.value()))
        return queryset


@admin.register(Partnership)
class PartnershipAdmin(RecordAdmin):
    list_display = ("__str__", "side_a", "side_b", "current_status", "slug")
    list_display_links = ("__str__",)
    list_filter = (PartnershipStatusFilter, PartnershipCountryFilter)
    search_fields = (
        "slug",
        "place_a__name",
        "place_a__name_native",
        "place_b__name",
        "place_b__name_native",
        "summary",
    )
    autocomplete_fields = ("place_a", "place_b")
    fieldsets = (
        ("Places", {"fields": ("place_a", "place_b", "slug")}),
        ("Text", {"fields": ("summary",)}),
        EDITORIAL,
    )
    inlines = (StatusStepInline, citations_inline(Partnership))

    @admin.display(description="place A", ordering="place_a__name")
    def side_a(self, obj):
        return place_with_country(obj.place_a)

    @admin.display(description="place B", ordering="place_b__name")
    def side_b(self, obj):
        return place_with_country(obj.place_b)

    @admin.display(description="current status", ordering="status")
    def current_status(self, obj):
        return obj.status_label or None  # None: the changelist's dash for "no status yet"


@admin.register(StatusStep)
class StatusStepAdmin(FuzzyDatedAdmin):
    list_display = ("partnership", "status", "date", "meeting")
    list_filter = ("status", "date_precision")
    list_select_related = ("meeting",)
    search_fields = (
        "slug",
        "description",
        "partnership__slug",
        "partnership__place_a__name",
        "partnership__place_b__name",
    )
    autocomplete_fields = ("partnership", "meeting")
    fieldsets = (
        ("Names", {"fields": ("partnership", "status", "slug")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Occasion", {"fields": ("meeting",)}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(StatusStep),)
