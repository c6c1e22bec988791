"""The lists: what each one shows, filters, counts, sorts and exports.

Each list is a declaration read by the one list machinery (listing.py): its
queryset, FilterSet, facets, sort options and columns. The same columns make
the HTML table and every export.
"""

import datetime
from functools import lru_cache

from django.db.models import Prefetch
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import calendars, feeds, filters
from .exports import Cell, Sql
from .filters import COUNTRY_LABELS
from .listing import CatalogueListView, Column, Facet, SetFacet, TreeFacet, count_per_row
from .models import (
    Citation,
    DatePrecision,
    Delegation,
    DelegationMember,
    FuzzyDated,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Office,
    Participant,
    Partnership,
    PartnershipStatus,
    Person,
    Place,
    PlaceLevel,
    Role,
    Side,
    Source,
    Topic,
)
from .models.base import is_english


def listings():
    """The "listed by" options: each listing with the partnerships it names."""
    return [(value, label, filters.listed_by([value])) for value, label in filters.listing_choices()]


def url(record):
    return record.get_absolute_url() if record else None


def day(value):
    return str(value) if value else ""


class DateValues:
    """An uncertain date's stored values, shown by FuzzyDated's own code: for exports read as plain values."""

    __slots__ = ("date_text", "date_earliest", "date_latest", "date_precision")
    date_display = FuzzyDated.date_display
    date_iso = FuzzyDated.date_iso

    def __init__(self, *values):
        self.date_text, self.date_earliest, self.date_latest, self.date_precision = values


def date_display(*values):
    return language_date_display(get_language(), *values)


@lru_cache(maxsize=4096)  # an export repeats the same dates many times over
def language_date_display(language, *values):
    """The date as shown in `language` (the active one: the cache keys by it)."""
    return DateValues(*values).date_display


@lru_cache(maxsize=4096)
def date_iso(*values):
    return DateValues(*values).date_iso()


# The dates in SQL, for the CSV export on PostgreSQL: `date_display` and `date_iso` above as SQL, case for
# case, each giving its cell (`Column.sql`): only `date_text` needs making safe, the rest starts with a digit
# or a letter.


