"""Outcomes of meetings, and figures the sources give."""

from django.contrib import admin

from ..models import Figure, Outcome
from .base import EDITORIAL, FuzzyDateAdminMixin, FuzzyDatedAdmin, RecordAdmin, country_filter
from .inlines import citations_inline


@admin.register(Outcome)
class OutcomeAdmin(FuzzyDatedAdmin):
    list_display = ("title", "kind", "status", "date", "meeting", "partnership", "made_by")
    list_filter = ("kind", "status", "date_precision")
    list_select_related = ("meeting", "partnership__place_a", "partnership__place_b", "made_by")
    search_fields = ("title", "slug", "description", "made_by__name", "meeting__title")
    autocomplete_fields = ("meeting", "partnership", "made_by", "leads_to")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        ("Names", {"fields": ("title", "slug", ("kind", "status"))}),
        ("Occasion", {"fields": ("meeting", "partnership", "made_by", "leads_to")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(Outcome),)


@admin.register(Figure)
class FigureAdmin(RecordAdmin):
    list_display = ("label", "value", "unit", "as_written", "place", "partnership", "meeting")
    list_filter = (("place__country", country_filter("country")), "unit")
    list_select_related = ("place", "partnership__place_a", "partnership__place_b", "meeting")
    search_fields = ("label", "slug", "as_written", "unit", "place__name", "place__name_native")
    autocomplete_fields = ("place", "partnership", "meeting")
    prepopulated_fields = {"slug": ("label",)}
    fieldsets = (
        ("Names", {"fields": ("label", "slug")}),
        ("Figure", {"fields": (("value", "unit"), "as_written")}),
        ("What it describes", {"fields": ("place", "partnership", "meeting")}),
        EDITORIAL,
    )
    inlines = (citations_inline(Figure),)
