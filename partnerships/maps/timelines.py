"""Drawn timelines: the dated events of a partnership or a place along one time axis.

Every uncertain date is drawn as what it is: a day as a dot; anything vaguer
(a span of days, a month, a half year, a year) as a bar over its whole
interval, so "March 2014" is a month long and "first half of 2020" half a
year. Planned meetings and outcomes are drawn hollow. Events sit in lanes by
kind (status steps, visits, meetings, agreements and plans), stacked in rows
where they would overlap.

The chart is HTML with one small SVG per lane, stretched to the lane's width
(preserveAspectRatio="none"). No text is drawn inside the SVGs, so nothing
distorts on a narrow screen; dots are zero-length strokes with round caps,
which stay round. Positions are SVG attributes, never inline styles.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..i18n.formats import local_digits
from ..i18n.names import local_name
from ..models import Meeting, MeetingStatus, Outcome, OutcomeStatus, StatusStep

LANES = (
    ("status", _("Status steps")),
    ("visit", _("Visits")),
    ("meeting", _("Meetings")),
    ("outcome", _("Agreements and plans")),
)
WIDTH = 1000  # drawing units across a lane
ROW = 16  # height of a row of marks, in pixels (the lane SVG's vertical units)
MAX_ROWS = 6  # beyond this, marks share the last row
MIN_BAR = 8  # a bar is at least this wide, so that a span of days still reads as a span
DOT_ROOM = 14  # the width a dot needs for itself when rows are packed
STEPS = (1, 2, 5, 10, 20, 25, 50, 100)  # years per axis division
MAX_DIVISIONS = 8


@dataclass
class Event:
    lane: str
    title: str
    record: object  # anything with the uncertain-date fields
    url: str | None = None
    planned: bool = False

    @property
    def start(self):
        return self.record.date_earliest

    @property
    def end(self):
        return self.record.date_latest

    @property
    def day(self):
        return self.start == self.end


@dataclass
class Mark:
    event: Event
    x: float
    width: float  # 0 for a dot
    row: int = 0

    @property
    def y(self):
        return self.row * ROW + ROW / 2

    @property
    def top(self):
        return self.row * ROW + 3

    @property
    def height(self):
        return ROW - 6

    @property
    def dot(self):
        return f"M{self.x:.1f} {self.y:g}h0"

    @property
    def x_attr(self):
        return f"{self.x:.1f}"

    @property
    def width_attr(self):
        return f"{self.width:.1f}"

    @property
    def label(self):
        if self.event.planned:
            return gettext("%(date)s: %(title)s (planned)") % {
                "date": self.event.record.date_display, "title": self.event.title,
            }
        return f"{self.event.record.date_display}: {self.event.title}"


@dataclass
class Lane:
    key: str
    name: str
    marks: list = field(default_factory=list)
    rows: int = 1
    grid: str = ""  # path data of the axis divisions across the lane

    @property
    def height(self):
        return self.rows * ROW


@dataclass
class Chart:
    divisions: list  # labels of the axis divisions, left to right
    lanes: list
    first: datetime.date
    last: datetime.date
    undated: int = 0

    @property
    def span_text(self):
        """The years the events cover, e.g. "2014–2020"."""
        first = min(m.event.start for lane in self.lanes for m in lane.marks).year
        last = max(m.event.end for lane in self.lanes for m in lane.marks).year
        return local_digits(first if first == last else f"{first}–{last}")


def axis(events):
    """The axis: its first day, its end (exclusive), and the labels of its divisions."""
    first = min(e.start for e in events).year
    last = max(e.end for e in events).year
    years = last - first + 1
    step = next((s for s in STEPS if math.ceil(years / s) <= MAX_DIVISIONS), STEPS[-1])
    start = first - first % step
    divisions = math.ceil((last + 1 - start) / step)
    labels = [local_digits(start + i * step) for i in range(divisions)]
    return datetime.date(start, 1, 1), datetime.date(start + divisions * step, 1, 1), labels


def chart(events):
    """A Chart of the events that have a date, or None when none has."""
    dated = [e for e in events if e.start]
    if not dated:
        return None
    first, end, labels = axis(dated)
    total = (end - first).days

    def x(day):
        return (day - first).days / total * WIDTH

    lanes = []
    for key, name in LANES:
        marks = []
        for e in sorted((e for e in dated if e.lane == key), key=lambda e: (e.start, e.end)):
            if e.day:
                marks.append(Mark(e, x(e.start) + WIDTH / total / 2, 0))
            else:
                left = x(e.start)
                width = max(x(e.end + datetime.timedelta(days=1)) - left, MIN_BAR)
                marks.append(Mark(e, min(left, WIDTH - width), width))
        if marks:
            lane = Lane(key, name, marks)
            lane.rows = pack(marks)
            step = WIDTH / len(labels)
            lane.grid = "".join(f"M{i * step:.1f} 0V{lane.height}" for i in range(1, len(labels)))
            lanes.append(lane)
    undated = len(events) - len(dated)
    return Chart(divisions=labels, lanes=lanes, first=first, last=end, undated=undated)


def pack(marks):
    """Give each mark the first row where it overlaps nothing; the number of rows used."""
    ends = []
    for mark in marks:
        left = mark.x - DOT_ROOM / 2 if not mark.width else mark.x
        right = mark.x + DOT_ROOM / 2 if not mark.width else mark.x + mark.width
        free = [n for n, row_end in enumerate(ends) if row_end <= left]
        if free:
            row = free[0]
        elif len(ends) < MAX_ROWS:
            row = len(ends)
            ends.append(right)
        else:
            row = min(range(len(ends)), key=ends.__getitem__)  # no room: share the row that ends first
        mark.row = row
        ends[row] = max(ends[row], right)
    return max(len(ends), 1)


# ---------------------------------------------------------------------------
# What goes on the timeline of a partnership and of a place


def partnership_events(steps, delegations, meetings, outcomes):
    return (
        [Event("status", s.get_status_display().capitalize(), s) for s in steps]
        + [Event("visit", d.title, d, d.get_absolute_url()) for d in delegations]
        + [Event("meeting", m.title, m, m.get_absolute_url(), m.status == MeetingStatus.PLANNED) for m in meetings]
        + [Event("outcome", o.title, o, None, o.status != OutcomeStatus.DONE) for o in outcomes]
    )


# A place's chart reads at most this many of its partnerships' steps, meetings and outcomes, the latest.
MARKS = 100
LATEST_FIRST = (F("date_earliest").desc(nulls_last=True), "-pk")


def place_events(place, partnerships, sent, received, meetings):
    """The place's own visits and meetings, and the steps and outcomes of its partnerships.

    `partnerships` are (partnership, other place) pairs; three queries whatever the place, each
    reading at most MARKS rows, the latest: a chart's cost grows with the page, not the catalogue.
    """
    others = {p.pk: other for p, other in partnerships}
    steps = StatusStep.objects.filter(partnership__in=list(others)).select_related("partnership")
    steps = steps.order_by(*LATEST_FIRST)[:MARKS]
    events = [
        Event(
            "status",
            gettext("%(status)s with %(partner)s")
            % {"status": s.get_status_display().capitalize(), "partner": local_name(others[s.partnership_id])},
            s,
            s.partnership.get_absolute_url(),
        )
        for s in steps
    ]
    events += [
        Event("visit", gettext("%(title)s (to %(place)s)") % {"title": d.title, "place": local_name(d.destination)},
              d, d.get_absolute_url())
        for d in sent
    ]
    events += [
        Event("visit", gettext("%(title)s (from %(place)s)") % {"title": d.title, "place": local_name(d.origin)},
              d, d.get_absolute_url())
        for d in received
    ]
    seen = set()
    partnership_meetings = (
        Meeting.objects.filter(partnership__in=list(others)).exclude(place=place).order_by(*LATEST_FIRST)[:MARKS]
    )
    for m in [*meetings, *partnership_meetings]:
        if m.pk not in seen:
            seen.add(m.pk)
            events.append(Event("meeting", m.title, m, m.get_absolute_url(), m.status == MeetingStatus.PLANNED))
    outcomes = (
        Outcome.objects.filter(partnership__in=list(others)).select_related("partnership").order_by(*LATEST_FIRST)
    )[:MARKS]
    events += [
        Event("outcome", o.title, o, o.partnership.get_absolute_url(), o.status != OutcomeStatus.DONE)
        for o in outcomes
    ]
    return events
