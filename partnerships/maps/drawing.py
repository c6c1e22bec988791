"""The partnership network as a map, and the small maps of place and partnership pages.

Everything is drawn on the server as SVG in an equirectangular projection
measured in tenths of a degree: x = (longitude + 180) × 10 and
y = (90 − latitude) × 10, so the world is 3600 × 1800 drawing units. The
pages therefore need no script, no tile server and no network. The country
outlines are one static SVG file (Natural Earth 1:110m through the
world-atlas package, built by `manage.py build_world_map`) that every map
draws with `<use>`, so the browser fetches and caches it once.
`static/js/map.js` only adds zoom, pan, tooltips and live year changes, from
the same data as JSON.

What keeps the world's ~26,000 twinnings light:

- coordinates are rounded to 0.1° (about 11 km), the resolution of the drawing;
- places that round to the same point are drawn as one dot, sized by the sum
  of their partners (a dot's size class, not its exact size, is what a reader
  can see);
- all lines are one `<path>`, and the dots of one size class are another, each
  dot a zero-length stroke with round caps so that it keeps its size in
  pixels however far the map is zoomed;
- the data is fetched in one query whatever the filters.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..i18n.formats import number
from ..i18n.names import local_name
from ..models import PartnershipStatus, StatusStep

SCALE = 10  # drawing units per degree
WORLD_WIDTH = 360 * SCALE
WORLD_HEIGHT = 180 * SCALE
# 84°N to 57°S: the inhabited world, without the polar seas that the projection stretches.
WORLD_VIEWBOX = (0, 60, WORLD_WIDTH, 1410)
# A dot's size class: the first class whose threshold its partners reach, counted from the last.
SIZE_CLASSES = (1, 2, 5, 10, 20, 50)
# Above this many lines, lines are drawn fainter so that the network reads as density;
# below this many dots, dots and lines are drawn bigger, as there is room.
DENSE_LINES = 1500
SPARSE_DOTS = 300
# A filtered map opens on the part of the world its places lie in, at least this wide (40°).
MIN_FIT = 400
TOP_PLACES = 25


def cell(longitude, latitude):
    """Coordinates rounded to the drawing's resolution, 0.1°."""
    return round(longitude, 1), round(latitude, 1)


def project(longitude, latitude):
    """Drawing units of a (rounded) coordinate pair."""
    return round((longitude + 180) * SCALE), round((90 - latitude) * SCALE)


def size_class(partners):
    """0 for one partner up to len(SIZE_CLASSES) - 1 for the most connected places."""
    for index in range(len(SIZE_CLASSES) - 1, -1, -1):
        if partners >= SIZE_CLASSES[index]:
            return index
    return 0


def segment(a, b):
    """Path data of the line from a to b, the short way round the world.

    A line longer than half the world (Tokyo–San Francisco) is drawn as two
    pieces, one leaving each edge of the map, rather than across every continent.
    """
    (x1, y1), (x2, y2) = a, b
    if abs(x2 - x1) <= WORLD_WIDTH / 2:
        return f"M{x1} {y1} {x2} {y2}"
    shift = WORLD_WIDTH if x2 < x1 else -WORLD_WIDTH
    return f"M{x1} {y1} {x2 + shift} {y2}M{x1 - shift} {y1} {x2} {y2}"


def legend():
    """The size classes as (class index, label) for the map's key."""
    labels = []
    for index, low in enumerate(SIZE_CLASSES):
        high = SIZE_CLASSES[index + 1] - 1 if index + 1 < len(SIZE_CLASSES) else None
        if high is None:
            text = ngettext("%(low)s or more partners", "%(low)s or more partners", low)
        elif high == low:
            text = ngettext("%(low)s partner", "%(low)s partners", low)
        else:
            text = ngettext("%(low)s–%(high)s partners", "%(low)s–%(high)s partners", high)
        labels.append((index, text % {"low": number(low), "high": number(high) if high else ""}))
    return labels


# ---------------------------------------------------------------------------
# The network: which partnerships a map shows


