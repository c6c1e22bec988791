"""Public pages: an overview, a list and a detail page per entity, search, health."""

from django.db import connection
from django.db.models import Count, Max, Min, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django_countries import countries

from . import filters
from .listing import CatalogueListView, Column, Facet
from .models import (
    Delegation,
    DelegationMember,
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
    Role,
    Side,
    Source,
    Topic,
)
from .text import fold

COUNTRY_LABELS = dict(countries)


def joined(values):
    return "; ".join(v for v in values if v)


def url(record):
    return record.get_absolute_url() if record else None


def date_columns():
    """The three faces of an uncertain date: as shown, as an ISO interval, as the source wrote it."""
    return [
        Column("Date", lambda r: r.date_display, sort="date"),
        Column("Date (ISO interval)", lambda r: r.date_iso(), html=False),
        Column("Date precision", lambda r: r.date_precision, html=False),
        Column("Date as written", lambda r: r.date_original, html=False),
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
        Column("Name", lambda r: r.name, link=url, sort="name"),
        Column("Native name", lambda r: r.name_native),
        Column("Level", lambda r: r.get_level_display()),
        Column("Country", lambda r: r.country.name, sort="country"),
        Column("Country code", lambda r: r.country.code, html=False),
        Column("Within", lambda r: r.parent.name if r.parent else "", link=lambda r: url(r.parent)),
        Column("Within (slug)", lambda r: r.parent.slug if r.parent else "", html=False),
        Column("Partners", lambda r: r.partner_count, sort="partners"),
        Column("Latitude", lambda r: r.latitude, html=False),
        Column("Longitude", lambda r: r.longitude, html=False),
        Column("Slug", lambda r: r.slug, html=False),
    ]

    def get_queryset(self):
        return Place.objects.select_related("parent").annotate(
            partner_count=Count("partnerships_as_a", distinct=True) + Count("partnerships_as_b", distinct=True)
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
        Column("Place A", lambda r: r.place_a.name, link=lambda r: url(r.place_a)),
        Column("Place A (slug)", lambda r: r.place_a.slug, html=False),
        Column("Country A", lambda r: r.place_a.country.name),
        Column("Place B", lambda r: r.place_b.name, link=lambda r: url(r.place_b)),
        Column("Place B (slug)", lambda r: r.place_b.slug, html=False),
        Column("Country B", lambda r: r.place_b.country.name),
        Column("Status", lambda r: r.status_label),
        Column("Since", lambda r: r.since.isoformat() if r.since else "", sort="since"),
        Column("Latest step", lambda r: r.latest.isoformat() if r.latest else "", sort="latest"),
        Column("Details", lambda r: "details", link=url, export=False),
        Column("Slug", lambda r: r.slug, html=False),
    ]

    def get_queryset(self):
        return (
            Partnership.objects.with_status()
            .select_related("place_a", "place_b")
            .annotate(since=Min("steps__date_earliest"), latest=Max("steps__date_latest"))
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
        Column("Delegation", lambda r: r.title, link=url, sort="title"),
        *date_columns(),
        Column("From", lambda r: r.origin.name, link=lambda r: url(r.origin)),
        Column("From (slug)", lambda r: r.origin.slug, html=False),
        Column("To", lambda r: r.destination.name, link=lambda r: url(r.destination)),
        Column("To (slug)", lambda r: r.destination.slug, html=False),
        Column("Led by", lambda r: joined(m.person.name for m in r.members.all() if m.role == Role.LEADER)),
        Column("Members", lambda r: joined(m.person.name for m in r.members.all()), html=False),
        Column("Representing", lambda r: r.organisation.name if r.organisation else "", html=False),
        Column("Partnership (slug)", lambda r: r.partnership.slug if r.partnership else "", html=False),
        Column("Slug", lambda r: r.slug, html=False),
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
        Column("Meeting", lambda r: r.title, link=url, sort="title"),
        *date_columns(),
        Column("Kind", lambda r: r.get_kind_display()),
        Column("Status", lambda r: r.get_status_display(), html=False),
        Column("Place", lambda r: r.place.name if r.place else "", link=lambda r: url(r.place), sort="place"),
        Column("Place (slug)", lambda r: r.place.slug if r.place else "", html=False),
        Column("Country", lambda r: r.place.country.name if r.place else "", html=False),
        Column("Venue", lambda r: r.venue.name if r.venue else "", html=False),
        Column("Delegation", lambda r: r.delegation.title if r.delegation else "", html=False),
        Column("Delegation (slug)", lambda r: r.delegation.slug if r.delegation else "", html=False),
        Column("Partnership (slug)", lambda r: r.partnership.slug if r.partnership else "", html=False),
        Column("Topics", lambda r: joined(t.name for t in r.topics.all())),
        Column("Participants", lambda r: joined(p.person.name for p in r.participants.all()), html=False),
        Column("Summary", lambda r: r.summary, html=False),
        Column("Slug", lambda r: r.slug, html=False),
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
        Column("Name", lambda r: r.name, link=url, sort="name"),
        Column("Native name", lambda r: r.name_native),
        Column("Offices", lambda r: joined(o.title for o in r.offices.all())),
        Column(
            "Organisations",
            lambda r: joined(o.organisation.name for o in r.offices.all() if o.organisation),
            html=False,
        ),
        Column("Meetings", lambda r: r.meeting_count, sort="meetings"),
        Column("Slug", lambda r: r.slug, html=False),
    ]

    def get_queryset(self):
        return Person.objects.annotate(meeting_count=Count("participations", distinct=True)).prefetch_related(
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
        Column("Topic", lambda r: r.name, link=url, sort="name"),
        Column("Broader topic", lambda r: r.parent.name if r.parent else "", link=lambda r: url(r.parent)),
        Column("Broader topic (slug)", lambda r: r.parent.slug if r.parent else "", html=False),
        Column("Meetings", lambda r: r.meeting_count, sort="meetings"),
        Column("Slug", lambda r: r.slug, html=False),
    ]

    def get_queryset(self):
        return Topic.objects.select_related("parent").annotate(meeting_count=Count("meetings", distinct=True))


