"""CSV and JSON renderers for any list: all matching rows, streamed.

When every column says what it reads (`Column.source`), an export reads
plain values, no model objects: one query for the rows, and one for each
many-to-many column (`Joined`), which lists (row id, value) in the rows' own
order, so that the two streams merge as they are read. All are read through
server-side cursors on PostgreSQL, in chunks, and written a chunk of rows at
a time: a fixed number of queries and flat memory however many rows.
(PostgreSQL runs such an ordered join far faster than a correlated subquery
per row, `single_select`'s form, which costs ~20 µs a row.) Otherwise rows
are model objects, with the queryset's prefetches done chunk by chunk.

The renderers take the rows' `ordering` (what the list ordered them by)
along with the rows, since the many-valued streams must follow it.
"""

import csv
import io
import json
import re
from itertools import islice
from operator import itemgetter

from django.db import connection
from django.db.models import Aggregate, Case, F, OuterRef, Subquery, TextField, Value, When
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.utils.translation import get_language, override

from .models.base import drafts_hidden, published_through, visible_rows

CHUNK_SIZE = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHARS = frozenset("=+-@\t\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def cell(value):
    """A value as a spreadsheet cell that cannot run as a formula.

    Text starting with = + - @ tab or carriage return gets a leading
    apostrophe (OWASP's advice); plain numbers such as -12.5 stay numbers.
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def joined_stream(qs, joined, ordering):
    """(row id, value) for each related row of a `Joined` column: in the rows' `ordering`, then the related rows'."""
    first, _, rest = joined.path.partition(LOOKUP_SEP)
    f = qs.model._meta.get_field(first)
    own = None if f.many_to_many else f.field.name
    own_order = [o for o in f.related_model._meta.ordering if o.lstrip("-") != own]
    related = [("-" if o.startswith("-") else "") + f"{first}__{o.lstrip('-')}" for o in own_order]
    rows = qs.filter(**{f"{first}__{k}": v for k, v in joined.where}) if joined.where else qs
    rows = rows.order_by(*ordering, *related, f"{first}__pk")
    value = joined.path
    condition = published_through(qs.model, joined.path) if drafts_hidden.get() else None
    if condition is not None:  # a draft's value reads as none, on the rows' own join (annotations reuse it)
        rows, value = rows.annotate(seen_value=Case(When(condition, then=F(joined.path)))), "seen_value"
    return rows.values_list("pk", value).iterator(chunk_size=CHUNK_SIZE)


def source_names(columns):
    """The plain values to read ("pk" first), the Joined columns, and a reader of a row's cells.

    The reader takes a row (the plain values, then one joined text per
    Joined column) and gives the cells: one C-level itemgetter for the
    columns shown as read, then a call of `fmt` for each of the others.
    """
    names, joined, readers = ["pk"], [], []
    for column in columns:
        at = []
        for source in column.source:
            if isinstance(source, str):
                if source not in names:
                    names.append(source)
                at.append(("value", names.index(source)))
            else:
                joined.append(source)
                at.append(("joined", len(joined) - 1))
        readers.append((column.fmt, at))
    offset = len(names)
    direct, computed = [], []
    for i, (fmt, at) in enumerate(readers):
        ks = tuple(k if kind == "value" else offset + k for kind, k in at)
        direct.append(ks[0] if fmt is None else 0)
        if fmt is not None:
            computed.append((i, fmt, ks[0] if len(ks) == 1 else None, ks))
    take = itemgetter(*direct, 0)  # (and a spare, so that it always gives a tuple)

    def read(row):
        cells = list(take(row))
        cells.pop()
        for i, fmt, k, ks in computed:
            cells[i] = fmt(row[k]) if k is not None else fmt(*[row[j] for j in ks])
        return cells

    return names, joined, read


def value_rows(qs, columns, ordering, join="; ".join):
    """Each row's values, one list per row, read as plain values: one query, plus one per Joined column.

    A Joined column's values are given to `join` (the API keeps them a list)."""
    names, joined, read = source_names(columns)
    qs = qs.prefetch_related(None).order_by(*ordering)
    streams = [joined_stream(qs, j, ordering) for j in joined]
    heads = [next(stream, None) for stream in streams]
    for row in qs.values_list(*names).iterator(chunk_size=CHUNK_SIZE):
        if streams:
            pk, extra = row[0], []
            for i, stream in enumerate(streams):
                values, head = [], heads[i]
                while head is not None and head[0] == pk:
                    if head[1] is not None and head[1] != "":
                        values.append(str(head[1]))
                    head = next(stream, None)
                heads[i] = head
                extra.append(join(values))
            row = row + tuple(extra)
        yield read(row)


class GroupConcat(Aggregate):
    """SQLite's GROUP_CONCAT(value, separator): StringAgg's counterpart (PostgreSQL's is in contrib.postgres)."""

    function = "GROUP_CONCAT"
    output_field = TextField()


def joined_subquery(model, joined):
    """A `Joined` column as a correlated subquery joining its values with "; " (order as the database scans)."""
    first, _, rest = joined.path.partition(LOOKUP_SEP)
    f = model._meta.get_field(first)
    if f.many_to_many:
        through, own, other = f.remote_field.through, f.m2m_field_name(), f.m2m_reverse_field_name()
        rows, value, where = visible_rows(through), f"{other}__{rest}", {f"{other}__{k}": v for k, v in joined.where}
    else:  # a reverse foreign key
        own = f.field.name
        rows, value, where = f.related_model._default_manager, rest, dict(joined.where)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.aggregates import StringAgg

        joined_values = StringAgg(Cast(F(value), TextField()), "; ")
    else:
        joined_values = GroupConcat(F(value), Value("; "))
    rows = rows.filter(**{own: OuterRef("pk")}, **where).order_by().values(own)
    return Subquery(rows.annotate(joined=joined_values).values("joined"))


def single_select(qs, columns):
    """The export as one SELECT of the same columns, many-valued ones as correlated subqueries.

    Not used to export (see `value_rows`); it is what `make bench` hands to
    PostgreSQL's COPY as the floor to compare the export with.
    """
    names, joined, _ = source_names(columns)
    annotations = {f"_joined_{i}": joined_subquery(qs.model, j) for i, j in enumerate(joined)}
    return qs.prefetch_related(None).annotate(**annotations).values_list(*names, *annotations)


def rows(qs, columns, ordering):
    if all(column.source for column in columns):
        yield from value_rows(qs, columns, ordering)
        return
    for row in qs.order_by(*ordering).iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(row) for column in columns]