def shown_in_year(qs, year, include_undated):
    """Partnerships as the network stood in `year`, as a filtered queryset.

    A partnership exists in a year when it has a status step dated on or
    before the end of that year (a step's earliest possible day counts, so
    "2015" and "second half of 2015" both exist in 2015), unless the latest of
    those steps ended it. A partnership with no dated step at all is undated:
    it is shown with "all years", and in a given year only when asked for
    (`include_undated`), since nobody knows whether it existed then.
    Also annotates `is_dated`.
    """
    end = datetime.date(year, 12, 31)
    dated = StatusStep.objects.filter(partnership=OuterRef("pk"), date_earliest__isnull=False)
    by_then = dated.filter(date_earliest__lte=end)
    status_then = by_then.order_by(F("date_latest").desc(), "-id").values("status")[:1]
    qs = qs.annotate(is_dated=Exists(dated), begun=Exists(by_then), status_then=Subquery(status_then))
    shown = Q(begun=True) & ~Q(status_then=PartnershipStatus.ENDED)
    if include_undated:
        shown |= Q(is_dated=False)
    return qs.filter(shown)


def undated(qs):
    """The partnerships of qs with no dated status step."""
    dated = StatusStep.objects.filter(partnership=OuterRef("pk"), date_earliest__isnull=False)
    return qs.filter(~Exists(dated))


def year_range():
    """The first and last year of any dated status step, or None (one query)."""
    from django.db.models import Max, Min

    bounds = StatusStep.objects.aggregate(first=Min("date_earliest"), last=Max("date_earliest"))
    if not bounds["first"]:
        return None
    return bounds["first"].year, max(bounds["last"].year, datetime.date.today().year)


PLACE_FIELDS = ("slug", "name", "country", "longitude", "latitude", "name_native", "native_language", "level")


@dataclass
class MapPlace:
    slug: str
    name: str
    country: str
    longitude: float | None
    latitude: float | None
    name_native: str = ""
    native_language: str = ""
    level: str = ""
    partners: int = 0

    @property
    def local_name(self):
        """The name in the reader's language where the catalogue knows one."""
        return local_name(self)

    @property
    def located(self):
        return self.latitude is not None and self.longitude is not None


