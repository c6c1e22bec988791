"""One list machinery for every entity.

A list declares its queryset, FilterSet, facets, sort options and columns;
`CatalogueListView` does the rest: filtering, search, facet counts, sorting,
pagination, and every export format. An export is the same query as the
page through another renderer, so the two cannot drift apart.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Expression, F, OuterRef, Subquery, TextField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.shortcuts import render
from django.views import View

from . import exports
from .text import fold

PAGE_SIZE = 50
# A facet counts at most this many rows: the first ones in the page's order (the latest meetings,
# say). Counting a facet costs then about the same on a million rows as on a few thousand; a facet
# counted so says it ("counted among the first 2000"). Below this size every count is exact.
FACET_ROWS = 2000
MAX_QUERY_LENGTH = 200


def path_fields(model, path):
    """The fields a lookup path walks through: "citations__source__language" → three fields."""
    fields = []
    for part in path.split(LOOKUP_SEP):
        f = model._meta.get_field(part)
        fields.append(f)
        if f.is_relation:
            model = f.related_model
    return fields


def multivalued(f):
    return bool(f.many_to_many or f.one_to_many)


def has_multivalued_joins(qs):
    """Whether the query joins a relation that can repeat a row (a reverse foreign key, a many-to-many)."""
    return any(multivalued(join.join_field) for join in qs.query.alias_map.values() if hasattr(join, "join_field"))


def repeats_rows(qs, path):
    """Whether grouping qs's rows by `path` can count one row twice for one value.

    Not when the query has no multi-valued join and the path either stays on
    single-valued relations or ends on the unique key of its one multi-valued
    hop ("topics__slug": a meeting has a topic once). Then COUNT(*) is exact
    and no DISTINCT is needed.
    """
    if qs.query.distinct or has_multivalued_joins(qs):
        return True
    if path in qs.query.annotations:
        return False
    fields = path_fields(qs.model, path)
    for i, f in enumerate(fields):
        if multivalued(f):
            rest = fields[i + 1 :]
            return not (not rest or (len(rest) == 1 and (rest[0].unique or rest[0].primary_key)))
    return False


def single_valued(qs, path):
    """Whether a path gives each row one value (an annotation, or forward relations only)."""
    return path in qs.query.annotations or not any(multivalued(f) for f in path_fields(qs.model, path))


def nullable(qs, path):
    """Whether a sort path can be NULL (an annotation, a nullable field, or through a nullable relation)."""
    if path in qs.query.annotations:
        return True
    return any(f.null or multivalued(f) for f in path_fields(qs.model, path))


def per_row(model, field_name, aggregate):
    """An aggregate of the `model` rows whose `field_name` points at the list's row, as a subquery.

    Unlike `annotate(Count(...))`, it adds no join and no GROUP BY to the
    list's query: PostgreSQL computes it for the rows of the page only
    (unless the list is sorted by it), each with one index probe.
    """
    rows = model._base_manager.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
    return Subquery(rows.annotate(value=aggregate).values("value")[:1])


def count_per_row(model, field_name):
    """How many `model` rows point at the list's row by `field_name` (0, not NULL, when none)."""
    return Coalesce(per_row(model, field_name, Count("*")), Value(0))


