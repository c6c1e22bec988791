"""One list machinery for every entity.

A list declares its queryset, FilterSet, facets, sort options and columns;
`CatalogueListView`, a django-filter `FilterView`, does the rest: filtering,
search, exact facet counts, sorting, pagination, and every export format. An
export is the same query as the page through another renderer, so the two
cannot drift apart.

The FilterSets (filters.py) never join a relation that can repeat a row:
they filter across many-valued relations with semi-joins (`pk IN (...)`).
So a filtered queryset holds each row once, and a facet needs DISTINCT only
when its own path crosses such a relation, which the facet declares.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Aggregate, Case, Count, F, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from . import exports, listindex
from .i18n import formats
from .models.base import seen_value, visible_rows
from .models.topics import subtrees
from .text import fold

PAGE_SIZE = 50
MAX_QUERY_LENGTH = 200


# ---------------------------------------------------------------------------
# Query helpers shared by lists, detail pages and the admin


def per_row(model, field_name, aggregate):
    """An aggregate of the `model` rows whose `field_name` points at the list's row, as a subquery.

    Unlike `annotate(Count(...))`, it adds no join and no GROUP BY to the
    list's query: PostgreSQL computes it for the rows of the page only
    (unless the list is sorted by it), each with one index probe.
    """
    rows = visible_rows(model).filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


def count_per_row(model, field_name):
    """How many `model` rows point at the list's row by `field_name` (0, not NULL, when none)."""
    return Coalesce(per_row(model, field_name, Count("*")), Value(0))


class IdList(Aggregate):
    """The ids it aggregates as one text, "3,12,7", in no given order: GROUP_CONCAT (STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s((%(expressions)s)::text, ',')", **extra_context)


def clean_params(query):
    """A request's query parameters with what cannot be used dropped, and a message for each drop."""
    params = QueryDict(mutable=True)
    problems = []
    for key, values in query.lists():
        kept = []
        for value in values:
            if "\x00" in value or "\x00" in key:
                problems.append(_("Ignored “%(name)s”: it holds a NUL character.") % {"name": key[:40]})
            elif len(value) > MAX_QUERY_LENGTH:
                problems.append(
                    _("Ignored a “%(name)s” value longer than %(limit)s characters.")
                    % {"name": key[:40], "limit": MAX_QUERY_LENGTH}
                )
            else:
                kept.append(value)
        if kept:
            params.setlist(key, kept)
    return params, problems


def query_string(params, **changes):
    """The query string with `changes` applied; a None value removes the key."""
    q = params.copy()
    q.pop("page", None)  # a changed view starts on its first page
    for key, value in changes.items():
        if value is None:
            q.pop(key, None)
        else:
            q.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return "?" + q.urlencode()


def filter_problems(filterset):
    """A message for each filter value the FilterSet refused (the other filters still apply)."""
    problems = []
    for name, errors in filterset.errors.items():
        label = filterset.filters[name].label or name if name in filterset.filters else name
        reason = " ".join(errors)
        problems.append(_("Ignored the filter “%(filter)s”: %(reason)s") % {"filter": label, "reason": reason})
    return problems


def value_label(flt, value, cleaned=None):
    """A filter value's label: the record's name for slugs (from the validated records, not a
    query over every record), the choice's label for choices."""
    if isinstance(flt.field, forms.ModelChoiceField):
        key = flt.field.to_field_name or "pk"
        return next((str(r) for r in cleaned or [] if str(getattr(r, key)) == value), value)
    choices = getattr(flt.field, "choices", None)  # iterated, not tested for truth: it may be computed
    label = dict(list(choices)).get(value) if choices is not None else None
    return str(label) if label else value


def chips(params, filterset, names=None):
    """Each active filter value (of `names`, else of every filter) as (label, value, URL without it)."""
    found = []
    cleaned = getattr(filterset.form, "cleaned_data", {})
    for name, flt in filterset.filters.items():
        if names is not None and name not in names:
            continue
        values = params.getlist(name)
        for value in values:
            rest = [v for v in values if v != value]
            label = value_label(flt, value, cleaned.get(name))
            found.append((flt.label or name, label, query_string(params, **{name: rest})))
    return found


# ---------------------------------------------------------------------------
# Columns


