"""What the importers of real data share: the command's skeleton, reading files, countries, names, distances,
slugs, bulk writes.

The importers (``import_twin_towns``, ``import_geonames``, ``import_wikidata``)
are ImportCommands: they read a whole file first, decide everything in memory
against the catalogue preloaded into dicts, and then write in bulk inside one
transaction: a file that cannot be read changes nothing, and a file read twice
changes nothing the second time.
"""

import difflib
import gettext
import gzip
import math
import re
import time
import unicodedata
import zlib
from pathlib import Path

import django_countries
from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import translation
from django_countries import countries

from .models import PlaceLevel, Source, SourceKind, now_to_the_millisecond, slug_base, unique_slug
from .text import fold

BATCH_SIZE = 1000

# ---------------------------------------------------------------------------
# Files


GZIP_MAGIC = b"\x1f\x8b"


def read_lines(path, what):
    """The lines of a UTF-8 text file (no line endings, BOM dropped), or a CommandError saying why not.

    A gzip-compressed file (named ``*.gz``, or starting with gzip's magic
    bytes) is decompressed first, so the bundled ``data/*.gz`` are read as
    they are; one that is not valid gzip is refused whole.
    """
    path = Path(path)
    if not path.exists():
        raise CommandError(f"{path}: no such file. Nothing imported.")
    if not path.is_file():
        raise CommandError(f"{path}: not a file. Nothing imported.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from error
    if path.suffix == ".gz" or data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            # EOFError: a truncated download; zlib.error: a damaged stream.
            raise CommandError(
                f"{path}: not a valid gzip file ({error or 'compressed data ends too early'}); "
                f"expected {what}, gzip-compressed. Nothing imported."
            ) from error
    if not data.strip():
        raise CommandError(f"{path}: the file is empty; expected {what}.")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise CommandError(f"{path}: line {line} holds a NUL byte: a binary file, not {what}. Nothing imported.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CommandError(
            f"{path}: line {line} is not valid UTF-8 (byte 0x{data[error.start]:02x}); "
            f"expected {what} in UTF-8. Nothing imported."
        ) from error
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


# ---------------------------------------------------------------------------
# Countries

# English names the twin-town lists use that neither ISO 3166 nor
# django-countries knows (folded, as they are looked up). The nations of the United Kingdom are GB;
# Northern Cyprus is CY and the West Bank PS, as ISO 3166 (and GeoNames)
# have them; Kosovo is XK, the user-assigned code that GeoNames and the EU
# use (declared in settings.COUNTRIES_OVERRIDE).
COUNTRY_ALIASES = {
    "united states": "US",
    "usa": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "kosovo": "XK",
    "northern cyprus": "CY",
    "turkish republic of northern cyprus": "CY",
    "west bank": "PS",
    "gaza strip": "PS",
    "cape verde": "CV",
    "east timor": "TL",
    "ivory coast": "CI",
    "republic of ireland": "IE",
    "federated states of micronesia": "FM",
    "falkland islands": "FK",
    "vatican city": "VA",
    "burma": "MM",
    "republic of macedonia": "MK",
    "the bahamas": "BS",
    "the gambia": "GM",
    "the netherlands": "NL",
    # Wikidata's labels of countries (its query service exports them as written).
    "people s republic of china": "CN",
    "republic of china": "TW",
    "kingdom of the netherlands": "NL",
    "kingdom of denmark": "DK",
    "state of palestine": "PS",
    "republic of the congo": "CG",
}

# Territories with a code of their own, in the country that governs them:
# "Guadeloupe, France" is GP (as GeoNames has its towns), while in
# "Georgia, United States" the first part is a state and the country is US.
TERRITORIES = {
    "FR": {"GP", "MQ", "RE", "GF", "YT", "PF", "NC", "PM", "WF", "BL", "MF", "TF"},
    "FI": {"AX"},
    "NL": {"AW", "CW", "SX", "BQ"},
    "DK": {"GL", "FO"},
    "NO": {"SJ", "BV"},
    "US": {"PR", "GU", "AS", "VI", "MP", "UM"},
    "GB": {"GI", "BM", "KY", "VG", "MS", "TC", "AI", "FK", "SH", "IM", "JE", "GG", "IO", "PN", "GS"},
    "AU": {"CX", "CC", "NF", "HM"},
    "NZ": {"CK", "NU", "TK"},
    "CN": {"HK", "MO"},
}

_BRACKET = re.compile(r"^(?P<base>.*?)\s*\((?P<qualifier>[^()]*)\)\s*$")
_LEADING_LOWERCASE = re.compile(r"^(?:[a-z]+\s+)+(?=[^a-z\s])")


class CountryResolver:
    """Country values as people write them → ISO 3166-1 codes, with a note of how each was read.

    In order: the English names, common and former names django-countries
    knows, and COUNTRY_ALIASES; a bracketed qualifier dropped ("Georgia
    (country)"); "Region, Country" read as its country, or as the
    territory's own code ("Réunion, France" → RE); the names in the
    other languages django-countries translates ("Island" → IS, "Madagaskar"
    → MG, "Moldavia" → MD); and last a close spelling of one English name
    ("Kazakhstah" → KZ). Each distinct value is resolved once.
    """

    def __init__(self):
        self.cache = {}
        self.names = {code: str(name) for code, name in countries}
        # Folded English names: ISO, common and former names; then the aliases, which earn a note.
        self.plain = {}
        for code, name in self.names.items():
            self.plain.setdefault(fold(name), code)
        for code, names in countries.shadowed_names.items():
            for name in names:
                self.plain.setdefault(fold(str(name)), code)
        self.plain.setdefault("united states", "US")  # what everyone writes for "United States of America"
        self.english = dict(self.plain)
        for key, code in COUNTRY_ALIASES.items():
            if code in self.names:
                self.english.setdefault(key, code)
        self._other_languages = None

    def other_languages(self):
        """Folded country names in every language django-countries translates; names two countries share dropped.

        The catalogues are read directly (django-countries is not an
        installed app, so Django's own translation machinery never loads them).
        """
        if self._other_languages is None:
            from django_countries.data import COUNTRIES

            with translation.override(None):  # the untranslated English names are the message ids
                msgids = [(code, str(name)) for code, name in COUNTRIES.items()]
                msgids += [(code, str(name)) for code, name in countries.COMMON_NAMES.items()]
            found = {}
            for catalogue in (Path(django_countries.__file__).parent / "locale").glob("*/LC_MESSAGES/django.mo"):
                with catalogue.open("rb") as handle:
                    translations = gettext.GNUTranslations(handle)
                for code, msgid in msgids:
                    found.setdefault(fold(translations.gettext(msgid)), set()).add(code)
            self._other_languages = {key: codes.pop() for key, codes in found.items() if len(codes) == 1 and key}
        return self._other_languages

    def resolve(self, value):
        """(code, note): the ISO code or "" when unknown; the note says how an unusual value was read."""
        value = " ".join((value or "").split())
        if value not in self.cache:
            self.cache[value] = self._resolve(value)
        return self.cache[value]

    def _exact(self, value):
        key = fold(value)
        if not key:
            return ""
        if key in self.english:
            return self.english[key]
        return self.other_languages().get(key, "")

    def _resolve(self, value):
        if not value:
            return "", ""
        code = self._exact(value)
        if code:
            return code, "" if fold(value) in self.plain else f"country given as “{value}”"
        cleaned = _LEADING_LOWERCASE.sub("", value)
        match = _BRACKET.match(cleaned)
        if match:
            cleaned = match.group("base")
        if cleaned != value and cleaned:
            code, _ = self._resolve(cleaned)
            if code:
                return code, f"country given as “{value}”"
        if "," in value:
            first, _, last = value.rpartition(",")
            outer, _ = self._resolve(last.strip())
            if outer:
                inner = self._exact(first.strip())
                if inner and inner in TERRITORIES.get(outer, ()):
                    return inner, f"country given as “{value}”"
                return outer, f"country given as “{value}”"
        close = difflib.get_close_matches(fold(value), list(self.english), n=2, cutoff=0.85)
        if close:
            first = self.english[close[0]]
            if len(close) == 1 or self.english[close[1]] == first:
                return first, f"country given as “{value}”, read as {self.names.get(first, first)}"
        return "", ""

    def name(self, code):
        return self.names.get(code, code)


# ---------------------------------------------------------------------------
# Names and levels


def split_qualifier(name):
    """("Nowy Targ", "rural gmina") from "Nowy Targ (rural gmina)"; (name, "") without brackets."""
    match = _BRACKET.match(name)
    if match and match.group("base").strip():
        return match.group("base").strip(), match.group("qualifier").strip()
    return name, ""


def is_qualified_variant(variant, name):
    """True when the variant is the name with a bracketed qualifier: "Nowy Targ (rural gmina)" of "Nowy Targ"."""
    base, qualifier = split_qualifier(variant)
    return bool(qualifier) and fold(base) == fold(name)


def qualified_name(name, qualifier):
    return f"{name} ({qualifier})" if qualifier else name


# Words in a published name that say what kind of place it is. Anything else is a city.
_LEVEL_WORDS = [
    (PlaceLevel.PROVINCE, r"oblast|krai|kray|province|provincia|prefecture|governorate|voivodeship|okrug|"
     r"state|canton|autonomous community"),
    (PlaceLevel.REGION, r"region|county|district|raion|rayon|parish|department|département|shire|borough council"),
    (PlaceLevel.MUNICIPALITY, r"municipality|gmina|commune|communauté|township|borough|kommune|kunta|"
     r"municipio|comune|gemeinde"),
]
_LEVEL_PATTERNS = [(level, re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)) for level, words in _LEVEL_WORDS]


