"""CSV and JSON renderers for any list: all matching rows, streamed."""

import csv
import json
import re

from django.http import StreamingHttpResponse

CHUNK_SIZE = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def rows(qs, columns):
    for row in qs.iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(row) for column in columns]


def csv_response(qs, columns, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # byte-order mark: Excel then reads the file as UTF-8
        yield writer.writerow([column.header for column in columns])
        for values in rows(qs, columns):
            yield writer.writerow([cell(v) for v in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(qs, columns, filename):
    headers = [column.header for column in columns]

    def chunks():
        yield '{"columns": ' + json.dumps(headers, ensure_ascii=False) + ', "rows": ['
        for i, values in enumerate(rows(qs, columns)):
            record = dict(zip(headers, ("" if v is None else v for v in values), strict=True))
            yield ("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False, default=str)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