class Joined(Expression):
    """The values of a multi-valued path ("topics__name") joined with "; ": a column's many-to-many source.

    In the related rows' own order (the model's Meta ordering, as `.all()`
    gives them), `where` narrowing them (`role="leader"`). Exports read it as
    a stream of (row id, value) merged with the rows (exports.joined_stream);
    in SQL it is a correlated subquery, `(SELECT STRING_AGG(v, '; ') FROM
    (SELECT ... ORDER BY ...))` on PostgreSQL, GROUP_CONCAT on SQLite (both
    keep the inner order): the one-SELECT form of an export that `make bench`
    hands to COPY as the floor.
    """

    def __init__(self, path, **where):
        super().__init__(output_field=TextField())
        self.path, self.where, self.subquery = path, where, None

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        first, _, rest = self.path.partition(LOOKUP_SEP)
        f = query.model._meta.get_field(first)
        if f.many_to_many:
            if f.concrete:
                through, own, other = f.remote_field.through, f.m2m_field_name(), f.m2m_reverse_field_name()
            else:
                through, own, other = f.through, f.field.m2m_reverse_field_name(), f.field.m2m_field_name()
            target = f.related_model
            rows = through._base_manager.filter(**{own: OuterRef("pk")})
            ordering = [f"{other}__{o}" if not o.startswith("-") else f"-{other}__{o[1:]}"
                        for o in target._meta.ordering]
            value = f"{other}__{rest}"
            where = {f"{other}__{k}": v for k, v in self.where.items()}
        else:  # a reverse foreign key
            target, own = f.related_model, f.field.name
            rows = target._base_manager.filter(**{own: OuterRef("pk")})
            ordering = [o for o in target._meta.ordering if o.lstrip("-") != own]
            value = rest
            where = self.where
        rows = rows.filter(**where).order_by(*ordering, "pk")
        clone = self.copy()
        clone.subquery = Subquery(rows.values(v=F(value))).resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return clone

    def get_source_expressions(self):
        return [self.subquery] if self.subquery is not None else []

    def set_source_expressions(self, exprs):
        if exprs:
            (self.subquery,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.subquery)
        if connection.vendor == "postgresql":
            return f"(SELECT STRING_AGG(joined.v::text, '; ') FROM {sql} AS joined)", params
        return f"(SELECT GROUP_CONCAT(joined.v, '; ') FROM {sql} AS joined)", params


def walk(row, path):
    """The value at the end of a lookup path on a row object: "place__name" → row.place.name ("" if none)."""
    for part in path.split(LOOKUP_SEP):
        row = getattr(row, part, None)
        if row is None:
            return ""
    return row


@dataclass
class Column:
    """A column of a list: its header, how to read it off a row, where it shows.

    `value` reads a row object for the page. Exports read plain values
    instead, with one query and no model objects: `source` names what they
    read (lookup paths, or `Joined(...)` for many-to-many values) and `fmt`
    makes the cell from those values (the single value as is without it).
    `Column.of()` builds both readings from one lookup path.
    """

    header: str
    value: callable
    link: callable = None  # row -> URL, for the HTML table
    sort: str = ""  # key of the sort option this column's header toggles
    html: bool = True
    export: bool = True
    source: tuple = ()
    fmt: callable = None

    @classmethod
    def of(cls, header, path, fmt=None, **kwargs):
        """A column showing the value at `path` (through `fmt` if given, e.g. a choice's label)."""
        if fmt is None:
            value = lambda row: walk(row, path)  # noqa: E731
        else:
            value = lambda row: fmt(walk(row, path) or None) or ""  # noqa: E731
        return cls(header, value, source=(path,), fmt=fmt, **kwargs)

    @classmethod
    def joined(cls, header, path, **kwargs):
        """Many-to-many values joined with "; ": from prefetched objects on the page, in SQL for exports."""
        where = kwargs.pop("where", {})
        first, _, rest = path.partition(LOOKUP_SEP)

        def value(row):
            related = getattr(row, first).all()
            return "; ".join(
                str(v) for r in related
                if all(getattr(r, k) == w for k, w in where.items()) and (v := walk(r, rest))
            )

        return cls(header, value, source=(Joined(path, **where),), **kwargs)


