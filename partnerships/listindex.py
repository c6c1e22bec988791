"""An in-memory index of a list, so that exact facet counts and deep pages cost little at any size.

For each facet option the index holds the set of rows that the option's own
filter keeps, as a compressed bitmap of their ids (pyroaring), made by
running that very filter once. An option's count is then the size of its
set intersected with the rows the other filters keep: the number of rows its
link lists, by construction. Several values of one filter are the union of
their sets and different filters the intersection, as in the FilterSet.
Date bounds test the rows' first and last days, held by id in two arrays
(numpy), as `overlapping` reads them. Each sort order is an array of every
row's id in that order, so that a page is the next ids of it that match,
read from the database by id.

An index belongs to one catalogue version and is used only while the
catalogue is at that version. A write moves the version on; until the index
of the new version is built (in a thread of each web process), the list is
answered by SQL as without an index: slower, never different. The first
process to build it keeps it in the "pages" cache (files shared by the
machine's web processes), where the others and recycled workers take it
rather than build it again. Only readers' requests use it (it holds no
draft), and only requests whose every filter it holds: a search, a
participant or a place go to SQL.

LIST_INDEX (DJANGO_LIST_INDEX) says how: "background" (build in a thread,
SQL meanwhile), "inline" (build in the request that finds it missing: tests)
or "off".
"""

import array
import logging
import threading

import numpy as np
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.constants import EMPTY_VALUES
from pyroaring import BitMap

from scaling.versioning import current_version

from .models.base import drafts_hidden
from .publishing import hiding_drafts

logger = logging.getLogger(__name__)

# The form of a kept index (pickled in the "pages" cache): change it when ListIndex or DateBounds change.
FORMAT = 2


def bitmap(ids):
    """A bitmap of a numpy array of ids (through an array.array: ten times faster than iterating)."""
    return BitMap(array.array("I", np.ascontiguousarray(ids, dtype=np.uint32).tobytes()))


def ids_of(queryset):
    """The ids of a queryset's rows in its order, as a numpy array: one query, no model instance made."""
    sql, params = queryset.values_list("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return np.fromiter((row[0] for row in rows), dtype=np.uint32, count=len(rows))


def largest_id(rows):
    return rows.max() if rows else 0


def as_array(rows):
    return np.frombuffer(rows.to_array(), dtype=np.uint32)


class DateBounds:
    """The `date_from` and `date_to` filters of a dated list, as `FuzzyDateQuerySet.overlapping` reads
    them: from keeps the rows whose latest day is on or after it, to those whose earliest day is on or
    before it; an undated row neither (NaT compares false). Each row's days are held by its id, and the
    bounds test the rows the other filters leave, as arrays: no bitmap of every row on one side of a day
    is made for a request."""

    def __init__(self, base, largest_id):
        self.earliest = np.full(largest_id + 1, np.datetime64("NaT"), dtype="datetime64[D]")
        self.latest = self.earliest.copy()
        rows = list(base.values_list("pk", "date_earliest", "date_latest"))
        ids = np.fromiter((pk for pk, _earliest, _latest in rows), dtype=np.uint32, count=len(rows))
        self.earliest[ids] = np.array([earliest for _pk, earliest, _latest in rows], dtype="datetime64[D]")
        self.latest[ids] = np.array([latest for _pk, _earliest, latest in rows], dtype="datetime64[D]")

    def keep(self, rows, bounds):
        """The rows (a bitmap) within the bounds {"date_from": day, "date_to": day}."""
        if not bounds:
            return rows
        ids = as_array(rows)
        inside = np.ones(len(ids), dtype=bool)
        if "date_from" in bounds:
            inside &= self.latest[ids] >= np.datetime64(bounds["date_from"], "D")
        if "date_to" in bounds:
            inside &= self.earliest[ids] <= np.datetime64(bounds["date_to"], "D")
        return bitmap(ids[inside])


class ListIndex:
    """The index of one list (a CatalogueListView subclass) at one catalogue version."""

    def __init__(self, version, universe, options, dates, orders):
        self.version = version
        self.universe = universe  # every row a reader sees
        self.options = options  # {param: {value: (label, rows)}}
        self.dates = dates  # DateBounds, or None
        self.orders = orders  # {sort key: ids in that order}
        self.largest_id = largest_id(universe)

    @classmethod
    def build(cls, view_class):
        """The index of the list as readers see it now; None if the catalogue changed while it was built."""
        version = current_version()[:2]
        view = view_class()
        base = view.get_queryset()
        options = {}
        for facet in view.facets:
            counts, _added = facet.count(base)  # the values present, with their labels
            sets = {}
            for value, (label, _n) in counts.items():
                data = QueryDict(mutable=True)
                data.setlist(facet.param, [value])
                filterset = view.filterset_class(data=data, queryset=base)
                if filterset.is_valid():  # a value its filter refuses is never offered (`accepted_values`)
                    sets[value] = (label, bitmap(ids_of(filterset.qs)))
            options[facet.param] = sets
        universe = bitmap(ids_of(base))
        dates = DateBounds(base, largest_id(universe)) if view.indexed_dates else None
        orders = {key: ids_of(base.order_by(*view.ordering(key))) for name in view.sorts for key in (name, "-" + name)}
        if current_version()[:2] != version:  # a write came in between: what was read may not agree
            return None
        return cls(version, universe, options, dates, orders)

    def select(self, view):
        """The rows a request's filters keep (a `Selection`), or None when a filter or sort is not held here."""
        order = self.orders.get(view.sort)
        if order is None:
            return None
        sets, bounds = {}, {}
        for name, value in view.filterset.form.cleaned_data.items():
            if value in EMPTY_VALUES or (isinstance(value, list | tuple | QuerySet) and not value):
                continue  # as django-filter's filters do: no value, no filter
            if name in self.options:
                sets[name] = self.union(name, value)
            elif name in view.indexed_complements:  # "not listed by": the rows its facet's filter leaves out
                sets[name] = self.universe - self.union(view.indexed_complements[name], value)
            elif self.dates is not None and name in ("date_from", "date_to"):
                bounds[name] = value
            else:
                return None
        return Selection(self, sets, bounds, order)

    def union(self, param, values):
        """The rows the filter `param` keeps for any of `values` (slugs, or the records the form made of them)."""
        sets = self.options[param]
        return BitMap.union(BitMap(), *(sets.get(getattr(v, "slug", v), (None, BitMap()))[1] for v in values))


class Selection:
    """One request's rows as an index reads them: the count, each facet's counts, a page's ids."""

    def __init__(self, index, sets, bounds, order):
        self.index, self.sets, self.bounds, self.order = index, sets, bounds, order
        self.rows = self.others(None)

    def others(self, param):
        """The rows every filter but `param` keeps (a facet's; the date bounds are no facet's)."""
        rows = BitMap.intersection(self.index.universe, *(rows for name, rows in self.sets.items() if name != param))
        return self.index.dates.keep(rows, self.bounds) if self.bounds else rows

    def facet_counts(self, facet, selected):
        """As `Facet.count`: ({value: (label, rows)}, {value: (label, rows not shown)}) for the options of
        a facet, over the rows shown, or when it has a selection over those the other filters keep."""
        pool = self.others(facet.param) if selected else self.rows
        rest = pool - self.rows if selected else None  # what an unselected option's link would add
        counts, added = {}, {}
        for value, (label, rows) in self.index.options.get(facet.param, {}).items():
            label = facet.labels.get(value, label)  # in the reader's language (not tested for truth: len() is slow)
            n = rows.intersection_cardinality(pool)
            if n:
                counts[value] = (label, n)
            if rest is not None and (m := rows.intersection_cardinality(rest)):
                added[value] = (label, m)
        return counts, added

    def count(self):
        return len(self.rows)

    def ids(self, start, stop):
        """The ids of the rows from `start` to `stop` in the sort's order."""
        if len(self.rows) == len(self.index.universe):
            return self.order[start:stop]
        keep = np.zeros(self.index.largest_id + 1, dtype=bool)
        keep[as_array(self.rows)] = True
        return self.order[keep[self.order]][start:stop]


class IndexedRows:
    """A selection's rows in order, as a Paginator pages them: its count, and a page's rows read by id."""

    def __init__(self, selection, queryset):
        self.selection, self.queryset = selection, queryset

    def count(self):
        return self.selection.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, bounds):
        ids = self.selection.ids(bounds.start or 0, bounds.stop).tolist()
        return list(self.queryset.filter(pk__in=ids))


