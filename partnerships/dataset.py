"""The whole catalogue as an open dataset: a Frictionless Data Package and a SQLite database.

Both are written from the models, so they hold every table and column the catalogue has: one table
per model (and per many-to-many link), its columns the model's fields (`search_text`, derived, left
out), typed, described by the fields' help texts, with primary and foreign keys. The editors' change
history is not published.

`export_dataset` writes them into settings.DOWNLOADS_DIR, each file first under a temporary name and
then moved into place, so /downloads/ never serves a half-written file; `state.json` beside them
records when and from which state of the catalogue they were made (see `catalogue_state`).
"""

import csv
import datetime
import decimal
import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Max
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy

from .i18n.formats import babel_locale, language_code, local_digits
from .models import DeskDraft, Record, Revision, visible_rows
from .publishing import hiding_drafts

NAME = "partnerships-catalogue"
ZIP_NAME = f"{NAME}.zip"
SQLITE_NAME = f"{NAME}.sqlite"
DESCRIPTOR = "datapackage.json"
STATE = "state.json"
# Derived for search; and every published row's draft flag is false.
SKIPPED_FIELDS = {"search_text", "draft"}
CHUNK_SIZE = 5000

LICENSES = [
    {
        "name": "CC-BY-SA-4.0",
        "title": "Creative Commons Attribution-ShareAlike 4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    }
]
# Their titles translate on /downloads/; the data package gives them in English.
SOURCES = [
    {
        "title": gettext_lazy(
            "Wikipedia contributors, “List of twin towns and sister cities” (CC BY-SA 4.0), as compiled "
            "and geocoded in the repository Hekman/twincities (MIT)"
        ),
        "path": "https://github.com/Hekman/twincities",
    },
    {"title": gettext_lazy("GeoNames, cities with a population over 15,000 (CC BY 4.0)"),
     "path": "https://www.geonames.org/"},
    {"title": gettext_lazy("Wikidata, “twinned administrative body” statements (CC0 1.0)"),
     "path": "https://www.wikidata.org/"},
    {"title": gettext_lazy(
        "News articles quoted in the source and citation tables, each with its address and publisher")},
]
DESCRIPTION = """Partnerships between cities and regions (twin towns, sister cities, friendship agreements)
and the visits, delegations and meetings that make them, each fact citing its source.

Licence: CC BY-SA 4.0, because the twin-town pairs come from Wikipedia. Attribution: Wikipedia
contributors (CC BY-SA 4.0), via Hekman/twincities (MIT); GeoNames (CC BY 4.0, geonames.org); Wikidata
(CC0). Passages of news articles are quoted, with their source, as quotations; their copyright stays
with their publishers.

Uncertain dates are intervals: date_earliest and date_latest (the first and last day the date can
mean), date_precision (day, days, month, half, year), date_text as shown and date_original as the
source writes it, in its calendar (date_calendar)."""


# ---------------------------------------------------------------------------
# The tables, read from the models


def catalogue_models():
    """The published models: every model of the catalogue but the editors' own (their history, their
    unfinished desk drafts), in declaration order."""
    return [m for m in apps.get_app_config("partnerships").get_models() if m not in (Revision, DeskDraft)]


def table_name(model):
    return model._meta.db_table.removeprefix("partnerships_")


def tables():
    """(table name, model) of each published table: the models, then their many-to-many links."""
    found = [(table_name(m), m) for m in catalogue_models()]
    for model in catalogue_models():
        for f in model._meta.local_many_to_many:
            found.append((table_name(f.remote_field.through), f.remote_field.through))
    return found


def columns(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def field_type(field):
    if isinstance(field, models.ForeignKey):
        return field_type(field.target_field)
    if isinstance(field, (models.AutoField, models.IntegerField)):
        return "integer"
    if isinstance(field, (models.FloatField, models.DecimalField)):
        return "number"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    return "string"


def field_description(field):
    text = str(field.help_text or field.verbose_name).strip()
    if isinstance(field, models.ForeignKey):
        text += f" (the id of a row of `{table_name(field.related_model)}`)"
    if field.choices:
        text += " One of: " + "; ".join(f"{value} ({label})" for value, label in field.choices if value) + "."
    return text[0].upper() + text[1:]


def table_schema(model):
    """The Table Schema of a model: fields, primary key, foreign keys."""
    fields, foreign_keys = [], []
    for f in columns(model):
        entry = {"name": f.column, "type": field_type(f), "description": field_description(f)}
        constraints = {}
        # An empty CSV cell reads as missing: only non-text values can be required.
        if not f.null and entry["type"] != "string":
            constraints["required"] = True
        if f.unique and not f.primary_key:
            constraints["unique"] = True
        if f.choices and not isinstance(f, models.ForeignKey):
            constraints["enum"] = [str(value) for value, _ in f.choices if value]
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
        if isinstance(f, models.ForeignKey):
            target = f.related_model
            foreign_keys.append(
                {
                    "fields": f.column,
                    "reference": {
                        "resource": "" if target is model else table_name(target),
                        "fields": target._meta.pk.column,
                    },
                }
            )
    schema = {"fields": fields, "primaryKey": model._meta.pk.column}
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def rows(model):
    """Each row's values as Python values, in primary-key order, read in chunks."""
    names = [f.attname for f in columns(model)]
    return visible_rows(model).order_by("pk").values_list(*names).iterator(chunk_size=CHUNK_SIZE)


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if value is not None and not isinstance(value, (int, float, str, bool)):
        return str(value)
    return value


# ---------------------------------------------------------------------------
# Writing


def descriptor(created, base_url=""):
    """The data package's descriptor, in English whatever language is active."""
    with translation.override("en"):
        return english_descriptor(created, base_url)


def english_descriptor(created, base_url=""):
    resources = []
    for name, model in tables():
        doc = (model.__doc__ or "").strip()
        resource = {
            "name": name,
            "path": f"data/{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": str(model._meta.verbose_name_plural).capitalize(),
            "schema": table_schema(model),
        }
        if doc and not model._meta.auto_created:
            resource["description"] = " ".join(doc.split("\n\n")[0].split())
        resources.append(resource)
    package = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "Partnerships catalogue",
        "description": DESCRIPTION,
        "version": created.strftime("%Y.%m.%d.%H%M%S"),
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": LICENSES,
        "sources": [{**source, "title": str(source["title"])} for source in SOURCES],
        "resources": resources,
    }
    if base_url:
        package["homepage"] = base_url
    return package


def write_package(directory, created, base_url=""):
    """The data package's files in `directory`: datapackage.json and data/<table>.csv."""
    (directory / "data").mkdir(parents=True)
    package = descriptor(created, base_url)
    for name, model in tables():
        with open(directory / "data" / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([c.column for c in columns(model)])
            for row in rows(model):
                writer.writerow([csv_value(v) for v in row])
    (directory / DESCRIPTOR).write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return package


SQLITE_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def write_sqlite(path, package):
    """One SQLite file with the same tables, keys and descriptions (as table comments in `_tables`)."""
    by_name = {r["name"]: r for r in package["resources"]}
    db = sqlite3.connect(path)
    try:
        for name, model in tables():
            schema = by_name[name]["schema"]
            lines = []
            for f in schema["fields"]:
                line = f'"{f["name"]}" {SQLITE_TYPES.get(f["type"], "TEXT")}'
                if f["name"] == schema["primaryKey"]:
                    line += " PRIMARY KEY"
                lines.append(line)
            for fk in schema.get("foreignKeys", []):
                target = fk["reference"]["resource"] or name
                lines.append(f'FOREIGN KEY ("{fk["fields"]}") REFERENCES "{target}" ("{fk["reference"]["fields"]}")')
            db.execute(f'CREATE TABLE "{name}" ({", ".join(lines)})')
            for fk in schema.get("foreignKeys", []):
                db.execute(f'CREATE INDEX "{name}_{fk["fields"]}" ON "{name}" ("{fk["fields"]}")')
            marks = ", ".join("?" * len(schema["fields"]))
            batch = []
            for row in rows(model):
                batch.append([sqlite_value(v) for v in row])
                if len(batch) >= CHUNK_SIZE:
                    db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', batch)
                    batch = []
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', batch)
        db.execute('CREATE TABLE "_tables" ("name" TEXT PRIMARY KEY, "title" TEXT, "description" TEXT)')
        db.executemany(
            'INSERT INTO "_tables" VALUES (?, ?, ?)',
            [(r["name"], r["title"], r.get("description", "")) for r in package["resources"]],
        )
        db.execute('CREATE TABLE "_about" ("key" TEXT PRIMARY KEY, "value" TEXT)')
        about = {k: package[k] for k in ("title", "description", "version", "created")}
        about["licence"] = "; ".join(f"{x['title']} ({x['path']})" for x in package["licenses"])
        about["sources"] = "; ".join(s["title"] for s in package["sources"])
        db.executemany('INSERT INTO "_about" VALUES (?, ?)', list(about.items()))
        db.commit()
    finally:
        db.close()


@hiding_drafts()
def catalogue_state():
    """What the published files depend on: the latest change to any published record and the latest editor's
    revision (deletions leave only a revision). Equal states mean equal files."""
    latest = [m.objects.aggregate(t=Max("updated_at"))["t"] for m in catalogue_models() if issubclass(m, Record)]
    latest = max((t for t in latest if t), default=None)
    revision = Revision.objects.aggregate(t=Max("time"))["t"]
    return {
        "latest_change": latest.isoformat() if latest else None,
        "latest_revision": revision.isoformat() if revision else None,
    }


def read_state(directory):
    try:
        return json.loads((Path(directory) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@hiding_drafts()
def export(directory, base_url=""):
    """Write the data package (a directory and a zip of it), the SQLite file and state.json into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.now().replace(microsecond=0)
    state = catalogue_state()
    work = directory / f".export-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        package_dir = work / "datapackage"
        package = write_package(package_dir, created, base_url)
        with zipfile.ZipFile(work / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(package_dir.rglob("*")):
                if path.is_file():
                    zf.write(path, Path(NAME) / path.relative_to(package_dir))
        write_sqlite(work / SQLITE_NAME, package)
        counts = {}
        for name, model in tables():
            counts[name] = visible_rows(model).count()
        sizes = {name: (work / name).stat().st_size for name in (ZIP_NAME, SQLITE_NAME)}
        (work / STATE).write_text(
            json.dumps({"created": package["created"], "catalogue": state, "rows": counts, "sizes": sizes}, indent=2),
            encoding="utf-8",
        )
        old = directory / f".old-{os.getpid()}"
        if (directory / "datapackage").exists():
            os.replace(directory / "datapackage", old)
        os.replace(package_dir, directory / "datapackage")
        shutil.rmtree(old, ignore_errors=True)
        for name in (ZIP_NAME, SQLITE_NAME, STATE):  # state.json last: it vouches for the others
            os.replace(work / name, directory / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return read_state(directory)


# ---------------------------------------------------------------------------
# The download page and the files it offers

# Paths under DOWNLOADS_DIR that may be served, and as what.
SERVED = {
    ZIP_NAME: "application/zip",
    SQLITE_NAME: "application/vnd.sqlite3",
    f"datapackage/{DESCRIPTOR}": "application/json",
}
CSV_PATH = re.compile(r"^datapackage/data/[a-z0-9_]+\.csv$")


def downloads(request):
    """/downloads/: the files, how fresh they are, and what their licence asks."""
    directory = Path(settings.DOWNLOADS_DIR)
    made = read_state(directory)
    context = {"made": made, "zip_name": ZIP_NAME, "sqlite_name": SQLITE_NAME, "licenses": LICENSES,
               "sources": SOURCES}
    if made:
        context["created"] = datetime.datetime.fromisoformat(made["created"].replace("Z", "+00:00"))
        context["created_text"] = made_at(context["created"])
        context["stale"] = made.get("catalogue") != catalogue_state()
        context["tables"] = sorted(made["rows"].items())
        context["total"] = sum(made["rows"].values())
        context["zip_size"], context["sqlite_size"] = made["sizes"][ZIP_NAME], made["sizes"][SQLITE_NAME]
    return render(request, "downloads.html", context)


def made_at(moment):
    """When the files were made (UTC), as the reader's language writes a day and a time."""
    language = language_code()
    if language == "en":
        return date_format(moment, "j F Y, H:i")
    locale = Locale.parse(babel_locale(language))
    pattern = str(locale.datetime_formats["long"])  # how the language joins a day and a time: "{1}, {0}"
    text = pattern.replace("{1}", format_date(moment, "long", locale=locale)).replace(
        "{0}", format_time(moment, "HH:mm", locale=locale))
    return local_digits(text, language)


def download(request, name):
    """One of the generated files, read from DOWNLOADS_DIR; nothing else there is served."""
    content_type = SERVED.get(name) or ("text/csv; charset=utf-8" if CSV_PATH.match(name) else None)
    path = Path(settings.DOWNLOADS_DIR) / name
    if content_type is None or not path.is_file():
        raise Http404("No such download.")
    response = FileResponse(path.open("rb"), content_type=content_type,
                            as_attachment=name in (ZIP_NAME, SQLITE_NAME), filename=path.name)
    response["Access-Control-Allow-Origin"] = "*"
    return response
