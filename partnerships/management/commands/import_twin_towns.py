"""Import twin-town pairs from the Wikipedia-derived CSV (city1,country1,lat1,lng1,city2,country2,lat2,lng2),
or from any list of pairs whose columns ``--columns`` names and whose delimiter ``--delimiter`` gives.

Other layouts
-------------
``--columns city1=item1Label,country1=country1Label,coords1=coord1,...``
says which header column holds what (coordinates as latitude and longitude,
or as a WKT point "Point(lng lat)" as Wikidata's query service writes them,
or not at all); ``--delimiter`` is ",", ";" or "\\t". Wiki markup is read
as a reader sees it ("[[Murmansk (città)|Murmansk]]" → "Murmansk", "{{!}}"
a pipe); a name followed by its own country ("Faro, Portugal", "Kiruna
(Svezia)") is the place's name alone; country names are read in every
language django-countries translates. A name that says its level
("Provincia di Gilan", "Narvik Municipality") meets a catalogued place of
that level by its core name ("Gilan", the municipality "Narvik") when its
full name meets none, rather than becoming a second place.

What an imported row becomes
----------------------------
* Each city is found among the places already catalogued before one is
  created: by its name (as published, without a bracketed qualifier), its
  native name and its PlaceName variants, all folded (so "Nowy Sącz" meets
  "Nowy Sacz"), in the same country, at a compatible level (a city or
  municipality never meets a province: "Astrakhan" the city is not the
  curated "Astrakhan Oblast"), and — when both sides have coordinates —
  within 50 km (250 km for regions and provinces). A place without
  coordinates (the curated ones) is met by name and country alone, if it is
  the only one. Two places of one name in one country, farther apart than
  that, stay two.
* A new place keeps its name as published; a bracketed qualifier such as
  "(rural gmina)" goes to its notes, and the published form "Nowy Targ
  (rural gmina)" is kept as a variant name (which also keeps it apart from
  the town "Nowy Targ" on the next import). Country values are read as ISO
  codes ("England, United Kingdom" → GB, "Georgia (country)" → GE, names in
  other languages and close misspellings too); an unusual value is noted on
  the place. Its level is guessed from its name ("... Oblast" a province,
  "... County" a region, "(rural gmina)" a municipality, otherwise a city).
* A pair is one partnership whatever its order (A–B and B–A); a place paired
  with itself is refused. When a row gives both cities the very same
  coordinates (a geocoding mistake in the list), those coordinates are used
  for neither city.
* Status: the list says the two places are twinned but not since when. Each
  imported pair gets one undated "twinning" status step citing its row(s);
  an undated step counts as the oldest (see Partnership.status), so a
  curated, dated history keeps deciding the current status and is never
  altered; a pair with no other step reads "twinning".
* Points: a catalogued place without coordinates that the list meets (the
  curated Narvik) is drawn where the list puts it, and says so in its notes
  ("Drawn at the twin-town list's point for it (line N)."); import_geonames
  moves it to the gazetteer's point of the place when it has one. Curated
  places the list does not name but whose stated representative point is a
  place it locates (REPRESENTATIVE_POINTS: Beisfjord at Narvik) are drawn
  there too. Places with coordinates are never moved.
* Provenance: the file is a Source of kind "dataset" (licence: Wikipedia
  contributors, CC BY-SA 4.0; compiled in Hekman/twincities, MIT), and every
  row a Citation (passage: the raw CSV line; locator: "line N") attached to
  the places, the partnership and the status step it created or matched.

The whole file is read and checked before anything is written, then written
in one transaction: a file that cannot be read imports nothing. Row-level
problems are reported with their line numbers and the rest is imported.
Importing the same file again changes nothing.
"""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.management import CommandError

from partnerships.importing import (
    LIST_POINT,
    REPRESENTATIVE_POINTS,
    TERRITORIES,
    CountryResolver,
    ImportCommand,
    bulk_create,
    bulk_link,
    clean_markup,
    core_name,
    distance_km,
    infer_level,
    is_qualified_variant,
    near_km,
    parse_coordinates,
    parse_point,
    qualified_name,
    read_lines,
    same_level_group,
    split_qualifier,
    with_drawn_at,
)
from partnerships.models import (
    Citation,
    NameKind,
    Partnership,
    PartnershipStatus,
    Place,
    PlaceLevel,
    PlaceName,
    Source,
    SourceKind,
    StatusStep,
    slug_base,
    unique_slug,
)
from partnerships.text import fold

