"""Public pages: an overview, a list and a detail page per entity, search, health."""

from functools import lru_cache

from django.db import connection
from django.db.models import F, Max, Min, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django_countries import countries

from . import filters, maps, timelines
from .filters import reached_through
from .listing import CatalogueListView, Column, Facet, count_per_row, per_row
from .models import (
    Citation,
    Delegation,
    DelegationMember,
    FuzzyDated,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Office,
    Organisation,
    Participant,
    Partnership,
    PartnershipStatus,
    Person,
    Place,
    PlaceLevel,
    PlaceName,
    Role,
    Side,
    Source,
    StatusStep,
    Topic,
)
from .text import fold

COUNTRY_LABELS = dict(countries)


def url(record):
    return record.get_absolute_url() if record else None


def country_name(code):
    return COUNTRY_LABELS.get(str(code), str(code)) if code else ""


def labels(choices):
    return {value: str(label) for value, label in choices}.get


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


# ---------------------------------------------------------------------------
# Lists


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
        Column.of("Level", "level", fmt=labels(PlaceLevel.choices)),
        Column.of("Country", "country", fmt=country_name, sort="country"),
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
        Facet("reached", "Reached", ("steps__status",), labels=dict(PartnershipStatus.choices)),
        Facet("country", "Country", ("place_a__country", "place_b__country"), labels=COUNTRY_LABELS),
    ]
    sorts = {"name": ("name", ["slug"]), "since": ("first step", ["since"]), "latest": ("latest step", ["latest"])}
    default_sort = "name"
    columns = [
        Column.of("Place A", "place_a__name", link=lambda r: url(r.place_a)),
        Column.of("Place A (slug)", "place_a__slug", html=False),
        Column.of("Country A", "place_a__country", fmt=country_name),
        Column.of("Place B", "place_b__name", link=lambda r: url(r.place_b)),
        Column.of("Place B (slug)", "place_b__slug", html=False),
        Column.of("Country B", "place_b__country", fmt=country_name),
        Column.of("Status", "status", fmt=labels(PartnershipStatus.choices)),
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
        Column.of("Delegation", "title", link=url, sort="title"),
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
        Facet("topic", "Topic", ("topics__slug",), label_paths=("topics__name",), limit=40),
        Facet("country", "Country", ("place__country", "delegation__origin__country"), labels=COUNTRY_LABELS),
        Facet("kind", "Kind", ("kind",), labels=dict(MeetingKind.choices)),
        Facet("status", "Status", ("status",), labels=dict(MeetingStatus.choices)),
        Facet("language", "Source language", ("citations__source__language",), labels=dict(filters.LANGUAGE_CHOICES)),
    ]
    sorts = {"date": ("date", ["date_earliest"]), "title": ("title", ["title"]), "place": ("place", ["place__name"])}
    default_sort = "-date"
    columns = [
        Column.of("Meeting", "title", link=url, sort="title"),
        *date_columns(),
        Column.of("Kind", "kind", fmt=labels(MeetingKind.choices)),
        Column.of("Status", "status", fmt=labels(MeetingStatus.choices), html=False),
        Column.of("Place", "place__name", link=lambda r: url(r.place), sort="place"),
        Column.of("Place (slug)", "place__slug", html=False),
        Column.of("Country", "place__country", fmt=country_name, html=False),
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
        Facet("side", "Side", ("participations__side",), labels=dict(Side.choices)),
        Facet("role", "Role", ("participations__role",), labels=dict(Role.choices)),
        Facet("country", "Country of office", ("offices__place__country",), labels=COUNTRY_LABELS),
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
        Column.of("Topic", "name", link=url, sort="name"),
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


# ---------------------------------------------------------------------------
# Detail pages


# A detail page lists at most this many records of each kind (the latest first where dated) and links
# to the list that holds them all: its cost then grows with the page, not with the catalogue.
DETAIL_LIMIT = 100
NEWEST = (F("date_earliest").desc(nulls_last=True), "-pk")


def citations_of(record):
    return record.citations.select_related("source").order_by("source__slug", "slug")


def first(qs, more, key, limit=DETAIL_LIMIT):
    """The first `limit` rows of qs, in one query; notes in `more[key]` whether there are others."""
    rows = list(qs[: limit + 1])
    more[key] = len(rows) > limit
    return rows[:limit]


def place_detail(request, slug):
    names = Prefetch("names", queryset=PlaceName.objects.select_related("source"))
    place = get_object_or_404(Place.objects.select_related("parent").prefetch_related(names, "children"), slug=slug)
    partnerships = (
        Partnership.objects.with_status().involving(place).select_related("place_a", "place_b").order_by("slug")
    )
    more = {}
    context = {
        "place": place,
        "partnerships": [
            (p, p.place_b if p.place_a_id == place.pk else p.place_a)
            for p in first(partnerships, more, "partnerships")
        ],
        "sent": first(place.delegations_sent.select_related("destination").order_by(*NEWEST), more, "sent"),
        "received": first(place.delegations_received.select_related("origin").order_by(*NEWEST), more, "received"),
        "meetings": first(place.meetings.select_related("venue").order_by(*NEWEST), more, "meetings"),
        "venues": first(place.venues.all(), more, "venues"),
        "organisations": first(place.organisations.all(), more, "organisations"),
        "offices": first(place.offices.select_related("person", "organisation"), more, "offices"),
        "figures": place.figures.all(),
        "citations": citations_of(place),
        "more": more,
        "limit": DETAIL_LIMIT,
    }
    context["small_map"] = maps.place_map(place, context["partnerships"])
    context["chart"] = timelines.chart(
        timelines.place_events(
            place, context["partnerships"], context["sent"], context["received"], context["meetings"]
        )
    )
    return render(request, "place_detail.html", context)


def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.with_status().select_related("place_a", "place_b"), slug=slug)
    steps = partnership.steps.select_related("meeting").prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source"))
    )
    more = {}
    delegations = first(partnership.delegations.select_related("origin", "destination").order_by(*NEWEST),
                        more, "delegations")
    meetings = first(partnership.meetings.select_related("place", "venue").order_by(*NEWEST), more, "meetings")
    outcomes = first(partnership.outcomes.select_related("meeting", "leads_to").order_by(*NEWEST), more, "outcomes")
    timeline = sorted(
        [("Status", s, s.get_status_display(), None) for s in steps]
        + [("Visit", d, d.title, url(d)) for d in delegations]
        + [("Meeting" if m.status == MeetingStatus.HELD else "Planned", m, m.title, url(m)) for m in meetings]
        + [(o.get_kind_display().capitalize(), o, o.title, None) for o in outcomes if o.date_earliest],
        key=lambda item: (item[1].date_earliest is None, item[1].date_earliest or 0, item[0] != "Status"),
    )
    context = {
        "partnership": partnership,
        "timeline": timeline,
        "more": more,
        "limit": DETAIL_LIMIT,
        "steps": steps,
        "plans": [o for o in outcomes if o.status != "done"],
        "outcomes": outcomes,
        "figures": partnership.figures.all(),
        "citations": citations_of(partnership),
        "small_map": maps.partnership_map(partnership),
        "chart": timelines.chart(timelines.partnership_events(steps, delegations, meetings, outcomes)),
    }
    return render(request, "partnership_detail.html", context)


