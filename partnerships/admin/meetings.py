"""Delegations, meetings and who took part in them."""

from django.contrib import admin

from ..models import Delegation, DelegationMember, Meeting, Participant
from .base import EDITORIAL, CatalogueAdmin, FuzzyDateAdminMixin, FuzzyDatedAdmin, country_filter, place_with_country
from .inlines import DelegationMemberInline, OutcomeInline, ParticipantInline, citations_inline


@admin.register(Delegation)
class DelegationAdmin(FuzzyDatedAdmin):
    list_display = ("title", "date", "origin_place", "destination_place", "organisation")
    list_filter = (
        ("origin__country", country_filter("country of origin")),
        ("destination__country", country_filter("country of destination")),
        "date_precision",
    )
    list_select_related = ("origin", "destination", "organisation")
    search_fields = (
        "title",
        "slug",
        "origin__name",
        "origin__name_native",
        "destination__name",
        "destination__name_native",
    )
    autocomplete_fields = ("origin", "destination", "organisation", "invited_by", "partnership")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        ("Names", {"fields": ("title", "slug")}),
        ("Route and hosts", {"fields": ("origin", "destination", "organisation", "invited_by", "partnership")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Text", {"fields": ("purpose", "summary")}),
        EDITORIAL,
    )
    inlines = (DelegationMemberInline, citations_inline(Delegation))

    @admin.display(description="from", ordering="origin__name")
    def origin_place(self, obj):
        return place_with_country(obj.origin)

    @admin.display(description="to", ordering="destination__name")
    def destination_place(self, obj):
        return place_with_country(obj.destination)


@admin.register(DelegationMember)
class DelegationMemberAdmin(CatalogueAdmin):
    list_display = ("person", "delegation", "role", "office")
    list_filter = ("role",)
    list_select_related = ("person", "delegation", "office__person")
    search_fields = ("person__name", "person__name_native", "delegation__title", "delegation__slug")
    autocomplete_fields = ("delegation", "person", "office")
    fieldsets = (("Names", {"fields": ("delegation", "person", "office", "role")}),)
    inlines = (citations_inline(DelegationMember),)


@admin.register(Meeting)
class MeetingAdmin(FuzzyDatedAdmin):
    list_display = ("title", "date", "kind", "status", "place", "delegation", "topic_names")
    list_filter = (
        "kind",
        "status",
        "topics",
        ("place__country", country_filter("country")),
        "date_calendar",
    )
    list_select_related = ("place", "delegation")
    search_fields = ("title", "slug", "summary", "place__name", "place__name_native")
    autocomplete_fields = ("place", "venue", "delegation", "partnership", "topics")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        ("Names", {"fields": ("title", "slug", ("kind", "status"))}),
        ("Place and occasion", {"fields": ("place", "venue", "delegation", "partnership")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Text", {"fields": ("topics", "summary")}),
        EDITORIAL,
    )
    inlines = (ParticipantInline, OutcomeInline, citations_inline(Meeting))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="topics")
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())


@admin.register(Participant)
class ParticipantAdmin(CatalogueAdmin):
    list_display = ("person", "meeting", "side", "role", "office", "note")
    list_filter = ("side", "role")
    list_select_related = ("person", "meeting", "office__person")
    search_fields = ("person__name", "person__name_native", "meeting__title", "meeting__slug", "note")
    autocomplete_fields = ("meeting", "person", "office")
    fieldsets = (("Names", {"fields": ("meeting", "person", "office", ("side", "role"), "note")}),)
    inlines = (citations_inline(Participant),)
