"""CSV and JSON renderers for any list: all matching rows, streamed.

On PostgreSQL a CSV export is one statement, `COPY (SELECT ...) TO STDOUT`
(`copied_rows`), and SQL makes every cell (`select_statement`): Python only
passes COPY's bytes on, a row's "\n" made "\r\n", so memory stays flat.
The SELECT is compiled from querysets, never written against tables: the
rows from the list's own queryset (its filters, its order), each
many-valued column from the related model's default manager, so whatever
those leave out (drafts, say) the export leaves out too. Its bytes are the
Python renderer's, byte for byte (tests/test_exports.py compares them for
every list):

- text is written as `cell` writes it (`Cell`: a formula gets its
  apostrophe, in SQL), whole numbers as they are, a choice's label from a
  JSON object of labels (`Column.labels`), English dates by their own SQL
  (`Column.sql`);
- any other formatter (dates in other languages, Babel's; a float's repr)
  makes its cells in Python once per distinct tuple of values, which SQL
  then looks up in a JSON object (`Looked`): a few thousand dates, not a
  call per row;
- a many-valued column (`Joined`) is an ordered string_agg in one GROUP
  BY over the related rows of the rows exported, joined to them by id.

Why so, measured at 100,000 meetings (`make bench`): made in Python
(below), a row costs five times what it costs in the whole COPY; for the
many-valued columns, a correlated subquery per row costs PostgreSQL three
times what a GROUP BY joined by hash does, even with the rows sorted again
after it; parallel workers would each build those GROUP BYs whole, so they
are turned off for the COPY; and the export takes about 1.25x the time of a
COPY of the same rows and columns as plain values. Values looked up before
the COPY are read in the same REPEATABLE READ transaction as it, so that
both see the same rows.

Elsewhere, the Python renderer (SQLite, the JSON export, the API, and a
list whose columns SQL cannot make): when every column says what it reads
(`Column.source`), an export reads plain values, no model objects: one
query for the rows, and one for each many-to-many column (`Joined`), which
lists (row id, value) in the rows' own order, so that the two streams merge
as they are read. All are read through server-side cursors on PostgreSQL,
in chunks, and written a chunk of rows at a time: a fixed number of
queries and flat memory however many rows. Otherwise rows are model
objects, with the queryset's prefetches done chunk by chunk.

The renderers take the rows' `ordering` (what the list ordered them by)
along with the rows, since the many-valued streams must follow it.
"""

import csv
import io
import json
import re
import sys
from functools import lru_cache
from itertools import islice
from operator import itemgetter