def walk(row, path):
    """The value at the end of a lookup path on a row object: "place__name" → row.place.name ("" if none)."""
    for part in path.split(LOOKUP_SEP):
        row = getattr(row, part, None)
        if row is None:
            return ""
    return row


@dataclass(frozen=True)
class Joined:
    """The values of a many-valued path ("topics__name"), to be joined with "; " in a cell.

    In the related rows' own order (their model's Meta ordering), narrowed
    by `where` (`role="leader"`). Exports read it as a stream of (row id,
    value) merged with the rows (`exports.joined_stream`).
    """

    path: str
    where: tuple = ()  # (field, value) pairs

    @property
    def conditions(self):
        return dict(self.where)


@dataclass
class Column:
    """A column of a list: its header, how to read it off a row, where it shows.

    `value` reads a row object for the page. Exports read plain values
    instead, with one query and no model objects: `source` names what they
    read (lookup paths, or `Joined(...)` for many-valued values) and `fmt`
    makes the cell from those values (the single value as is without it).
    `Column.of()` builds both readings from one lookup path; with `choices`
    it also keeps them as `labels` ({value: label}), which the PostgreSQL
    CSV export looks up in SQL instead of calling `fmt`. `sql`, given the
    sources as expressions, makes in SQL the cell that `fmt` makes (safe
    text, NULL when empty: see exports.Cell), or None when it cannot in
    the active language; see exports.select_statement. `key`
    names the column in the API (snake_case, stable); by default it is
    made from the header.
    """

    header: str
    value: callable
    link: callable = None  # row -> URL, for the HTML table
    sort: str = ""  # key of the sort option this column's header toggles
    html: bool = True
    export: bool = True
    source: tuple = ()
    fmt: callable = None
    key: str = ""
    labels: Mapping = None  # {value: label} when `fmt` is `Column.of`'s choice label
    sql: callable = None

    @property
    def api_key(self):
        """The column's name in the API: `key`, or the English header in snake_case ("Place (slug)" →
        "place_slug"), whatever the reader's language."""
        with override("en"):
            header = str(self.header)
        return self.key or "_".join(fold(header).replace("'", "").split()).replace("(", "").replace(")", "")

    @classmethod
    def of(cls, header, path, fmt=None, choices=None, **kwargs):
        """A column showing the value at `path`: through `fmt` if given, or as its label in `choices`
        (pairs or a mapping), read in the reader's language when the cell is made."""
        if choices is not None:
            names = kwargs["labels"] = choices if isinstance(choices, Mapping) else dict(choices)

            def fmt(value):
                return str(names.get(value, value)) if value else ""

        def value(row):
            found = walk(row, path)
            return found if fmt is None else fmt(found or None) or ""

        return cls(header, value, source=(path,), fmt=fmt, **kwargs)

    @classmethod
    def joined(cls, header, path, where=None, **kwargs):
        """Many-valued values joined with "; ": from prefetched objects on the page, streamed for exports."""
        where = where or {}
        first, _, rest = path.partition(LOOKUP_SEP)

        def value(row):
            related = getattr(row, first).all()
            return "; ".join(
                str(v) for r in related
                if all(getattr(r, k) == w for k, w in where.items()) and (v := walk(r, rest))
            )

        return cls(header, value, source=(Joined(path, tuple(where.items())),), **kwargs)


# ---------------------------------------------------------------------------
# Facets


