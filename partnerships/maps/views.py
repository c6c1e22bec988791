"""The map of the partnership network (/map/) and its data as JSON (/map/data.json).

Both take the partnerships list's filters (country, current status, status
reached, place, step dates: `date_from=2010&date_to=2015` is a year range)
plus `year`, the year whose network to show, and `undated=1`, to show the
partnerships with no known date in a given year too (see `maps.shown_in_year`).
The page draws the map on the server, so it works without script; the JSON
feeds the script's tooltips and live year changes, and anyone's own maps.
"""

from django.contrib import messages
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page

from .. import filters
from ..listing import chips, clean_params, filter_problems, query_string
from ..models import Partnership, PartnershipStatus
from ..security import PUBLIC_POLICY
from . import drawing as maps

# The map page runs one of the site's own script files (static/js/map.js), which fetches
# /map/data.json: the public policy plus exactly that. Still no inline script or style.
MAP_POLICY = f"{PUBLIC_POLICY}; script-src 'self'; connect-src 'self'"

FILTERS = ("country", "status", "reached", "place", "date_from", "date_to")


class MapQuery:
    """A map request's filters, year and problems, and the network they select."""

    def __init__(self, request):
        self.params, self.problems = clean_params(request.GET)
        self.year = self.clean_year(self.params.get("year", ""))
        self.include_undated = self.params.get("undated", "") in {"1", "on", "true", "yes"}

        data = QueryDict(mutable=True)
        for key in FILTERS:
            if key in self.params:
                data.setlist(key, self.params.getlist(key))
        self.filterset = filters.PartnershipFilter(data, queryset=Partnership.objects.all())
        qs = self.filterset.qs
        self.problems.extend(filter_problems(self.filterset))
        undated_hidden = 0
        if self.year:
            if not self.include_undated:
                undated_hidden = maps.undated(qs).count()
            qs = maps.shown_in_year(qs, self.year, self.include_undated)
        self.network = maps.Network.from_queryset(qs, with_dates=bool(self.year))
        self.network.undated_hidden = undated_hidden

    def clean_year(self, value):
        value = value.strip()
        if value in {"", "all"}:
            return None
        if value.isdigit() and 1 <= int(value) <= 9999:
            return int(value)
        self.problems.append(f"Ignored the year “{value[:20]}”: give a year such as 2016, or “all”.")
        return None

    def filter_params(self):
        """The filters only, as a QueryDict: what the partnerships list understands."""
        kept = QueryDict(mutable=True)
        for key in FILTERS:
            if key in self.params:
                kept.setlist(key, self.params.getlist(key))
        return kept


def json_data(query):
    network = query.network
    return {
        "year": query.year,
        "undated": "shown" if not query.year or query.include_undated else "hidden",
        "filters": {key: query.params.getlist(key) for key in FILTERS if key in query.params},
        "problems": query.problems,
        "projection": "equirectangular; coordinates rounded to 0.1 degree",
        "size_classes": list(maps.SIZE_CLASSES),
        "dense_lines": maps.DENSE_LINES,
        "sparse_dots": maps.SPARSE_DOTS,
        **network.as_json(),
    }


@gzip_page
def map_data(request):
    """The network as JSON: places [lon, lat, partners, slug, name, country] and lines as index pairs."""
    query = MapQuery(request)
    return JsonResponse(json_data(query), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


@gzip_page
def network_map(request):
    query = MapQuery(request)
    for problem in query.problems:
        messages.warning(request, problem)
    params, network = query.params, query.network
    years = maps.year_range()
    year_links = {}
    if query.year and years:
        if query.year > years[0]:
            year_links["previous"] = (query.year - 1, query_string(params, year=query.year - 1))
        if query.year < years[1]:
            year_links["next"] = (query.year + 1, query_string(params, year=query.year + 1))
    filter_query = query.filter_params().urlencode()
    form = query.filterset.form
    context = {
        "query": query,
        "network": network,
        "drawing": network.drawing(),
        "legend": maps.legend(),
        "world": " ".join(str(v) for v in maps.WORLD_VIEWBOX),
        "year": query.year,
        "years": list(range(years[0], years[1] + 1)) if years else [],
        "year_links": year_links,
        "all_years_url": query_string(params, year=None),
        "include_undated_url": query_string(params, undated=1),
        "chips": chips(query.params, query.filterset, FILTERS),
        "clear_url": query_string(params, **{key: None for key in FILTERS}),
        "list_url": reverse("partnership-list") + (f"?{filter_query}" if filter_query else ""),
        "json_url": reverse("map-data") + query_string(params),
        "countries": list(filters.COUNTRY_CHOICES),
        "statuses": PartnershipStatus.choices,
        "selected": {key: params.getlist(key) for key in ("country", "status", "reached")},
        "places": params.getlist("place"),
        "date_from": form["date_from"].value() or "",
        "date_to": form["date_to"].value() or "",
    }
    response = render(request, "map.html", context)
    response.headers["Content-Security-Policy"] = MAP_POLICY
    return response
