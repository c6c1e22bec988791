"""Public pages other than the lists: a detail page per entity, the overview, search, health.

The lists are declared in lists.py; the map and timelines live in maps/.
"""

from django.db import connection
from django.db.models import F, Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import filters, lists
from .filters import reached_through
from .listing import count_conditions
from .maps import drawing, timelines
from .models import (
    Citation,
    Delegation,
    Meeting,
    MeetingStatus,
    Organisation,
    Participant,
    Partnership,
    Person,
    Place,
    PlaceName,
    PlaceRedirect,
    Side,
    Source,
    SourceKind,
    Topic,
)
from .text import fold

# ---------------------------------------------------------------------------
# Detail pages


# A detail page lists at most this many records of each kind (the latest first where dated) and links
# to the list that holds them all: its cost then grows with the page, not with the catalogue. Rendering
# a row costs ~1 ms of template work, so 25 rather than 100 keeps the busiest pages near 100 ms.
DETAIL_LIMIT = 25
NEWEST = (F("date_earliest").desc(nulls_last=True), "-pk")


def citations_of(record):
    return record.citations.select_related("source").order_by("source__slug", "slug")


class Capped(list):
    """The first DETAIL_LIMIT rows of a queryset, read in one query; `more` says whether there are others."""

    def __init__(self, qs, limit=DETAIL_LIMIT):
        rows = list(qs[: limit + 1])
        super().__init__(rows[:limit])
        self.more = len(rows) > limit


def place_detail(request, slug):
    names = Prefetch("names", queryset=PlaceName.objects.select_related("source"))
    place = Place.objects.select_related("parent").prefetch_related(names, "children").filter(slug=slug).first()
    if place is None:
        # The slug of a place merged into another (or renamed) still leads to it, for good.
        redirect = get_object_or_404(PlaceRedirect.objects.select_related("place"), old_slug=slug)
        url = redirect.place.get_absolute_url()
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    partnerships = (
        Partnership.objects.involving(place).select_related("place_a", "place_b").order_by("slug")
    )
    partnerships = Capped(partnerships)
    context = {
        "place": place,
        "partnerships": partnerships,
        "partners": [(p, p.place_b if p.place_a_id == place.pk else p.place_a) for p in partnerships],
        "sent": Capped(place.delegations_sent.select_related("destination").order_by(*NEWEST)),
        "received": Capped(place.delegations_received.select_related("origin").order_by(*NEWEST)),
        "meetings": Capped(place.meetings.select_related("venue").order_by(*NEWEST)),
        "venues": Capped(place.venues.all()),
        "organisations": Capped(place.organisations.all()),
        "offices": Capped(place.offices.select_related("person", "organisation")),
        "figures": place.figures.all(),
        "citations": citations_of(place),
        "limit": DETAIL_LIMIT,
    }
    context["small_map"] = drawing.place_map(place, context["partners"])
    context["chart"] = timelines.chart(
        timelines.place_events(
            place, context["partners"], context["sent"], context["received"], context["meetings"]
        )
    )
    return render(request, "place_detail.html", context)


def wikidata_url(qid):
    return f"https://www.wikidata.org/wiki/{qid}"


def listings_of(partnership, citations):
    """The sources naming a partnership, datasets first, each with its citing rows and links out:
    (source, [citations], [(label, url)])."""
    found = {}
    for citation in citations:
        found.setdefault(citation.source, []).append(citation)
    listings = []
    for source, cited in sorted(found.items(), key=lambda item: (item[0].kind != SourceKind.DATASET, item[0].title)):
        links = []
        if "wikidata.org" in source.url and partnership.wikidata_id:  # Wikidata's items of the two places
            links = [(qid, wikidata_url(qid)) for qid in partnership.wikidata_id.split("-")]
        elif source.url.startswith(("https://", "http://")):  # never a javascript: or data: address
            links = [(source.url, source.url)]
        listings.append((source, cited, links))
    return listings


def differences(request):
    """Where the listings disagree: the partnerships one names and another does not, each pair of
    listings as a count and a link to the partnerships list that holds them (and exports them).
    Every count in one query; listings that name no partnership are left out."""
    choices = [(value, str(label)) for value, label in filters.listing_choices()]
    pairs = [(a, b) for a in choices for b in choices if a != b]
    conditions = [filters.listed_by([value]) for value, _label in choices]
    conditions += [filters.listed_by([a]) & ~filters.listed_by([b]) for (a, _la), (b, _lb) in pairs]
    counts = [n for n, _not_shown in count_conditions(Partnership.objects.all(), conditions)]
    totals = dict(zip(choices, counts, strict=False))
    rows = []
    for ((a, a_label), (b, b_label)), count in zip(pairs, counts[len(choices):], strict=True):
        if totals[(a, a_label)] and totals[(b, b_label)]:
            query = QueryDict(mutable=True)
            query.setlist("listed_by", [a])
            query.setlist("not_listed_by", [b])
            rows.append((a_label, b_label, count, query.urlencode()))
    context = {"rows": rows, "totals": [(label, n) for (_value, label), n in totals.items() if n]}
    return render(request, "differences.html", context)