@dataclass
class Facet:
    """A filter whose options show how many rows each would leave.

    `param` is the filter's query parameter; `paths` are the lookups whose
    values are that parameter's values (two when the filter matches either
    of two relations, e.g. a meeting's own country or its guests'), and
    `label_paths` give each option's label from the same rows. Without
    label paths, `labels` maps values to labels (choices, country names).
    """

    param: str
    title: str
    paths: tuple
    label_paths: tuple = ()
    labels: dict = field(default_factory=dict)
    limit: int = 12

    def fields(self):
        return list(self.paths) + list(self.label_paths)

    def single_valued(self, qs):
        return all(single_valued(qs, path) for path in self.fields())

    def add(self, counts, row, n):
        """Count n rows for each distinct value the row reaches by the facet's paths."""
        seen = set()
        for i, path in enumerate(self.paths):
            value = row[path]
            if value is None or value == "" or value in seen:
                continue
            seen.add(value)
            value = str(value)
            label = row[self.label_paths[i]] if self.label_paths else None
            label, total = counts.get(value, (label or self.labels.get(value, value), 0))
            counts[value] = (label, total + n)

    def count(self, qs):
        """{value: (label, count)} over qs, each row counted once per value."""
        qs = qs.order_by()
        counts = {}
        if len(self.paths) == 1 or self.single_valued(qs):
            # One GROUP BY: a row reaching a value by both paths falls in one group and counts once.
            # Label paths read the same related row as their value path: they never repeat a row.
            distinct = any(repeats_rows(qs, path) for path in self.paths)
            for row in qs.values(*self.fields()).annotate(n=Count("pk", distinct=distinct)):
                self.add(counts, row, row["n"])
            return counts
        for i, path in enumerate(self.paths):
            label_path = self.label_paths[i] if self.label_paths else None
            fields = [path] + ([label_path] if label_path else [])
            for row in qs.exclude(**{f"{path}__isnull": True}).values(*fields).annotate(n=Count("pk", distinct=True)):
                value = str(row[path])
                label, n = counts.get(value, (row.get(label_path) or self.labels.get(value, value), 0))
                counts[value] = (label, n + row["n"])
        if len(self.paths) == 2:  # rows reaching one value by both paths were counted twice
            a, b = self.paths
            both = qs.filter(**{a: F(b)}).values(a).annotate(n=Count("pk", distinct=True))
            for row in both:
                value = str(row[a])
                label, n = counts[value]
                counts[value] = (label, n - row["n"])
        return {value: pair for value, pair in counts.items() if value and pair[1] > 0}


class FacetOptions(list):
    """A facet's options; `sampled` when they were counted among the first FACET_ROWS rows only."""

    sampled = False


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


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