def csv_cells(values):
    """A row's values as cells: text that could run as a formula defused (see `cell`).

    csv.writer writes None as an empty cell and numbers as they are; only
    text needs looking at, and only its first character, in one pass.
    """
    return [
        "'" + v if v.__class__ is str and v and v[0] in FORMULA_CHARS and not NUMBER.fullmatch(v) else v
        for v in values
    ]


def in_language(language, chunks):
    """The chunks of a streamed response made in `language`: they are made after the view has returned."""
    with override(language):
        yield from chunks


def csv_response(qs, columns, filename, ordering):
    """The rows as CSV, headers and labels in the active language."""
    headers = [str(column.header) for column in columns]

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        yield "\ufeff" + buffer.getvalue()  # byte-order mark: Excel then reads the file as UTF-8
        values = rows(qs, columns, ordering)
        while batch := list(islice(values, 1000)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows([csv_cells(v) for v in batch])
            yield buffer.getvalue()

    response = StreamingHttpResponse(in_language(get_language(), lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# <, > and & written as \u escapes: the JSON means the same, and no byte of it reads as markup
# should anything ever show it as HTML (the same escaping Django's json_script uses).
JSON_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def to_json(value):
    return json.dumps(value, ensure_ascii=False, default=str).translate(JSON_ESCAPES)


def json_response(qs, columns, filename, ordering):
    """The rows as JSON objects; their keys are the English headers in every language, for programs."""
    with override("en"):
        headers = [str(column.header) for column in columns]

    def chunks():
        yield '{"columns": ' + to_json(headers) + ', "rows": ['
        for i, values in enumerate(rows(qs, columns, ordering)):
            record = dict(zip(headers, ("" if v is None else v for v in values), strict=True))
            yield ("," if i else "") + "\n" + to_json(record)
        yield "\n]}\n"

    response = StreamingHttpResponse(
        in_language(get_language(), chunks()), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