def delegation_detail(request, slug):
    delegation = get_object_or_404(
        Delegation.objects.select_related("origin", "destination", "organisation", "invited_by", "partnership"),
        slug=slug,
    )
    context = {
        "delegation": delegation,
        "members": delegation.members.select_related("person", "office__organisation"),
        "meetings": delegation.meetings.select_related("place", "venue"),
        "citations": citations_of(delegation),
    }
    return render(request, "delegation_detail.html", context)


def meeting_detail(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.select_related("place__parent", "venue", "delegation__origin", "partnership"), slug=slug
    )
    participants = meeting.participants.select_related("person", "office__organisation", "office__place")
    context = {
        "meeting": meeting,
        "hosts": [p for p in participants if p.side == Side.HOST],
        "guests": [p for p in participants if p.side == Side.GUEST],
        "topics": meeting.topics.select_related("parent"),
        "outcomes": meeting.outcomes.select_related("made_by", "leads_to"),
        "announced_by": meeting.announced_by.select_related("meeting"),
        "figures": meeting.figures.all(),
        "steps": meeting.status_steps.select_related("partnership__place_a", "partnership__place_b"),
        "citations": citations_of(meeting),
    }
    return render(request, "meeting_detail.html", context)


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    participations = person.participations.select_related("meeting__place", "office").order_by(
        F("meeting__date_earliest").desc(nulls_last=True), "-meeting_id"
    )
    meetings = Participant.objects.filter(person=person).values("meeting")
    met = (
        Person.objects.filter(pk__in=Participant.objects.filter(meeting__in=meetings).values("person"))
        .exclude(pk=person.pk)
        .order_by("name", "pk")
    )
    more = {}
    context = {
        "person": person,
        "offices": first(person.offices.select_related("organisation", "place"), more, "offices"),
        "participations": first(participations, more, "participations"),
        "memberships": first(person.delegation_memberships.select_related("delegation", "office"), more, "memberships"),
        "met": first(met, more, "met"),
        "outcomes": first(person.outcomes_made.select_related("meeting", "partnership"), more, "outcomes"),
        "citations": citations_of(person),
        "more": more,
        "limit": DETAIL_LIMIT,
    }
    return render(request, "person_detail.html", context)


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    subtree = Topic.objects.subtree_ids([topic])
    meetings = (
        Meeting.objects.filter(pk__in=reached_through(Meeting, "topics", sorted(subtree)))
        .select_related("place")
        .order_by(*NEWEST)
    )
    more = {}
    context = {
        "topic": topic,
        "children": topic.children.all(),
        "meetings": first(meetings, more, "meetings"),
        "more": more,
        "limit": DETAIL_LIMIT,
    }
    return render(request, "topic_detail.html", context)


