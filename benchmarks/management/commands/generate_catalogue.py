"""Fill the database with a large, realistic, deterministic synthetic catalogue.

    python manage.py generate_catalogue --meetings 1000000 --seed 1

Places across sixty countries with names in their own scripts, partnerships
with a heavy-tailed number of partners per place and dated status histories,
people with offices, delegations with members, meetings with host and guest
participants, topics from the curated hierarchy, uncertain dates of every
precision, outcomes, and sources whose sentences are cited by the meetings.

Rows go straight into the tables, in chunks, bypassing model saves: COPY on
PostgreSQL, executemany on SQLite, from the same generated rows. So the
derived `search_text` is computed here with the same `fold` the models use.
Slugs start with a run prefix (`g<seed>` unless --prefix says otherwise),
so a run adds to an existing catalogue without colliding with it, and the
same seed always gives the same slugs and content.

On PostgreSQL a run of 100,000 meetings or more drops the non-unique indexes
of the tables it fills and builds them again at the end, inside its one
transaction (faster than updating them row by row); other sessions wait for
the tables meanwhile. Run it on a database nobody is editing.
"""

import datetime
import random
import time
from bisect import bisect
from collections import Counter
from itertools import accumulate

import jdatetime
from django.core.management import BaseCommand, CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django_countries import countries

from benchmarks import synthetic
from partnerships.models import (
    Citation,
    Delegation,
    DelegationMember,
    Meeting,
    Office,
    Organisation,
    Outcome,
    Participant,
    Partnership,
    Person,
    Place,
    PlaceName,
    Source,
    StatusStep,
    Topic,
    Venue,
)
from partnerships.text import fold

COUNTRY_NAMES = dict(countries)
TODAY = datetime.date(2026, 6, 30)  # fixed, so that a seed always gives the same catalogue
STATUS_PATHS = [
    ["first_contact", "cooperation", "protocol_of_intent", "twinning"],
    ["first_contact", "friendship", "twinning"],
    ["protocol_of_intent", "friendship"],
    ["twinning"],
    ["first_contact", "cooperation"],
    ["cooperation", "protocol_of_intent", "twinning", "suspended"],
    ["friendship", "twinning", "ended"],
]
PRECISIONS = ["day", "days", "month", "half", "year", ""]
STANDALONE_PRECISION_WEIGHTS = list(accumulate([55, 12, 13, 5, 10, 5]))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PERSIAN_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
                  "اسفند"]
HOST_OFFICES = {
    "country": ["Ambassador of {c}", "Minister Counsellor of {c}", "Consul General of {c}"],
    "province": ["Governor of {p}", "Deputy Governor of {p}", "Minister of Economy of {p}",
                 "Head of External Relations, {p}"],
    "region": ["Chair of the Regional Council of {p}", "Regional Director of {p}"],
    "city": ["Mayor of {p}", "Deputy Mayor of {p}", "Head of International Relations, {p}", "City Councillor of {p}"],
    "municipality": ["Mayor of {p}", "Chief Executive of {p} municipality", "Councillor of {p}"],
}
KIND_NAMES = ["visit", "meeting", "signing", "event"]
KIND_WEIGHTS = list(accumulate([35, 45, 8, 12]))
EVENTS = ["trade fair", "culture festival", "investment forum", "youth games", "music festival", "conference"]
AGREEMENTS = ["cooperation agreement", "protocol of intent", "twinning agreement", "memorandum of understanding"]
VENUES = [("town hall", "government"), ("museum of history", "museum"), ("port", "port"),
          ("university", "university"), ("hospital", "hospital"), ("war museum", "museum"),
          ("concert hall", "culture")]
OUTCOMES = [("agreement", "done", "Agreement on {t} signed"), ("invitation", "done", "Invitation to {h} extended"),
            ("follow_up", "planned", "Follow-up visit on {t} planned"),
            ("proposal", "proposed", "Proposal for cooperation in {t}"), ("commitment", "done", "Joint {t} programme")]
