"""The lists: what each one shows, filters, counts, sorts and exports.

Each list is a declaration read by the one list machinery (listing.py): its
queryset, FilterSet, facets, sort options and columns. The same columns make
the HTML table and every export.
"""

from functools import lru_cache

from django.db.models import Max, Min, Prefetch

from . import calendars, feeds, filters
from .filters import COUNTRY_CHOICES, COUNTRY_LABELS
from .listing import CatalogueListView, Column, Facet, TreeFacet, count_per_row, per_row
from .models import (
    Citation,
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
    StatusStep,
    Topic,
)


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


@lru_cache(maxsize=4096)  # an export repeats the same dates many times over
def date_display(*values):
    return DateValues(*values).date_display


@lru_cache(maxsize=4096)
def date_iso(*values):
    return DateValues(*values).date_iso()


def date_columns():
    """The three faces of an uncertain date: as shown, as an ISO interval, as the source wrote it."""
    stored = DateValues.__slots__
    return [
        Column("Date", lambda r: r.date_display, sort="date", source=stored, fmt=date_display),
        Column("Date (ISO interval)", lambda r: r.date_iso(), html=False, source=stored, fmt=date_iso),
        Column.of("Date precision", "date_precision", html=False),
        Column.of("Date as written", "date_original", html=False),
    ]


