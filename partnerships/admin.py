"""The editors' admin.

Every model is registered with search in any script: the search fields
(names in Latin and native script) match the query as typed, and every
record's `search_text` matches the query folded the same way (so "Мурманск",
"murmansk" and "MURMANSK" all find Murmansk, and "tromso" finds Tromsø). The
same search serves the autocompletes. Every relation has an autocomplete,
inlines where an editor expects them, fieldsets grouped as an editor thinks
(names, place, dates, text, sources) and changelists whose query count does
not grow with the data.

Slugs are prepopulated from the name as the editor types; left blank, they
are made from the record's names (transliterated, so a name in any script
gives a Latin slug) and made unique.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, slugify
from django_countries.filters import CountryFilter

from .history import HistoryAdminMixin
from .models import (
    Citation,
    Delegation,
    DelegationMember,
    Figure,
    Meeting,
    Office,
    Organisation,
    Outcome,
    Participant,
    Partnership,
    PartnershipStatus,
    Person,
    Place,
    PlaceName,
    Source,
    SourceKind,
    StatusStep,
    Topic,
    Venue,
)
from .text import fold

admin.site.site_header = "Partnerships catalogue — editors"
admin.site.site_title = "Partnerships catalogue"
admin.site.index_title = "Catalogue"

# Relations each model's __str__ follows: loaded with the row wherever the
# model is listed, offered in a select or shown in an autocomplete.
STR_RELATED = {
    Citation: ("source",),
    Office: ("person",),
    Partnership: ("place_a", "place_b"),
    StatusStep: ("partnership__place_a", "partnership__place_b"),
    DelegationMember: ("person",),
    Participant: ("person",),
}


def with_str_related(queryset):
    related = STR_RELATED.get(queryset.model)
    return queryset.select_related(*related) if related else queryset


# ---------------------------------------------------------------------------
# Slugs


def _year(day):
    return day.year if day else None


# The texts a record's default slug is made from, out of a form's cleaned data.
SLUG_PARTS = {
    Source: lambda d: [d.get("title_english") or d.get("title")],
    Citation: lambda d: [
        getattr(d.get("source"), "slug", None),
        " ".join((d.get("passage_english") or d.get("passage") or "").split()[:6]),
    ],
    Place: lambda d: [d.get("name")],
    Organisation: lambda d: [d.get("name")],
    Venue: lambda d: [d.get("name")],
    Person: lambda d: [d.get("name")],
    Office: lambda d: [getattr(d.get("person"), "slug", None), d.get("title")],
    Topic: lambda d: [d.get("name")],
    Partnership: lambda d: [getattr(d.get("place_a"), "slug", None), getattr(d.get("place_b"), "slug", None)],
    StatusStep: lambda d: [
        getattr(d.get("partnership"), "slug", None),
        d.get("status"),
        _year(d.get("date_earliest")),
    ],
    Delegation: lambda d: [d.get("title")],
    Meeting: lambda d: [d.get("title")],
    Outcome: lambda d: [d.get("title")],
    Figure: lambda d: [d.get("label")],
}


def unique_slug(model, parts, exclude_pk=None):
    """A slug from the parts, transliterated to Latin letters, unique among the model's rows."""
    max_length = model._meta.get_field("slug").max_length
    base = slugify(fold(" ".join(str(p) for p in parts if p)))[: max_length - 4].strip("-")
    if not base:
        return ""
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class RecordForm(forms.ModelForm):
    """A record's form: the slug may be left blank and is then made from the record's names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None and self._meta.model in SLUG_PARTS:
            slug.required = False
            slug.help_text = f"{slug.help_text} Left blank, it is made from the name."

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        if "slug" in self.fields and not cleaned.get("slug") and "slug" not in self.errors and model in SLUG_PARTS:
            slug = unique_slug(model, SLUG_PARTS[model](cleaned), exclude_pk=self.instance.pk)
            if slug:
                cleaned["slug"] = slug
        return cleaned


class CitationForm(RecordForm):
    def clean(self):
        cleaned = super().clean()
        # Citation.clean() checks the quote only once its source is saved; a
        # source being added together with its citations is checked here.
        source, passage = cleaned.get("source"), cleaned.get("passage")
        if source is not None and source.pk is None and passage and passage.strip() not in (source.text or ""):
            self.add_error("passage", "The passage must be quoted exactly as it stands in the source's text.")
        return cleaned


# ---------------------------------------------------------------------------
# Shared admin behaviour


class CatalogueAdminMixin:
    """Loads what __str__ needs for related rows offered in selects and autocompletes."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in STR_RELATED and "queryset" not in kwargs:
            kwargs["queryset"] = with_str_related(db_field.related_model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in STR_RELATED and "queryset" not in kwargs:
            kwargs["queryset"] = with_str_related(db_field.related_model._default_manager.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CatalogueAdmin(HistoryAdminMixin, CatalogueAdminMixin, admin.ModelAdmin):
    """Search also matches the folded search text, so "Мурманск", "murmansk" and "Murmansk" meet.

    Every change is kept as a Revision, and a save over someone else's newer change is refused
    (HistoryAdminMixin, partnerships/history.py).
    """

    list_per_page = 50

    def get_queryset(self, request):
        # The changelist ignores list_select_related once the queryset has any
        # select_related, so both are applied here (autocomplete profits too).
        queryset = with_str_related(super().get_queryset(request))
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """The search fields' matches for the query as typed, plus the folded search text's for the folded query."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if not words or not any(f.name == "search_text" for f in self.model._meta.fields):
            return found, may_have_duplicates
        folded = Q.create([("search_text__contains", word) for word in words])
        # The field lookups run as a subquery, so the union holds no duplicates.
        return queryset.filter(Q(pk__in=found.values("pk")) | folded), False


class RecordAdmin(CatalogueAdmin):
    form = RecordForm
    readonly_fields = ("search_text",)


EDITORIAL = ("Editorial", {"fields": ("notes", "search_text"), "classes": ("collapse",)})


class FuzzyDateAdminMixin:
    """The fuzzy date shown as readers see it, sorted by its earliest day."""

    date_fieldset = (
        "Date",
        {
            "fields": (
                ("date_earliest", "date_latest"),
                "date_precision",
                "date_text",
                ("date_original", "date_calendar"),
                ("shown_as", "in_source_calendar"),
            ),
            "description": 'A date is an interval with its precision: "March 2014" is 2014-03-01 to '
            "2014-03-31, precision month. Leave all three blank when the source gives no date.",
        },
    )

    @admin.display(description="date", ordering="date_earliest")
    def date(self, obj):
        calendar = obj.date_in_source_calendar
        return f"{obj.date_display} ({calendar})" if calendar else obj.date_display

    @admin.display(description="shown to readers as")
    def shown_as(self, obj):
        return obj.date_display

    @admin.display(description="in the source's calendar")
    def in_source_calendar(self, obj):
        return obj.date_in_source_calendar


class FuzzyDatedAdmin(FuzzyDateAdminMixin, RecordAdmin):
    readonly_fields = ("search_text", "shown_as", "in_source_calendar")
    date_hierarchy = "date_earliest"


def country_filter(title):
    """A filter on a place's country, offering the countries any place is in, by name.

    The countries are read from the places table, which is far smaller than a
    table of meetings or offices joined to it.
    """

    class PlaceCountryFilter(CountryFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

        def lookup_choices(self, changelist):
            codes = set(Place.objects.order_by().values_list("country", flat=True).distinct())
            return [(code, name) for code, name in self.field.get_choices(include_blank=False) if code in codes]

    return PlaceCountryFilter


def place_with_country(place):
    if place is None:
        return None
    return f"{place.name} ({place.country.name})" if place.country else place.name


def excerpt(text, words=12):
    return Truncator(text or "").words(words)


# ---------------------------------------------------------------------------
# Inlines


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


class OfficeInline(CatalogueAdminMixin, admin.TabularInline):
    model = Office
    form = RecordForm
    fields = (
        "title",
        "title_original",
        "organisation",
        "place",
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
        "date_earliest",
        "date_latest",
        "date_precision",
        "date_text",
        "date_original",
        "meeting",
        "description",
        "slug",
    )
    autocomplete_fields = ("meeting",)
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting")


class DelegationMemberInline(CatalogueAdminMixin, admin.TabularInline):
    model = DelegationMember
    fields = ("person", "office", "role")
    autocomplete_fields = ("person", "office")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "office__person")


class ParticipantInline(CatalogueAdminMixin, admin.TabularInline):
    model = Participant
    fields = ("person", "office", "side", "role", "note")
    autocomplete_fields = ("person", "office")
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "office__person")


class OutcomeInline(CatalogueAdminMixin, admin.StackedInline):
    model = Outcome
    fk_name = "meeting"
    form = RecordForm
    fields = (
        ("kind", "status"),
        ("title", "slug"),
        "description",
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


# ---------------------------------------------------------------------------
# Sources and citations


@admin.register(Source)
class SourceAdmin(FuzzyDatedAdmin):
    list_display = ("title", "title_english", "kind", "language", "publisher", "date", "citation_count")
    list_filter = ("kind", "language", "date_calendar")
    search_fields = ("slug", "title", "title_english", "publisher", "file_name", "url")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = FuzzyDatedAdmin.readonly_fields + ("citation_list",)
    fieldsets = (
        ("Names", {"fields": ("title", "title_english", "slug", "kind")}),
        ("Publication", {"fields": ("language", "publisher", "url", "file_name", "licence")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Text", {"fields": ("text",)}),
        ("Citations", {"fields": ("citation_list",)}),
        EDITORIAL,
    )
    inlines = (CitationInline,)

    def get_inlines(self, request, obj):
        # A dataset is cited row by row (tens of thousands of citations): listed, not inlined.
        if obj is not None and obj.kind == SourceKind.DATASET:
            return ()
        return super().get_inlines(request, obj)

    @admin.display(description="citations")
    def citation_list(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:partnerships_citation_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{} citations of this source</a>', url, obj.citations.count())

    def get_queryset(self, request):
        # A subquery counts only the rows shown, where a join and GROUP BY would count them all.
        count = Citation.objects.filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("pk"))
        return super().get_queryset(request).annotate(citation_count=Coalesce(Subquery(count.values("n")), 0))

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


# Every relation whose related rows cite a passage, for "cited by".
CITED_BY = ("place", "organisation", "venue", "person", "office", "partnership", "statusstep", "delegation",
            "delegationmember", "meeting", "participant", "outcome", "figure")


@admin.register(Citation)
class CitationAdmin(RecordAdmin):
    form = CitationForm
    list_display = ("slug", "source", "locator", "language", "passage_excerpt", "english_excerpt")
    list_filter = ("source__kind", "source__language")
    search_fields = ("slug", "passage", "passage_english", "source__title", "source__slug")
    autocomplete_fields = ("source",)
    readonly_fields = ("search_text", "cited_by")
    fieldsets = (
        ("Source", {"fields": ("source", "locator", "slug")}),
        ("Text", {"fields": ("passage", "passage_english")}),
        ("Sources", {"fields": ("cited_by",)}),
        EDITORIAL,
    )

    @admin.display(description="language", ordering="source__language")
    def language(self, obj):
        return obj.source.language

    @admin.display(description="passage")
    def passage_excerpt(self, obj):
        return excerpt(obj.passage)

    @admin.display(description="in English")
    def english_excerpt(self, obj):
        return excerpt(obj.passage_english)

    @admin.display(description="cited by")
    def cited_by(self, obj):
        if not obj.pk:
            return ""
        records = [record for name in CITED_BY for record in getattr(obj, f"{name}_set").all()]
        return format_html_join(", ", "{} “{}”", ((r._meta.verbose_name, r) for r in records)) or "—"


# ---------------------------------------------------------------------------
# Places, organisations and venues


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


# ---------------------------------------------------------------------------
# People and offices


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


# ---------------------------------------------------------------------------
# Topics


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ("name", "parent", "slug")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "description")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "slug", "parent")}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )


# ---------------------------------------------------------------------------
# Partnerships


class PartnershipStatusFilter(admin.SimpleListFilter):
    title = "current status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*PartnershipStatus.choices, ("none", "no status yet")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(status__isnull=True)
        if value in PartnershipStatus.values:
            return queryset.filter(status=value)
        return queryset


class PartnershipCountryFilter(admin.SimpleListFilter):
    title = "country (either side)"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = set(Place.objects.order_by().values_list("country", flat=True).distinct())
        field = Place._meta.get_field("country")
        return [(code, name) for code, name in field.get_choices(include_blank=False) if code in codes]

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

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description="place A", ordering="place_a__name")
    def side_a(self, obj):
        return place_with_country(obj.place_a)

    @admin.display(description="place B", ordering="place_b__name")
    def side_b(self, obj):
        return place_with_country(obj.place_b)

    @admin.display(description="current status", ordering="status")
    def current_status(self, obj):
        status = getattr(obj, "status", None)
        return PartnershipStatus(status).label if status else None


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


# ---------------------------------------------------------------------------
# Delegations and meetings


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


# ---------------------------------------------------------------------------
# Outcomes and figures


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