@dataclass
class Facet:
    """A filter whose options show how many rows each would leave.

    `param` is the filter's query parameter; `paths` are the lookups whose
    values are that parameter's values (two when the filter matches either
    of two relations, e.g. a meeting's own country or its guests'), and
    `label_paths` give each option's label from the same rows. Without
    label paths, `labels` maps values to labels (choices, country names).
    `multivalued` says that a row can reach several values by the path
    (it crosses a many-to-many or a reverse foreign key); a facet of two
    paths must have single-valued ones. `repeats` says that a row can reach
    one value more than once (a meeting citing two English sources), so that
    counting needs DISTINCT; a many-to-many's own key never repeats (a
    meeting has a topic once), and then plain COUNT is exact and cheaper.
    """

    param: str
    title: str
    paths: tuple
    label_paths: tuple = ()
    labels: dict = field(default_factory=dict)
    limit: int = 12
    multivalued: bool = False
    repeats: bool = False

    def __post_init__(self):
        if len(self.paths) > 1 and self.multivalued:
            raise ImproperlyConfigured(f"Facet {self.param}: a facet of several paths must be single-valued.")

    def fields(self):
        return list(self.paths) + list(self.label_paths)

    def add(self, counts, row, n):
        """Count n rows for each distinct value the row reaches by the facet's paths."""
        seen = set()
        for i, path in enumerate(self.paths):
            value = row[path]
            if value is None or value == "" or value in seen:
                continue
            seen.add(value)
            value = str(value)
            if value in counts:
                label, total = counts[value]
            else:  # a label is looked up once per value (a country's name costs a translation lookup)
                label = row[self.label_paths[i]] if self.label_paths else None
                label, total = label or self.labels.get(value, value), 0
            counts[value] = (label, total + n)

    def count(self, qs, shown=None):
        """({value: (label, rows)}, {value: (label, rows)}): how many of qs's rows the filter on each value
        alone keeps; and, given the rows the list `shown`, how many of those rows it is not showing.

        One GROUP BY. With two single-valued paths each row falls in one
        group, and `add` counts it once for each distinct value it reaches.
        """
        fields = self.fields()
        if len(self.paths) == 1:
            # A row without a value counts for no option. Left out, the path is joined with inner joins that
            # only rows with a value go through: a meeting's source languages counted in half the time on SQLite.
            qs = qs.filter(**{f"{self.paths[0]}__isnull": False})
        if shown is not None:
            qs, fields = marked(qs, shown), [*fields, "is_shown"]
        # Readers count only the related rows they may see: a draft step's status is read as none.
        guarded = {f"seen{i}": (path, seen_value(qs.model, path)) for i, path in enumerate(fields)}
        guarded = {alias: (path, expr) for alias, (path, expr) in guarded.items() if expr is not None}
        plain = [f for f in fields if f not in {path for path, _expr in guarded.values()}]
        rows = qs.order_by().values(*plain, **{alias: expr for alias, (_path, expr) in guarded.items()})
        counts, added = {}, {}
        for row in rows.annotate(n=Count("pk", distinct=self.repeats)):
            for alias, (path, _expr) in guarded.items():
                row[path] = row.pop(alias)
            self.add(counts, row, row["n"])
            if shown is not None and not row["is_shown"]:
                self.add(added, row, row["n"])
        return counts, added


def marked(qs, shown):
    """qs with `is_shown`: whether each row is among the rows `shown` (an option adds the rows that are not)."""
    return qs.annotate(is_shown=Case(When(pk__in=shown.values("pk"), then=True), default=False))


def count_conditions(qs, conditions, shown=None):
    """For each condition (a Q object), how many of qs's rows meet it, and how many of those are not
    among the rows `shown`: [(rows, rows not shown), ...], all in one aggregate query."""
    totals = {}
    for i, condition in enumerate(conditions):
        totals[f"n{i}"] = Count("pk", filter=condition)
        if shown is not None:
            totals[f"a{i}"] = Count("pk", filter=condition & ~Q(pk__in=shown.values("pk")))
    totals = qs.order_by().aggregate(**totals) if totals else {}
    return [(totals[f"n{i}"], totals.get(f"a{i}", 0)) for i in range(len(conditions))]


@dataclass
class TreeFacet(Facet):
    """A facet over a hierarchy (topics), whose filter includes each value's descendants.

    A value's count is then the rows that reach it or any value below it,
    each row once: what the filter on that value lists. `relation` is the
    many-to-many to the hierarchy's model ("topics"), whose `parent` field
    makes the tree and whose slugs are the values.

    One GROUP BY counts the rows by the set of values each has (a few
    thousand sets, however many rows); each set's rows then count once for
    each value in it or above it. Counting each value's subtree in a pass of
    its own over the rows took two to two and a half times as long.
    """

    relation: str = ""

    def count(self, qs, shown=None):
        field = qs.model._meta.get_field(self.relation)
        through, own, other = field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()
        nodes = list(field.related_model._default_manager.values_list("pk", "slug", "name", "parent_id"))
        above = {pk: set() for pk, *_ in nodes}  # a node's id → its own and those of every node above it
        for top, below in subtrees((pk, parent) for pk, _slug, _name, parent in nodes).items():
            for pk in below:
                above[pk].add(top)
        options = {pk: (slug, name) for pk, slug, name, _parent in nodes}
        # The rows are the ones readers may see already, and a draft value is in no node: no draft is counted.
        sets = through._default_manager.filter(**{own: OuterRef("pk")}).order_by().values(own)
        qs = qs.annotate(value_set=Subquery(sets.annotate(ids=IdList(other)).values("ids")))
        fields = ["value_set"]
        if shown is not None:
            qs, fields = marked(qs, shown), [*fields, "is_shown"]
        counts, added = {}, {}
        for row in qs.order_by().values(*fields).annotate(n=Count("pk")):
            if not row["value_set"]:
                continue
            reached = set().union(*(above.get(int(pk), ()) for pk in row["value_set"].split(",")))
            for target in (counts, added) if shown is not None and not row["is_shown"] else (counts,):
                for pk in reached:
                    slug, name = options[pk]
                    target[slug] = (name, target.get(slug, (name, 0))[1] + row["n"])
        return counts, added