class Indexes:
    """The index of each indexed list in this process, for the current catalogue version."""

    def __init__(self):
        self.lock = threading.Lock()
        self.built = {}
        self.building = set()

    def current(self, view_class):
        """The list's index for the catalogue as it is now, or None (then a build starts, unless "inline")."""
        index = self.built.get(view_class)
        if index is not None and index.version == current_version()[:2]:
            return index
        if settings.LIST_INDEX == "inline":
            return self.obtain(view_class)
        with self.lock:
            if view_class in self.building:
                return None
            self.building.add(view_class)
        threading.Thread(target=self.build, args=[view_class], name=f"index {view_class.__name__}", daemon=True).start()
        return None

    def obtain(self, view_class):
        """The list's index for the current version: kept by another web process of the machine (in the "pages"
        cache: built once, not once per process or per recycled worker), or built here and kept."""
        version = current_version()[:2]
        key = f"list-index:{FORMAT}:{view_class.__module__}.{view_class.__qualname__}:{version[0]}:{version[1]}"
        index = caches["pages"].get(key)
        if index is None:
            with hiding_drafts():
                index = ListIndex.build(view_class)
            if index is None:
                return None
            caches["pages"].set(key, index)
        self.built[view_class] = index
        return index

    def build(self, view_class):
        try:
            self.obtain(view_class)
        except Exception:  # the list goes on being answered by SQL; the next request tries again
            logger.exception("Building the index of %s failed", view_class.__name__)
        finally:
            connections.close_all()  # this thread's own connections
            with self.lock:
                self.building.discard(view_class)


INDEXES = Indexes()


def selection(view):
    """The request's rows read from the list's index, or None: answer by SQL."""
    if settings.LIST_INDEX == "off" or not view.indexed or not drafts_hidden.get():
        return None
    # The list's own class: its API view (a subclass made for it) shares its index.
    index = INDEXES.current(next(cls for cls in type(view).__mro__ if "indexed" in vars(cls)))
    return index.select(view) if index is not None else None
