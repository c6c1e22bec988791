"""Atom feeds of what is new or changed: the whole catalogue, a place, a partnership, a person, a topic,
and any filtered list of meetings (`/meetings/?…&format=atom`, the list's own rows).

"New or changed" is each record's `updated_at`, newest first, at most FEED_LIMIT entries. An entry links
to its record's page, says its date as the catalogue shows it and as the source writes it (Atom has no
place for an uncertain date: its `updated` is when the record changed, not when the meeting was), quotes
the passages it rests on and links each source with `rel="via"`, Atom's "where this came from".

Built on Django's syndication framework; a feed reads a fixed number of queries whatever the catalogue's
size (one per kind of record, and one for the kind's citations).
"""

from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from . import filters
from .i18n.formats import number
from .i18n.names import local_name
from .listing import chips
from .models import (
    Citation,
    Delegation,
    FuzzyDated,
    Meeting,
    MeetingStatus,
    Partnership,
    Person,
    Place,
    Source,
    StatusStep,
    Topic,
)

FEED_LIMIT = 50
CITATIONS_SHOWN = 5
AUTHOR = gettext_lazy("Partnerships catalogue")


@dataclass
class Entry:
    """One entry of a feed: a record as a reader of the feed sees it."""

    kind: str
    title: str
    path: str
    guid_path: str
    updated: datetime
    dated: FuzzyDated | None = None
    text: str = ""
    citations: list = field(default_factory=list)
    request: object = None  # set by the feed: its links are absolute


def cited(qs):
    """The queryset with each record's citations and their sources, in two queries whatever the rows."""
    return qs.prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("source")))


def kind_of(model):
    """What an entry calls a record of the model, in the reader's language: "Place", "Status step"."""
    return capfirst(model._meta.verbose_name)


def meeting_entry(m):
    kind = capfirst(m.get_kind_display())
    title = gettext("Planned: %(title)s") % {"title": m.title} if m.status == MeetingStatus.PLANNED else m.title
    return Entry(kind, title, m.get_absolute_url(), m.get_absolute_url(), m.updated_at, m,
                 m.summary, list(m.citations.all()))


def delegation_entry(d):
    route = gettext("From %(origin)s to %(destination)s.") % {
        "origin": local_name(d.origin), "destination": local_name(d.destination)}
    text = "\n".join(t for t in (route, d.purpose, d.summary) if t)
    return Entry(kind_of(Delegation), d.title, d.get_absolute_url(), d.get_absolute_url(), d.updated_at, d, text,
                 list(d.citations.all()))


def partnership_entry(p):
    status = gettext("Current status: %(status)s.") % {"status": p.status_label} if p.status_label else ""
    return Entry(kind_of(Partnership), local_name(p), p.get_absolute_url(), p.get_absolute_url(), p.updated_at,
                 None, "\n".join(t for t in (status, p.summary) if t), list(p.citations.all()))


def step_entry(s):
    return Entry(kind_of(StatusStep), f"{local_name(s.partnership)}: {s.get_status_display()}",
                 s.get_absolute_url(), f"{s.get_absolute_url()}#{s.slug}", s.updated_at, s, s.description,
                 list(s.citations.all()))


def place_entry(p):
    return Entry(kind_of(Place), f"{local_name(p)} ({p.get_level_display()}, {p.country.name})",
                 p.get_absolute_url(), p.get_absolute_url(), p.updated_at, None, p.description,
                 list(p.citations.all()))


def person_entry(p):
    return Entry(kind_of(Person), p.name, p.get_absolute_url(), p.get_absolute_url(), p.updated_at, None,
                 p.description, list(p.citations.all()))


def topic_entry(t):
    name = f"{t.parent.name} › {t.name}" if t.parent else t.name
    return Entry(kind_of(Topic), name, t.get_absolute_url(), t.get_absolute_url(), t.updated_at, None,
                 t.description)


def source_entry(s):
    text = "\n".join(str(x) for x in (s.title_english, s.publisher, s.get_kind_display()) if x)
    return Entry(kind_of(Source), s.title, s.get_absolute_url(), s.get_absolute_url(), s.updated_at, s, text)