@dataclass
class Network:
    """The places and lines of a map, with the counts its caption gives."""

    places: list = field(default_factory=list)  # MapPlace with coordinates, most connected first
    pairs: list = field(default_factory=list)  # (index, index, dated) into places
    partnerships: int = 0  # partnerships shown (filters and year)
    unplaced: int = 0  # of those, partnerships with a place that has no coordinates
    unlocated_places: int = 0  # places of shown partnerships without coordinates
    undated_hidden: int = 0  # partnerships left out because a year is chosen and they have no date

    @classmethod
    def from_queryset(cls, qs, with_dates=False):
        """Read the partnerships of qs and their places in one query."""
        columns = [f"place_a__{f}" for f in PLACE_FIELDS] + [f"place_b__{f}" for f in PLACE_FIELDS]
        columns += ["place_a_id", "place_b_id"] + (["is_dated"] if with_dates else [])
        n = len(PLACE_FIELDS)
        places, edges = {}, []
        for row in qs.order_by().values_list(*columns):
            a, b = row[2 * n], row[2 * n + 1]
            for pk, values in ((a, row[:n]), (b, row[n : 2 * n])):
                if pk not in places:
                    places[pk] = MapPlace(*values)
                places[pk].partners += 1
            edges.append((a, b, row[2 * n + 2] if with_dates else True))

        network = cls(partnerships=len(edges))
        located = sorted(
            (p for p in places.values() if p.located), key=lambda p: (-p.partners, p.name, p.slug)
        )
        network.unlocated_places = len(places) - len(located)
        index = {}
        for i, place in enumerate(located):
            place.longitude, place.latitude = cell(place.longitude, place.latitude)
            index[id(place)] = i
        network.places = located
        by_pk = {pk: index.get(id(place)) for pk, place in places.items()}
        for a, b, dated in edges:
            i, j = by_pk[a], by_pk[b]
            if i is None or j is None:
                network.unplaced += 1
            else:
                network.pairs.append((i, j, dated))
        return network

    # -- drawing -----------------------------------------------------------

    def dots(self):
        """Places that round to one point merged: {(x, y): [MapPlace, ...]}."""
        merged = {}
        for place in self.places:
            merged.setdefault(project(place.longitude, place.latitude), []).append(place)
        return merged

    def drawing(self):
        """Path data for the SVG: lines (dated and undated) and dots by size class."""
        points = [project(p.longitude, p.latitude) for p in self.places]
        seen, dated_d, undated_d = set(), [], []
        for i, j, dated in self.pairs:
            a, b = points[i], points[j]
            key = (min(a, b), max(a, b), dated)
            if a == b or key in seen:
                continue  # one point (a geocoding slip, or a suburb) or the same line twice at this resolution
            seen.add(key)
            (dated_d if dated else undated_d).append(segment(a, b))
        classes = [[] for _ in SIZE_CLASSES]
        merged = self.dots()
        for (x, y), here in merged.items():
            classes[size_class(sum(p.partners for p in here))].append(f"M{x} {y}h0")
        return {
            "viewbox": " ".join(str(v) for v in self.extent(points)),
            "sparse": len(merged) < SPARSE_DOTS,
            "lines": "".join(dated_d),
            "undated_lines": "".join(undated_d),
            "line_count": len(seen),
            "dense": len(seen) > DENSE_LINES,
            # biggest first, so that small dots stay visible on top of them
            "dots": [(index, "".join(d)) for index, d in reversed(list(enumerate(classes))) if d],
            "dot_count": sum(len(d) for d in classes),
        }

    def extent(self, points):
        """The view the map opens on: the whole world, or the part of it where the places lie."""
        if not points or any(abs(points[i][0] - points[j][0]) > WORLD_WIDTH / 2 for i, j, _ in self.pairs):
            return WORLD_VIEWBOX  # a line round the back of the world needs the whole of it
        x0, y0, w0, h0 = WORLD_VIEWBOX
        xs, ys = [x for x, _ in points], [y for _, y in points]
        width = max(max(xs) - min(xs), (max(ys) - min(ys)) * w0 / h0, MIN_FIT) * 1.25
        if width > w0 * 0.75:
            return WORLD_VIEWBOX
        height = width * h0 / w0
        left = min(max((max(xs) + min(xs) - width) / 2, x0), x0 + w0 - width)
        top = min(max((max(ys) + min(ys) - height) / 2, y0), y0 + h0 - height)
        return round(left), round(top), round(width), round(height)

    def top_places(self, limit=TOP_PLACES):
        return self.places[:limit]

    def as_json(self):
        """The network as plain data: what the JSON endpoint returns and the script draws."""
        return {
            "counts": {
                "partnerships": self.partnerships,
                "drawn": len(self.pairs),
                "places": len(self.places),
                "without_coordinates": self.unplaced,
                "places_without_coordinates": self.unlocated_places,
                "undated_hidden": self.undated_hidden,
            },
            "places": [[p.longitude, p.latitude, p.partners, p.slug, p.local_name, p.country] for p in self.places],
            "lines": [k for i, j, _ in self.pairs for k in (i, j)],
            # lines (by their position in `lines`, counted in pairs) whose partnership has no dated step
            "undated_lines": [n for n, (_, _, dated) in enumerate(self.pairs) if not dated],
        }


# ---------------------------------------------------------------------------
# Small maps on detail pages


@dataclass
class SmallMap:
    viewbox: str
    lines: str
    dots: list  # (path data, css class, title)
    labels: list  # (x, y, text, anchored at its end)
    font_size: str
    outline_offsets: tuple
    label: str


SMALL_MAP_WIDTH_PX = 352  # the width the small map is drawn at (22rem), for label sizes
LABELLED_PARTNERS = 4  # name the partners on the map when there are no more than this
MIN_SPAN = 200  # 20° of longitude: a single place is shown with its region around it