HEADER = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
# What --columns may name: the columns above, and a WKT point ("Point(lng lat)", as Wikidata's query
# service writes coordinates) in place of a latitude and a longitude.
FIELDS = HEADER + ["coords1", "coords2"]
REQUIRED = ["city1", "country1", "city2", "country2"]
TITLE = "List of twin towns and sister cities (Wikipedia), geocoded"
PUBLISHER = "Wikipedia contributors; compiled by the Hekman/twincities project"
URL = "https://github.com/Hekman/twincities"
LICENCE = (
    "CC BY-SA 4.0: Wikipedia contributors, “List of twin towns and sister cities”; "
    "compiled and geocoded by Hekman/twincities (MIT licence)"
)
STEP_DESCRIPTION = (
    "Listed as twin towns / sister cities in Wikipedia's lists of twin towns and sister cities; "
    "the list gives no date."
)
PROGRESS_EVERY = 5000
MAX_NAMES_AT_ONE_SPOT = 3
DISTRUST = {
    "partner": "its partner on the same line has the very same ones",
    "countries": "places in other countries have the very same ones",
    "spot": f"more than {MAX_NAMES_AT_ONE_SPOT} differently named places have the very same ones",
}


@dataclass
class Side:
    """One city of a row, as read."""

    raw_name: str
    name: str
    qualifier: str
    code: str
    notes: list
    coords: tuple | None
    level: str
    key: str  # folded published name (qualifier included): the file's identity, with the country
    hint: tuple | None = None  # coordinates not trusted, kept only to choose among places of one name
    distrust: str = ""  # why the coordinates are not trusted: "partner", "countries" or "spot"
    place: "FilePlace | None" = None


@dataclass
class Row:
    line: int
    raw: str
    sides: tuple


@dataclass
class FilePlace:
    """One place of the file: a name in a country, at one spot (or at none)."""

    key: str
    code: str
    name: str
    qualifier: str
    level: str
    coords: tuple | None
    first_line: int
    notes: set = field(default_factory=set)
    distrusted: dict = field(default_factory=dict)  # coordinates not used -> why
    place: Place | None = None
    ambiguous: str = ""


