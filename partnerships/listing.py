"""One list machinery for every entity.

A list declares its queryset, FilterSet, facets, sort options and columns;
`CatalogueListView` does the rest: filtering, search, facet counts, sorting,
pagination, and every export format. An export is the same query as the
page through another renderer, so the two cannot drift apart.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import QueryDict
from django.shortcuts import render
from django.views import View

from . import exports
from .text import fold

PAGE_SIZE = 50
MAX_QUERY_LENGTH = 200


@dataclass
class Column:
    """A column of a list: its header, how to read it off a row, where it shows."""

    header: str
    value: callable
    link: callable = None  # row -> URL, for the HTML table
    sort: str = ""  # key of the sort option this column's header toggles
    html: bool = True
    export: bool = True


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

    def count(self, qs):
        """{value: (label, count)} over qs, each row counted once per value."""
        qs = qs.order_by()
        counts = {}
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

    def filtered(self, params, skip=None):
        """The rows matching every filter (but `skip`) and the search; with the FilterSet."""
        data = params.copy()
        if skip:
            data.pop(skip, None)
        filterset = self.filterset_class(data, queryset=self.get_queryset())
        qs = filterset.qs
        q = params.get("q", "").strip()
        if q:
            qs = qs.search(q)
        return qs, filterset

    def sort_key(self, params):
        key = params.get("sort", self.default_sort)
        return key if key.lstrip("-") in self.sorts else self.default_sort

    def ordered(self, qs, key):
        """Rows in the order of a sort key ("date", "-date"); rows without a value last either way."""
        descending = key.startswith("-")
        ordering = []
        for field_name in self.sorts[key.lstrip("-")][1]:
            reverse = field_name.startswith("-") != descending
            expression = F(field_name.lstrip("-"))
            ordering.append(expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")

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
        page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
        context = {
            "view": self,
            "title": self.title,
            "params": params,
            "q": params.get("q", ""),
            "filterset": filterset,
            "page": page,
            "rows": [[(c, c.value(row), c.link(row) if c.link else None) for c in self.html_columns] for row in page],
            "html_columns": [(c, self.sort_link(params, c, sort)) for c in self.html_columns],
            "facets": self.facet_counts(params, filterset),
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

    def facet_counts(self, params, filterset):
        """Each facet's options counted over the rows the other active filters leave."""
        facets = []
        for facet in self.facets:
            qs, _ = self.filtered(params, skip=facet.param)
            counts = facet.count(qs)
            selected = params.getlist(facet.param)
            shown = sorted(counts, key=lambda v: (v not in selected, -counts[v][1], str(counts[v][0])))
            options = []
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
        for name, flt in filterset.filters.items():
            values = params.getlist(name)
            for value in values:
                rest = [v for v in values if v != value]
                chips.append((flt.label or name, self.value_label(flt, value), query_string(params, **{name: rest})))
        if params.get("q"):
            chips.append(("Search", params["q"], query_string(params, q=None)))
        return chips

    def value_label(self, flt, value):
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
