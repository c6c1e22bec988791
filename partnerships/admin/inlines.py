"""Inlines: the rows an editor expects to edit on their record's page."""

from django.contrib import admin

from ..models import Citation, DelegationMember, Office, Outcome, Participant, PlaceName, PlaceRedirect, StatusStep
from .base import CatalogueAdminMixin, CitationForm, RecordForm, excerpt


def citations_inline(model):
    """An inline of a cited model's citations (the M2M through table), with autocomplete."""

    class CitationsInline(CatalogueAdminMixin, admin.TabularInline):
        fields = ("citation", "quote")
        readonly_fields = ("quote",)
        autocomplete_fields = ("citation",)
        extra = 0
        verbose_name = "source cited"
        verbose_name_plural = "sources cited"

        def get_queryset(self, request):
            return super().get_queryset(request).select_related("citation__source")

        @admin.display(description="passage (English)")
        def quote(self, obj):
            if not obj.citation_id:
                return ""
            return excerpt(obj.citation.passage_english or obj.citation.passage, 40)

    CitationsInline.model = model.citations.through
    CitationsInline.__name__ = f"{model.__name__}CitationsInline"
    return CitationsInline


class PlaceNameInline(CatalogueAdminMixin, admin.TabularInline):
    model = PlaceName
    fields = ("name", "language", "kind", "source")
    autocomplete_fields = ("source",)
    extra = 1


class PlaceRedirectInline(CatalogueAdminMixin, admin.TabularInline):
    """The place's old addresses: slugs of places merged into it, or its own before a change."""

    model = PlaceRedirect
    fields = ("old_slug",)
    extra = 0
    verbose_name = "old address"
    verbose_name_plural = "old addresses (/cities/<slug>/ redirects here)"


class OfficeInline(CatalogueAdminMixin, admin.TabularInline):
    model = Office
    form = RecordForm
    fields = (
        "title",
        "title_original",
        "organisation",
        "place",
        "date_original",
        "date_earliest",
        "date_latest",
        "date_precision",
        "date_text",
        "slug",
    )
    autocomplete_fields = ("organisation", "place")
    prepopulated_fields = {"slug": ("title",)}
    show_change_link = True
    extra = 0


class StatusStepInline(CatalogueAdminMixin, admin.TabularInline):
    model = StatusStep
    form = RecordForm
    fields = (
        "status",
        "date_original",
        "date_earliest",
        "date_latest",
        "date_precision",
        "date_text",
        "meeting",
        "description",
        "slug",
    )
    autocomplete_fields = ("meeting",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


class InOfficeInline(CatalogueAdminMixin, admin.TabularInline):
    """A person taking part in an occasion, in one of their offices; subclasses name the model and its fields."""

    fields = ("person", "office", "role")
    autocomplete_fields = ("person", "office")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        # Each row shows its person and its office, whose name is its holder's.
        return super().get_queryset(request).select_related("person", "office__person")


class DelegationMemberInline(InOfficeInline):
    model = DelegationMember


class ParticipantInline(InOfficeInline):
    model = Participant
    fields = ("person", "office", "side", "role", "note")


class OutcomeInline(CatalogueAdminMixin, admin.StackedInline):
    model = Outcome
    fk_name = "meeting"
    form = RecordForm
    fields = (
        ("kind", "status"),
        ("title", "slug"),
        "description",
        "date_original",
        ("date_earliest", "date_latest", "date_precision"),
        "date_text",
        ("made_by", "leads_to", "partnership"),
    )
    autocomplete_fields = ("made_by", "leads_to", "partnership")
    prepopulated_fields = {"slug": ("title",)}
    show_change_link = True
    extra = 0


class CitationInline(CatalogueAdminMixin, admin.StackedInline):
    model = Citation
    form = CitationForm
    fields = ("passage", "passage_english", "locator", "slug", "notes")
    show_change_link = True
    extra = 0