# What an entry of each kind reads along with the record: a fixed number of queries per kind.
KINDS = {
    Meeting: (meeting_entry, lambda qs: cited(qs.select_related("place"))),
    Delegation: (delegation_entry, lambda qs: cited(qs.select_related("origin", "destination"))),
    Partnership: (partnership_entry, lambda qs: cited(qs.select_related("place_a", "place_b"))),
    StatusStep: (step_entry, lambda qs: cited(qs.select_related("partnership__place_a", "partnership__place_b"))),
    Place: (place_entry, cited),
    Person: (person_entry, cited),
    Topic: (topic_entry, lambda qs: qs.select_related("parent")),
    Source: (source_entry, lambda qs: qs),
}


def latest(*querysets, limit=FEED_LIMIT):
    """The most recently changed records of the querysets (of the kinds in KINDS), as entries, newest first."""
    entries = []
    for qs in querysets:
        make, prepare = KINDS[qs.model]
        entries.extend(make(r) for r in prepare(qs.order_by("-updated_at", "-pk")[:limit]))
    return sorted(entries, key=attrgetter("updated"), reverse=True)[:limit]


@dataclass
class Subject:
    """What a feed is about: its title, the page it follows, and its entries."""

    request: object
    title: str
    path: str
    entries: list
    subtitle: str = gettext_lazy("What is new or changed, latest first.")


class CatalogueAtomFeed(Atom1Feed):
    """Atom 1.0, with a `rel="via"` link to each source an entry rests on."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for href, title in item.get("via", ()):
            handler.addQuickElement("link", "", {"rel": "via", "href": href, "title": title})


def date_html(record):
    """The date as shown, as the source writes it, and in the source's calendar."""
    when = pgettext("date of an event", "When:")
    if record is None or not record.date_earliest:
        if record is None:
            return ""
        return format_html("<p><strong>{}</strong> {}</p>", when, pgettext("date", "not given"))
    extra = []
    if record.date_original and record.date_original != record.date_display:
        extra.append(format_html("{}", gettext("as written: “%(date)s”") % {"date": record.date_original}))
    if record.date_in_source_calendar:
        extra.append(format_html("{}, {}", record.date_in_source_calendar, record.get_date_calendar_display()))
    extra.append(format_html("{}, {}", record.date_iso(), record.get_date_precision_display()))
    return format_html("<p><strong>{}</strong> {} ({})</p>", when, record.date_display,
                       format_html_join("; ", "{}", ((e,) for e in extra)))


def citation_html(request, citation):
    source = citation.source
    title = source.title_english or source.title
    locator = f", {citation.locator}" if citation.locator else ""
    translated = citation.passage_english and source.language != "en"
    english = format_html(" — “{}”", Truncator(citation.passage_english).chars(300)) if translated else ""
    return format_html(
        '<li><a href="{}">{}</a>{}: “<span lang="{}">{}</span>”{}</li>',
        request.build_absolute_uri(citation.get_absolute_url()), title, locator, source.language,
        Truncator(citation.passage).chars(300), english,
    )


class CatalogueFeed(Feed):
    """Every feed's shape; a subclass says what it follows in `subject(request, **kwargs)`."""

    feed_type = CatalogueAtomFeed
    author_name = AUTHOR

    def subject(self, request, **kwargs):
        raise NotImplementedError

    def get_object(self, request, **kwargs):
        return self.subject(request, **kwargs)

    def title(self, subject):
        return subject.title

    def subtitle(self, subject):
        return subject.subtitle

    def link(self, subject):
        return subject.path

    def feed_guid(self, subject):
        return subject.request.build_absolute_uri()

    def feed_url(self, subject):
        return subject.request.build_absolute_uri()

    def items(self, subject):
        for entry in subject.entries:
            entry.request = subject.request
        return subject.entries

    def item_title(self, entry):
        return f"{entry.kind}: {entry.title}"

    def item_link(self, entry):
        return entry.path

    def item_guid(self, entry):
        return entry.request.build_absolute_uri(entry.guid_path)

    item_guid_is_permalink = False

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return (entry.kind,)

    def item_description(self, entry):
        request = entry.request
        parts = [date_html(entry.dated)]
        if entry.text:
            parts.append(format_html("<p>{}</p>", Truncator(entry.text).chars(600)))
        if entry.citations:
            shown = entry.citations[:CITATIONS_SHOWN]
            more = len(entry.citations) - len(shown)
            parts.append(format_html(
                "<p><strong>{}</strong></p><ul>{}</ul>{}",
                gettext("Sources:"),
                format_html_join("", "{}", ((citation_html(request, c),) for c in shown)),
                format_html("<p>{}</p>", ngettext(
                    "and %(count)s more passage on the page.", "and %(count)s more passages on the page.", more,
                ) % {"count": number(more)}) if more > 0 else "",
            ))
        return format_html_join("", "{}", ((p,) for p in parts if p))

    def item_extra_kwargs(self, entry):
        sources = {c.source.get_absolute_url(): c.source for c in entry.citations}
        return {
            "via": [
                (entry.request.build_absolute_uri(path), s.title_english or s.title) for path, s in sources.items()
            ]
        }