def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.select_related("place_a", "place_b"), slug=slug)
    steps = partnership.steps.select_related("meeting").prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source"))
    )
    delegations = Capped(partnership.delegations.select_related("origin", "destination").order_by(*NEWEST))
    meetings = Capped(partnership.meetings.select_related("place", "venue").order_by(*NEWEST))
    outcomes = Capped(partnership.outcomes.select_related("meeting", "leads_to").order_by(*NEWEST))
    # (class, kind, record, label, link): the class names the kind for the style sheet in every language.
    timeline = sorted(
        [("status", _("Status"), s, s.get_status_display(), None) for s in steps]
        + [("visit", _("Visit"), d, d.title, d.get_absolute_url()) for d in delegations]
        + [
            ("meeting", _("Meeting"), m, m.title, m.get_absolute_url())
            if m.status == MeetingStatus.HELD
            else ("planned", _("Planned"), m, m.title, m.get_absolute_url())
            for m in meetings
        ]
        + [(o.kind, o.get_kind_display().capitalize(), o, o.title, None) for o in outcomes if o.date_earliest],
        key=lambda item: (item[2].date_earliest is None, item[2].date_earliest or 0, item[0] != "status"),
    )
    citations = citations_of(partnership)
    context = {
        "partnership": partnership,
        "listed_by": listings_of(partnership, citations),
        "timeline": timeline,
        "delegations": delegations,
        "meetings": meetings,
        "limit": DETAIL_LIMIT,
        "steps": steps,
        "plans": [o for o in outcomes if o.status != "done"],
        "outcomes": outcomes,
        "figures": partnership.figures.all(),
        "citations": citations,
        "small_map": drawing.partnership_map(partnership),
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


# Meetings whose slug a correction of the curated catalogue changed: the old address still leads to them.
RENAMED_MEETINGS = {
    # "fangeleiren" is a prison camp; the text never says prisoners of war.
    "beisfjord-pow-camp-visit-2019": "beisfjord-prison-camp-visit-2019",
}


def meeting_detail(request, slug):
    if slug in RENAMED_MEETINGS:
        return HttpResponsePermanentRedirect(reverse("meeting-detail", args=[RENAMED_MEETINGS[slug]]))
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
    context = {
        "person": person,
        "offices": Capped(person.offices.select_related("organisation", "place")),
        "participations": Capped(participations),
        "memberships": Capped(person.delegation_memberships.select_related("delegation", "office")),
        "met": Capped(met),
        "outcomes": Capped(person.outcomes_made.select_related("meeting", "partnership")),
        "citations": citations_of(person),
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
    context = {
        "topic": topic,
        "children": topic.children.all(),
        "meetings": Capped(meetings),
        "limit": DETAIL_LIMIT,
    }
    return render(request, "topic_detail.html", context)


# What the source page shows of a citing record beyond itself, loaded with it (no query per record).
CITING_RECORD_JOINS = {
    "partnership_set": ("place_a", "place_b"),
    "statusstep_set": ("partnership__place_a", "partnership__place_b"),
    "office_set": ("person",),
    "organisation_set": ("place",),
    "venue_set": ("place",),
    "outcome_set": ("meeting", "partnership"),
    "figure_set": ("place", "partnership"),
    "participant_set": ("person", "meeting"),
    "delegationmember_set": ("person", "delegation"),
}


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    relations = [(name, Citation._meta.get_field(name).related_model) for name in Citation.citing_relations()]
    prefetches = [
        Prefetch(name, queryset=model.objects.select_related(*CITING_RECORD_JOINS.get(name, ())))
        for name, model in relations
    ]
    citations = Capped(source.citations.prefetch_related(*prefetches))
    cited = []
    for citation in citations:
        records = [
            (model._meta.verbose_name.capitalize(), record)
            for name, model in relations
            for record in getattr(citation, name).all()
        ]
        cited.append((citation, records))
    context = {"source": source, "citations": citations, "cited": cited, "limit": DETAIL_LIMIT}
    return render(request, "source_detail.html", context)


# ---------------------------------------------------------------------------
# Overview, search, health


def home(request):
    counts = [
        (lists.PlaceList, Place.objects.count(), "place-list"),
        (lists.PartnershipList, Partnership.objects.count(), "partnership-list"),
        (lists.DelegationList, Delegation.objects.count(), "delegation-list"),
        (lists.MeetingList, Meeting.objects.count(), "meeting-list"),
        (lists.PersonList, Person.objects.count(), "person-list"),
        (lists.TopicList, Topic.objects.count(), "topic-list"),
        (lists.SourceList, Source.objects.count(), "source-list"),
    ]
    # "<strong>3</strong> meetings", the noun in its plural form for the number.
    counts = [(view().count_html(n), n, name) for view, n, name in counts]
    recent = Meeting.objects.filter(status=MeetingStatus.HELD).select_related("place").order_by(*NEWEST)[:8]
    planned = Meeting.objects.filter(status=MeetingStatus.PLANNED).select_related("place").order_by("date_earliest")
    return render(request, "home.html", {"counts": counts, "recent": recent, "planned": planned[:8]})


SEARCHED = [
    (_("Places"), Place, lambda qs: qs.select_related("parent")),
    (_("Partnerships"), Partnership, lambda qs: qs.select_related("place_a", "place_b")),
    (_("People"), Person, lambda qs: qs),
    (_("Organisations"), Organisation, lambda qs: qs.select_related("place")),
    (_("Meetings and visits"), Meeting, lambda qs: qs.select_related("place")),
    (_("Delegations"), Delegation, lambda qs: qs),
    (_("Topics"), Topic, lambda qs: qs),
    (_("Sources"), Source, lambda qs: qs),
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


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /*format=
"""


def robots_txt(request):
    """Crawlers welcome on the pages; not in the admin, and not through every export of every filter."""
    return HttpResponse(ROBOTS, content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG among the static files."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
