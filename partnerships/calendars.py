"""Meetings as iCalendar (RFC 5545): any filtered list (`/meetings/?…&format=ics`), a place's and a
partnership's (`/cities/<slug>/calendar.ics`, `/partnerships/<slug>/calendar.ics`).

Dates are given as honestly as the sources give them. A meeting dated to a day is an all-day event on
that day; one dated to a span of days is an all-day event over those days. A meeting dated only to a
month, a half year or a year is left out: an event on its first day, or over all of its days, would
say something no source says. The calendar's description says so, and the list holds those meetings.
Undated meetings are left out as well. Planned meetings are TENTATIVE, held ones CONFIRMED.

A calendar streams: one query for its meetings and one each for their topics and citations per
chunk, whatever their number.
"""

import datetime

from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, pgettext
from icalendar import Calendar, Event, vGeo

from .i18n.names import local_name
from .listing import chips
from .models import DatePrecision, MeetingStatus, Partnership, Place

CHUNK_SIZE = 2000
CALENDAR_DATES = (DatePrecision.DAY, DatePrecision.DAYS)
PRODID = "-//Partnerships catalogue//Meetings//EN"
LEFT_OUT = gettext_lazy(
    "Meetings dated only to a month, half year or year, and undated ones, are not in this calendar "
    "(they are on the list)."
)


def on_calendar(qs):
    """The meetings a calendar can hold: those dated to a day or a span of days."""
    return qs.filter(date_precision__in=CALENDAR_DATES)


def description(meeting, request):
    lines = [pgettext("date of an event", "When: %(date)s") % {"date": meeting.date_display}]
    if meeting.date_original and meeting.date_original != meeting.date_display:
        lines.append(gettext("As the source writes it: %(date)s") % {"date": meeting.date_original})
    if meeting.date_in_source_calendar:
        lines.append(gettext("In the source's calendar: %(date)s (%(calendar)s)") % {
            "date": meeting.date_in_source_calendar, "calendar": meeting.get_date_calendar_display()})
    if meeting.summary:
        lines += ["", Truncator(meeting.summary).chars(1000)]
    sources = {c.source_id: c.source for c in meeting.citations.all()}
    if sources:
        lines += ["", gettext("Sources:")]
        lines += [f"- {s.title_english or s.title}: {request.build_absolute_uri(s.get_absolute_url())}"
                  for s in sources.values()]
    lines += ["", request.build_absolute_uri(meeting.get_absolute_url())]
    return "\n".join(lines)


def event(meeting, request):
    """A meeting dated to a day or a span of days as an all-day VEVENT."""
    e = Event()
    e.add("uid", f"meeting-{meeting.slug}@{request.get_host()}")
    e.add("dtstamp", meeting.updated_at)
    e.add("last-modified", meeting.updated_at)
    e.add("dtstart", meeting.date_earliest)
    e.add("dtend", meeting.date_latest + datetime.timedelta(days=1))  # DTEND of a date is the day after
    e.add("summary", meeting.title)
    e.add("status", "TENTATIVE" if meeting.status == MeetingStatus.PLANNED else "CONFIRMED")
    e.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
    where = [w for w in (meeting.venue and meeting.venue.name, meeting.place and local_name(meeting.place),
                         meeting.place and meeting.place.country.name) if w]
    if where:
        e.add("location", ", ".join(where))
    if meeting.place and meeting.place.latitude is not None:
        e.add("geo", vGeo((meeting.place.latitude, meeting.place.longitude)))
    e.add("categories", [str(meeting.get_kind_display()), *(t.name for t in meeting.topics.all())])
    e.add("description", description(meeting, request))
    return e


def calendar_response(request, meetings, name, filename):
    """The meetings (a queryset, in the order given) that have a calendar date, as a streamed .ics file."""
    head = Calendar()
    head.add("prodid", PRODID)
    head.add("version", "2.0")
    head.add("calscale", "GREGORIAN")
    head.add("x-wr-calname", name)
    head.add("x-wr-caldesc", f"{name}. {LEFT_OUT}")
    opening = head.to_ical()
    closing = b"END:VCALENDAR\r\n"
    rows = on_calendar(meetings).select_related("place", "venue").prefetch_related(
        "topics", "citations__source"
    )

    def chunks():
        yield opening[: -len(closing)]
        for meeting in rows.iterator(chunk_size=CHUNK_SIZE):
            yield event(meeting, request).to_ical()
        yield closing

    response = StreamingHttpResponse(chunks(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def ics_response(qs, columns, filename, ordering, view):
    """The `ics` format of the meetings list: its rows, filtered and sorted as on the page."""
    chosen = "; ".join(f"{label}: {value}" for label, value, _ in chips(view.params, view.filterset))
    name = view.title + (f" — {chosen}" if chosen else "")
    return calendar_response(view.request, qs.order_by(*ordering), name, filename)


ics_response.takes_view = True


def place_calendar(request, slug):
    """The meetings of a place as the meetings list filtered by it lists them: held there or visited from there."""
    from .lists import MeetingList  # lists.py declares this module's format on its meetings list

    place = get_object_or_404(Place, slug=slug)
    return list_calendar(request, MeetingList, place=place.slug)


def partnership_calendar(request, slug):
    """The meetings of a partnership, as the meetings list filtered by it."""
    from .lists import MeetingList  # as above

    partnership = get_object_or_404(Partnership, slug=slug)
    return list_calendar(request, MeetingList, partnership=partnership.slug)


def list_calendar(request, view_class, **filters):
    """The list's own `ics` format with the given filters: the same meetings as the list with them."""
    query = QueryDict(mutable=True)
    query.update({**filters, "format": "ics"})
    request.GET = query
    return view_class.as_view()(request)
