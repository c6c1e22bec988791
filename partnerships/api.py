"""The read API, version 1: every list as JSON at `/api/v1/<noun>/`, over the one list machinery.

An endpoint is its list view (lists.py) answering in JSON: the same FilterSet, facets (counted by the
view's own `facet_options`), sorts and columns, so it filters exactly as the page does. What differs is
what a program needs:

- field names are stable snake_case keys (`Column.api_key`), not the CSV headers; many-valued columns
  are lists; an empty value is null; every row has the `url` of its page;
- pages of `page_size` rows (at most MAX_PAGE_SIZE), with `next`/`prev` links in the body and in a
  `Link` header;
- strict: a filter value, sort, page or parameter it does not know is an error (400, JSON, with the
  reason), where the page reports it and goes on;
- read-only (GET and HEAD; OPTIONS answers for CORS), open to any origin (`Access-Control-Allow-Origin: *`).

The OpenAPI document that describes it is generated from the same declarations (openapi.py).
Today's `format=json` on the list pages is unchanged.
"""

import json

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

from . import exports, lists
from .listing import clean_params, query_string

VERSION = "v1"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
PAGING = ("sort", "page", "page_size")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"

# The lists the API serves, by the name of their endpoint (the list's noun).
LISTS = {
    view.noun: view
    for view in (
        lists.PlaceList,
        lists.PartnershipList,
        lists.DelegationList,
        lists.MeetingList,
        lists.PersonList,
        lists.TopicList,
        lists.SourceList,
    )
}


class ApiError(Exception):
    """A request the API refuses: an HTTP status, a short title, and the reasons, each readable alone.

    The title is the status's English name, for programs; the reasons are for people, in the
    language of the address (/ru/api/v1/…), English without a prefix.
    """

    def __init__(self, status, title, reasons, parameters=None):
        super().__init__(title)
        self.status, self.title, self.reasons, self.parameters = status, title, reasons, parameters or {}


