"""People and the offices they held."""

from django.contrib import admin

from ..models import Office, Person
from .base import EDITORIAL, FuzzyDateAdminMixin, FuzzyDatedAdmin, RecordAdmin, country_filter
from .inlines import OfficeInline, citations_inline


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("name", "name_native", "honorific", "office_titles")
    search_fields = ("name", "name_native", "slug", "offices__title")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "honorific", "slug")}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (OfficeInline, citations_inline(Person))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("offices")

    @admin.display(description="offices")
    def office_titles(self, obj):
        return "; ".join(office.title for office in obj.offices.all())


@admin.register(Office)
class OfficeAdmin(FuzzyDatedAdmin):
    list_display = ("title", "person", "organisation", "place", "date")
    list_filter = (("place__country", country_filter("country")), "date_precision")
    list_select_related = ("person", "organisation", "place")
    search_fields = ("title", "title_original", "slug", "person__name", "person__name_native")
    autocomplete_fields = ("person", "organisation", "place")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = None
    fieldsets = (
        ("Names", {"fields": ("person", "title", "title_original", "slug")}),
        ("Place", {"fields": ("organisation", "place")}),
        FuzzyDateAdminMixin.date_fieldset,
        EDITORIAL,
    )
    inlines = (citations_inline(Office),)