class Command(ImportCommand):
    help = (
        "Import twin-town pairs from a CSV with the columns city1,country1,lat1,lng1,city2,country2,lat2,lng2 "
        "(Wikipedia's lists, as in shared/data/twin_cities_wikipedia.csv). Places are matched to the catalogue "
        "(name, variants, folded names, country, coordinates within 50 km) before any is created; A–B and B–A "
        "are one partnership; each pair gets an undated 'twinning' status step (undated steps count as the "
        "oldest, so curated dated steps keep deciding the status); every row is cited (Source kind 'dataset', "
        "licence CC BY-SA 4.0 Wikipedia contributors / MIT Hekman/twincities). One transaction; a bad file "
        "imports nothing; bad rows are reported by line and skipped; a second import changes nothing."
    )

    path_help = "The CSV file (plain or .gz), e.g. data/twin_cities_wikipedia.csv.gz"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--delimiter",
            default=",",
            help="The character between fields: ',' (the default), ';', or '\\t' (or 'tab') for tab-separated lists.",
        )
        parser.add_argument(
            "--columns",
            default="",
            help="Which column of the file's header holds what, for a list in another layout: "
            "city1=itemLabel,country1=countryLabel,coords1=coord,city2=...,country2=...,coords2=... "
            f"(names: {', '.join(FIELDS)}; city and country of both sides are required; lat/lng or coords "
            "are optional). Without it the header must be exactly the default layout.",
        )

    def prepare(self, delimiter=",", columns="", **options):
        self.skipped = Counter()
        self.countries = CountryResolver()
        self.delimiter = {"\\t": "\t", "tab": "\t"}.get(delimiter.lower(), delimiter)
        if len(self.delimiter) != 1:
            raise CommandError(f"--delimiter: one character (or '\\t'), not “{delimiter}”. Nothing imported.")
        self.columns = self.parse_columns(columns) if columns else None

    @staticmethod
    def parse_columns(text):
        """{field: column name} from "city1=itemLabel,country1=countryLabel,..."; a CommandError if unusable."""
        mapping = {}
        for part in text.split(","):
            field_name, equals, column = (x.strip() for x in part.partition("="))
            if not equals or not column or field_name not in FIELDS:
                raise CommandError(
                    f"--columns: “{part.strip()}” is not FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}. "
                    "Nothing imported."
                )
            mapping[field_name] = column
        missing = [f for f in REQUIRED if f not in mapping]
        if missing:
            raise CommandError(f"--columns: say which column holds {', '.join(missing)}. Nothing imported.")
        return mapping

    # -----------------------------------------------------------------------
    # Reading

    def read(self, path):
        """(usable rows, their places, number of data lines): the whole file, checked and grouped."""
        rows, data_lines = self.read_rows(path)
        self.progress(f"read {data_lines:,} rows; {len(rows):,} usable so far")
        return rows, self.group(rows), data_lines

    def read_rows(self, path):
        lines = read_lines(path, "a twin-town CSV")
        try:
            header = next(csv.reader([lines[0]], delimiter=self.delimiter, strict=True))
        except csv.Error:
            header = None
        if self.columns is None:
            if not header or [h.strip().lower() for h in header] != HEADER:
                raise CommandError(
                    f"{path}: not a twin-town CSV: the first line must be the header “{','.join(HEADER)}” "
                    f"(or say with --columns which column holds what), found “{lines[0][:120]}”. Nothing imported."
                )
            self.index = {name: i for i, name in enumerate(HEADER)}
        else:
            found = {h.strip().lower(): i for i, h in enumerate(header or [])}
            missing = [f"“{c}” (for {f})" for f, c in self.columns.items() if c.strip().lower() not in found]
            if missing:
                raise CommandError(
                    f"{path}: not a twin-town list of the layout given: its header has no column "
                    f"{', '.join(missing)}; found “{lines[0][:120]}”. Nothing imported."
                )
            self.index = {f: found[c.strip().lower()] for f, c in self.columns.items()}
        self.width = len(header)
        rows, data_lines = [], 0
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            data_lines += 1
            if data_lines % PROGRESS_EVERY == 0:
                self.progress(f"  read {data_lines:,} rows")
            row = self.parse_row(number, line)
            if row:
                rows.append(row)
        return rows, data_lines

    def problem(self, line, category, reason):
        self.problems.append((line, reason))
        self.skipped[category] += 1

    def parse_row(self, number, line):
        try:
            fields = next(csv.reader([line], delimiter=self.delimiter, strict=True))
        except csv.Error as error:
            self.problem(number, "malformed CSV", f"malformed CSV ({error})")
            return None
        if len(fields) != self.width:
            self.problem(number, "wrong number of fields", f"expected {self.width} fields, found {len(fields)}")
            return None
        sides, reasons, categories = [], [], []
        for n in (1, 2):
            which = f"city{n}"
            values = {f: fields[i] for f, i in self.index.items()}
            lat, lng = values.get(f"lat{n}", ""), values.get(f"lng{n}", "")
            if f"coords{n}" in values:
                try:
                    lat, lng = parse_point(values[f"coords{n}"])
                except ValueError as error:
                    lat, lng = "", ""
                    reasons.append(f"bad coordinates for {which} “{values[which]}”: {error}")
                    categories.append("bad coordinates")
            side, reason, category = self.parse_side(which, values[which], values[f"country{n}"], lat, lng)
            if side is None:
                reasons.append(reason)
                categories.append(category)
            sides.append(side)
        if reasons:
            self.problem(number, categories[0], "; ".join(reasons))
            return None
        a, b = sides
        if a.key == b.key and a.code == b.code and (a.coords is None or b.coords is None or a.coords == b.coords):
            self.problem(number, "place paired with itself", f"pairs “{a.raw_name}” ({a.code}) with itself")
            return None
        if a.coords is not None and a.coords == b.coords:
            for side in sides:
                side.distrust = "partner"
        return Row(number, line, (a, b))

    def parse_side(self, which, raw_name, raw_country, lat, lng):
        raw_name, raw_country = clean_markup(" ".join(raw_name.split())), clean_markup(" ".join(raw_country.split()))
        if not raw_name:
            return None, f"empty {which}", "empty field"
        notes = []
        name = raw_name
        level = None
        if raw_country:
            code, note = self.countries.resolve(raw_country)
            if not code:
                return None, f"unknown country “{raw_country}” for {which} “{raw_name}”", "unknown country"
        else:
            # The country folded into the name: "Varna, Bulgaria"; or the name is a territory's: "American Samoa".
            code, note = "", ""
            if "," in raw_name:
                first, _, last = raw_name.rpartition(",")
                code, _ = self.countries.resolve(last.strip())
                if code and first.strip():
                    name, note = first.strip(), f"country given in the name: “{raw_name}”"
            if not code:
                code, _ = self.countries.resolve(raw_name)
                if code:
                    level, note = PlaceLevel.REGION, "a territory, listed without a country"
            if not code:
                return None, f"empty country for {which} “{raw_name}”", "empty field"
        if note:
            notes.append(note[0].upper() + note[1:] + ".")
        try:
            coords = parse_coordinates(lat, lng)
        except ValueError as error:
            return None, f"bad coordinates for {which} “{raw_name}”: {error}", "bad coordinates"
        if raw_country and "," in name:
            # "Faro, Portugal" in Portugal: the country said twice, not a place called so.
            first, _, last = name.rpartition(",")
            if first.strip() and self.same_country(last, code):
                name = first.strip()
                notes.append(f"The list writes the name with its country: “{raw_name}”.")
        base, qualifier = split_qualifier(name)
        if qualifier and self.same_country(qualifier, code):
            # "Kiruna (Svezia)": a disambiguation by the place's own country, in whatever language.
            notes.append(f"The list writes the name with its country: “{raw_name}”.")
            qualifier = ""
        return (
            Side(
                raw_name=raw_name,
                name=base,
                qualifier=qualifier,
                code=code,
                notes=notes,
                coords=coords,
                level=level or infer_level(base, qualifier),
                key=fold(qualified_name(base, qualifier)),
            ),
            "",
            "",
        )

    def same_country(self, text, code):
        """True when the text names the country of this code (or the country governing it)."""
        named, _ = self.countries.resolve(text.strip())
        return bool(named) and (named == code or code in TERRITORIES.get(named, ()))

    # -----------------------------------------------------------------------
    # One place per name, country and spot

    def distrust_coordinates(self, rows):
        """Coordinates the list cannot mean: shared by the two cities of a row (set while reading), by places in
        several countries (Perth in Scotland and Canada at Perth, Australia) or by more than
        MAX_NAMES_AT_ONE_SPOT differently named places of one country (a geocoder's fallback point)."""
        at = defaultdict(set)
        for row in rows:
            for side in row.sides:
                if side.coords is not None:
                    at[side.coords].add((side.key, side.code))
        for row in rows:
            for side in row.sides:
                if side.coords is None:
                    continue
                sharing = at[side.coords]
                if not side.distrust and len({code for _, code in sharing}) > 1:
                    side.distrust = "countries"
                elif not side.distrust and len(sharing) > MAX_NAMES_AT_ONE_SPOT:
                    side.distrust = "spot"
                if side.distrust:
                    side.hint, side.coords = side.coords, None

    def group(self, rows):
        """FilePlaces: sides of one name in one country within the near distance are one place."""
        self.distrust_coordinates(rows)
        clusters = defaultdict(list)  # (key, code) -> [FilePlace with coordinates]
        coordless = {}  # (key, code) -> FilePlace without coordinates
        for row in rows:
            for side in row.sides:
                if side.coords is None:
                    continue
                group = clusters[(side.key, side.code)]
                for fp in group:
                    if distance_km(*fp.coords, *side.coords) <= near_km(fp.level):
                        break
                else:
                    fp = FilePlace(
                        side.key, side.code, side.name, side.qualifier, side.level, side.coords, row.line
                    )
                    group.append(fp)
                side.place = fp
        usable = []
        for row in rows:
            ambiguous = []
            for side in row.sides:
                if side.place is not None:
                    continue
                group = clusters.get((side.key, side.code), [])
                if len(group) == 1:
                    side.place = group[0]
                elif group and side.hint:
                    near = [(distance_km(*fp.coords, *side.hint), i) for i, fp in enumerate(group)]
                    distance, i = min(near)
                    if distance <= near_km(group[i].level):
                        side.place = group[i]
                if side.place is None and not group:
                    key = (side.key, side.code)
                    if key not in coordless:
                        coordless[key] = FilePlace(
                            side.key, side.code, side.name, side.qualifier, side.level, None, row.line
                        )
                    side.place = coordless[key]
                if side.place is None:
                    ambiguous.append(
                        f"{len(group)} places named “{side.raw_name}” in {side.code} in this file, "
                        "and this row's coordinates do not say which"
                    )
            if ambiguous:
                self.problem(row.line, "ambiguous place", "; ".join(ambiguous))
                continue
            for side in row.sides:
                side.place.notes.update(side.notes)
                if side.distrust and side.place.coords is None:
                    side.place.distrusted.setdefault(side.hint, set()).add(side.distrust)
            usable.append(row)
        rows[:] = usable
        places = [fp for group in clusters.values() for fp in group] + list(coordless.values())
        places.sort(key=lambda fp: fp.first_line)
        return places

    # -----------------------------------------------------------------------
    # Matching and writing

    def source(self, path):
        return self.dataset_source(
            path,
            "twin-towns",
            title=TITLE,
            publisher=PUBLISHER,
            language="en",
            url=URL,
            licence=LICENCE,
            notes="Imported with `manage.py import_twin_towns`: one citation per row (the raw CSV line, "
            "located by its line number), attached to the places, partnership and status step it gave.",
        )

    def match(self, places, source):
        """Give each FilePlace its catalogued place, or mark it ambiguous; return those to create.

        A place is known by its name, native name and variants (strong names), and by the names other datasets
        gave it, such as GeoNames' alternate names (weak names: "Turi" is also an old name of Turin). Weak names
        count only when the coordinates agree, and only when no strong name fits.
        """
        existing = {
            p.pk: p
            for p in Place.objects.only(
                "id", "slug", "name", "name_native", "level", "country", "latitude", "longitude"
            )
        }
        datasets = set(
            Source.objects.filter(kind=SourceKind.DATASET).exclude(pk=source.pk).values_list("id", flat=True)
        )
        strong_names, weak_names = defaultdict(list), defaultdict(list)
        for place_id, name, source_id in PlaceName.objects.values_list("place_id", "name", "source_id"):
            (weak_names if source_id in datasets else strong_names)[place_id].append(name)
        strong, weak = defaultdict(set), defaultdict(set)  # (folded name, country) -> place ids
        core = defaultdict(set)  # (folded core name, country) -> place ids: "Astrakhan Oblast" under "astrakhan"
        for pk, place in existing.items():
            keys = {fold(place.name), fold(place.name_native)} | {fold(n) for n in strong_names[pk]}
            if any(is_qualified_variant(n, place.name) for n in strong_names[pk]):
                keys.discard(fold(place.name))  # "Nowy Targ (rural gmina)" is not the plain "Nowy Targ"
            for key in keys - {""}:
                strong[(key, place.country.code)].add(pk)
            for name in [place.name, *strong_names[pk]]:
                if not split_qualifier(name)[1]:
                    core[(fold(core_name(name)), place.country.code)].add(pk)
            for key in {fold(n) for n in weak_names[pk]} - keys - {"", fold(place.name)}:
                weak[(key, place.country.code)].add(pk)
        self.progress(
            f"catalogue: {len(existing):,} places, "
            f"{sum(map(len, strong_names.values())) + sum(map(len, weak_names.values())):,} other names"
        )

        claims = defaultdict(list)
        to_create = []
        for fp in places:
            chosen = None
            # Strong names first, then names other datasets gave (with coordinates only), then the core of the
            # name ("Provincia di Gilan" meets "Gilan", "Narvik Municipality" the municipality "Narvik").
            tiers = [(strong, fp.key), (weak, fp.key)] if fp.coords is not None else [(strong, fp.key)]
            if not fp.qualifier:
                tiers.append((core, fold(core_name(fp.name))))
            for index, key in tiers:
                candidates = [
                    existing[pk]
                    for pk in index.get((key, fp.code), ())
                    if same_level_group(existing[pk].level, fp.level)
                ]
                if fp.coords is not None:
                    near = sorted(
                        (distance_km(*fp.coords, c.latitude, c.longitude), c.slug, c)
                        for c in candidates
                        if c.latitude is not None
                        and distance_km(*fp.coords, c.latitude, c.longitude) <= near_km(fp.level)
                    )
                    if near:
                        chosen = near[0][2]
                        break
                    # Without coordinates of its own, a catalogued place is met by a strong name alone.
                    pool = [c for c in candidates if c.latitude is None] if index is not weak else []
                else:
                    pool = candidates
                if len(pool) == 1:
                    chosen = pool[0]
                    claims[chosen.pk].append(fp)
                    break
                if len(pool) > 1:
                    fp.ambiguous = f"matches several catalogued places: {', '.join(sorted(c.slug for c in pool))}"
                    break
            if fp.ambiguous:
                continue
            if chosen is None:
                to_create.append(fp)
            else:
                fp.place = chosen
        for pk, fps in claims.items():
            if len(fps) > 1:
                for fp in fps:
                    fp.place = None
                    fp.ambiguous = (
                        f"several places of this name in this file would meet the catalogued "
                        f"“{existing[pk].slug}”, which has no coordinates to tell them apart"
                    )
        return to_create

    def write(self, path, data):
        rows, places, _ = data
        source = self.source(path)
        stats = Counter()
        to_create = self.match(places, source)
        matched_places = {fp.place.pk for fp in places if fp.place is not None}
        self.progress(f"places: {len(matched_places):,} catalogued places met, {len(to_create):,} to create")

        # New places, in the order the file first names them.
        taken = set(Place.objects.values_list("slug", flat=True))
        new_places, new_names = [], []
        for fp in to_create:
            published = qualified_name(fp.name, fp.qualifier)
            base = slug_base(published)
            slug = unique_slug(f"{base}-{fp.code.lower()}" if base in taken else base, taken, fallback="place")
            notes = sorted(fp.notes)
            for (lat, lng), why in sorted(fp.distrusted.items()):
                reasons = [DISTRUST[w] for w in sorted(why)]
                notes.append(f"The list's coordinates ({lat}, {lng}) are not used: {'; '.join(reasons)}.")
            if fp.qualifier:
                notes.insert(0, f"The list qualifies the name: “({fp.qualifier})”.")
            place = Place(
                slug=slug,
                name=fp.name[:200],
                level=fp.level,
                country=fp.code,
                latitude=fp.coords[0] if fp.coords else None,
                longitude=fp.coords[1] if fp.coords else None,
                notes="\n".join(notes),
            )
            variants = [published[:200]] if fp.qualifier else []
            place.search_text = place.folded_search_text(variants)
            fp.place = place
            new_places.append(place)
            new_names += [(place, v) for v in variants]
        bulk_create(Place, new_places, self.progress, "places")
        bulk_create(
            PlaceName,
            [PlaceName(place=p, name=n, kind=NameKind.VARIANT, source=source) for p, n in new_names],
        )
        stats["places created"] = len(new_places)
        stats["places matched"] = len(matched_places)
        self.progress(f"created {len(new_places):,} places")

        # Partnerships: one per unordered pair.
        partnerships = {}
        for pk, a, b, slug in Partnership.objects.values_list("id", "place_a_id", "place_b_id", "slug"):
            partnerships[(min(a, b), max(a, b))] = Partnership(id=pk, place_a_id=a, place_b_id=b, slug=slug)
        taken = set(Partnership.objects.values_list("slug", flat=True))
        new_partnerships, matched, pair_of_row = [], set(), {}
        seen_pairs = set()
        for row in rows:
            a, b = (side.place for side in row.sides)
            if a.ambiguous or b.ambiguous:
                side = a if a.ambiguous else b
                self.problem(row.line, "ambiguous place", f"“{side.name}” ({side.code}) {side.ambiguous}")
                continue
            pa, pb = a.place, b.place
            if pa.pk == pb.pk:
                self.problem(
                    row.line,
                    "place paired with itself",
                    f"“{row.sides[0].raw_name}” and “{row.sides[1].raw_name}” are one place ({pa.slug})",
                )
                continue
            key = (min(pa.pk, pb.pk), max(pa.pk, pb.pk))
            if key in seen_pairs:
                stats["rows repeating a pair"] += 1
            seen_pairs.add(key)
            partnership = partnerships.get(key)
            if partnership is None:
                slug = unique_slug(f"{pa.slug[:55]}-{pb.slug[:55]}".strip("-"), taken, fallback="partnership")
                partnership = Partnership(place_a=pa, place_b=pb, slug=slug)
                partnership.search_text = partnership.folded_search_text()
                partnerships[key] = partnership
                new_partnerships.append(partnership)
            elif partnership.pk is not None:
                matched.add(partnership.pk)
            pair_of_row[row.line] = partnership
        bulk_create(Partnership, new_partnerships, self.progress, "partnerships")
        stats["partnerships created"] = len(new_partnerships)
        stats["partnerships matched"] = len(matched)
        self.progress(f"created {len(new_partnerships):,} partnerships")

        # Citations: one per imported row, found again by its locator.
        cited = {
            locator: (pk, passage)
            for pk, locator, passage in Citation.objects.filter(source=source).values_list("id", "locator", "passage")
        }
        taken = set(Citation.objects.filter(slug__startswith=source.slug).values_list("slug", flat=True))
        new_citations, changed_citations, citation_of_row = [], [], {}
        for row in rows:
            if row.line not in pair_of_row:
                continue
            locator = f"line {row.line}"
            if locator in cited:
                pk, passage = cited[locator]
                citation = Citation(id=pk, source=source, slug="", passage=row.raw)
                if passage != row.raw:
                    citation = Citation.objects.get(pk=pk)
                    citation.passage = row.raw
                    citation.search_text = citation.folded_search_text()
                    changed_citations.append(citation)
            else:
                slug = unique_slug(f"{source.slug}-line-{row.line}", taken, fallback="citation")
                citation = Citation(source=source, slug=slug, passage=row.raw, locator=locator)
                citation.search_text = citation.folded_search_text()
                new_citations.append(citation)
            citation_of_row[row.line] = citation
        bulk_create(Citation, new_citations, self.progress, "citations")
        if changed_citations:
            Citation.objects.bulk_update(changed_citations, ["passage", "search_text"], batch_size=500)
        stats["citations created"] = len(new_citations)
        stats["citations updated"] = len(changed_citations)
        self.progress(f"created {len(new_citations):,} citations")

        # Status: one undated twinning step per pair, citing its rows; curated steps stay as they are.
        through = StatusStep.citations.through
        step_of_partnership = {}
        for step_id, partnership_id in through.objects.filter(
            citation__source=source, statusstep__status=PartnershipStatus.TWINNING
        ).values_list("statusstep_id", "statusstep__partnership_id"):
            step_of_partnership[partnership_id] = StatusStep(id=step_id)
        taken = set(StatusStep.objects.values_list("slug", flat=True))
        new_steps = []
        for partnership in dict.fromkeys(pair_of_row.values()):
            if partnership.pk in step_of_partnership:
                continue
            slug = unique_slug(f"{partnership.slug[:100]}-twinning", taken, fallback="twinning")
            step = StatusStep(
                partnership=partnership,
                status=PartnershipStatus.TWINNING,
                slug=slug,
                description=STEP_DESCRIPTION,
            )
            step.search_text = step.folded_search_text()
            step_of_partnership[partnership.pk] = step
            new_steps.append(step)
        bulk_create(StatusStep, new_steps, self.progress, "status steps")
        stats["status steps created"] = len(new_steps)

        # Links between the records and the rows that state them.
        links = {"place": set(), "partnership": set(), "statusstep": set()}
        for row in rows:
            if row.line not in pair_of_row:
                continue
            citation = citation_of_row[row.line].pk
            partnership = pair_of_row[row.line]
            for side in row.sides:
                links["place"].add((side.place.place.pk, citation))
            links["partnership"].add((partnership.pk, citation))
            links["statusstep"].add((step_of_partnership[partnership.pk].pk, citation))
        links["place"] |= self.draw(rows, pair_of_row, citation_of_row, {p.pk for p in new_places}, stats)
        for model in (Place, Partnership, StatusStep):
            name = model._meta.model_name
            through = model.citations.through
            present = set(through.objects.filter(citation__source=source).values_list(f"{name}_id", "citation_id"))
            stats["citation links created"] += bulk_link(through, links[name] - present, name, "citation")
        stats["rows imported"] = len(citation_of_row)
        self.progress("links written")
        return stats

    def draw(self, rows, pair_of_row, citation_of_row, created, stats):
        """Give catalogued places without coordinates the list's point; return the (place, citation) links to add.

        A catalogued place the list meets by name alone (the curated Narvik)
        is drawn where the list puts it, with a notes line saying so and
        citing the row (which it cites anyway); a gazetteer's own point
        replaces it later (import_geonames). The "twin-towns" entries of
        REPRESENTATIVE_POINTS (a village at the town of its municipality) are
        drawn at the point the list gives that other place. Places with
        coordinates are never moved.
        """
        point_of = {}  # catalogued place slug -> (coordinates, line): the list's point for it, from its first row
        for row in rows:
            if row.line not in pair_of_row:
                continue
            for side in row.sides:
                fp = side.place
                if fp.coords is not None and fp.place.pk not in created:
                    point_of.setdefault(fp.place.slug, (fp.coords, row.line, fp.place))
        wanted = {}
        for slug, (coords, line, place) in point_of.items():
            if place.latitude is None:
                wanted[slug] = (coords, line, f"{LIST_POINT} (line {line})")
        for slug, (dataset, target, what) in REPRESENTATIVE_POINTS.items():
            if dataset == "twin-towns" and target in point_of and slug not in point_of:
                coords, line, place = point_of[target]
                wanted[slug] = (coords, line, f"{what} (the twin-town list's point for {place.name}, line {line})")
        links = set()
        for place in Place.objects.filter(slug__in=wanted, latitude__isnull=True).order_by("slug"):
            coords, line, point = wanted[place.slug]
            place.latitude, place.longitude = coords
            place.notes = with_drawn_at(place.notes, point)
            place.save(update_fields=["latitude", "longitude", "notes"])  # saves refresh its search text
            links.add((place.pk, citation_of_row[line].pk))
            stats["places drawn"] += 1
        return links

    # -----------------------------------------------------------------------
    # Report

    def summary(self, path, data, stats, dry_run):
        data_lines = data[2]
        self.report_problems()
        if self.verbosity < 1:
            return
        out = self.stdout.write
        unusual = sorted(
            (value, code, note) for value, (code, note) in self.countries.cache.items() if note and code
        )
        if unusual and self.verbosity >= 2:
            out("Country values read:")
            for value, code, note in unusual:
                out(f"  “{value}” → {code} ({note})")
        out(f"Imported {path}" if not dry_run else f"Dry run of {path}")
        out(f"  rows read:               {data_lines:,}")
        out(f"  rows imported:           {stats['rows imported']:,}")
        out(f"  places:                  {stats['places created']:,} created, {stats['places matched']:,} matched")
        out(
            f"  partnerships:            {stats['partnerships created']:,} created, "
            f"{stats['partnerships matched']:,} matched, {stats['rows repeating a pair']:,} rows repeat a pair"
        )
        out(f"  status steps:            {stats['status steps created']:,} created (undated twinning)")
        out(f"  places drawn:            {stats['places drawn']:,} (catalogued places given the list's point)")
        out(
            f"  citations:               {stats['citations created']:,} created, {stats['citations updated']:,} "
            f"updated, {stats['citation links created']:,} links created"
        )
        out(f"  country values unusual:  {len(unusual):,} (-v 2 lists how each was read)")
        skipped = sum(self.skipped.values())
        out(f"  rows skipped:            {skipped:,}")
        for reason, count in sorted(self.skipped.items(), key=lambda item: (-item[1], item[0])):
            out(f"    {reason}: {count:,}")
        self.report_footer(dry_run)