def infer_level(name, qualifier=""):
    """The level a published name suggests: "Sverdlovsk Oblast" a province, "Fairfax County" a region."""
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.search(name) or pattern.search(qualifier):
            return level
    return PlaceLevel.CITY


_WIKI_LINK = re.compile(r"\[\[(?:[^\[\]|]*\|)?([^\[\]|]*)\]\]")
_WIKI_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_HTML = re.compile(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def clean_markup(text):
    """A name as a reader sees it, from wiki markup: "[[Narvik (kommune)|Narvik]]" → "Narvik".

    ``{{!}}`` is the pipe a table cell writes inside a link; a link gives its
    label (or its target when it has none); other templates, references, HTML
    tags and bold/italic quotes are dropped.
    """
    if not any(mark in text for mark in ("[[", "{{", "<", "''")):
        return text
    text = text.replace("{{!}}", "|")
    text = _WIKI_LINK.sub(r"\1", text)
    text = _HTML.sub("", _WIKI_TEMPLATE.sub("", text))
    return " ".join(text.replace("'''", "").replace("''", "").split())


# What a published name says around the place's own name: "Provincia di Gilan", "Narvik Municipality",
# "Gmina Nowy Targ", "Kiruna kommun". Only the words of _LEVEL_WORDS and their kin in the languages of
# the lists; the remainder is the place's core name. "City" and "town" are left alone: they are part of
# names ("Mexico City", "Città di Castello").
_CORE_PREFIX = re.compile(
    r"^(?:(?:province|provincia|provinz|provincie|prefecture|region|r[ée]gion|regione|county|district|"
    r"municipality|municipio|munic[ií]pio|municipalit[ée]|comune|commune|gemeinde|gmina|landkreis|kreis|oblast|"
    r"distrikt|comarca)\s+(?:of|de|di|del|della|du|des|da|do|von|der)?\s*)",
    re.IGNORECASE,
)
_CORE_SUFFIX = re.compile(
    r"\s+(?:municipality|province|oblast|krai|kray|county|district|region|prefecture|governorate|voivodeship|"
    r"kommune|kommun|kunta|gemeinde|municipio|comune|raion|rayon)$",
    re.IGNORECASE,
)


def core_name(name):
    """The name without the words that say what kind of place it is: "Provincia di Gilan" → "Gilan"."""
    core = _CORE_SUFFIX.sub("", _CORE_PREFIX.sub("", name)).strip(" ,")
    return core or name


_POINT = re.compile(r"^\s*point\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$", re.IGNORECASE)


def parse_point(text):
    """(lat, lng) strings of a WKT point as Wikidata writes coordinates, "Point(33.075 68.9706)" (longitude
    first); ("", "") when empty; a ValueError when it is something else."""
    if not (text or "").strip():
        return "", ""
    match = _POINT.match(text)
    if not match:
        raise ValueError(f"coordinates “{text[:60]}” are not a point such as “Point(17.4272 68.4384)”")
    return match.group(2), match.group(1)


# Levels that may be one place under two descriptions: the town and the
# municipality named after it (Narvik), a county and a region.
LEVEL_GROUPS = {
    PlaceLevel.CITY: "local",
    PlaceLevel.MUNICIPALITY: "local",
    PlaceLevel.REGION: "regional",
    PlaceLevel.PROVINCE: "regional",
    PlaceLevel.COUNTRY: "country",
}


def same_level_group(a, b):
    return LEVEL_GROUPS.get(a) == LEVEL_GROUPS.get(b)


# Within this distance two places of one name in one country are one place.
NEAR_KM = {"local": 50.0, "regional": 250.0, "country": 2000.0}


def near_km(level):
    return NEAR_KM[LEVEL_GROUPS.get(level, "local")]


def is_latin(text):
    """True when every letter of the text is a Latin letter (accents allowed)."""
    for char in text:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True


# ---------------------------------------------------------------------------
# Representative points

# Curated places that no dataset locates as themselves (provinces, a country, an
# informal region, a village too small for the gazetteer) are drawn at a stated
# point of a dataset, which the place then cites: a province at its capital, a
# country at its capital, a village at the town of its municipality. Each entry:
# slug -> (dataset, which point, what the point is). "geonames" points are a
# GeoNames row (drawn by import_geonames, citing "geonameid N"); "twin-towns"
# points are where the twin-town list puts the catalogued place of that slug
# (drawn by import_twin_towns, citing that row). A place with coordinates of
# its own is never moved.
REPRESENTATIVE_POINTS = {
    "gilan": ("geonames", 118743, "Rasht, its capital"),
    "astrakhan-oblast": ("geonames", 580497, "Astrakhan, its administrative centre"),
    "kazakhstan": ("geonames", 1526273, "Astana, its capital"),
    # GeoNames writes "Bandar-e Anzalī": a place without coordinates is never matched by an alternate name alone.
    "bandar-anzali": ("geonames", 141679, "Bandar-e Anzali, the town itself"),
    "narvik-region": ("twin-towns", "narvik", "Narvik, the town it is named after"),
    "beisfjord": ("twin-towns", "narvik", "Narvik, the town of its municipality"),
}

# The first words of the notes line that says where a place is drawn; one such line per place.
DRAWN_AT = "Drawn at "
# What a place met by the twin-town list, and placed where the list puts it, says in that line: a
# gazetteer row of the place itself is better, and import_geonames moves such a place to it.
LIST_POINT = "the twin-town list's point for it"


def drawn_at(notes):
    """The place's "Drawn at ..." line, or ""."""
    return next((line for line in notes.splitlines() if line.startswith(DRAWN_AT)), "")


def with_drawn_at(notes, point):
    """The notes with their "Drawn at ..." line saying `point` (or with none when point is empty)."""
    lines = [line for line in notes.splitlines() if not line.startswith(DRAWN_AT)]
    if point:
        lines.append(f"{DRAWN_AT}{point}.")
    return "\n".join(lines)


def cite_once(place, source, locator, passage):
    """The Citation of `source` at `locator` (created the first time), attached to the place; True if new."""
    from .models import Citation

    citation = Citation.objects.filter(source=source, locator=locator).first()
    created = citation is None
    if created:
        taken = set(Citation.objects.filter(slug__startswith=source.slug).values_list("slug", flat=True))
        citation = Citation.objects.create(
            source=source,
            slug=unique_slug(slug_base(f"{source.slug}-{locator}"), taken, fallback="citation"),
            passage=passage,
            locator=locator,
        )
    place.citations.add(citation)
    return created


# ---------------------------------------------------------------------------
# Geometry and slugs


def distance_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in kilometres (haversine)."""
    p = math.pi / 180
    h = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lng2 - lng1) * p / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def parse_coordinates(lat, lng):
    """(lat, lng) floats, None when both are empty, or a ValueError saying what is wrong."""
    lat, lng = (lat or "").strip(), (lng or "").strip()
    if not lat and not lng:
        return None
    if not lat or not lng:
        raise ValueError("only one of latitude and longitude given")
    try:
        la, lo = float(lat), float(lng)
    except ValueError:
        raise ValueError(f"coordinates “{lat}, {lng}” are not numbers") from None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        raise ValueError(f"coordinates “{lat}, {lng}” lie outside −90…90, −180…180")
    return la, lo


# ---------------------------------------------------------------------------
# Writing and reporting


class Progress:
    """Timed progress lines on the command's stdout (verbosity 1 and up)."""

    def __init__(self, command, verbosity):
        self.command, self.verbosity, self.start = command, verbosity, time.monotonic()

    def __call__(self, message):
        if self.verbosity >= 1:
            self.command.stdout.write(f"[{time.monotonic() - self.start:6.1f}s] {message}")
            self.command.stdout.flush()

    @property
    def elapsed(self):
        return time.monotonic() - self.start


_PLAIN = (str, int, float, bool, type(None))


def _insert_rows(table, columns, rows, progress=None, label=None):
    """INSERT rows (tuples in column order): COPY on PostgreSQL, executemany elsewhere."""
    quote = connection.ops.quote_name
    chunk = BATCH_SIZE * 10
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            if connection.vendor == "postgresql":
                # psycopg 3 streams the rows; the debug cursor's per-statement SQL logging is skipped too.
                sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in part:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES ({placeholders})", part
                )
            if progress and len(rows) > chunk:
                progress(f"  {label}: {min(start + chunk, len(rows)):,}/{len(rows):,}")