def small_map(centres, others=(), label=""):
    """A map around `centres` (labelled, emphasised) with lines to `others`; None if nothing is located.

    Places are anything with name, latitude and longitude. Each other place
    is joined to the first centre, taken the short way round the world.
    """
    located = [p for p in centres if p.latitude is not None and p.longitude is not None]
    partners = [p for p in others if p.latitude is not None and p.longitude is not None]
    if not located:
        return None
    origin = project(*cell(located[0].longitude, located[0].latitude))

    def near(place):
        x, y = project(*cell(place.longitude, place.latitude))
        if x - origin[0] > WORLD_WIDTH / 2:
            x -= WORLD_WIDTH
        elif origin[0] - x > WORLD_WIDTH / 2:
            x += WORLD_WIDTH
        return x, y

    main = [(p, near(p)) for p in located]
    rest = [(p, near(p)) for p in partners]
    xs = [xy[0] for _, xy in main + rest]
    ys = [xy[1] for _, xy in main + rest]
    width = max(max(xs) - min(xs), 2 * (max(ys) - min(ys)), MIN_SPAN) * 1.3
    width = min(width, WORLD_WIDTH)
    height = width / 2
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    top = min(max(cy - height / 2, 0), WORLD_HEIGHT - height)
    left = cx - width / 2
    lines = "".join(f"M{origin[0]} {origin[1]} {x} {y}" for _, (x, y) in rest)
    if len(main) == 2:
        (_, a), (_, b) = main
        lines += f"M{a[0]} {a[1]} {b[0]} {b[1]}"
    dots = [(f"M{x} {y}h0", "dot partner", local_name(p)) for p, (x, y) in rest]
    dots += [(f"M{x} {y}h0", "dot here", local_name(p)) for p, (x, y) in main]
    font = round(width / SMALL_MAP_WIDTH_PX * 13, 1)
    labels = []
    named = main + (rest if len(rest) <= LABELLED_PARTNERS else [])
    for p, (x, y) in named:
        # Beside the dot, on whichever side has room; numbers as text, never localised.
        end = x > left + width * 0.62
        labels.append(
            (f"{x - font * 0.7 if end else x + font * 0.7:.1f}", f"{y + font * 0.35:.1f}", local_name(p), end)
        )
    offsets = tuple(
        dx for dx in (-WORLD_WIDTH, 0, WORLD_WIDTH) if left < dx + WORLD_WIDTH and left + width > dx
    )
    return SmallMap(
        viewbox=f"{math.floor(left)} {math.floor(top)} {math.ceil(width)} {math.ceil(height)}",
        lines=lines,
        dots=dots,
        labels=labels,
        font_size=f"{font:.1f}",
        outline_offsets=offsets,
        label=label,
    )


def place_map(place, partnerships):
    """The place and lines to its partners, for its page; `partnerships` are (partnership, other place) pairs."""
    partners = [other for _, other in partnerships]
    located = [p for p in partners if p.latitude is not None and p.longitude is not None]
    names = {"place": local_name(place), "count": number(len(partners)), "located": number(len(located))}
    if not partners:
        label = _("Map: %(place)s") % names
    elif len(partners) == 1:
        names["partner"] = local_name(partners[0])
        if located:
            label = _("Map: %(place)s and its partner %(partner)s") % names
        else:
            label = _("Map: %(place)s and its partner %(partner)s (which has no coordinates yet)") % names
    elif len(located) == len(partners):
        label = ngettext(
            "Map: %(place)s and its %(count)s partner", "Map: %(place)s and its %(count)s partners", len(partners)
        ) % names
    else:
        label = ngettext(
            "Map: %(place)s and %(located)s of its %(count)s partner (the others have no coordinates yet)",
            "Map: %(place)s and %(located)s of its %(count)s partners (the others have no coordinates yet)",
            len(partners),
        ) % names
    return small_map([place], located, label)


def partnership_map(partnership):
    """The two places of a partnership and the line between them, for its page."""
    a, b = partnership.place_a, partnership.place_b
    located = [p for p in (a, b) if p.latitude is not None and p.longitude is not None]
    if len(located) == 2:
        label = _("Map: %(a)s and %(b)s") % {"a": local_name(a), "b": local_name(b)}
    else:
        missing = b if a in located else a
        label = _("Map: %(place)s; %(missing)s has no coordinates yet") % {
            "place": local_name(located[0]) if located else "", "missing": local_name(missing),
        }
    return small_map(located, (), label)