from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, transaction
from django.db.models import (
    Aggregate,
    CharField,
    F,
    Func,
    IntegerField,
    OrderBy,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import StreamingHttpResponse
from django.utils.translation import get_language, override
from psycopg import ClientCursor

from .models.base import seen_value, visible_rows

CHUNK_SIZE = 5000
ROWS_PER_CHUNK = 1000  # rows in each chunk of a streamed CSV
LOOKUP_LIMIT = 250_000  # distinct values of a column that SQL looks its cells up for (see `looked_up`)
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
    value, seen = joined.path, seen_value(qs.model, joined.path)
    if seen is not None:  # a draft's value reads as none for a reader
        rows, value = rows.annotate(seen=seen), "seen"
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
    """A `Joined` column as a correlated subquery joining its values with "; " (order as SQLite scans)."""
    first, _, rest = joined.path.partition(LOOKUP_SEP)
    f = model._meta.get_field(first)
    if f.many_to_many:
        through, own, other = f.remote_field.through, f.m2m_field_name(), f.m2m_reverse_field_name()
        rows, value, where = visible_rows(through), f"{other}__{rest}", {f"{other}__{k}": v for k, v in joined.where}
    else:  # a reverse foreign key
        own = f.field.name
        rows, value, where = f.related_model._default_manager, rest, dict(joined.where)
    joined_values = GroupConcat(F(value), Value("; "))
    rows = rows.filter(**{own: OuterRef("pk")}, **where).order_by().values(own)
    return Subquery(rows.annotate(joined=joined_values).values("joined"))


def single_select(qs, columns):
    """The export as one SELECT of the same columns, many-valued ones as correlated subqueries.

    Not used to export; it is what `make bench` reads with sqlite3 as the
    floor to compare SQLite's export with (on PostgreSQL, the floor is
    `select_statement`'s plain values).
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


# ---------------------------------------------------------------------------
# PostgreSQL: the whole CSV as one COPY


def written(value):
    """A value as the text of its CSV cell, as `csv_cells` and csv.writer make it; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        text = csv_cells([value])[0] if value.__class__ is str else str.__str__(value)
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    return text or None


@lru_cache(maxsize=1)
def number_pattern():
    """`NUMBER` as a PostgreSQL regular expression, its \\d spelled out as the Unicode digits that Python's matches."""
    runs = []
    for code in range(sys.maxunicode + 1):
        if chr(code).isdecimal():  # what \d matches in a str pattern
            if runs and runs[-1][1] == code - 1:
                runs[-1][1] = code
            else:
                runs.append([code, code])
    digit = "[" + "".join(chr(a) + (f"-{chr(b)}" if b > a else "") for a, b in runs) + "]"
    return f"^-?{digit}+(\\.{digit}+)?$"


class Sql(Func):
    """An expression written as SQL, its parts named: Sql("{a} || {b}", a=F("x"), b=F("y")); a part may recur."""

    output_field = TextField()

    def __init__(self, sql, **parts):
        self.sql, self.names = sql, list(parts)
        super().__init__(*parts.values())

    def as_sql(self, compiler, connection, **extra):
        parts = zip(self.names, self.source_expressions, strict=True)
        compiled = {name: compiler.compile(part) for name, part in parts}
        params = []

        def part(match):
            sql, part_params = compiled[match[1]]
            params.extend(part_params)
            return sql

        return "(" + re.sub(r"\{(\w+)\}", part, self.sql) + ")", params


def Cell(text):  # noqa: N802 -- an expression, named as one
    """Text as its CSV cell (see `cell`), in SQL; NULL when there is none or it is empty.

    NULL rather than "": COPY writes an empty string as "", csv.writer as nothing.
    """
    starts = ", ".join(str(ord(c)) for c in sorted(FORMULA_CHARS))
    formula = f"ascii({{x}}) IN ({starts}) AND {{x}} !~ '{number_pattern()}'"
    return Sql(f"CASE WHEN {formula} THEN '''' || {{x}} ELSE NULLIF({{x}}, '') END", x=text)


def cells_json(cells):
    return Value(json.dumps(cells, ensure_ascii=False))


def Labelled(value, cells):  # noqa: N802
    """A text value's label (`Column.labels`) as its cell, from a JSON object of cells; else the value's own cell."""
    label = "NULLIF(COALESCE(({cells})::jsonb ->> {x}, {own}), '')"
    return Sql(f"CASE WHEN {{x}} <> '' THEN {label} END", x=value, cells=cells_json(cells), own=Cell(value))


def lookup_key(values):
    """Values as one text, a different one for each different tuple of values (NULL for a lone NULL): what
    `Looked` looks a cell up by."""
    if len(values) == 1:
        return Sql("{v}::text", v=values[0])
    names = {f"v{i}": value for i, value in enumerate(values)}
    return Sql("ROW(" + ", ".join("{" + name + "}" for name in names) + ")::text", **names)


def Looked(values, cells):  # noqa: N802
    """A cell made in Python, looked up by its values' `lookup_key` in a JSON object of cells ({key: cell})."""
    found = {key: cell for key, cell in cells.items() if key is not None}
    return Sql(
        "CASE WHEN {key} IS NULL THEN {none} ELSE ({cells})::jsonb ->> {key} END",
        key=lookup_key(values), none=Value(cells.get(None)), cells=cells_json(found),
    )


def value_kind(qs, name):
    """How a value reads in SQL as csv.writer would write it: "text", "int", or None (only Python knows)."""
    expression = qs.query.clone().resolve_ref(name, allow_joins=True)
    field = expression.output_field
    connection = connections[qs.db]
    # (An expression's own converter, int() for a count, changes nothing that these kinds write.)
    if field.get_db_converters(connection) or connection.ops.get_db_converters(expression):
        return None  # the value Python gets is not the value SQL sees
    if isinstance(field, (CharField, TextField)):
        return "text"
    if isinstance(field, IntegerField):
        return "int"
    return None


def order_terms(model, names, prefix="", reverse=False):
    """Meta.ordering-style names as [(path, descending)], a relation read as its model's own ordering, the way
    Django's compiler reads order_by("person"); None for what it cannot read (an expression, a random order)."""
    terms = []
    for name in names:
        if not isinstance(name, str) or name == "?":
            return None
        path, descending = name.lstrip("-"), name.startswith("-") != reverse
        current, field = model, None
        for part in path.split(LOOKUP_SEP):
            if current is None:
                return None
            try:
                field = current._meta.pk if part == "pk" else current._meta.get_field(part)
            except FieldDoesNotExist:  # an annotation, say
                return None
            current = field.related_model
        by_column = path.rsplit(LOOKUP_SEP, 1)[-1] == getattr(field, "attname", None)  # "person_id"
        if field.is_relation and current._meta.ordering and not by_column:
            expanded = order_terms(current, current._meta.ordering, f"{prefix}{path}{LOOKUP_SEP}", descending)
            if expanded is None:
                return None
            terms += expanded
        else:
            terms.append((prefix + path, descending))
    return terms


def order_items(model, ordering):
    """The terms of an order_by() list as [(expression, "ASC"/"DESC" with its NULLS clause)], or None."""
    items = []
    for item in ordering:
        if isinstance(item, str):
            terms = order_terms(model, [item])
            if terms is None:
                return None
            items += [(F(path), "DESC" if descending else "ASC") for path, descending in terms]
        elif isinstance(item, OrderBy):
            nulls = " NULLS FIRST" if item.nulls_first else " NULLS LAST" if item.nulls_last else ""
            items.append((item.expression, ("DESC" if item.descending else "ASC") + nulls))
        else:
            return None
    return items


def joined_rows(qs, joined, cells=True):
    """A `Joined` column's cell for each row that has values: (row id, cell), or None if SQL cannot make it.

    One GROUP BY over the related rows of the rows exported, read through
    their model's default manager; the values in their own order (as
    `joined_stream` gives them), empty ones left out, joined with "; ".
    The order is the aggregate's own ORDER BY, the only one PostgreSQL
    promises to keep (a sorted subquery below a plain string_agg was ~10%
    faster on PostgreSQL 15, but "usually works" is all its manual says).
    """
    first, _, rest = joined.path.partition(LOOKUP_SEP)
    f = qs.model._meta.get_field(first)
    if not (f.many_to_many or f.one_to_many) or not rest:
        return None
    related = f.related_model._default_manager.using(qs.db).order_by()
    # The relation back to the rows, seen from the related model: its foreign key's column, or the many-to-many.
    back = f.field.attname if f.one_to_many else f.field.name if f.auto_created else f.related_query_name()
    kind = value_kind(related, rest)
    if kind is None:
        return None
    value = NullIf(F(rest), Value("")) if kind == "text" else Cast(F(rest), TextField())
    own = None if f.many_to_many else f.field.name  # as `joined_stream` leaves it out
    terms = order_terms(related.model, [o for o in related.model._meta.ordering if o != own and o != f"-{own}"])
    if terms is None:
        return None
    order = [F(path).desc() if descending else F(path).asc() for path, descending in terms] + [F("pk").asc()]
    values = StringAgg(value, "; ", order_by=order)
    rows = related.filter(**{f"{back}__in": qs.order_by().values("pk")}, **joined.conditions)
    return rows.values(_key=F(back)).annotate(_cell=Cell(values) if cells else values).values_list("_key", "_cell")


def lookup_domain(qs, sources):
    """Rows holding every value of `sources` that the rows `qs` can reach: these rows; for one value across
    foreign keys ("place__country"), all rows of its model, as joins reach them (fewer, and no join)."""
    *path, name = sources[0].split(LOOKUP_SEP)
    if len(sources) > 1 or not path:
        return qs, sources
    model = qs.model
    for part in path:
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return qs, sources
        if not (f.many_to_one or f.one_to_one and not f.auto_created):
            return qs, sources
        model = f.related_model
    return model._base_manager.using(qs.db), [name]


def looked_up(qs, sources, fmts):
    """For each `fmt`, the cells it makes ({`lookup_key` of the values: cell}), from the distinct values of
    `sources` (see `lookup_domain`); None if there are more than LOOKUP_LIMIT of them."""
    rows, names = lookup_domain(qs, sources)
    key = lookup_key([F(name) for name in names])
    found = rows.order_by().annotate(_key=key).values_list("_key", *names).distinct()[: LOOKUP_LIMIT + 1]
    cells = [{} for _ in fmts]
    for n, (text, *values) in enumerate(found.iterator(chunk_size=CHUNK_SIZE)):
        if n == LOOKUP_LIMIT:
            return None
        for made, fmt in zip(cells, fmts, strict=True):
            made[text] = written(fmt(*values))
    return cells


def cell_expression(qs, column):
    """A column's cell made in SQL, or None when only Python makes it (see `select_statement`)."""
    sources = column.source
    made = column.sql(*[F(name) for name in sources]) if column.sql else None
    if made is not None:
        return made
    kind = value_kind(qs, sources[0]) if len(sources) == 1 else None
    if kind == "text" and isinstance(column.labels, dict):  # (a Mapping may know more keys than it lists)
        labels = {str.__str__(k): written(str(v)) or "" for k, v in column.labels.items() if isinstance(k, str)}
        return Labelled(F(sources[0]), labels)
    if kind == "text" and column.fmt in (None, str):
        return Cell(F(sources[0]) if column.fmt is None else Coalesce(F(sources[0]), Value("None")))
    if kind == "int" and column.fmt is None:
        return Cast(F(sources[0]), TextField())
    return None


def select_statement(qs, columns, ordering, cells=True):
    """The export as one SELECT of its cells, each cell's text made in SQL: (sql, params), or None.

    A column's cell is made by its own SQL (`Column.sql`: dates in
    English); from text (see `Cell`) or a whole number as it is; from
    text through its choices' labels (`Column.labels`) in a JSON object;
    and otherwise (another `fmt`, a value only Python writes, such as a
    float's repr) by Python for each distinct tuple of its values, looked
    up by them in a JSON object (`looked_up`: a query per tuple of
    sources). A `Joined` column is a GROUP BY (`joined_rows`) joined to
    the rows by id. The rows come from the list's queryset, in the list's
    order. With `cells` false, the plain values instead (the floor that
    `make bench` copies): no labels, no cells, nothing looked up.

    None when a column cannot be made so; the Python renderer then makes them all.
    """
    order = order_items(qs.model, ordering)
    if order is None or not all(column.source for column in columns):
        return None
    qs = qs.prefetch_related(None).order_by()
    made = {"_pk": F("pk"), **{f"_o{i}": expression for i, (expression, _) in enumerate(order)}}
    picks, joins, lookups = [], [], {}
    for i, column in enumerate(columns):
        sources = column.source
        if any(not isinstance(source, str) for source in sources):
            rows = joined_rows(qs, sources[0], cells) if len(sources) == 1 and column.fmt is None else None
            if rows is None:
                return None
            joins.append(rows)
            picks.append(f"j{len(joins) - 1}._cell")
        elif not cells:
            made.update({f"_c{i}_{k}": F(source) for k, source in enumerate(sources)})
            picks += [f"r._c{i}_{k}" for k in range(len(sources))]
        else:
            picks.append(f"r._c{i}")
            if (expression := cell_expression(qs, column)) is not None:
                made[f"_c{i}"] = expression
            else:
                lookups.setdefault(tuple(sources), []).append((i, column.fmt or (lambda value: value)))
    for sources, wanted in lookups.items():
        found = looked_up(qs, list(sources), [fmt for _, fmt in wanted])
        if found is None:
            return None
        values = [F(name) for name in sources]
        made.update({f"_c{i}": Looked(values, cells_of) for (i, _), cells_of in zip(wanted, found, strict=True)})
    rows_sql, params = qs.annotate(**made).values_list(*made).query.sql_with_params()
    sql = f"SELECT {', '.join(picks)} FROM ({rows_sql}) r"
    for k, rows in enumerate(joins):
        joined_sql, joined_params = rows.query.sql_with_params()
        sql += f" LEFT JOIN ({joined_sql}) j{k} ON j{k}._key = r._pk"
        params = (*params, *joined_params)
    sql += " ORDER BY " + ", ".join(f"r._o{i} {direction}" for i, (_, direction) in enumerate(order))
    return sql, params


def crlf(rows):
    """COPY's rows (one message each, ending "\\n") ending "\\r\\n" as csv.writer's do."""
    data = b"".join(rows)
    if data.count(b"\n") == len(rows):  # no value holds a line break: each "\n" ends a row
        return data.replace(b"\n", b"\r\n")
    return b"".join([bytes(row[:-1]) + b"\r\n" for row in rows])


def copied_rows(qs, columns, ordering):
    """The CSV rows as bytes, from PostgreSQL's COPY of `select_statement` (the Python renderer's if there is none).

    The values looked up before the COPY must be those it reads: all is
    read in one REPEATABLE READ transaction (unless one is open already).
    """
    connection = connections[qs.db]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=qs.db, savepoint=False):
        with connection.cursor() as cursor:
            # Parallel workers would each build the many-to-many columns' GROUP BYs whole, for nothing.
            settings = "SET LOCAL max_parallel_workers_per_gather = 0"
            cursor.execute(f"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; {settings}" if outermost else settings)
        statement = select_statement(qs, columns, ordering)
        if statement is None:
            yield from python_rows(qs, columns, ordering)
            return
        sql, params = statement
        # COPY takes no parameters: they are written into the statement (Django's cursor logs it then).
        with ClientCursor(connection.connection) as binding:
            sql = binding.mogrify(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER false)", params)
        with connection.cursor() as cursor, connection.wrap_database_errors:
            with cursor.copy(sql) as copy:
                batch = []
                for row in copy:  # a message a row (PostgreSQL's protocol says so), so "\n" ends it
                    batch.append(row)
                    if len(batch) == ROWS_PER_CHUNK:
                        yield crlf(batch)
                        batch = []
                if batch:
                    yield crlf(batch)


def python_rows(qs, columns, ordering):
    """The CSV rows made in Python, a chunk of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    values = rows(qs, columns, ordering)
    while batch := list(islice(values, ROWS_PER_CHUNK)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([csv_cells(v) for v in batch])
        yield buffer.getvalue()


def in_language(language, chunks):
    """The chunks of a streamed response made in `language`: they are made after the view has returned."""
    with override(language):
        yield from chunks


def csv_response(qs, columns, filename, ordering):
    """The rows as CSV, headers and labels in the active language."""
    headers = [str(column.header) for column in columns]

    def lines():
        buffer = io.StringIO()
        csv.writer(buffer).writerow(headers)
        yield "\ufeff" + buffer.getvalue()  # byte-order mark: Excel then reads the file as UTF-8
        if connections[qs.db].vendor == "postgresql":
            yield from copied_rows(qs, columns, ordering)
        else:
            yield from python_rows(qs, columns, ordering)

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