class PlaceList(CatalogueListView):
    title = "Cities and regions"
    noun = "places"
    filterset_class = filters.PlaceFilter
    facets = [
        Facet("country", "Country", ("country",), labels=COUNTRY_LABELS),
        Facet("level", "Level", ("level",), labels=dict(PlaceLevel.choices)),
    ]
    sorts = {
        "name": ("name", ["name"]),
        "country": ("country", ["country", "name"]),
        "partners": ("number of partners", ["-partner_count", "name"]),
    }
    default_sort = "name"
    columns = [
        Column.of("Name", "name", link=url, sort="name"),
        Column.of("Native name", "name_native"),
        Column.of("Level", "level", choices=PlaceLevel.choices),
        Column.of("Country", "country", choices=COUNTRY_CHOICES, sort="country"),
        Column.of("Country code", "country", fmt=str, html=False),
        Column.of("Within", "parent__name", link=lambda r: url(r.parent)),
        Column.of("Within (slug)", "parent__slug", html=False),
        Column.of("Partners", "partner_count", sort="partners"),
        Column.of("Latitude", "latitude", html=False),
        Column.of("Longitude", "longitude", html=False),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Place.objects.select_related("parent").annotate(
            partner_count=count_per_row(Partnership, "place_a") + count_per_row(Partnership, "place_b")
        )


class PartnershipList(CatalogueListView):
    title = "Partnerships"
    noun = "partnerships"
    filterset_class = filters.PartnershipFilter
    facets = [
        Facet("status", "Current status", ("status",), labels=dict(PartnershipStatus.choices)),
        Facet("reached", "Reached", ("steps__status",), labels=dict(PartnershipStatus.choices), multivalued=True),
        Facet("country", "Country", ("place_a__country", "place_b__country"), labels=COUNTRY_LABELS),
    ]
    sorts = {"name": ("name", ["slug"]), "since": ("first step", ["since"]), "latest": ("latest step", ["latest"])}
    default_sort = "name"
    columns = [
        Column.of("Place A", "place_a__name", link=lambda r: url(r.place_a)),
        Column.of("Place A (slug)", "place_a__slug", html=False),
        Column.of("Country A", "place_a__country", choices=COUNTRY_CHOICES),
        Column.of("Place B", "place_b__name", link=lambda r: url(r.place_b)),
        Column.of("Place B (slug)", "place_b__slug", html=False),
        Column.of("Country B", "place_b__country", choices=COUNTRY_CHOICES),
        Column.of("Status", "status", choices=PartnershipStatus.choices),
        Column.of("Since", "since", fmt=day, sort="since"),
        Column.of("Latest step", "latest", fmt=day, sort="latest"),
        Column("Details", lambda r: "details", link=url, export=False),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return (
            Partnership.objects.with_status()
            .select_related("place_a", "place_b")
            .annotate(
                since=per_row(StatusStep, "partnership", Min("date_earliest")),
                latest=per_row(StatusStep, "partnership", Max("date_latest")),
            )
        )


class DelegationList(CatalogueListView):
    title = "Delegations"
    noun = "delegations"
    filterset_class = filters.DelegationFilter
    facets = [
        Facet("origin_country", "From country", ("origin__country",), labels=COUNTRY_LABELS),
        Facet("destination_country", "To country", ("destination__country",), labels=COUNTRY_LABELS),
    ]
    sorts = {"date": ("date", ["date_earliest"]), "title": ("title", ["title"])}
    default_sort = "-date"
    columns = [
        Column.of("Delegation", "title", link=url, sort="title", key="title"),
        *date_columns(),
        Column.of("From", "origin__name", link=lambda r: url(r.origin)),
        Column.of("From (slug)", "origin__slug", html=False),
        Column.of("To", "destination__name", link=lambda r: url(r.destination)),
        Column.of("To (slug)", "destination__slug", html=False),
        Column.joined("Led by", "members__person__name", where={"role": Role.LEADER}),
        Column.joined("Members", "members__person__name", html=False),
        Column.of("Representing", "organisation__name", html=False),
        Column.of("Partnership (slug)", "partnership__slug", html=False),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Delegation.objects.select_related(
            "origin", "destination", "organisation", "partnership"
        ).prefetch_related(Prefetch("members", queryset=DelegationMember.objects.select_related("person")))


class MeetingList(CatalogueListView):
    title = "Meetings and visits"
    noun = "meetings"
    filterset_class = filters.MeetingFilter
    facets = [
        TreeFacet("topic", "Topic", ("topics__slug",), label_paths=("topics__name",), limit=40, multivalued=True,
                  relation="topics"),
        Facet("country", "Country", ("place__country", "delegation__origin__country"), labels=COUNTRY_LABELS),
        Facet("kind", "Kind", ("kind",), labels=dict(MeetingKind.choices)),
        Facet("status", "Status", ("status",), labels=dict(MeetingStatus.choices)),
        Facet("language", "Source language", ("citations__source__language",), labels=dict(filters.LANGUAGE_CHOICES),
              multivalued=True),
    ]
    sorts = {"date": ("date", ["date_earliest"]), "title": ("title", ["title"]), "place": ("place", ["place__name"])}
    default_sort = "-date"
    export_formats = {**CatalogueListView.export_formats, "atom": feeds.atom_response, "ics": calendars.ics_response}
    columns = [
        Column.of("Meeting", "title", link=url, sort="title", key="title"),
        *date_columns(),
        Column.of("Kind", "kind", choices=MeetingKind.choices),
        Column.of("Status", "status", choices=MeetingStatus.choices, html=False),
        Column.of("Place", "place__name", link=lambda r: url(r.place), sort="place"),
        Column.of("Place (slug)", "place__slug", html=False),
        Column.of("Country", "place__country", choices=COUNTRY_CHOICES, html=False),
        Column.of("Venue", "venue__name", html=False),
        Column.of("Delegation", "delegation__title", html=False),
        Column.of("Delegation (slug)", "delegation__slug", html=False),
        Column.of("Partnership (slug)", "partnership__slug", html=False),
        Column.joined("Topics", "topics__name"),
        Column.joined("Participants", "participants__person__name", html=False),
        Column.of("Summary", "summary", html=False),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Meeting.objects.select_related("place", "venue", "delegation", "partnership").prefetch_related(
            "topics", Prefetch("participants", queryset=Participant.objects.select_related("person"))
        )


class PersonList(CatalogueListView):
    title = "People"
    noun = "people"
    filterset_class = filters.PersonFilter
    facets = [
        Facet("side", "Side", ("participations__side",), labels=dict(Side.choices), multivalued=True),
        Facet("role", "Role", ("participations__role",), labels=dict(Role.choices), multivalued=True),
        Facet("country", "Country of office", ("offices__place__country",), labels=COUNTRY_LABELS, multivalued=True),
    ]
    sorts = {"name": ("name", ["name"]), "meetings": ("number of meetings", ["-meeting_count", "name"])}
    default_sort = "name"
    columns = [
        Column.of("Name", "name", link=url, sort="name"),
        Column.of("Native name", "name_native"),
        Column.joined("Offices", "offices__title"),
        Column.joined("Organisations", "offices__organisation__name", html=False),
        Column.of("Meetings", "meeting_count", sort="meetings"),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Person.objects.annotate(meeting_count=count_per_row(Participant, "person")).prefetch_related(
            Prefetch("offices", queryset=Office.objects.select_related("organisation"))
        )


class TopicList(CatalogueListView):
    title = "Topics"
    noun = "topics"
    filterset_class = filters.TopicFilter
    facets = [Facet("parent", "Broader topic", ("parent__slug",), label_paths=("parent__name",))]
    sorts = {"name": ("name", ["name"]), "meetings": ("number of meetings", ["-meeting_count", "name"])}
    default_sort = "name"
    columns = [
        Column.of("Topic", "name", link=url, sort="name", key="name"),
        Column.of("Broader topic", "parent__name", link=lambda r: url(r.parent)),
        Column.of("Broader topic (slug)", "parent__slug", html=False),
        Column.of("Meetings", "meeting_count", sort="meetings"),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Topic.objects.select_related("parent").annotate(
            meeting_count=count_per_row(Meeting.topics.through, "topic")
        )


class SourceList(CatalogueListView):
    title = "Sources"
    noun = "sources"
    filterset_class = filters.SourceFilter
    facets = [Facet("language", "Language", ("language",), labels=dict(filters.LANGUAGE_CHOICES))]
    sorts = {"title": ("title", ["title"]), "date": ("date", ["date_earliest"])}
    default_sort = "title"
    columns = [
        Column.of("Title", "title", link=url, sort="title"),
        Column.of("Title in English", "title_english"),
        Column.of("Language", "language"),
        *date_columns(),
        Column.of("Publisher", "publisher", html=False),
        Column.of("Citations", "citation_count"),
        Column.of("Slug", "slug", html=False),
    ]

    def get_queryset(self):
        return Source.objects.annotate(citation_count=count_per_row(Citation, "source"))