def bulk_create(model, objects, progress=None, label=None):
    """Insert unsaved model instances in bulk; on models with a slug their primary keys are set afterwards.

    The rows go in as plain INSERTs, with each field's value as the instance
    holds it (prepared for the database when it is not a plain string,
    number or None): Model.objects.bulk_create compiles every value through
    the ORM, which is what made the imports slow. Like bulk_create it runs
    no save() and sends no signals, and it relies on the instances carrying
    every value (field defaults are set when an instance is made); fields
    that compute their value on save (auto_now) are not supported.
    """
    objects = list(objects)
    if not objects:
        return objects
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    rows = []
    for obj in objects:
        values = obj.__dict__
        row = []
        for f in fields:
            value = values.get(f.attname)
            if not isinstance(value, _PLAIN):
                value = f.get_db_prep_save(value, connection)
            row.append(value)
        rows.append(tuple(row))
    label = label or str(meta.verbose_name_plural)
    _insert_rows(meta.db_table, [f.column for f in fields], rows, progress, label)
    if any(f.name == "slug" for f in fields):
        slugs, ids = [o.slug for o in objects], {}
        for start in range(0, len(slugs), 900):  # within SQLite's limit on query parameters
            ids.update(model.objects.filter(slug__in=slugs[start : start + 900]).values_list("slug", "pk"))
        for obj in objects:
            obj.pk = ids[obj.slug]
            obj._state.adding, obj._state.db = False, connection.alias
    return objects


