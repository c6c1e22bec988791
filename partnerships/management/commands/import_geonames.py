"""Enrich catalogued places from a GeoNames cities file (cities15000.txt and kin; tab-separated, no header).

It creates no place. A city or municipality of the catalogue is matched to a
GeoNames row conservatively:

* same country, and one of the place's names (name, native name, variants;
  folded, so "Nowy Sącz" meets "Nowy Sacz") equal to the row's name or ASCII
  name — or, failing that, to one of its alternate names;
* when the place has coordinates, the row lies within 30 km of them; a
  place without coordinates is matched on the row's own name (or ASCII
  name) only, never on an alternate name alone;
* exactly one row fits (else the place is reported as ambiguous and left
  alone), and no other place fits the same row;
* a place already linked to a GeoNames id is matched by that id alone.

Provinces, regions and countries are not matched (the file lists populated
places), nor places whose published name carries a bracketed qualifier
("Nowy Targ (rural gmina)", "Acheng (Harbin)"): the qualifier says they are
not simply the town of that name.

A matched place gets its GeoNames id, the row's coordinates when it has
none, the row's population, and every name of the row it does not have yet
as a PlaceName (source: the GeoNames dataset Source, CC BY 4.0; kind
"transliteration" for GeoNames' lower-case romanisations such as "ha er
bin", else "variant"), so that search finds Решт, رشت and Rasht alike.
Names the place already has (curated ones included) are left as they are.

A matched place drawn so far where a twin-town list put it (its notes say
"Drawn at the twin-town list's point for it") is moved to the row's point.

Curated places that are not populated places (a province, a country) are
drawn at a stated representative point: REPRESENTATIVE_POINTS in
partnerships/importing.py names the GeoNames row of each (Gilan at Rasht, its
capital); the place gets that row's coordinates, a notes line "Drawn at
Rasht, its capital (GeoNames 118743 Rasht)." and a citation of the row
(located "geonameid 118743"). A place with coordinates of its own is never
moved, and a representative point never counts as the place's own location
when matching.

One transaction; a file that cannot be read changes nothing; importing the
same file again changes nothing.
"""

from collections import Counter, defaultdict

from django.core.management import CommandError

from partnerships.importing import (
    LIST_POINT,
    REPRESENTATIVE_POINTS,
    ImportCommand,
    bulk_create,
    bulk_set,
    cite_once,
    distance_km,
    drawn_at,
    is_latin,
    is_qualified_variant,
    read_lines,
    with_drawn_at,
)
from partnerships.models import NameKind, Place, PlaceLevel, PlaceName
from partnerships.text import fold

COLUMNS = 19  # geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature code,
# country code, cc2, admin1..admin4, population, elevation, dem, timezone, modification date
NEAR_KM = 30.0
MATCHED_LEVELS = {PlaceLevel.CITY, PlaceLevel.MUNICIPALITY}
NAME_MAX = PlaceName._meta.get_field("name").max_length
TITLE = "GeoNames gazetteer: cities with more than 15,000 inhabitants"
LICENCE = "CC BY 4.0: GeoNames (https://www.geonames.org/)"
EXAMPLES = 20


class GeoRow:
    __slots__ = ("line", "raw", "id", "name", "names", "lat", "lng", "code", "population")

    def __init__(self, line, fields):
        self.line = line
        self.raw = "\t".join(fields)
        self.id = int(fields[0])
        if self.id <= 0:
            raise ValueError(f"geonameid “{fields[0]}” is not a positive number")
        self.name = fields[1].strip()
        if not self.name:
            raise ValueError("empty name")
        try:
            self.lat, self.lng = float(fields[4]), float(fields[5])
        except ValueError:
            raise ValueError(f"coordinates “{fields[4]}, {fields[5]}” are not numbers") from None
        if not (-90 <= self.lat <= 90 and -180 <= self.lng <= 180):
            raise ValueError(f"coordinates “{fields[4]}, {fields[5]}” lie outside −90…90, −180…180")
        self.code = fields[8].strip().upper()
        if len(self.code) != 2 or not self.code.isalpha():
            raise ValueError(f"country code “{fields[8]}” is not two letters")
        population = fields[14].strip()
        try:
            self.population = int(population) if population else None
        except ValueError:
            raise ValueError(f"population “{population}” is not a whole number") from None
        if self.population is not None and self.population <= 0:
            self.population = None  # GeoNames writes 0 for unknown
        # The main name, the ASCII name, then the alternate names, each once, in the file's order.
        names = [self.name, fields[2].strip()] + [n.strip() for n in fields[3].split(",")]
        self.names = list(dict.fromkeys(n for n in names if n))

    @property
    def primary_keys(self):
        return {fold(self.names[0]), fold(self.names[1] if len(self.names) > 1 else "")} - {""}