class SourceList(CatalogueListView):
    title = "Sources"
    noun = "sources"
    filterset_class = filters.SourceFilter
    facets = [Facet("language", "Language", ("language",), labels=dict(filters.LANGUAGE_CHOICES))]
    sorts = {"title": ("title", ["title"]), "date": ("date", ["date_earliest"])}
    default_sort = "title"
    columns = [
        Column("Title", lambda r: r.title, link=url, sort="title"),
        Column("Title in English", lambda r: r.title_english),
        Column("Language", lambda r: r.language),
        *date_columns(),
        Column("Publisher", lambda r: r.publisher, html=False),
        Column("Citations", lambda r: r.citation_count),
        Column("Slug", lambda r: r.slug, html=False),
    ]

    def get_queryset(self):
        return Source.objects.annotate(citation_count=Count("citations"))


# ---------------------------------------------------------------------------
# Detail pages


def citations_of(record):
    return record.citations.select_related("source").order_by("source__slug", "slug")


def place_detail(request, slug):
    place = get_object_or_404(Place.objects.select_related("parent").prefetch_related("names", "children"), slug=slug)
    partnerships = (
        Partnership.objects.with_status().involving(place).select_related("place_a", "place_b").order_by("slug")
    )
    context = {
        "place": place,
        "partnerships": [(p, p.place_b if p.place_a_id == place.pk else p.place_a) for p in partnerships],
        "sent": place.delegations_sent.select_related("destination"),
        "received": place.delegations_received.select_related("origin"),
        "meetings": place.meetings.select_related("venue"),
        "venues": place.venues.all(),
        "organisations": place.organisations.all(),
        "offices": place.offices.select_related("person", "organisation"),
        "figures": place.figures.all(),
        "citations": citations_of(place),
    }
    return render(request, "place_detail.html", context)


def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.with_status().select_related("place_a", "place_b"), slug=slug)
    steps = partnership.steps.select_related("meeting").prefetch_related("citations__source")
    delegations = partnership.delegations.select_related("origin", "destination")
    meetings = partnership.meetings.select_related("place", "venue")
    outcomes = partnership.outcomes.select_related("meeting", "leads_to")
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
        "steps": steps,
        "plans": [o for o in outcomes if o.status != "done"],
        "outcomes": outcomes,
        "figures": partnership.figures.all(),
        "citations": citations_of(partnership),
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
        "steps": meeting.status_steps.all(),
        "citations": citations_of(meeting),
    }
    return render(request, "meeting_detail.html", context)


def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    participations = person.participations.select_related("meeting__place", "office").order_by(
        "-meeting__date_earliest"
    )
    met = (
        Person.objects.filter(participations__meeting__participants__person=person)
        .exclude(pk=person.pk)
        .distinct()
        .order_by("name")
    )
    context = {
        "person": person,
        "offices": person.offices.select_related("organisation", "place"),
        "participations": participations,
        "memberships": person.delegation_memberships.select_related("delegation", "office"),
        "met": met,
        "outcomes": person.outcomes_made.all(),
        "citations": citations_of(person),
    }
    return render(request, "person_detail.html", context)


def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    subtree = Topic.objects.subtree_ids([topic])
    context = {
        "topic": topic,
        "children": topic.children.all(),
        "meetings": Meeting.objects.filter(topics__in=subtree)
        .distinct()
        .select_related("place")
        .order_by("-date_earliest"),
    }
    return render(request, "topic_detail.html", context)


CITING_RELATIONS = [
    ("place_set", "Place"),
    ("partnership_set", "Partnership"),
    ("statusstep_set", "Status step"),
    ("delegation_set", "Delegation"),
    ("meeting_set", "Meeting"),
    ("person_set", "Person"),
    ("office_set", "Office"),
    ("organisation_set", "Organisation"),
    ("venue_set", "Venue"),
    ("outcome_set", "Outcome"),
    ("figure_set", "Figure"),
    ("participant_set", "Participant"),
    ("delegationmember_set", "Delegation member"),
]


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    citations = source.citations.prefetch_related(*(name for name, _ in CITING_RELATIONS))
    cited = []
    for citation in citations:
        records = [(label, r) for name, label in CITING_RELATIONS for r in getattr(citation, name).all()]
        cited.append((citation, records))
    return render(request, "source_detail.html", {"source": source, "cited": cited})


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
    recent = Meeting.objects.filter(status=MeetingStatus.HELD).select_related("place").order_by("-date_earliest")[:8]
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