def bulk_link(through, pairs, left, right):
    """Insert many-to-many rows (left_id, right_id) into a through table; returns how many."""
    rows = sorted(pairs)
    meta = through._meta
    _insert_rows(meta.db_table, [meta.get_field(left).column, meta.get_field(right).column], rows)
    return len(rows)


def bulk_set(model, objects, fields):
    """UPDATE the given fields of each object, one executemany: fast where bulk_update's CASE statements are slow."""
    objects = list(objects)
    if not objects:
        return 0
    meta, quote = model._meta, connection.ops.quote_name
    if any(f.name == "updated_at" for f in meta.concrete_fields) and "updated_at" not in fields:
        # A changed record is news for the feeds and the open dataset, as a save would make it.
        now = now_to_the_millisecond()
        for obj in objects:
            obj.updated_at = now
        fields = [*fields, "updated_at"]
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE * 10):
            cursor.executemany(sql, params[start : start + BATCH_SIZE * 10])
    return len(objects)


def report_problems(command, problems, verbosity, limit=None):
    """Row-level problems as "line N: reason", in line order."""
    if verbosity < 1 or not problems:
        return
    shown = sorted(problems)
    if limit is not None and len(shown) > limit:
        hidden, shown = len(shown) - limit, shown[:limit]
    else:
        hidden = 0
    for line, reason in shown:
        command.stdout.write(command.style.WARNING(f"line {line}: {reason}"))
    if hidden:
        command.stdout.write(f"... and {hidden:,} more (run with -v 2 to list them all)")


