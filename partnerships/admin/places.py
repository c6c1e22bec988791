"""Places, their other names, organisations and venues."""

from django.contrib import admin

from ..models import Organisation, Place, PlaceName, Venue
from .base import EDITORIAL, CatalogueAdmin, RecordAdmin, country_filter
from .inlines import PlaceNameInline, citations_inline


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ("name", "name_native", "level", "country", "parent", "population")
    list_filter = ("level", ("country", country_filter("country")))
    list_select_related = ("parent",)
    search_fields = ("name", "name_native", "slug", "names__name", "geonames_id__exact")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "native_language", "slug")}),
        (
            "Place",
            {"fields": ("level", "country", "parent", ("latitude", "longitude"), "geonames_id", "population")},
        ),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (PlaceNameInline, citations_inline(Place))


@admin.register(PlaceName)
class PlaceNameAdmin(CatalogueAdmin):
    list_display = ("name", "place", "kind", "language", "source")
    list_filter = ("kind",)
    list_select_related = ("place", "source")
    search_fields = ("name", "place__name", "place__name_native", "place__slug")
    autocomplete_fields = ("place", "source")
    fieldsets = (("Names", {"fields": ("name", "language", "kind")}), ("Place", {"fields": ("place",)}),
                 ("Sources", {"fields": ("source",)}))


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "name_native", "kind", "place")
    list_filter = ("kind", ("place__country", country_filter("country")))
    list_select_related = ("place",)
    search_fields = ("name", "name_native", "slug", "kind")
    autocomplete_fields = ("place",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "slug", "kind")}),
        ("Place", {"fields": ("place",)}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(Organisation),)


@admin.register(Venue)
class VenueAdmin(RecordAdmin):
    list_display = ("name", "name_native", "place", "organisation")
    list_filter = (("place__country", country_filter("country")),)
    list_select_related = ("place", "organisation")
    search_fields = ("name", "name_native", "slug", "place__name")
    autocomplete_fields = ("place", "organisation")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "slug")}),
        ("Place", {"fields": ("place", "organisation")}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(Venue),)