@dataclass
class SetFacet(Facet):
    """A facet whose options are named sets of rows, each given by a condition (a Q object).

    `sets()` gives (value, label, condition) for each option, in order: the
    lists a partnership is listed by, say. All options are counted in one
    aggregate query, each row once per option it belongs to.
    """

    sets: callable = None

    def count(self, qs, shown=None):
        options = self.sets()
        found = count_conditions(qs, [condition for _value, _label, condition in options], shown)
        counts, added = {}, {}
        for (value, label, _condition), (n, not_shown) in zip(options, found, strict=True):
            if n:
                counts[value] = (label, n)
            if not_shown:
                added[value] = (label, not_shown)
        return counts, added


@dataclass
class FacetOption:
    """One option of a facet. `count` is exactly the number of rows `toggle_url` lists when the
    facet has no selection; once it has one, an unselected option's `added` rows are those its
    link adds to the rows shown (values of one filter combine with OR)."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    added: int | None = None
    count_text: str = ""  # "3 meetings", in the reader's language
    added_text: str = ""


# ---------------------------------------------------------------------------
# The list view


class CatalogueListView(FilterView):
    """A list page with filters, facets, search, sorting, paging and CSV/JSON export.

    Subclasses declare: title, noun (plural, used in file names),
    search_label, count_text (n → the plural form of "%(count)s rows" in
    the reader's language), filterset_class, facets, sorts {key: (label,
    ordering)}, default_sort, columns, and get_queryset().
    """

    title = ""
    noun = ""
    search_label = ""
    intro = ""
    facets: list[Facet] = []
    sorts: dict = {}
    default_sort = ""
    columns: list[Column] = []
    template_name = "list.html"
    paginate_by = PAGE_SIZE
    strict = False  # an invalid filter is reported and ignored; the others still apply
    export_formats = {"csv": exports.csv_response, "json": exports.json_response}
    # Whether readers' pages are counted and paged from an in-memory index (listindex.py); whether it holds
    # the `date_from`/`date_to` bounds of the rows' own dates; filters that keep the rows a facet's filter
    # leaves out ({"not_listed_by": "listed_by"}).
    indexed = False
    indexed_dates = False
    indexed_complements = {}

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "data": self.params}

    def get(self, request, *args, **kwargs):
        self.params, self.problems = clean_params(request.GET)
        self.sort = self.sort_key()
        fmt = self.params.get("format", "html")
        if fmt in self.export_formats:
            self.filterset = self.get_filterset(self.get_filterset_class())
            export = self.export_formats[fmt]
            columns = [c for c in self.columns if c.export]
            # Headers and labels in the page's language; `headers=en` asks for the English ones machines expect.
            language = "en" if self.params.get("headers") == "en" else get_language()
            # A renderer that needs more than the rows (a feed's title and links) says so and gets the view.
            extra = {"view": self} if getattr(export, "takes_view", False) else {}
            with override(language):
                return export(self.filterset.qs, columns, self.export_filename(fmt), self.ordering(self.sort), **extra)
        if fmt != "html":
            message = _("Unknown format “%(format)s”: formats are %(known)s.")
            self.problems.append(message % {"format": fmt[:20], "known": ", ".join(["html", *self.export_formats])})
        return super().get(request, *args, **kwargs)

    # -- sorting and paging ---------------------------------------------

    def sort_key(self):
        key = self.params.get("sort", self.default_sort)
        if key.lstrip("-") in self.sorts:
            return key
        if self.params.get("sort"):
            label = self.sorts[self.default_sort.lstrip("-")][0]
            message = _("Unknown sort “%(sort)s”: sorted by %(label)s.")
            self.problems.append(message % {"sort": self.params.get("sort")[:40], "label": label})
        return self.default_sort

    def nullable(self, path):
        """Whether a sort path can be NULL: a nullable field or relation on the way, or an annotation."""
        model = self.get_queryset().model
        for part in path.split(LOOKUP_SEP):
            try:
                f = model._meta.get_field(part)
            except FieldDoesNotExist:
                return True  # an annotation (a count, a subquery): NULL when there is nothing
            if f.null or f.many_to_many or f.one_to_many:
                return True
            model = f.related_model
        return False

    def ordering(self, key):
        """The order_by() terms of a sort key ("date", "-date"); rows without a value last either way.

        Ties go by id in the sort's direction, so that each order is one index
        read forwards (see the indexes in models): "-date" is
        `date_earliest DESC NULLS LAST, id DESC`. NULLS LAST is said only
        for columns that can be NULL, where it matters; elsewhere it would
        stop PostgreSQL from reading an ascending index backwards.
        """
        descending = key.startswith("-")
        ordering = []
        for field_name in self.sorts[key.lstrip("-")][1]:
            reverse = field_name.startswith("-") != descending
            path = field_name.lstrip("-")
            expression = F(path)
            if self.nullable(path):
                ordering.append(expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True))
            else:
                ordering.append(expression.desc() if reverse else expression.asc())
        return [*ordering, "-pk" if descending else "pk"]

    @cached_property
    def selection(self):
        """The request's rows as the list's index reads them, or None: then SQL answers."""
        return listindex.selection(self)

    def paginate_queryset(self, queryset, page_size):
        """A page of the ordered rows; a page number out of range shows the nearest page, never a 404."""
        ordering = self.ordering(self.sort)
        if self.selection is not None:  # the count and the page's ids from the index, the rows by id
            rows = listindex.IndexedRows(self.selection, self.get_queryset().order_by(*ordering))
        else:
            rows = queryset = queryset.order_by(*ordering)
        paginator = self.get_paginator(rows, page_size)
        page = paginator.get_page(self.params.get("page"))
        if page.number > 1 and self.selection is None:
            # A deep page finds its rows' ids first (an index read, skipping the rows before it
            # without fetching or joining them), then reads those rows only: still one query.
            start = (page.number - 1) * page_size
            page.object_list = queryset.filter(pk__in=queryset.values("pk")[start : start + page_size])
        return paginator, page, page.object_list, page.has_other_pages()

    # -- the page -------------------------------------------------------

    def get_context_data(self, **kwargs):
        self.problems.extend(filter_problems(self.filterset))
        for problem in self.problems:
            messages.warning(self.request, problem)
        context = super().get_context_data(**kwargs)
        page, params = context["page_obj"], self.params
        html_columns = [c for c in self.columns if c.html]
        filterset = self.filterset
        context.update(
            {
                "title": self.title,
                "search_label": self.search_label,
                "count_summary": self.count_html(page.paginator.count),
                "params": params,
                "q": params.get("q", ""),
                "page": page,
                # Each row: whether it is a draft (only editors see drafts), and its cells.
                "rows": [(getattr(row, "draft", False), self.cells(row, html_columns)) for row in page],
                "html_columns": [(c, self.sort_link(c)) for c in html_columns],
                "facets": self.facet_options(),
                "chips": chips(params, filterset),
                "range_fields": [filterset.form[n] for n in ("date_from", "date_to") if n in filterset.filters],
                "sort": self.sort,
                "sort_options": [(key, label) for key, (label, _) in self.sorts.items()],
                "page_urls": {
                    "first": query_string(params, page=1),
                    "previous": query_string(params, page=page.previous_page_number()) if page.has_previous() else None,
                    "next": query_string(params, page=page.next_page_number()) if page.has_next() else None,
                    "last": query_string(params, page=page.paginator.num_pages),
                },
                "csv_url": query_string(params, format="csv"),
                "json_url": query_string(params, format="json"),
                "format_urls": {fmt: query_string(params, format=fmt) for fmt in self.export_formats},
                "clear_url": self.request.path,
            }
        )
        return context

    @staticmethod
    def cells(row, columns):
        return [(c, c.value(row), c.link(row) if c.link else None) for c in columns]

    @staticmethod
    def count_text(n):
        """The plural form, for n rows, of "%(count)s rows" in the reader's language; lists name their rows."""
        return ngettext("%(count)s row", "%(count)s rows", n)

    def rows_text(self, n):
        """"3 meetings": the count text for n with its number, in the reader's language."""
        return self.count_text(n) % {"count": formats.number(n)}

    def count_html(self, n):
        """The list summary's "<strong>5</strong> встреч": the count text for n, its number in bold."""
        before, _sep, after = self.count_text(n).partition("%(count)s")
        return mark_safe(f"{escape(before)}<strong>{escape(formats.number(n))}</strong>{escape(after)}")

    def sort_link(self, column):
        if not column.sort:
            return None
        return query_string(self.params, sort=f"-{column.sort}" if self.sort == column.sort else column.sort)

    def facet_options(self):
        """Each facet's options with exact counts (see FacetOption).

        A facet without a selection counts the rows shown; those of them
        that are single-valued are counted together in one GROUP BY of all
        their columns. A facet with a selection counts its options over the
        rows all the other filters leave, telling apart those shown, for
        what each unselected option would add.
        """
        params, filterset = self.params, self.filterset
        shown = filterset.qs
        idle = [f for f in self.facets if not params.getlist(f.param)]
        counted = {}
        together = [f for f in idle if not f.multivalued and type(f) is Facet and self.selection is None]
        if together:
            fields = list(dict.fromkeys(path for f in together for path in f.fields()))
            for f in together:
                counted[f.param] = {}
            for row in shown.order_by().values(*fields).annotate(n=Count("pk")):
                for f in together:
                    f.add(counted[f.param], row, row["n"])
        facets = []
        for facet in self.facets:
            selected = params.getlist(facet.param)
            if self.selection is not None:
                counts, added = self.selection.facet_counts(facet, selected)
            elif facet.param in counted:
                counts, added = counted[facet.param], {}
            elif not selected:
                counts, added = facet.count(shown)
            else:
                others = filterset.filter_queryset_except(filterset.queryset.all(), facet.param)
                counts, added = facet.count(others, shown)
            accepted = self.accepted_values(facet)
            if accepted is not None:  # an option the filter would refuse could not keep its count's promise
                counts = {v: pair for v, pair in counts.items() if v in accepted}
            if selected:  # an option whose link would add no row to those shown offers nothing
                counts = {v: pair for v, pair in counts.items() if v in selected or v in added}
            order = sorted(counts, key=lambda v: (v not in selected, -counts[v][1], str(counts[v][0])))
            options = []
            for value in order[: max(facet.limit, len(selected))]:
                label, n = counts[value]
                toggled = [v for v in selected if v != value] if value in selected else selected + [value]
                adds = None if not selected or value in selected else added.get(value, (None, 0))[1]
                adds_text = "" if adds is None else _("adds %(rows)s to those shown") % {"rows": self.rows_text(adds)}
                options.append(
                    FacetOption(
                        value, label, n, value in selected, query_string(params, **{facet.param: toggled}),
                        added=adds,
                        count_text=self.rows_text(n),
                        added_text=adds_text,
                    )
                )
            facets.append((facet, options))
        return facets

    def accepted_values(self, facet):
        """The values a facet's filter accepts when it has a fixed list of choices, else None."""
        choices = getattr(self.filterset.filters[facet.param].field, "choices", None)
        if choices is None or isinstance(self.filterset.filters[facet.param].field, forms.ModelChoiceField):
            return None
        return {str(value) for value, _ in choices}

    def export_filename(self, extension):
        """e.g. meetings.csv, or meetings-country-cn-topic-health-care.csv for a filtered export."""
        parts = [self.noun]
        for key, values in self.params.lists():
            if key in {"format", "page", "headers"}:
                continue
            parts.append(fold(f"{key} {' '.join(values)}").replace(" ", "-")[:40])
        return "-".join(p for p in parts if p)[:150] + "." + extension