ROLES_HOST = ["leader", "participant", "participant", "guide", "presenter", "contact"]
ROLES_GUEST = ["member", "member", "participant"]
CHUNK_MEETINGS = 50_000
REBUILD_INDEXES_FROM = 100_000


def cumulative(weights):
    return list(accumulate(weights))


class Sink:
    """Writes rows into a model's table: COPY on PostgreSQL, executemany elsewhere; same rows for both.

    Values are what the database stores (ids for relations, codes for
    choices). Fields a row does not give get their model default, so a
    field added later with a default does not break the generator.
    """

    def __init__(self, stdout):
        self.stdout = stdout
        self.postgres = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.next_ids = {}
        self.counts = Counter()

    def ids(self, model, n):
        """A block of n fresh primary keys for model, in order."""
        if model not in self.next_ids:
            self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            self.next_ids[model] = self.cursor.fetchone()[0] + 1
        first = self.next_ids[model]
        self.next_ids[model] = first + n
        return range(first, first + n)

    def write(self, model, fields, rows):
        if not rows:
            return
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
        columns = [f.column for f in given + rest]
        extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        if extra:
            rows = [row + extra for row in rows]
        table = connection.ops.quote_name(meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.postgres:
            with self.cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            dates = [i for i, f in enumerate(given) if f.get_internal_type() == "DateField"]
            if dates:
                rows = [
                    tuple(v.isoformat() if i in dates and v is not None else v for i, v in enumerate(row))
                    for row in rows
                ]
            marks = ", ".join(["%s"] * len(columns))
            self.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        self.counts[meta.label] += len(rows)

    def reset_sequences(self, models):
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            self.cursor.execute(sql)


class Command(BaseCommand):
    help = "Generate a synthetic catalogue of about N meetings (deterministic for a seed; adds to what is there)."

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=10_000, help="How many meetings (default 10,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same catalogue.")
        parser.add_argument("--prefix", default="", help="Slug prefix of this run (default g<seed>).")
        parser.add_argument(
            "--keep-indexes", action="store_true",
            help="On PostgreSQL, never drop and rebuild the secondary indexes (slower for big runs).",
        )

    def handle(self, *args, meetings, seed, prefix, keep_indexes, **options):
        if meetings < 1:
            raise CommandError("--meetings must be at least 1.")
        self.verbosity = options["verbosity"]
        self.prefix = (prefix or f"g{seed}").lower()
        if fold(self.prefix).replace(" ", "-") != self.prefix:
            raise CommandError("--prefix may hold only lowercase letters, digits and hyphens.")
        if Place.objects.filter(slug__startswith=self.prefix + "-").exists():
            raise CommandError(
                f"A catalogue with the slug prefix “{self.prefix}” is already here: pass another --seed or --prefix."
            )
        self.rng = random.Random(seed)
        self.n = meetings
        self.started = time.monotonic()
        if not Topic.objects.exists():
            call_command("loaddata", "fixtures/00_common.json", verbosity=0)  # the curated topic hierarchy
        with transaction.atomic():
            self.sink = Sink(self.stdout)
            models = [
                Place, PlaceName, Organisation, Venue, Person, Office, Partnership, StatusStep, Delegation,
                DelegationMember, Meeting, Participant, Outcome, Source, Citation,
                Meeting.topics.through, Meeting.citations.through, Delegation.citations.through,
            ]
            rebuild = []
            if self.sink.postgres:
                self.sink.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check each chunk, queue nothing
                self.sink.cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                if meetings >= REBUILD_INDEXES_FROM and not keep_indexes:
                    rebuild = self.drop_indexes([m._meta.db_table for m in models])
            self.places()
            self.people()
            self.partnerships()
            self.meetings()
            if rebuild:
                self.say(f"rebuilding {len(rebuild)} indexes")
                for sql in rebuild:
                    self.sink.cursor.execute(sql)
            self.sink.reset_sequences([m for m in models if not m._meta.auto_created])
        if self.sink.postgres and not connection.in_atomic_block:
            # Statistics for the planner, and the visibility map that lets index-only scans skip the table.
            self.say("vacuum analyze")
            with connection.cursor() as cursor:
                for model in models:
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        total = sum(self.sink.counts.values())
        self.say(f"done: {self.sink.counts['partnerships.Meeting']:,} meetings, {total:,} rows")
        if self.verbosity >= 2:
            for label, n in sorted(self.sink.counts.items()):
                self.stdout.write(f"  {label}: {n:,}")

    def say(self, message):
        if self.verbosity:
            self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    def drop_indexes(self, tables):
        """Drop the non-unique indexes of the tables; return the statements that build them again."""
        cursor = self.sink.cursor
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) AND NOT i.indisunique",
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
        return [definition for _, definition in found]

    # -- dates -------------------------------------------------------------

    def fuzzy(self, start, end, precision):
        """(earliest, latest, precision) for a random day between the ordinals start and end."""
        if not precision:
            return None, None, ""
        day = datetime.date.fromordinal(self.rng.randrange(start, end))
        if precision == "day":
            return day, day, precision
        if precision == "days":
            return day, day + datetime.timedelta(days=self.rng.randrange(1, 5)), precision
        if precision == "month":
            first = day.replace(day=1)
            nxt = (first + datetime.timedelta(days=32)).replace(day=1)
            return first, nxt - datetime.timedelta(days=1), precision
        if precision == "half":
            if day.month < 7:
                return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30), precision
            return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31), precision
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), precision

    def as_written(self, place, earliest, latest, precision):
        """(date as the source writes it, calendar)."""
        if not earliest or self.rng.random() < 0.6:
            return "", "gregorian"
        language = place["language"]
        if language == "fa":
            j = jdatetime.date.fromgregorian(date=earliest)
            if precision == "day":
                text = f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}"
            else:
                text = f"{PERSIAN_MONTHS[j.month - 1]} {j.year}" if precision == "month" else str(j.year)
            return text.translate(synthetic.PERSIAN_DIGITS), "solar_hijri"
        if precision == "day":
            return (f"{earliest:%B} {earliest.day}, {earliest.year}" if language == "en"
                    else f"{earliest.day}.{earliest.month}.{earliest.year}"), "gregorian"
        if precision == "days":
            return f"{earliest.day}–{latest.day}.{latest.month}.{latest.year}", "gregorian"
        if precision == "month":
            return f"{MONTHS[earliest.month - 1]} {earliest.year}", "gregorian"
        if precision == "half":
            return f"{'first' if earliest.month < 7 else 'second'} half of {earliest.year}", "gregorian"
        return str(earliest.year), "gregorian"

    # -- places --------------------------------------------------------------

    def places(self):
        rng, p = self.rng, self.prefix
        n_places = max(30, self.n // 25)
        country_weights = cumulative(rng.paretovariate(1.0) for _ in synthetic.COUNTRIES)
        per_country = Counter(
            synthetic.COUNTRIES[bisect(country_weights, rng.random() * country_weights[-1])][0]
            for _ in range(n_places)
        )
        self.all_places = []
        rows, names = [], []
        ids = self.sink.ids(Place, 2 * n_places + 2 * len(synthetic.COUNTRIES))
        id_iter = iter(ids)
        for code, language, script in synthetic.COUNTRIES:
            count = per_country.get(code, 0)
            if not count:
                continue
            country_name = COUNTRY_NAMES[code]
            members = []
            if rng.random() < 0.5:  # the country itself acts, through its embassy
                members.append(("country", country_name, "", None))
            provinces = []
            for _ in range(max(1, count // 8)):
                latin, native = synthetic.name(rng, language, script)
                provinces.append(len(members))
                members.append((rng.choice(("province", "province", "region")), latin, native, None))
            for _ in range(count):
                latin, native = synthetic.name(rng, language, script)
                level = "city" if rng.random() < 0.7 else "municipality"
                members.append((level, latin, native, rng.choice(provinces)))
            lat0, lon0 = rng.uniform(-45, 65), rng.uniform(-170, 170)
            first_id = None
            for level, latin, native, parent in members:
                pk = next(id_iter)
                first_id = first_id or pk
                slug = f"{p}-{fold(latin).replace(' ', '-')[:60]}-{pk}"
                parent_id = first_id + parent if parent is not None else None
                weight = rng.paretovariate(1.1) if level != "country" else 0.3
                place = {"id": pk, "name": latin, "native": native, "country": code, "country_name": country_name,
                         "language": language, "script": script, "level": level, "weight": weight, "people": []}
                self.all_places.append(place)
                extra = []
                if native:
                    names.append((pk, native, language, "native"))
                    extra.append(native)
                if rng.random() < 0.05:
                    wrong = synthetic.misspelt(rng, latin)
                    if wrong not in (latin, native):
                        names.append((pk, wrong, "en", "misspelling"))
                        extra.append(wrong)
                population = int(rng.lognormvariate(10.5, 1.4)) if level != "country" else None
                lat = round(lat0 + rng.uniform(-8, 8), 4) if level != "country" else None
                lon = round(lon0 + rng.uniform(-8, 8), 4) if level != "country" else None
                search = fold(" ".join([slug, latin, native, country_name, *extra]))
                rows.append((pk, slug, latin, native, language if native else "", level, code, parent_id,
                             lat, lon, population, search))
        self.sink.write(
            Place,
            ["id", "slug", "name", "name_native", "native_language", "level", "country", "parent", "latitude",
             "longitude", "population", "search_text"],
            rows,
        )
        self.sink.write(PlaceName, ["place", "name", "language", "kind"], names)
        self.place_cum = cumulative(pl["weight"] for pl in self.all_places)
        self.say(f"{len(rows):,} places, {len(names):,} other names")

        # An organisation (its government or embassy) for every place; venues in the busier ones.
        orgs, venues = [], []
        org_ids = self.sink.ids(Organisation, len(self.all_places))
        for place, pk in zip(self.all_places, org_ids, strict=True):
            place["org"] = pk
            if place["level"] == "country":
                name, kind = f"Embassy of {place['name']}", "embassy"
            elif place["level"] in ("province", "region"):
                name, kind = f"Government of {place['name']}", "government"
            else:
                name, kind = f"{place['name']} municipal administration", "government"
            slug = f"{p}-org-{pk}"
            orgs.append((pk, slug, name, kind, place["id"], fold(f"{slug} {name} {kind}")))
        self.sink.write(Organisation, ["id", "slug", "name", "kind", "place", "search_text"], orgs)
        busy = sorted(self.all_places, key=lambda pl: -pl["weight"])[: max(3, len(self.all_places) // 6)]
        venue_ids = iter(self.sink.ids(Venue, 3 * len(busy)))
        for place in busy:
            place["venues"] = []
            for label, _ in rng.sample(VENUES, rng.randint(1, 3)):
                pk = next(venue_ids)
                name = f"{place['name']} {label}"
                slug = f"{p}-venue-{pk}"
                place["venues"].append(pk)
                venues.append((pk, slug, name, place["id"], place["org"], fold(f"{slug} {name}")))
        self.sink.write(Venue, ["id", "slug", "name", "place", "organisation", "search_text"], venues)
        self.say(f"{len(orgs):,} organisations, {len(venues):,} venues")

    # -- people ----------------------------------------------------------------

    def people(self):
        rng, p = self.rng, self.prefix
        n_people = max(60, self.n // 6)
        places = self.all_places
        homes = list(range(len(places))) + [
            bisect(self.place_cum, rng.random() * self.place_cum[-1]) for _ in range(max(0, n_people - len(places)))
        ]
        people, offices = [], []
        person_ids = self.sink.ids(Person, len(homes))
        office_ids = iter(self.sink.ids(Office, 2 * len(homes)))
        lo, hi = datetime.date(1990, 1, 1).toordinal(), TODAY.toordinal()
        for pk, home in zip(person_ids, homes, strict=True):
            place = places[home]
            latin, native = synthetic.person_name(rng, place["language"], place["script"])
            slug = f"{p}-{fold(latin).replace(' ', '-')[:60]}-{pk}"
            honorific = rng.choice(("", "", "", "Mr.", "Ms.", "Dr."))
            people.append((pk, slug, latin, native, honorific, fold(f"{slug} {latin} {native}")))
            for n in range(1 if rng.random() < 0.7 else 2):
                office = next(office_ids)
                title = rng.choice(HOST_OFFICES[place["level"]]).format(p=place["name"], c=place["name"])
                earliest, latest, precision = self.fuzzy(lo, hi, "year" if n else rng.choice(("year", "", "")))
                o_slug = f"{p}-office-{office}"
                offices.append((office, o_slug, pk, title, place["org"], place["id"], earliest, latest, precision,
                                fold(f"{o_slug} {title}")))
                if n == 0:
                    place["people"].append((pk, office))
        self.sink.write(Person, ["id", "slug", "name", "name_native", "honorific", "search_text"], people)
        self.sink.write(
            Office,
            ["id", "slug", "person", "title", "organisation", "place", "date_earliest", "date_latest",
             "date_precision", "search_text"],
            offices,
        )
        self.say(f"{len(people):,} people, {len(offices):,} offices")

    # -- partnerships ---------------------------------------------------------

    def partnerships(self):
        rng, p = self.rng, self.prefix
        places, cum = self.all_places, self.place_cum
        n_pairs = max(10, self.n // 20)
        pairs, seen = [], set()
        attempts = 0
        while len(pairs) < n_pairs and attempts < 50 * n_pairs:
            attempts += 1
            a = bisect(cum, rng.random() * cum[-1])
            b = bisect(cum, rng.random() * cum[-1])
            key = (min(a, b), max(a, b))
            if a == b or key in seen:
                continue
            seen.add(key)
            pairs.append((a, b))
        ids = self.sink.ids(Partnership, len(pairs))
        step_ids = iter(self.sink.ids(StatusStep, 4 * len(pairs)))
        rows, steps = [], []
        self.pairs = []
        for pk, (a, b) in zip(ids, pairs, strict=True):
            pa, pb = places[a], places[b]
            slug = f"{p}-{fold(pa['name']).replace(' ', '-')[:40]}-{fold(pb['name']).replace(' ', '-')[:40]}-{pk}"
            title = f"{pa['name']} – {pb['name']}"
            rows.append((pk, slug, pa["id"], pb["id"],
                         fold(" ".join([slug, title, pa["name"], pa["native"], pb["name"], pb["native"]]))))
            year = min(2025, int(1955 + 70 * rng.random() ** 0.6))
            since = datetime.date(year, 1, 1).toordinal()
            path = rng.choice(STATUS_PATHS)
            undated = rng.random() < 0.08
            for status in path:
                step = next(step_ids)
                s_slug = f"{p}-step-{step}"
                if undated:
                    earliest, latest, precision = None, None, ""
                else:
                    end = min(TODAY.toordinal(), since + 365 * 6)
                    earliest, latest, precision = self.fuzzy(since, end, rng.choice(("day", "month", "year")))
                    since = latest.toordinal() + 1
                    if since >= TODAY.toordinal():
                        since = TODAY.toordinal() - 1
                text = f"{status.replace('_', ' ').capitalize()} between {pa['name']} and {pb['name']}."
                steps.append((step, s_slug, pk, status, text, earliest, latest, precision, fold(f"{s_slug} {text}")))
            weight = (pa["weight"] * pb["weight"]) ** 0.75
            self.pairs.append((pk, a, b, year, weight))
        self.sink.write(Partnership, ["id", "slug", "place_a", "place_b", "search_text"], rows)
        self.sink.write(
            StatusStep,
            ["id", "slug", "partnership", "status", "description", "date_earliest", "date_latest",
             "date_precision", "search_text"],
            steps,
        )
        self.pair_cum = cumulative(pair[4] for pair in self.pairs)
        self.say(f"{len(rows):,} partnerships, {len(steps):,} status steps")

    # -- meetings, delegations, participants, outcomes, sources ---------------

    def meetings(self):
        topics = list(Topic.objects.order_by("slug").values_list("pk", "name"))
        self.topics = topics
        self.topic_cum = cumulative(1 / (i + 1) ** 0.8 for i in range(len(topics)))
        done = 0
        while done < self.n:
            size = min(CHUNK_MEETINGS, self.n - done)
            self.chunk(size)
            done += size
            self.say(f"meetings {done:,}/{self.n:,}; {sum(self.sink.counts.values()):,} rows so far")

    def pick_people(self, place, k):
        people = place["people"]
        if not people:
            return []
        return self.rng.sample(people, min(k, len(people)))

    def chunk(self, size):
        """Generate and write `size` meetings with their delegations, participants, outcomes and sources."""
        rng, p, sink = self.rng, self.prefix, self.sink
        places, pairs, pair_cum, place_cum = self.all_places, self.pairs, self.pair_cum, self.place_cum
        meeting_ids = iter(sink.ids(Meeting, size))
        delegation_ids = iter(sink.ids(Delegation, size))
        outcome_ids = iter(sink.ids(Outcome, size))
        source_ids = iter(sink.ids(Source, size))
        citation_ids = iter(sink.ids(Citation, size))
        delegations, members, meetings, participants, topics_rows = [], [], [], [], []
        outcomes, sources, citations, meeting_cites, delegation_cites = [], [], [], [], []
        today = TODAY.toordinal()
        made = 0
        while made < size:
            planned = rng.random() < 0.04
            if rng.random() < 0.8:  # a visit within a partnership
                pair = pairs[bisect(pair_cum, rng.random() * pair_cum[-1])]
                partnership, a, b, year = pair[0], pair[1], pair[2], pair[3]
                guest, host = (places[a], places[b]) if rng.random() < 0.5 else (places[b], places[a])
                start = datetime.date(year, 1, 1).toordinal()
                k = min(size - made, rng.choice((1, 1, 2, 2, 3, 4, 5)))
                if planned:
                    d0, d1, precision = self.fuzzy(today + 1, today + 900, rng.choice(("month", "half", "year")))
                else:
                    span = rng.choice((0, 0, 1, 2, 3, 4))
                    day = rng.randrange(start, today - 5)
                    d0 = datetime.date.fromordinal(day)
                    d1 = datetime.date.fromordinal(day + span)
                    precision = "days" if span else "day"
            else:  # a meeting or event in one place, outside any partnership
                partnership, guest = None, None
                host = places[bisect(place_cum, rng.random() * place_cum[-1])]
                k = 1
                if planned:
                    d0, d1, precision = self.fuzzy(today + 1, today + 900, rng.choice(("month", "half", "year")))
                else:
                    precision = PRECISIONS[bisect(STANDALONE_PRECISION_WEIGHTS, rng.random() * 100)]
                    d0, d1, precision = self.fuzzy(datetime.date(1960, 1, 1).toordinal(), today - 5, precision)
            status = "planned" if planned else "held"
            delegation, guests = None, []
            if guest and rng.random() < 0.85:
                delegation = next(delegation_ids)
                guests = self.pick_people(guest, rng.randint(1, 5))
                title = f"{guest['name']} delegation to {host['name']}"
                if d0:
                    title += f", {MONTHS[d0.month - 1]} {d0.year}"
                d_slug = f"{p}-delegation-{delegation}"
                purpose = f"To advance the partnership of {guest['name']} and {host['name']}."
                delegations.append((delegation, d_slug, title, guest["id"], host["id"], guest["org"], host["org"],
                                    partnership, purpose, d0, d1, precision if d0 else "",
                                    fold(f"{d_slug} {title} {purpose}")))
                for i, (person, office) in enumerate(guests):
                    members.append((delegation, person, office, "leader" if i == 0 else "member"))
            source = None
            if rng.random() < 0.5:
                source = next(source_ids)
                language = host["language"] if rng.random() < 0.6 else "en"
                source_sentences = []
            for _ in range(k):
                meeting = next(meeting_ids)
                made += 1
                kind = KIND_NAMES[bisect(KIND_WEIGHTS, rng.random() * 100)]
                chosen = {self.topics[bisect(self.topic_cum, rng.random() * self.topic_cum[-1])]
                          for _ in range(rng.choice((1, 1, 2, 2, 3)))}
                subject = " and ".join(sorted(name.lower() for _, name in chosen))
                venue = rng.choice(host["venues"]) if host.get("venues") and rng.random() < 0.4 else None
                if guest:
                    title = {
                        "visit": f"{guest['name']} delegation visits {host['name']}",
                        "meeting": f"Meeting of {guest['name']} and {host['name']} on {subject}",
                        "signing": f"Signing of a {rng.choice(AGREEMENTS)} between {host['name']} and {guest['name']}",
                        "event": f"{guest['name']} at the {host['name']} {rng.choice(EVENTS)}",
                    }[kind]
                    summary = f"Officials of {guest['name']} and {host['name']} discussed {subject}."
                else:
                    title = {
                        "visit": f"Visit to {host['name']}",
                        "meeting": f"Meeting in {host['name']} on {subject}",
                        "signing": f"Signing of a {rng.choice(AGREEMENTS)} in {host['name']}",
                        "event": f"{host['name']} {rng.choice(EVENTS)}",
                    }[kind]
                    summary = f"Officials in {host['name']} discussed {subject}."
                if delegation and d0 and k > 1 and rng.random() < 0.8:
                    day = rng.randrange(d0.toordinal(), d1.toordinal() + 1)
                    m0 = m1 = datetime.date.fromordinal(day)
                    m_precision = "day"
                else:
                    m0, m1, m_precision = d0, d1, precision if d0 else ""
                original, calendar = self.as_written(host, m0, m1, m_precision)
                m_slug = f"{p}-{fold(title).replace(' ', '-')[:60]}-{meeting}"
                meetings.append((meeting, m_slug, title, kind, status, host["id"], venue, delegation, partnership,
                                 summary, m0, m1, m_precision, original, calendar,
                                 fold(f"{m_slug} {title} {summary}")))
                for topic, _ in chosen:
                    topics_rows.append((meeting, topic))
                hosts = self.pick_people(host, rng.choice((1, 1, 2, 3)))
                taken = set()
                for i, (person, office) in enumerate(hosts):
                    taken.add(person)
                    participants.append((meeting, person, office, "host", "leader" if i == 0 else
                                         rng.choice(ROLES_HOST)))
                if guests:
                    present = guests if rng.random() < 0.5 else guests[: rng.randint(1, len(guests))]
                    for i, (person, office) in enumerate(present):
                        if person not in taken:
                            taken.add(person)
                            participants.append((meeting, person, office, "guest", "leader" if i == 0 else
                                                 rng.choice(ROLES_GUEST)))
                if rng.random() < 0.12:
                    kind_o, status_o, label = rng.choice(OUTCOMES)
                    outcome = next(outcome_ids)
                    o_title = label.format(t=subject, h=host["name"])
                    if status_o == "done" or not m0:
                        o0, o1, o_precision = m0, m1, m_precision
                    else:
                        base = max(m1.toordinal(), today - 3000) + 30
                        o0, o1, o_precision = self.fuzzy(base, base + 700, rng.choice(("month", "half", "year")))
                    made_by = hosts[0][0] if hosts else None
                    o_slug = f"{p}-outcome-{outcome}"
                    outcomes.append((outcome, o_slug, kind_o, status_o, o_title, meeting, partnership, made_by,
                                     o0, o1, o_precision, fold(f"{o_slug} {o_title}")))
                if source:
                    citation = next(citation_ids)
                    english = f"{title} ({m0.isoformat() if m0 else 'date not given'}): {summary}"
                    passage = self.sentence(language, guest, host, m0) or english
                    c_slug = f"{p}-citation-{citation}"
                    source_sentences.append(passage)
                    citations.append((citation, c_slug, source, passage, english if passage != english else "",
                                      f"paragraph {len(source_sentences)}",
                                      fold(f"{c_slug} {passage} {english if passage != english else ''}")))
                    meeting_cites.append((meeting, citation))
                    if delegation and len(source_sentences) == 1:
                        delegation_cites.append((delegation, citation))
            if source:
                headline = (f"{guest['name']} delegation in {host['name']}" if guest
                            else f"News from {host['name']}")
                s_slug = f"{p}-source-{source}"
                text = "\n\n".join([headline, *source_sentences])
                publisher = f"{host['name']} news"
                pub = m1 + datetime.timedelta(days=rng.randrange(0, 4)) if m1 and not planned else None
                title = headline if language == "en" else source_sentences[0][:300]
                sources.append((source, s_slug, "document", title, "" if language == "en" else headline,
                                publisher, language, text, pub, pub, "day" if pub else "",
                                fold(f"{s_slug} {title} {headline} {publisher} {text}")))
        sink.write(
            Delegation,
            ["id", "slug", "title", "origin", "destination", "organisation", "invited_by", "partnership", "purpose",
             "date_earliest", "date_latest", "date_precision", "search_text"],
            delegations,
        )
        sink.write(
            Meeting,
            ["id", "slug", "title", "kind", "status", "place", "venue", "delegation", "partnership", "summary",
             "date_earliest", "date_latest", "date_precision", "date_original", "date_calendar", "search_text"],
            meetings,
        )
        sink.write(DelegationMember, ["delegation", "person", "office", "role"], members)
        sink.write(Participant, ["meeting", "person", "office", "side", "role"], participants)
        sink.write(Meeting.topics.through, ["meeting", "topic"], topics_rows)
        sink.write(
            Outcome,
            ["id", "slug", "kind", "status", "title", "meeting", "partnership", "made_by", "date_earliest",
             "date_latest", "date_precision", "search_text"],
            outcomes,
        )
        sink.write(
            Source,
            ["id", "slug", "kind", "title", "title_english", "publisher", "language", "text", "date_earliest",
             "date_latest", "date_precision", "search_text"],
            sources,
        )
        sink.write(
            Citation, ["id", "slug", "source", "passage", "passage_english", "locator", "search_text"], citations
        )
        sink.write(Meeting.citations.through, ["meeting", "citation"], meeting_cites)
        sink.write(Delegation.citations.through, ["delegation", "citation"], delegation_cites)

    def sentence(self, language, guest, host, day):
        """A source's sentence about a meeting in its own language, or None for English."""
        g = (guest or {}).get("native") or (guest or {}).get("name", "")
        h = host["native"] or host["name"]
        when = f"{day.day}.{day.month}.{day.year}" if day else ""
        if language == "ru":
            return f"{when} делегация {g} провела встречу в {h}." if guest else f"{when} в {h} прошла встреча."
        if language == "fa":
            return f"هیئتی از {g} در {h} دیدار کرد." if guest else f"نشستی در {h} برگزار شد."
        if language == "zh":
            return f"{g}代表团访问了{h}。" if guest else f"{h}举行了会议。"
        if language == "nb":
            return f"Den {when} besøkte en delegasjon fra {g} {h}." if guest else f"Møte i {h} {when}."
        return None
