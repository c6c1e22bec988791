"""The API's OpenAPI 3.1 document, generated from the list declarations so that it cannot drift from them.

Each list (api.LISTS) gives one path: its FilterSet's filters become the query parameters (their
labels, help texts and choices), its sorts the `sort` parameter, its facets the `facets` of the
response, and its exported columns the fields of each result, typed from the model fields they read.
Served at /api/v1/openapi.json and rendered as the reference page at /api/.

The document is in English whatever the address's language (its labels and help texts are the lists'
own, which translate): the reference page translates its headings and prose around it.
"""

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from . import api
from .filters import DateBoundFilter
from .listing import Joined

TITLE = "Partnerships catalogue API"
DESCRIPTION = """Read-only access to every list of the catalogue, filtered, faceted, sorted and paged exactly
as its page on the site. Several values of one filter combine with OR (`?country=CN&country=RU`),
different filters with AND. Records are named by slug, countries by ISO 3166-1 code.
Errors are JSON objects with the reasons (`400` for an unknown parameter or an invalid value,
`404` for a page beyond the last). Any origin may read it (CORS). Version 1 keeps its field
names; a change that would break them comes as version 2."""

PAGE_SIZE_TEXT = f"Rows a page, 1 to {api.MAX_PAGE_SIZE}."


def nullable(schema):
    kind = schema["type"]
    return {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}


def model_field(model, path):
    """The model field at the end of a lookup path, or None (an annotation)."""
    field = None
    for part in path.split(LOOKUP_SEP):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def field_schema(field):
    if isinstance(field, (models.IntegerField, models.BigIntegerField)):
        return {"type": "integer"}
    if isinstance(field, (models.FloatField, models.DecimalField)):
        return {"type": "number"}
    if isinstance(field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def column_schema(view, column):
    """A result field's JSON Schema: a list for many-valued columns, a string for formatted ones, else as its field."""
    description = column.header
    (source, *_) = column.source or ("",)
    if isinstance(source, Joined):
        return {"type": "array", "items": {"type": "string"}, "description": f"{description} (all values)."}
    if column.fmt is not None or not source:
        return nullable({"type": "string", "description": description + "."})
    model = view.filterset_class._meta.model
    field = model_field(model, source)
    if field is None:  # an annotation of the list's queryset, such as a count
        annotation = view().get_queryset().query.annotations.get(source)
        schema = field_schema(annotation.output_field) if annotation is not None else {"type": "string"}
    else:
        schema = field_schema(field)
        if field.help_text:
            description = f"{description}: {field.help_text}"
    return nullable({**schema, "description": description.rstrip(".") + "."})


def filter_parameter(name, flt):
    """A FilterSet filter as an OpenAPI query parameter."""
    description = str(flt.label or name)
    help_text = flt.extra.get("help_text")
    if help_text:
        description += f": {help_text}"
    many = isinstance(flt, (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter))
    parameter = {"name": name, "in": "query", "required": False}
    if isinstance(flt, django_filters.ModelMultipleChoiceFilter):
        target = flt.queryset.model
        noun = next((noun for noun, v in api.LISTS.items() if v.filterset_class._meta.model is target), None)
        item = {"type": "string", "pattern": "^[-a-z0-9]+$"}
        noun_phrase = str(target._meta.verbose_name)
        description += f". The slug of {'an' if noun_phrase[0] in 'aeiou' else 'a'} {noun_phrase}"
        parameter["x-record"] = target._meta.label_lower
        if noun:
            parameter["x-slug-of"] = noun
            description += f" (the `slug` of a result of /{noun}/)"
    elif isinstance(flt, django_filters.MultipleChoiceFilter):
        choices = flt.extra.get("choices") or []
        if callable(choices):  # choices read from the catalogue (the lists a partnership is listed by)
            choices = list(choices())
        item = {"type": "string", "enum": [str(value) for value, _ in choices]}
        if len(choices) <= 12:
            description += ". " + "; ".join(f"`{value}`: {label}" for value, label in choices)
    elif isinstance(flt, DateBoundFilter):
        item = {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$",
                "examples": ["2015", "2015-10", "2015-10-13"]}
        description += ". A year, month or day; an uncertain date matches when any day it can mean is in range"
    else:
        item = {"type": "string", "maxLength": 200}
        if name == "q":
            description += ". Every word, in any script (folded: Мурманск finds Murmansk)"
    if many:
        parameter.update(schema={"type": "array", "items": item}, style="form", explode=True)
        description += ". Repeat the parameter for several values (OR)"
    else:
        parameter["schema"] = item
    parameter["description"] = description + "."
    return parameter


def paging_parameters(view):
    sorts = [key for name in view.sorts for key in (name, f"-{name}")]
    labels = "; ".join(f"`{name}`: by {label}" for name, (label, _) in view.sorts.items())
    return [
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": sorts, "default": view.default_sort},
            "description": f"Order of the rows; a leading `-` reverses it. {labels}.",
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "default": 1},
            "description": "Page number; `next` and `prev` give the neighbouring pages.",
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": api.MAX_PAGE_SIZE, "default": api.DEFAULT_PAGE_SIZE},
            "description": PAGE_SIZE_TEXT,
        },
    ]


