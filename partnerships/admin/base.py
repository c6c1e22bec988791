"""What every catalogue admin shares: record forms and slugs, search, dates, and a few display helpers."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.text import Truncator, slugify
from django_countries.filters import CountryFilter

from partnerships.models import unique_slug

from ..dates import DateNotUnderstood, UncertainDate, parse_date
from ..models import (
    Citation,
    Delegation,
    DelegationMember,
    Figure,
    FuzzyDated,
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
from .publishing import DraftsAdminMixin, with_draft_check

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


# The date fields filled from the date as written, unless the editor sets them.
READ_FROM_WRITING = ("date_earliest", "date_latest", "date_precision", "date_calendar", "date_text")
INTERVAL = ("date_earliest", "date_latest", "date_precision")


class DateAsWrittenMixin:
    """The date typed as the source writes it ("first half of 2020") fills the date's other fields on save.

    The field is the record's `date_original`, shown as "Date as written".
    When it is new or changed, or the record has no date yet, it is read
    (partnerships/dates.py) and fills the interval, the precision, the
    calendar and the display text — each unless the editor set that field
    in this form, so values given by hand win. A text that reads as no
    date is refused with an example of what to write, unless the editor
    gave the interval (or the record has one): then it is kept as written.
    The form's `understood_date` holds what was read and `unread_date` the
    words kept unread, for the admin to say so.
    """

    understood_date = None
    unread_date = None

    def setup_date_as_written(self):
        field = self.fields.get("date_original")
        if field is None or not issubclass(self._meta.model, FuzzyDated):
            return
        field.label = "Date as written"
        field.help_text = (
            "Type the date as the source writes it — 29.8.2019, 23–25 May 2016, March 2014, 2015, "
            "i løpet av første halvår 2020, ۱۸ فروردین ۱۴۰۲. On save the earliest and latest day, the "
            "precision and the calendar are filled from it; whatever you set in those yourself is kept."
        )

    def date_language(self, cleaned):
        """The language the date is written in: a source's own; any language otherwise."""
        return cleaned.get("language") or getattr(self.instance, "language", "") or ""

    def fill_date_from_writing(self, cleaned):
        if "date_original" not in self.fields or not issubclass(self._meta.model, FuzzyDated):
            return
        written = (cleaned.get("date_original") or "").strip()
        undated = not any(cleaned.get(name) for name in INTERVAL if name in self.fields)
        if not written or "date_original" in self.errors:
            return
        if "date_original" not in self.changed_data and not undated:
            return  # nothing new to read; the stored date stands
        given = {name for name in READ_FROM_WRITING if name in self.fields and name in self.changed_data}
        try:
            date = parse_date(written, self.date_language(cleaned))
        except DateNotUnderstood as error:
            if undated or not all(cleaned.get(name) for name in INTERVAL if name in self.fields):
                self.add_error("date_original", f"{error} Or give the earliest day, the latest day and the precision.")
            else:  # words no parser reads ("shortly after the visit"), with the interval set: kept as written
                self.unread_date = written
            return
        for name, value in date.fields().items():
            if name == "date_original" or name in given:
                continue
            if name in self.fields:
                cleaned[name] = value
            else:  # a field this form does not show (an inline's calendar) is set on the record itself
                setattr(self.instance, name, value)
        self.understood_date = date


class RecordForm(DateAsWrittenMixin, forms.ModelForm):
    """A record's form: the slug may be left blank and is then made from the record's names.

    A dated record's date is typed as written (DateAsWrittenMixin).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None and self._meta.model in SLUG_PARTS:
            slug.required = False
            slug.help_text = f"{slug.help_text} Left blank, it is made from the name."
        self.setup_date_as_written()

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        # The date first: a status step's slug is made from its year.
        self.fill_date_from_writing(cleaned)
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
    """Loads what __str__ needs for related rows offered in selects and autocompletes; every form
    refuses to point a published record at a draft (admin/publishing.py)."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_draft_check(self.form))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", with_draft_check(self.form))
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in STR_RELATED and "queryset" not in kwargs:
            kwargs["queryset"] = with_str_related(db_field.related_model._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in STR_RELATED and "queryset" not in kwargs:
            kwargs["queryset"] = with_str_related(db_field.related_model._default_manager.all())
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CatalogueAdmin(DraftsAdminMixin, HistoryAdminMixin, CatalogueAdminMixin, admin.ModelAdmin):
    """Search also matches the folded search text, so "Мурманск", "murmansk" and "Murmansk" meet.

    Records start as drafts and reviewers publish them (DraftsAdminMixin, admin/publishing.py).

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
    """The fuzzy date typed as written, shown as it was understood and as readers see it, sorted by its earliest day."""

    date_fieldset = (
        "Date",
        {
            "fields": (
                ("date_original", "date_calendar"),
                ("understood_as", "shown_as", "in_source_calendar"),
                ("date_earliest", "date_latest"),
                "date_precision",
                "date_text",
            ),
            "description": "Type the date as the source writes it; saving fills in the rest. A date is an "
            'interval with its precision: "March 2014" is 2014-03-01 to 2014-03-31, precision month. '
            "Set those by hand only where the reading is wrong; leave everything blank when the source "
            "gives no date.",
        },
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        date = getattr(form, "understood_date", None)
        if date is not None:
            messages.info(request, f"Date “{date.original}” understood as {understood(obj)}.")
        if getattr(form, "unread_date", None):
            messages.warning(
                request, f"Date as written “{form.unread_date}” is not a date the catalogue can read; "
                f"it is kept as written, with the interval set by hand ({understood(obj)})."
            )

    @admin.display(description="understood as")
    def understood_as(self, obj):
        return understood(obj) if obj else ""

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


def understood(obj):
    """A record's stored date as an editor checks it: "1 Jan 2020 – 30 Jun 2020, half year"."""
    if not (obj.date_earliest and obj.date_latest and obj.date_precision):
        return ""
    return UncertainDate(obj.date_earliest, obj.date_latest, obj.date_precision, calendar=obj.date_calendar).describe()


class FuzzyDatedAdmin(FuzzyDateAdminMixin, RecordAdmin):
    """A record with a fuzzy date, browsable by year and month."""

    readonly_fields = ("search_text", "understood_as", "shown_as", "in_source_calendar")
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
