"""What every catalogue admin shares: record forms and slugs, search, dates, and a few display helpers."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.text import Truncator, slugify
from django_countries.filters import CountryFilter

from partnerships.models import unique_slug

from ..models import (
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
    Person,
    Place,
    Source,
    StatusStep,
    Topic,
    Venue,
)
from ..text import fold
from .history import HistoryAdminMixin

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
    """The queryset, loading with each row what its __str__ reads."""
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


def record_slug(model, parts, exclude_pk=None):
    """A slug from the parts, transliterated to Latin letters, unique among the model's rows ("" for no text).

    The record being edited (`exclude_pk`) does not count as taking its own slug.
    """
    max_length = model._meta.get_field("slug").max_length
    # Cut as unique_slug cuts, so the slugs read from the table are the ones it could collide with.
    base = slugify(fold(" ".join(str(p) for p in parts if p)))[: max_length - 6].strip("-")
    if not base:
        return ""
    rows = model._default_manager.filter(slug__startswith=base).exclude(pk=exclude_pk)
    return unique_slug(base, set(rows.values_list("slug", flat=True)), max_length=max_length)


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
            slug = record_slug(model, SLUG_PARTS[model](cleaned), exclude_pk=self.instance.pk)
            if slug:
                cleaned["slug"] = slug
        return cleaned


class CitationForm(RecordForm):
    """A citation's form, which also checks the quote of a source not saved yet."""

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
    (HistoryAdminMixin, admin/history.py).
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
    """A record with a slug (made from its names when left blank) and a search text."""

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
    """A record with a fuzzy date, browsable by year and month."""

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
            return place_countries()

    return PlaceCountryFilter


def place_countries():
    """(code, name) of every country some place is in, in the order of the country field's choices."""
    codes = set(Place.objects.order_by().values_list("country", flat=True).distinct())
    field = Place._meta.get_field("country")
    return [(code, name) for code, name in field.get_choices(include_blank=False) if code in codes]


def place_with_country(place):
    """A place's name with its country's, "Narvik (Norway)", for lists that show both sides."""
    if place is None:
        return None
    return f"{place.name} ({place.country.name})" if place.country else place.name


def excerpt(text, words=12):
    """The text's first words, for a list column."""
    return Truncator(text or "").words(words)