class CatalogueListView(View):
    """A list page with filters, facets, search, sorting, paging and CSV/JSON export.

    Subclasses declare:
      title, noun (plural, used in file names), template (optional),
      filterset_class, facets, sorts {key: (label, ordering)}, default_sort,
      columns, and get_queryset().
    """

    title = ""
    noun = ""
    filterset_class = None
    facets: list[Facet] = []
    sorts: dict = {}
    default_sort = ""
    columns: list[Column] = []
    template_name = "list.html"
    intro = ""

    def get_queryset(self):
        raise NotImplementedError

    # -- the one query --------------------------------------------------

    def clean_params(self, request):
        """The query parameters, with what cannot be used reported and dropped."""
        params = QueryDict(mutable=True)
        problems = []
        for key, values in request.GET.lists():
            kept = []
            for value in values:
                if "\x00" in value or "\x00" in key:
                    problems.append(f"Ignored “{key[:40]}”: it holds a NUL character.")
                elif len(value) > MAX_QUERY_LENGTH:
                    problems.append(f"Ignored a “{key[:40]}” value longer than {MAX_QUERY_LENGTH} characters.")
                else:
                    kept.append(value)
            if kept:
                params.setlist(key, kept)
        return params, problems

    def filtered(self, params, skip=None, filterset=None):
        """The rows matching every filter (but `skip`) and the search; with the FilterSet.

        The FilterSet validates its input once; facets reuse it, applying all
        its filters but their own, so that validation queries are not repeated.
        """
        if filterset is None:
            filterset = self.filterset_class(params, queryset=self.get_queryset())
        if skip is None:
            qs = filterset.qs
        else:
            qs = filterset.queryset.all()
            filterset.errors  # noqa: B018 -- validates the form, giving cleaned_data
            for name, value in filterset.form.cleaned_data.items():
                if name != skip:
                    qs = filterset.filters[name].filter(qs, value)
        q = params.get("q", "").strip()
        if q:
            qs = qs.search(q)
        return qs, filterset

    def sort_key(self, params):
        key = params.get("sort", self.default_sort)
        return key if key.lstrip("-") in self.sorts else self.default_sort

    def ordered(self, qs, key):
        """Rows in the order of a sort key ("date", "-date"); rows without a value last either way.

        Ties go by id in the sort's direction, so that each order is one index
        read forwards (see the indexes in models.py): "-date" is
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
            if nullable(qs, path):
                ordering.append(expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True))
            else:
                ordering.append(expression.desc() if reverse else expression.asc())
        return qs.order_by(*ordering, "-pk" if descending else "pk")

    # -- rendering ------------------------------------------------------

    def get(self, request):
        params, problems = self.clean_params(request)
        qs, filterset = self.filtered(params)
        for name, errors in filterset.errors.items():
            label = filterset.filters[name].label or name if name in filterset.filters else name
            problems.append(f"Ignored the filter “{label}”: {' '.join(errors)}")
        sort = self.sort_key(params)
        if params.get("sort") and sort != params.get("sort"):
            problems.append(f"Unknown sort “{params.get('sort')[:40]}”: sorted by {self.sorts[sort.lstrip('-')][0]}.")
        qs = self.ordered(qs, sort)

        fmt = params.get("format", "html")
        export_columns = [c for c in self.columns if c.export]
        if fmt == "csv":
            return exports.csv_response(qs, export_columns, self.export_filename(params, "csv"))
        if fmt == "json":
            return exports.json_response(qs, export_columns, self.export_filename(params, "json"))
        if fmt != "html":
            problems.append(f"Unknown format “{fmt[:20]}”: formats are html, csv and json.")

        for problem in problems:
            messages.warning(request, problem)
        paginator = Paginator(qs, PAGE_SIZE)
        page = paginator.get_page(params.get("page"))
        if page.number > 1:
            # A deep page finds its rows' ids first (an index read, skipping the rows before it
            # without fetching or joining them), then reads those rows only: still one query.
            first = (page.number - 1) * PAGE_SIZE
            page.object_list = qs.filter(pk__in=qs.values("pk")[first : first + PAGE_SIZE])
        facets = self.facet_counts(params, filterset, sort, paginator.count)
        context = {
            "view": self,
            "title": self.title,
            "params": params,
            "q": params.get("q", ""),
            "filterset": filterset,
            "page": page,
            "rows": [[(c, c.value(row), c.link(row) if c.link else None) for c in self.html_columns] for row in page],
            "html_columns": [(c, self.sort_link(params, c, sort)) for c in self.html_columns],
            "facets": facets,
            "facet_rows": FACET_ROWS,
            "chips": self.chips(params, filterset),
            "range_fields": [filterset.form[n] for n in ("date_from", "date_to") if n in filterset.filters],
            "sort": sort,
            "sort_options": [(key, label) for key, (label, _) in self.sorts.items()],
            "page_urls": {
                "first": query_string(params, page=1),
                "previous": query_string(params, page=page.previous_page_number()) if page.has_previous() else None,
                "next": query_string(params, page=page.next_page_number()) if page.has_next() else None,
                "last": query_string(params, page=page.paginator.num_pages),
            },
            "csv_url": query_string(params, format="csv"),
            "json_url": query_string(params, format="json"),
            "clear_url": request.path,
        }
        return render(request, self.template_name, context)

    @property
    def html_columns(self):
        return [c for c in self.columns if c.html]

    def sort_link(self, params, column, current):
        if not column.sort:
            return None
        key = f"-{column.sort}" if current == column.sort else column.sort
        return query_string(params, sort=key)

    def facet_counts(self, params, filterset, sort, total):
        """Each facet's options counted over the rows the other active filters leave.

        Facets whose own filter is not in use count over the page's `total`
        rows; those of them whose paths are single-valued (kind, status, a
        place's country) are counted together, in one GROUP BY of all their
        columns. A facet whose filter is in use counts over the rows all the
        other filters leave. Either way at most FACET_ROWS rows are counted,
        the first in the page's order; options so counted are `sampled`.
        """
        full, _ = self.filtered(params, filterset=filterset)

        def first_rows(qs):
            """qs limited to its first FACET_ROWS rows in the page's order."""
            first = self.ordered(qs, sort).values("pk")[:FACET_ROWS]
            return self.get_queryset().order_by().filter(pk__in=first)

        big = total > FACET_ROWS
        page_rows = first_rows(full) if big else full.order_by()
        together = [f for f in self.facets if not params.getlist(f.param) and f.single_valued(full)]
        counted = {}
        if together:
            fields = list(dict.fromkeys(path for f in together for path in f.fields()))
            distinct = has_multivalued_joins(page_rows) or page_rows.query.distinct
            for f in together:
                counted[f.param] = {}
            # Single-valued paths put each row in exactly one group, counted once for each facet.
            for row in page_rows.values(*fields).annotate(n=Count("pk", distinct=distinct)):
                for f in together:
                    f.add(counted[f.param], row, row["n"])
        facets = []
        for facet in self.facets:
            sampled = big
            if facet.param in counted:
                counts = counted[facet.param]
            elif not params.getlist(facet.param):
                counts = facet.count(page_rows)
            else:
                counts = facet.count(first_rows(self.filtered(params, facet.param, filterset)[0]))
                # Its rows are more than the page's: it may have reached the limit even when they do not.
                sampled = big or sum(n for _, n in counts.values()) >= FACET_ROWS
            selected = params.getlist(facet.param)
            shown = sorted(counts, key=lambda v: (v not in selected, -counts[v][1], str(counts[v][0])))
            options = FacetOptions()
            options.sampled = sampled
            for value in shown[: max(facet.limit, len(selected))]:
                label, n = counts[value]
                toggled = [v for v in selected if v != value] if value in selected else selected + [value]
                options.append(
                    FacetOption(value, label, n, value in selected, query_string(params, **{facet.param: toggled}))
                )
            facets.append((facet, options))
        return facets

    def chips(self, params, filterset):
        """Every active filter value as a removable chip."""
        chips = []
        cleaned = getattr(filterset.form, "cleaned_data", {})
        for name, flt in filterset.filters.items():
            values = params.getlist(name)
            for value in values:
                rest = [v for v in values if v != value]
                label = self.value_label(flt, value, cleaned.get(name))
                chips.append((flt.label or name, label, query_string(params, **{name: rest})))
        if params.get("q"):
            chips.append(("Search", params["q"], query_string(params, q=None)))
        return chips

    def value_label(self, flt, value, cleaned=None):
        """A filter value's label: the record's name for slugs (from the validated records, not a
        query over every record), the choice's label for choices."""
        if isinstance(flt.field, forms.ModelChoiceField):
            key = flt.field.to_field_name or "pk"
            return next((str(r) for r in cleaned or [] if str(getattr(r, key)) == value), value)
        choices = dict(getattr(flt.field, "choices", []) or [])
        label = choices.get(value)
        return str(label) if label else value

    def export_filename(self, params, extension):
        """e.g. meetings.csv, or meetings-country-cn-topic-health-care.csv for a filtered export."""
        parts = [self.noun]
        for key, values in params.lists():
            if key in {"format", "page"}:
                continue
            parts.append(fold(f"{key} {' '.join(values)}").replace(" ", "-")[:40])
        return "-".join(p for p in parts if p)[:150] + "." + extension