def page_schema(view):
    columns = [c for c in view.columns if c.export]
    properties = {c.api_key: column_schema(view, c) for c in columns}
    properties["url"] = {"type": "string", "format": "uri", "description": "The record's page."}
    facets = {
        f.param: {
            "type": "object",
            "description": f"{f.title}: how many rows each value of the `{f.param}` filter would list.",
            "properties": {
                "title": {"type": "string"},
                "options": {"type": "array", "items": {"$ref": "#/components/schemas/FacetOption"}},
            },
            "required": ["title", "options"],
        }
        for f in view.facets
    }
    link = {"type": ["string", "null"], "format": "uri"}
    return {
        "type": "object",
        "required": ["count", "page", "pages", "page_size", "sort", "filters", "first", "prev", "next", "last",
                     "results", "facets"],
        "properties": {
            "count": {"type": "integer", "description": "Rows matching the filters, on every page."},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "page_size": {"type": "integer"},
            "sort": {"type": "string"},
            "filters": {
                "type": "object",
                "description": "The filters applied, each with its values.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "first": link,
            "prev": link,
            "next": link,
            "last": link,
            "results": {
                "type": "array",
                "items": {"type": "object", "properties": properties, "required": list(properties),
                          "additionalProperties": False},
            },
            "facets": {"type": "object", "properties": facets, "additionalProperties": False},
        },
    }


def error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def operation(noun, view):
    filters = view.filterset_class.base_filters
    return {
        "operationId": f"list_{noun}",
        "summary": view.title,
        "description": (
            f"The rows of {reverse(view_url_name(view))} as JSON, filtered as that page is. "
            f"Facets: {', '.join(f'`{f.param}`' for f in view.facets)}."
        ),
        "tags": [noun],
        "parameters": [filter_parameter(name, flt) for name, flt in filters.items()] + paging_parameters(view),
        "responses": {
            "200": {
                "description": "A page of rows, with links to the others and the facets' counts.",
                "headers": {
                    "Link": {
                        "description": "The first, prev, next and last pages (RFC 8288).",
                        "schema": {"type": "string"},
                    },
                    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
                },
                "content": {"application/json": {"schema": page_schema(view)}},
            },
            "400": error_response("An unknown parameter, or an invalid filter value, sort, page or page size."),
            "404": error_response("A page beyond the last."),
        },
    }


def view_url_name(view):
    return {
        "places": "place-list", "partnerships": "partnership-list", "delegations": "delegation-list",
        "meetings": "meeting-list", "people": "person-list", "topics": "topic-list", "sources": "source-list",
    }[view.noun]


def document():
    """The OpenAPI 3.1 document of the API, in English."""
    with translation.override("en"):
        return json_ready(english_document())


def json_ready(value):
    """The document with its lazy (translatable) strings made plain strings, while English is active."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def english_document():
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": api.VERSION,
            "description": DESCRIPTION,
            "license": {"name": "MIT (the code); see /downloads/ for the data's licences", "identifier": "MIT"},
        },
        "servers": [{"url": reverse("api-index").rstrip("/"), "description": "This site"}],
        "paths": {f"/{noun}/": {"get": operation(noun, view)} for noun, view in api.LISTS.items()},
        "components": {
            "schemas": {
                "FacetOption": {
                    "type": "object",
                    "required": ["value", "label", "count", "selected", "added", "url"],
                    "properties": {
                        "value": {"type": "string", "description": "The filter's value."},
                        "label": {"type": "string"},
                        "count": {"type": "integer", "description": "Rows the filter on this value alone lists."},
                        "selected": {"type": "boolean"},
                        "added": {
                            "type": ["integer", "null"],
                            "description": "With other values of the filter selected: rows this one would add.",
                        },
                        "url": {"type": "string", "format": "uri", "description": "This query with the value toggled."},
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["status", "error", "reasons"],
                    "properties": {
                        "status": {"type": "integer"},
                        "error": {"type": "string"},
                        "reasons": {"type": "array", "items": {"type": "string"}},
                        "parameters": {
                            "type": "object",
                            "description": "The parameters at fault, each with what was wrong.",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            }
        },
    }


def openapi_json(request):
    response = JsonResponse(document(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def reference(request):
    """The API reference: the OpenAPI document, rendered on the server (no script)."""
    doc = document()
    endpoints = []
    for path, item in doc["paths"].items():
        op = item["get"]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        fields = schema["properties"]["results"]["items"]["properties"]
        endpoints.append({
            "path": doc["servers"][0]["url"] + path,
            "op": op,
            "parameters": [
                {**p, "type": type_text(p["schema"]), "values": values_text(p["schema"])} for p in op["parameters"]
            ],
            "fields": [{"name": name, "type": type_text(s), "description": s.get("description", "")}
                       for name, s in fields.items()],
            "facets": schema["properties"]["facets"]["properties"],
        })
    return render(request, "api_reference.html", {"doc": doc, "endpoints": endpoints,
                                                  "openapi_url": reverse("api-openapi")})


def type_text(schema):
    kind = schema.get("type")
    if kind == "array":
        return f"list of {type_text(schema['items'])}"
    if isinstance(kind, list):
        kind = " or ".join(k for k in kind if k != "null") + (", or null" if "null" in kind else "")
    return f"{kind} ({schema['format']})" if schema.get("format") else str(kind)


def values_text(schema):
    schema = schema.get("items", schema)
    enum = schema.get("enum")
    if enum:
        return ", ".join(enum) if len(enum) <= 12 else f"{len(enum)} codes: {', '.join(enum[:6])}, …"
    if "maximum" in schema:
        return f"{schema.get('minimum', '')}–{schema['maximum']}"
    return ""