def sql_text(text):
    """Text as an SQL string literal inside an `exports.Sql`."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def date_display_sql(text, earliest, latest, precision):
    """`FuzzyDated.date_display` in English (None in another language: Babel writes those, in Python)."""
    if not is_english():
        return None
    months = "(ARRAY[" + ", ".join(sql_text(f"{datetime.date(2000, m, 1):%B}") for m in range(1, 13)) + "])"

    def day(d):  # (date_part, not EXTRACT: a float, not a numeric, and so faster)
        return f"date_part('day', {d})::int::text"

    def year(d):
        return f"date_part('year', {d})::int::text"

    def month_year(d):  # f"{d:%B %Y}"
        return f"{months}[date_part('month', {d})::int] || ' ' || {year(d)}"

    p = DatePrecision
    return Sql(
        f"""CASE WHEN {{t}} <> '' THEN {{text}}
        WHEN {{a}} IS NULL THEN NULL
        WHEN {{p}} = '{p.DAY.value}' THEN {day("{a}")} || ' ' || {month_year("{a}")}
        WHEN {{p}} = '{p.MONTH.value}' THEN {month_year("{a}")}
        WHEN {{p}} = '{p.HALF_YEAR.value}'
            THEN CASE WHEN date_part('month', {{a}}) < 7 THEN 'first' ELSE 'second' END || ' half of ' || {year("{a}")}
        WHEN {{p}} = '{p.YEAR.value}' THEN {year("{a}")}
        WHEN date_trunc('month', {{a}}) = date_trunc('month', {{b}})
            THEN {day("{a}")} || '–' || {day("{b}")} || ' ' || {month_year("{a}")}
        ELSE {day("{a}")} || ' ' || {month_year("{a}")} || ' – ' || {day("{b}")} || ' ' || {month_year("{b}")} END""",
        t=text, text=Cell(text), a=earliest, b=latest, p=precision,
    )


def iso_day_sql(value):
    """str() of a date, in SQL: its ISO form."""
    return Sql("to_char({d}, 'YYYY-MM-DD')", d=value)


def date_iso_sql(text, earliest, latest, precision):
    """`FuzzyDated.date_iso`."""
    return Sql(
        "CASE WHEN {a} IS NULL THEN NULL WHEN {a} = {b} THEN {iso_a} ELSE {iso_a} || '/' || {iso_b} END",
        a=earliest, b=latest, iso_a=iso_day_sql(earliest), iso_b=iso_day_sql(latest),
    )


def date_columns():
    """The three faces of an uncertain date: as shown, as an ISO interval, as the source wrote it."""
    stored = DateValues.__slots__
    return [
        Column(_("Date"), lambda r: r.date_display, sort="date", source=stored, fmt=date_display,
               sql=date_display_sql),
        Column(_("Date (ISO interval)"), lambda r: r.date_iso(), html=False, source=stored, fmt=date_iso,
               sql=date_iso_sql),
        Column.of(_("Date precision"), "date_precision", html=False),
        Column.of(_("Date as written"), "date_original", html=False),
    ]


class PlaceList(CatalogueListView):
    title = _("Cities and regions")
    noun = "places"
    search_label = _("Search cities and regions")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s place", "%(count)s places", n)

    filterset_class = filters.PlaceFilter
    indexed = True
    facets = [
        Facet("country", _("Country"), ("country",), labels=COUNTRY_LABELS),
        Facet("level", _("Level"), ("level",), labels=dict(PlaceLevel.choices)),
    ]
    sorts = {
        "name": (_("name"), ["name"]),
        "country": (_("country"), ["country", "name"]),
        "partners": (_("number of partners"), ["-partner_count", "name"]),
    }
    default_sort = "name"
    columns = [
        Column.of(_("Name"), "name", link=url, sort="name"),
        Column.of(_("Native name"), "name_native"),
        Column.of(_("Level"), "level", choices=PlaceLevel.choices),
        Column.of(_("Country"), "country", choices=COUNTRY_LABELS, sort="country"),
        Column.of(_("Country code"), "country", fmt=str, html=False),
        Column.of(_("Within"), "parent__name", link=lambda r: url(r.parent)),
        Column.of(_("Within (slug)"), "parent__slug", html=False),
        Column.of(_("Partners"), "partner_count", sort="partners"),
        Column.of(_("Latitude"), "latitude", html=False),
        Column.of(_("Longitude"), "longitude", html=False),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Place.objects.select_related("parent").annotate(
            partner_count=count_per_row(Partnership, "place_a") + count_per_row(Partnership, "place_b")
        )


class PartnershipList(CatalogueListView):
    title = _("Partnerships")
    noun = "partnerships"
    search_label = _("Search partnerships")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s partnership", "%(count)s partnerships", n)

    filterset_class = filters.PartnershipFilter
    indexed = True
    indexed_complements = {"not_listed_by": "listed_by"}
    facets = [
        Facet("status", _("Current status"), ("status",), labels=dict(PartnershipStatus.choices)),
        Facet("reached", _("Reached"), ("steps__status",), labels=dict(PartnershipStatus.choices),
              multivalued=True, repeats=True),
        Facet("country", _("Country"), ("place_a__country", "place_b__country"), labels=COUNTRY_LABELS),
        SetFacet("listed_by", _("Listed by"), (), sets=listings),
    ]
    sorts = {
        "name": (_("name"), ["slug"]),
        "since": (_("first step"), ["since"]),
        "latest": (_("latest step"), ["latest"]),
    }
    default_sort = "name"
    columns = [
        Column.of(_("Place A"), "place_a__name", link=lambda r: url(r.place_a)),
        Column.of(_("Place A (slug)"), "place_a__slug", html=False),
        Column.of(_("Country A"), "place_a__country", choices=COUNTRY_LABELS),
        Column.of(_("Place B"), "place_b__name", link=lambda r: url(r.place_b)),
        Column.of(_("Place B (slug)"), "place_b__slug", html=False),
        Column.of(_("Country B"), "place_b__country", choices=COUNTRY_LABELS),
        Column.of(_("Status"), "status", choices=PartnershipStatus.choices),
        Column.of(_("Since"), "since", fmt=day, sql=iso_day_sql, sort="since"),
        Column.of(_("Latest step"), "latest", fmt=day, sql=iso_day_sql, sort="latest"),
        Column(_("Details"), lambda r: gettext("details"), link=url, export=False),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Partnership.objects.select_related("place_a", "place_b")


class DelegationList(CatalogueListView):
    title = _("Delegations")
    noun = "delegations"
    search_label = _("Search delegations")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s delegation", "%(count)s delegations", n)

    filterset_class = filters.DelegationFilter
    facets = [
        Facet("origin_country", _("From country"), ("origin__country",), labels=COUNTRY_LABELS),
        Facet("destination_country", _("To country"), ("destination__country",), labels=COUNTRY_LABELS),
    ]
    sorts = {"date": (_("date"), ["date_earliest"]), "title": (_("title"), ["title"])}
    default_sort = "-date"
    columns = [
        Column.of(_("Delegation"), "title", link=url, sort="title", key="title"),
        *date_columns(),
        Column.of(pgettext_lazy("delegation", "From"), "origin__name", link=lambda r: url(r.origin)),
        Column.of(pgettext_lazy("delegation", "From (slug)"), "origin__slug", html=False),
        Column.of(pgettext_lazy("delegation", "To"), "destination__name", link=lambda r: url(r.destination)),
        Column.of(pgettext_lazy("delegation", "To (slug)"), "destination__slug", html=False),
        Column.joined(_("Led by"), "members__person__name", where={"role": Role.LEADER}),
        Column.joined(_("Members"), "members__person__name", html=False),
        Column.of(_("Representing"), "organisation__name", html=False),
        Column.of(_("Partnership (slug)"), "partnership__slug", html=False),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Delegation.objects.select_related(
            "origin", "destination", "organisation", "partnership"
        ).prefetch_related(Prefetch("members", queryset=DelegationMember.objects.select_related("person")))


class MeetingList(CatalogueListView):
    title = _("Meetings and visits")
    noun = "meetings"
    search_label = _("Search meetings and visits")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s meeting", "%(count)s meetings", n)

    filterset_class = filters.MeetingFilter
    indexed = indexed_dates = True
    facets = [
        TreeFacet("topic", _("Topic"), ("topics__slug",), label_paths=("topics__name",), limit=40, multivalued=True,
                  relation="topics"),
        Facet("country", _("Country"), ("place__country", "delegation__origin__country"), labels=COUNTRY_LABELS),
        Facet("kind", _("Kind"), ("kind",), labels=dict(MeetingKind.choices)),
        Facet("status", _("Status"), ("status",), labels=dict(MeetingStatus.choices)),
        Facet("language", _("Source language"), ("citations__source__language",), labels=dict(filters.LANGUAGE_CHOICES),
              multivalued=True, repeats=True),
    ]
    sorts = {
        "date": (_("date"), ["date_earliest"]),
        "title": (_("title"), ["title"]),
        "place": (pgettext_lazy("sort by", "place"), ["place__name"]),
    }
    default_sort = "-date"
    export_formats = {**CatalogueListView.export_formats, "atom": feeds.atom_response, "ics": calendars.ics_response}
    columns = [
        Column.of(_("Meeting"), "title", link=url, sort="title", key="title"),
        *date_columns(),
        Column.of(_("Kind"), "kind", choices=MeetingKind.choices),
        Column.of(_("Status"), "status", choices=MeetingStatus.choices, html=False),
        Column.of(_("Place"), "place__name", link=lambda r: url(r.place), sort="place"),
        Column.of(_("Place (slug)"), "place__slug", html=False),
        Column.of(_("Country"), "place__country", choices=COUNTRY_LABELS, html=False),
        Column.of(_("Venue"), "venue__name", html=False),
        Column.of(_("Delegation"), "delegation__title", html=False),
        Column.of(_("Delegation (slug)"), "delegation__slug", html=False),
        Column.of(_("Partnership (slug)"), "partnership__slug", html=False),
        Column.joined(_("Topics"), "topics__name"),
        Column.joined(_("Participants"), "participants__person__name", html=False),
        Column.of(_("Summary"), "summary", html=False),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        # The page shows topics; exports read every column (participants too) as values of their own.
        return Meeting.objects.select_related("place", "venue", "delegation", "partnership").prefetch_related("topics")


class PersonList(CatalogueListView):
    title = _("People")
    noun = "people"
    search_label = _("Search people")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s person", "%(count)s people", n)

    filterset_class = filters.PersonFilter
    facets = [
        Facet("side", _("Side"), ("participations__side",), labels=dict(Side.choices), multivalued=True,
              repeats=True),
        Facet("role", _("Role"), ("participations__role",), labels=dict(Role.choices), multivalued=True,
              repeats=True),
        Facet("country", _("Country of office"), ("offices__place__country",), labels=COUNTRY_LABELS,
              multivalued=True, repeats=True),
    ]
    sorts = {"name": (_("name"), ["name"]), "meetings": (_("number of meetings"), ["-meeting_count", "name"])}
    default_sort = "name"
    columns = [
        Column.of(_("Name"), "name", link=url, sort="name"),
        Column.of(_("Native name"), "name_native"),
        Column.joined(_("Offices"), "offices__title"),
        Column.joined(_("Organisations"), "offices__organisation__name", html=False),
        Column.of(_("Meetings"), "meeting_count", sort="meetings"),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Person.objects.annotate(meeting_count=count_per_row(Participant, "person")).prefetch_related(
            Prefetch("offices", queryset=Office.objects.select_related("organisation"))
        )


class TopicList(CatalogueListView):
    title = _("Topics")
    noun = "topics"
    search_label = _("Search topics")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s topic", "%(count)s topics", n)

    filterset_class = filters.TopicFilter
    facets = [Facet("parent", _("Broader topic"), ("parent__slug",), label_paths=("parent__name",))]
    sorts = {"name": (_("name"), ["name"]), "meetings": (_("number of meetings"), ["-meeting_count", "name"])}
    default_sort = "name"
    columns = [
        Column.of(_("Topic"), "name", link=url, sort="name", key="name"),
        Column.of(_("Broader topic"), "parent__name", link=lambda r: url(r.parent)),
        Column.of(_("Broader topic (slug)"), "parent__slug", html=False),
        Column.of(_("Meetings"), "meeting_count", sort="meetings"),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Topic.objects.select_related("parent").annotate(
            meeting_count=count_per_row(Meeting.topics.through, "topic")
        )


class SourceList(CatalogueListView):
    title = _("Sources")
    noun = "sources"
    search_label = _("Search sources")

    @staticmethod
    def count_text(n):
        return ngettext("%(count)s source", "%(count)s sources", n)

    filterset_class = filters.SourceFilter
    facets = [Facet("language", _("Language"), ("language",), labels=dict(filters.LANGUAGE_CHOICES))]
    sorts = {"title": (_("title"), ["title"]), "date": (_("date"), ["date_earliest"])}
    default_sort = "title"
    columns = [
        Column.of(_("Title"), "title", link=url, sort="title"),
        Column.of(_("Title in English"), "title_english"),
        Column.of(_("Language"), "language"),
        *date_columns(),
        Column.of(_("Publisher"), "publisher", html=False),
        Column.of(_("Citations"), "citation_count"),
        Column.of(_("Slug"), "slug", html=False),
    ]

    def get_queryset(self):
        return Source.objects.annotate(citation_count=count_per_row(Citation, "source"))