# Each cited kind of record with what its name and link read (select_related: no query per record).
CITING_RELATIONS = [
    ("place_set", "Place", ()),
    ("partnership_set", "Partnership", ("place_a", "place_b")),
    ("statusstep_set", "Status step", ("partnership__place_a", "partnership__place_b")),
    ("delegation_set", "Delegation", ()),
    ("meeting_set", "Meeting", ()),
    ("person_set", "Person", ()),
    ("office_set", "Office", ("person",)),
    ("organisation_set", "Organisation", ("place",)),
    ("venue_set", "Venue", ("place",)),
    ("outcome_set", "Outcome", ("meeting", "partnership")),
    ("figure_set", "Figure", ("place", "partnership")),
    ("participant_set", "Participant", ("person", "meeting")),
    ("delegationmember_set", "Delegation member", ("person", "delegation")),
]


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    prefetches = [
        Prefetch(name, queryset=Citation._meta.get_field(name).related_model.objects.select_related(*joins))
        for name, _, joins in CITING_RELATIONS
    ]
    more = {}
    citations = first(source.citations.prefetch_related(*prefetches), more, "citations")
    cited = []
    for citation in citations:
        records = [(label, r) for name, label, _ in CITING_RELATIONS for r in getattr(citation, name).all()]
        cited.append((citation, records))
    context = {"source": source, "cited": cited, "more": more, "limit": DETAIL_LIMIT}
    return render(request, "source_detail.html", context)


# ---------------------------------------------------------------------------
# Overview, search, health


def home(request):
    counts = [
        ("Places", Place.objects.count(), "place-list"),
        ("Partnerships", Partnership.objects.count(), "partnership-list"),
        ("Delegations", Delegation.objects.count(), "delegation-list"),
        ("Meetings and visits", Meeting.objects.count(), "meeting-list"),
        ("People", Person.objects.count(), "person-list"),
        ("Topics", Topic.objects.count(), "topic-list"),
        ("Sources", Source.objects.count(), "source-list"),
    ]
    recent = Meeting.objects.filter(status=MeetingStatus.HELD).select_related("place").order_by(*NEWEST)[:8]
    planned = Meeting.objects.filter(status=MeetingStatus.PLANNED).select_related("place").order_by("date_earliest")
    return render(request, "home.html", {"counts": counts, "recent": recent, "planned": planned[:8]})


SEARCHED = [
    ("Places", Place, lambda qs: qs.select_related("parent")),
    ("Partnerships", Partnership, lambda qs: qs.select_related("place_a", "place_b")),
    ("People", Person, lambda qs: qs),
    ("Organisations", Organisation, lambda qs: qs.select_related("place")),
    ("Meetings and visits", Meeting, lambda qs: qs.select_related("place")),
    ("Delegations", Delegation, lambda qs: qs),
    ("Topics", Topic, lambda qs: qs),
    ("Sources", Source, lambda qs: qs),
]
SEARCH_LIMIT = 20


def search(request):
    q = request.GET.get("q", "").replace("\x00", "")[:200].strip()
    groups = []
    if fold(q):
        folded = fold(q)
        for label, model, prepare in SEARCHED:
            qs = prepare(model.objects.search(q))
            # Exact names first, then names that start with the query, then the rest.
            ranked = sorted(
                qs[: SEARCH_LIMIT * 5],
                key=lambda r: (fold(str(r)) != folded, not fold(str(r)).startswith(folded), str(r)),
            )[:SEARCH_LIMIT]
            if ranked:
                groups.append((label, ranked))
    return render(request, "search.html", {"q": q, "groups": groups, "searched": bool(fold(q))})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