def json_response(data, status=200, headers=None):
    body = exports.to_json(data) if status == 200 else json.dumps(data, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(error):
    body = {"status": error.status, "error": error.title, "reasons": error.reasons}
    if error.parameters:
        body["parameters"] = error.parameters
    headers = {"Allow": ALLOWED_METHODS} if error.status == 405 else {}
    return json_response(body, status=error.status, headers=headers)


def positive_int(params, name, default, maximum=None):
    value = params.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1 or (maximum and int(value) > maximum):
        if maximum:
            reason = gettext("“%(name)s” must be a whole number from 1 to %(maximum)s, not “%(value)s”.")
            wanted = gettext("a whole number from 1 to %(maximum)s")
        else:
            reason = gettext("“%(name)s” must be a whole number of 1 or more, not “%(value)s”.")
            wanted = gettext("a whole number of 1 or more")
        values = {"name": name, "maximum": maximum, "value": value[:20]}
        raise ApiError(400, "Bad request", [reason % values], {name: [wanted % values]})
    return int(value)


class ApiListMixin:
    """Makes a list view answer as an API endpoint (see the module's docstring)."""

    http_method_names = ["get", "head", "options"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        reason = gettext("The API is read-only: %(methods)s.") % {"methods": ALLOWED_METHODS}
        return error_response(ApiError(405, "Method not allowed", [reason]))

    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Max-Age"] = "86400"
        return response

    def get(self, request, *args, **kwargs):
        try:
            return self.api_response(request)
        except ApiError as error:
            return error_response(error)

    def check_params(self, request):
        """The query parameters, or an ApiError naming each one that is unknown, refused or out of range."""
        params, problems = clean_params(request.GET)
        if problems:
            raise ApiError(400, "Bad request", problems)
        known = set(self.get_filterset_class().base_filters) | set(PAGING) | {"format"}
        unknown = [key for key in params if key not in known]
        if unknown:
            names = ", ".join(sorted(known - {"format"}))
            raise ApiError(400, "Unknown parameter", [
                gettext("Unknown parameter “%(name)s”: the parameters are %(names)s.") % {
                    "name": key[:40], "names": names}
                for key in unknown
            ], {key[:40]: ["unknown"] for key in unknown})
        if params.get("format", "json") != "json":
            raise ApiError(400, "Bad request", [gettext("The API answers in JSON only: leave out “format”.")])
        sort = params.get("sort")
        if sort is not None and sort.lstrip("-") not in self.sorts:
            options = ", ".join(f"{k}, -{k}" for k in self.sorts)
            raise ApiError(400, "Invalid sort", [
                gettext("Unknown sort “%(sort)s”: the sorts are %(options)s.") % {"sort": sort[:40], "options": options}
            ], {"sort": [gettext("one of %(options)s") % {"options": options}]})
        return params

    def api_response(self, request):
        self.params = self.check_params(request)
        self.problems = []
        self.sort = self.sort_key()
        page_size = positive_int(self.params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        number = positive_int(self.params, "page", 1)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_valid():
            errors = {name: list(messages) for name, messages in self.filterset.errors.items()}
            reasons = [gettext("Filter “%(name)s”: %(messages)s") % {"name": name, "messages": " ".join(messages)}
                       for name, messages in errors.items()]
            raise ApiError(400, "Invalid filter value", reasons, errors)

        ordering = self.ordering(self.sort)
        rows = self.filterset.qs.order_by(*ordering)
        paginator = Paginator(rows, page_size, allow_empty_first_page=True)
        try:
            page = paginator.page(number)
        except EmptyPage:
            raise ApiError(404, "No such page", [
                gettext("Page %(page)s is beyond the last page, %(last)s, at %(size)s rows a page.") % {
                    "page": number, "last": paginator.num_pages, "size": page_size}
            ]) from None
        start = (page.number - 1) * page_size
        # The page's ids first, as the list page reads a deep page; then its rows as plain values.
        ids = list(rows.values_list("pk", flat=True)[start : start + page_size])
        columns = [c for c in self.columns if c.export]
        keys = [c.api_key for c in columns]
        detail = f"{rows.model._meta.model_name}-detail"
        results = []
        for values in exports.value_rows(rows.filter(pk__in=ids), columns, ordering, join=list):
            record = {key: (None if value == "" else value) for key, value in zip(keys, values, strict=True)}
            record["url"] = request.build_absolute_uri(reverse(detail, args=[record["slug"]]))
            results.append(record)

        def link(n):
            return request.build_absolute_uri(request.path + query_string(self.params, page=n))

        links = {
            "first": link(1),
            "prev": link(page.number - 1) if page.has_previous() else None,
            "next": link(page.number + 1) if page.has_next() else None,
            "last": link(paginator.num_pages),
        }
        facets = {}
        for facet, options in self.facet_options():
            facets[facet.param] = {
                "title": facet.title,
                "options": [
                    {
                        "value": o.value,
                        "label": o.label,
                        "count": o.count,
                        "selected": o.selected,
                        "added": o.added,
                        "url": request.build_absolute_uri(request.path + o.toggle_url),
                    }
                    for o in options
                ],
            }
        body = {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "page_size": page_size,
            "sort": self.sort,
            "filters": {k: v for k, v in self.params.lists() if k not in PAGING and k != "format"},
            **links,
            "results": results,
            "facets": facets,
        }
        header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
        return json_response(body, headers={"Link": header})


def endpoint(view_class):
    """The API endpoint of a list view: the same view answering through ApiListMixin."""
    return type(f"{view_class.__name__}Api", (ApiListMixin, view_class), {}).as_view()


def index(request):
    """/api/v1/: the endpoints, and where their description is."""
    return json_response(
        {
            "version": VERSION,
            "openapi": request.build_absolute_uri(reverse("api-openapi")),
            "reference": request.build_absolute_uri(reverse("api-reference")),
            "endpoints": {
                noun: request.build_absolute_uri(reverse("api-list", args=[noun])) for noun in LISTS
            },
        }
    )


def not_found(request, rest=""):
    return error_response(ApiError(404, "Not found", [
        gettext("No endpoint at %(path)s: see %(index)s.") % {
            "path": request.path[:100], "index": request.build_absolute_uri(reverse("api-index"))}
    ]))


ENDPOINTS = {noun: endpoint(view) for noun, view in LISTS.items()}


def list_endpoint(request, noun):
    view = ENDPOINTS.get(noun)
    return view(request) if view else not_found(request)