class WholeCatalogueFeed(CatalogueFeed):
    def subject(self, request):
        return Subject(
            request,
            gettext("Partnerships catalogue: new and changed"),
            reverse("home"),
            latest(*(model.objects.all() for model in (Meeting, Delegation, Partnership, Place, Person, Topic,
                                                       Source))),
        )


class PlaceFeed(CatalogueFeed):
    def subject(self, request, slug):
        place = get_object_or_404(Place, slug=slug)
        meetings = filters.MeetingFilter({"place": [place.slug]}, queryset=Meeting.objects.all()).qs
        return Subject(
            request,
            gettext("%(place)s: partnerships, visits and meetings") % {"place": local_name(place)},
            place.get_absolute_url(),
            latest(
                Partnership.objects.involving(place),
                Delegation.objects.filter(Q(origin=place) | Q(destination=place)),
                meetings,
            ),
            gettext("Partnerships, delegations sent and received, and meetings held there or attended from there: "
                    "new or changed, latest first."),
        )


class PartnershipFeed(CatalogueFeed):
    def subject(self, request, slug):
        partnership = get_object_or_404(Partnership.objects.select_related("place_a", "place_b"), slug=slug)
        return Subject(
            request,
            gettext("%(partnership)s: steps, visits and meetings") % {"partnership": local_name(partnership)},
            partnership.get_absolute_url(),
            latest(
                Partnership.objects.filter(pk=partnership.pk),
                partnership.steps.all(),
                partnership.delegations.all(),
                partnership.meetings.all(),
            ),
        )


class PersonFeed(CatalogueFeed):
    def subject(self, request, slug):
        person = get_object_or_404(Person, slug=slug)
        return Subject(
            request,
            gettext("%(person)s: meetings and delegations") % {"person": person.name},
            person.get_absolute_url(),
            latest(
                Person.objects.filter(pk=person.pk),
                Meeting.objects.filter(participants__person=person),
                Delegation.objects.filter(members__person=person),
            ),
        )


class TopicFeed(CatalogueFeed):
    def subject(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        meetings = filters.MeetingFilter({"topic": [topic.slug]}, queryset=Meeting.objects.all()).qs
        return Subject(
            request,
            gettext("Meetings about %(topic)s") % {"topic": topic.name.lower()},
            topic.get_absolute_url(),
            latest(meetings),
            gettext("Meetings about %(topic)s or a narrower topic: new or changed, latest first.")
            % {"topic": topic.name.lower()},
        )


class ListFeed(CatalogueFeed):
    """A list's rows, filtered exactly as its page, the latest changed first."""

    def subject(self, request, view):
        if view.filterset.qs.model not in KINDS:
            raise Http404(gettext("This list has no feed."))
        chosen = "; ".join(f"{label}: {value}" for label, value, _ in chips(view.params, view.filterset))
        page = view.params.copy()
        for key in ("format", "page"):
            page.pop(key, None)
        path = request.path + (f"?{page.urlencode()}" if page else "")
        return Subject(request, view.title + (f" — {chosen}" if chosen else ""), path, latest(view.filterset.qs))


def atom_response(qs, columns, filename, ordering, view):
    """The `atom` format of a list: its rows, filtered as on the page, as an Atom feed of the latest changed."""
    return ListFeed()(view.request, view=view)


atom_response.takes_view = True