# ---------------------------------------------------------------------------
# The command


class ImportCommand(BaseCommand):
    """The skeleton every importer shares: read everything, then write in one transaction, then report.

    A subclass implements:

    * ``read(path)``: read and check the whole file before anything is
      written, returning whatever ``write`` needs; raise CommandError for a
      file that cannot be imported, and append ``(line, reason)`` to
      ``self.problems`` for a row that is skipped;
    * ``write(path, data)``: match and write, inside the transaction; return
      the counts for the report;
    * ``summary(path, data, stats, dry_run)``: the report, which usually
      ends with ``self.report_footer(dry_run)``.

    ``--dry-run`` runs all three and rolls the transaction back, so it
    reports exactly what an import would do.
    """

    path_help = "The file to import."

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)
        parser.add_argument("--dry-run", action="store_true", help="Read, match and report; write nothing.")

    def prepare(self, **options):
        """Set up before reading; options are the command's own (beyond path and --dry-run)."""

    def handle(self, *args, path, dry_run=False, verbosity=1, **options):
        self.verbosity = verbosity
        self.progress = Progress(self, verbosity)
        self.problems = []  # (line, reason)
        self.prepare(**options)
        self.progress(f"reading {path}")
        data = self.read(path)
        with transaction.atomic():
            stats = self.write(path, data)
            if dry_run:
                transaction.set_rollback(True)
        self.summary(path, data, stats, dry_run)

    def read(self, path):
        raise NotImplementedError

    def write(self, path, data):
        raise NotImplementedError

    def summary(self, path, data, stats, dry_run):
        raise NotImplementedError

    def dataset_source(self, path, fallback, slug=None, **fields):
        """The dataset Source of this file, found by its slug (created with `fields` if new).

        The slug comes from the file's name without its extension (and ".gz"), so that
        "cities15000.txt" and "cities15000.txt.gz" are one source, unless given. A document
        under that slug is refused: a dataset's citations would be mixed into it.
        """
        path = Path(path)
        slug = slug or slug_base(Path(path.name.removesuffix(".gz")).stem, 80) or fallback
        source = Source.objects.select_for_update().filter(slug=slug).first()
        if source is None:
            fields.setdefault("title_english", fields.get("title", ""))
            return Source.objects.create(
                slug=slug, kind=SourceKind.DATASET, file_name=path.name, **fields
            )
        if source.kind != SourceKind.DATASET:
            raise CommandError(
                f"The source “{slug}” already exists and is a document, not a dataset; "
                "rename the file to import it under another slug. Nothing imported."
            )
        return source

    def report_problems(self):
        """The rows skipped, by line: all of them with -v 2, else the first 200."""
        report_problems(self, self.problems, self.verbosity, limit=None if self.verbosity >= 2 else 200)

    def report_footer(self, dry_run):
        self.stdout.write(f"  time:                    {self.progress.elapsed:.1f}s")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