class Command(ImportCommand):
    help = (
        "Enrich catalogued cities and municipalities from a GeoNames cities file (tab-separated, e.g. "
        "shared/data/geonames_cities15000.txt): GeoNames id, coordinates where missing, population, and every "
        "alternate name as a PlaceName (source: GeoNames, CC BY 4.0). Creates no place. Matches by name or "
        "alternate name + country (+ within 30 km when the place has coordinates); ambiguous places are "
        "skipped and reported. One transaction; a bad file changes nothing; a second import changes nothing."
    )

    path_help = "The GeoNames file (plain or .gz), e.g. data/geonames_cities15000.txt.gz"

    # -----------------------------------------------------------------------
    # Reading

    def read(self, path):
        lines = read_lines(path, "a GeoNames cities file (tab-separated)")
        rows = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = line.split("\t")
            try:
                if len(fields) != COLUMNS:
                    raise ValueError(f"expected {COLUMNS} tab-separated fields, found {len(fields)}")
                try:
                    rows.append(GeoRow(number, fields))
                except ValueError as error:
                    if str(error).startswith("invalid literal for int()"):
                        raise ValueError(f"geonameid “{fields[0]}” is not a number") from None
                    raise
            except ValueError as error:
                if not rows and not self.problems:
                    raise CommandError(
                        f"{path}: not a GeoNames cities file: line {number}: {error}. Nothing imported."
                    ) from None
                self.problems.append((number, str(error)))
        self.progress(f"read {len(rows):,} GeoNames rows ({len(self.problems):,} with problems)")
        return rows

    # -----------------------------------------------------------------------
    # Matching and enriching

    def write(self, path, rows):
        return self.enrich(rows, self.source(path))

    def source(self, path):
        return self.dataset_source(
            path,
            "geonames",
            title=TITLE,
            publisher="GeoNames",
            language="mul",
            url="https://www.geonames.org/",
            licence=LICENCE,
            notes="Imported with `manage.py import_geonames`: the GeoNames id, coordinates (where missing), "
            "population and alternate names of the catalogue's cities; the names cite this source.",
        )

    def enrich(self, rows, source):
        stats, unmatched = Counter(), defaultdict(list)
        by_id = {row.id: row for row in rows}
        primary, alternate = defaultdict(list), defaultdict(list)
        for row in rows:
            keys = row.primary_keys
            for key in keys:
                primary[(key, row.code)].append(row)
            for key in {fold(n) for n in row.names[2:]} - keys - {""}:
                alternate[(key, row.code)].append(row)
        self.progress(f"indexed {len(primary) + len(alternate):,} GeoNames names")

        places = list(
            Place.objects.only(
                "id", "slug", "name", "name_native", "notes", "level", "country", "latitude", "longitude",
                "geonames_id", "population", "search_text",
            ).order_by("id")
        )
        names, bracketed = defaultdict(list), defaultdict(list)
        for place_id, name, source_id in PlaceName.objects.values_list("place_id", "name", "source_id"):
            names[place_id].append(name)
            if source_id != source.pk and "(" in name:  # GeoNames' own "Halle (Saale)" qualifies nothing
                bracketed[place_id].append(name)
        linked = {p.geonames_id: p for p in places if p.geonames_id is not None}
        self.progress(f"catalogue: {len(places):,} places, {sum(map(len, names.values())):,} other names")

        chosen = {}  # place id -> GeoRow
        fits = defaultdict(list)  # GeoRow id -> places that fit it
        for place in places:
            if place.geonames_id is not None:
                row = by_id.get(place.geonames_id)
                if row is None:
                    stats["linked to an id not in this file"] += 1
                else:
                    chosen[place.pk] = row
                    stats["already linked"] += 1
                continue
            if place.level not in MATCHED_LEVELS:
                stats["not a city or municipality"] += 1
                continue
            if any(is_qualified_variant(n, place.name) for n in bracketed[place.pk]):
                stats["qualified name"] += 1
                continue
            row, reason = self.match(place, names[place.pk], primary, alternate)
            if row is None:
                unmatched[reason[0]].append((place, reason[1]))
            elif row.id in linked:
                unmatched["GeoNames row already linked to another place"].append(
                    (place, f"{row.id} {row.name} is linked to {linked[row.id].slug}")
                )
            else:
                fits[row.id].append(place)
        for row_id, fitting in fits.items():
            if len(fitting) > 1:
                row = by_id[row_id]
                for place in fitting:
                    unmatched["ambiguous"].append(
                        (place, f"GeoNames {row.id} {row.name} fits several places: "
                         f"{', '.join(p.slug for p in fitting)}")
                    )
            else:
                chosen[fitting[0].pk] = by_id[row_id]
        self.progress(f"matched {len(chosen):,} places")

        # Enrich: id, coordinates where missing, population, names.
        new_names, changed = [], []
        for place in places:
            row = chosen.get(place.pk)
            if row is None:
                continue
            fields = set()
            if place.geonames_id != row.id:
                place.geonames_id = row.id
                fields.add("geonames_id")
                stats["linked"] += 1
            if place.latitude is None and place.longitude is None:
                place.latitude, place.longitude = row.lat, row.lng
                fields |= {"latitude", "longitude"}
                stats["coordinates filled"] += 1
            elif LIST_POINT in drawn_at(place.notes):
                # Drawn where a twin-town list put it: the gazetteer's point of the place itself is better.
                place.latitude, place.longitude = row.lat, row.lng
                place.notes = with_drawn_at(place.notes, "")
                fields |= {"latitude", "longitude", "notes", "search_text"}
                stats["coordinates filled"] += 1
            if row.population is not None and place.population != row.population:
                place.population = row.population
                fields.add("population")
                stats["population set"] += 1
            have = {place.name, place.name_native, *names[place.pk]}
            added = []
            for name in row.names:
                if name in have:
                    continue
                have.add(name)
                if len(name) > NAME_MAX:
                    stats["names too long to keep"] += 1
                    continue
                kind = NameKind.TRANSLITERATION if is_latin(name) and name == name.lower() else NameKind.VARIANT
                new_names.append(PlaceName(place_id=place.pk, name=name, kind=kind, source=source))
                added.append(name)
            if added:
                names[place.pk].extend(added)
                fields.add("search_text")
            if "search_text" in fields:
                place.search_text = place.folded_search_text(sorted(names[place.pk]))
            if fields:
                changed.append((place, fields))
        stats["names added"] = len(new_names)
        stats["places enriched"] = len(changed)
        bulk_create(PlaceName, new_names, self.progress, "names")
        self.progress(f"added {len(new_names):,} names")
        for fields in sorted({frozenset(f) for _, f in changed}, key=sorted):
            bulk_set(Place, [place for place, f in changed if f == fields], sorted(fields))
        self.progress(f"updated {len(changed):,} places")
        stats["matched"] = len(chosen)
        self.draw(by_id, source, stats, unmatched)
        return stats, unmatched

    def draw(self, by_id, source, stats, unmatched):
        """Draw the curated places that are not populated places at their stated GeoNames point.

        REPRESENTATIVE_POINTS names the point of each (a province at its
        capital); the place gets its coordinates and a notes line saying which
        point it is, and cites the row ("geonameid N"). A place with
        coordinates of its own is left alone.
        """
        entries = {slug: entry for slug, entry in REPRESENTATIVE_POINTS.items() if entry[0] == "geonames"}
        for place in Place.objects.filter(slug__in=entries).order_by("slug"):
            _, geonameid, what = entries[place.slug]
            row = by_id.get(geonameid)
            if row is None:
                unmatched["representative point not in this file"].append((place, f"geonameid {geonameid}"))
                continue
            note = drawn_at(place.notes)
            if place.latitude is not None and not note:
                continue  # coordinates of its own
            point = f"{what} (GeoNames {row.id} {row.name})"
            if (place.latitude, place.longitude) != (row.lat, row.lng) or note != f"Drawn at {point}.":
                place.latitude, place.longitude = row.lat, row.lng
                place.notes = with_drawn_at(place.notes, point)
                place.save(update_fields=["latitude", "longitude", "notes"])  # saves refresh its search text
                stats["drawn at a representative point"] += 1
            stats["citations created"] += cite_once(place, source, f"geonameid {row.id}", row.raw)

    def match(self, place, other_names, primary, alternate):
        """(GeoRow, None) or (None, (reason, detail))."""
        keys = {fold(place.name), fold(place.name_native)} | {fold(n) for n in other_names}
        if "," in place.name:  # "Salisbury, Maryland": the town's name before the comma
            keys.add(fold(place.name.split(",")[0]))
        keys.discard("")
        code = place.country.code
        # A representative point (a province drawn at its capital) does not locate the place itself.
        note = drawn_at(place.notes)
        located = place.latitude is not None and (not note or LIST_POINT in note)
        too_far = None
        # Without coordinates to confirm it, an alternate name alone is too weak (Aken, Saxony-Anhalt, is also
        # the Dutch name of Aachen): only the row's own name counts.
        tiers = (("name", primary), ("alternate name", alternate)) if located else (("name", primary),)
        for tier, index in tiers:
            candidates = {row.id: row for key in keys for row in index.get((key, code), ())}
            if not candidates:
                continue
            if located:
                distances = {
                    i: distance_km(place.latitude, place.longitude, r.lat, r.lng) for i, r in candidates.items()
                }
                near = {i: r for i, r in candidates.items() if distances[i] <= NEAR_KM}
                if not near:
                    nearest = min(distances.values())
                    too_far = too_far if too_far is not None and too_far < nearest else nearest
                    continue
                candidates = near
            if len(candidates) == 1:
                return next(iter(candidates.values())), None
            listed = ", ".join(f"{r.id} {r.name}" for r in sorted(candidates.values(), key=lambda r: r.id))
            return None, ("ambiguous", f"several GeoNames rows by {tier}: {listed}")
        if too_far is not None:
            return None, ("too far", f"the nearest GeoNames row of that name lies {too_far:,.0f} km away")
        return None, ("no GeoNames row of that name in the country", "")

    # -----------------------------------------------------------------------
    # Report

    def summary(self, path, rows, result, dry_run):
        stats, unmatched = result
        self.report_problems()
        if self.verbosity < 1:
            return
        out = self.stdout.write
        for reason in sorted(unmatched):
            if reason == "no GeoNames row of that name in the country" and self.verbosity < 2:
                continue
            items = sorted(unmatched[reason], key=lambda item: item[0].slug)
            shown = items if self.verbosity >= 2 or reason == "ambiguous" else items[:EXAMPLES]
            out(f"Not matched, {reason}:")
            for place, detail in shown:
                out(f"  {place.slug} ({place.country.code}){': ' + detail if detail else ''}")
            if len(shown) < len(items):
                out(f"  ... and {len(items) - len(shown):,} more (-v 2 lists them all)")
        out(f"{'Dry run of' if dry_run else 'Imported'} {path}")
        out(f"  GeoNames rows read:      {len(rows) + len(self.problems):,} ({len(self.problems):,} with problems)")
        out(
            f"  places matched:          {stats['matched']:,} ({stats['linked']:,} newly linked, "
            f"{stats['already linked']:,} already linked)"
        )
        out(
            f"  places enriched:         {stats['places enriched']:,} "
            f"(coordinates filled {stats['coordinates filled']:,}, population set {stats['population set']:,})"
        )
        out(f"  names added:             {stats['names added']:,}")
        out(
            f"  representative points:   {stats['drawn at a representative point']:,} places drawn "
            f"(a province at its capital, ...), {stats['citations created']:,} citations created"
        )
        out("  places not matched:")
        for reason in sorted(unmatched, key=lambda r: -len(unmatched[r])):
            out(f"    {reason}: {len(unmatched[reason]):,}")
        for reason in ("not a city or municipality", "qualified name", "linked to an id not in this file"):
            if stats[reason]:
                out(f"    {reason} (not tried): {stats[reason]:,}")
        if stats["names too long to keep"]:
            out(f"  names longer than {NAME_MAX} characters, not kept: {stats['names too long to keep']:,}")
        self.report_footer(dry_run)
