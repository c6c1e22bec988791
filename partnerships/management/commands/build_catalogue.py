"""Build the catalogue on a start: the schema, the curated catalogue, then the world's open data; skip it when done.

Steps, each timed on the terminal:

1. the database schema (``migrate``);
2. the curated catalogue (``load_catalogue``: fixtures/*.json);
3. the twin towns (``import_twin_towns data/twin_cities_wikipedia.csv.gz``);
4. the gazetteer (``import_geonames data/geonames_cities15000.txt.gz``);
5. Wikidata's twin towns (``import_wikidata data/wikidata_p190_names.tsv.gz
   data/wikidata_p190_relations.tsv.gz``).

``--curated`` stops after step 2. Every step is idempotent and runs in its own
transaction, so a build that fails part way is simply run again.

A finished build is recorded (partnerships.builds.CatalogueBuild) with a
fingerprint of everything it read: the scope, the fixtures, the data files,
the code of the importers and the latest migration. When the latest build
has the fingerprint of what a build would read now, nothing is done: a
second start costs a second. Change a fixture, a data file or an importer
and the next start builds again (on top of what is there: the imports meet
their own earlier rows and change only what changed). ``--force`` builds
whatever the fingerprint says.
"""

import hashlib
import io
import time
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from partnerships.builds.models import CatalogueBuild, Scope
from partnerships.management.commands.load_catalogue import FIXTURES
from partnerships.models import Partnership, Place

DATA = Path(settings.BASE_DIR) / "data"
TWIN_TOWNS = "twin_cities_wikipedia.csv.gz"
GEONAMES = "geonames_cities15000.txt.gz"
WIKIDATA_NAMES = "wikidata_p190_names.tsv.gz"
WIKIDATA_RELATIONS = "wikidata_p190_relations.tsv.gz"
DATA_FILES = [TWIN_TOWNS, GEONAMES, WIKIDATA_NAMES, WIKIDATA_RELATIONS]
# The code that decides what the data becomes: a change to it rebuilds.
CODE = [
    Path(__file__).resolve().parent / f"{name}.py"
    for name in ("load_catalogue", "import_twin_towns", "import_geonames", "import_wikidata")
] + [Path(__file__).resolve().parents[2] / "importing.py"]


def fingerprint(scope, data_dir=DATA):
    """sha256 of everything a build of this scope reads, and of the code and schema that read it."""
    digest = hashlib.sha256(f"scope {scope}\n".encode())
    files = sorted(FIXTURES.glob("*.json")) + CODE
    if scope == Scope.WORLD:
        files += [Path(data_dir) / name for name in DATA_FILES]
    for path in files:
        digest.update(f"{path.name} {path.stat().st_size}\n".encode())
        digest.update(path.read_bytes())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest.update(" ".join(sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())).encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Build the catalogue: migrate, load the curated catalogue, then import the twin towns, the GeoNames "
        "gazetteer and Wikidata's twin towns from data/*.gz (--curated: the curated catalogue only). Each step is "
        "timed. Does nothing when the last build read the very same files (--force builds anyway)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--curated", action="store_true", help="Only the curated catalogue (fixtures/), not the world's data."
        )
        parser.add_argument("--force", action="store_true", help="Build even when nothing has changed.")
        parser.add_argument(
            "--data", default=str(DATA), help=f"The folder of the data files (default {DATA}): {', '.join(DATA_FILES)}."
        )

    def handle(self, *args, curated=False, force=False, data=str(DATA), verbosity=1, **options):
        self.verbosity = verbosity
        self.report = []
        self.steps = 0
        start = time.monotonic()
        scope = Scope.CURATED if curated else Scope.WORLD
        data_dir = Path(data)
        if scope == Scope.WORLD:
            missing = [name for name in DATA_FILES if not (data_dir / name).is_file()]
            if missing:
                raise CommandError(
                    f"{data_dir}: {', '.join(missing)} not found; the world's catalogue is built from them "
                    "(build_catalogue --curated builds the curated catalogue alone). Nothing built."
                )

        self.step("database schema", lambda: call_command("migrate", interactive=False, verbosity=0))
        print_ = self.stdout.write
        wanted = fingerprint(scope, data_dir)
        latest = CatalogueBuild.objects.order_by("-finished", "-id").first()
        if latest and latest.fingerprint == wanted and not force:
            if verbosity >= 1:
                print_(
                    f"The catalogue is up to date: {latest.get_scope_display()}, built "
                    f"{latest.finished:%Y-%m-%d %H:%M} in {latest.seconds:.1f}s from these very files. "
                    f"Nothing to do ({time.monotonic() - start:.1f}s; --force builds anyway)."
                )
            return

        if verbosity >= 1:
            print_(f"Building {Scope(scope).label} ({connection.vendor}).")
        self.step("curated catalogue (fixtures/)", self.load_curated)
        if scope == Scope.WORLD:
            self.step(f"twin towns ({TWIN_TOWNS})", lambda: self.run("import_twin_towns", data_dir / TWIN_TOWNS))
            self.step(f"gazetteer ({GEONAMES})", lambda: self.run("import_geonames", data_dir / GEONAMES))
            self.step(
                f"Wikidata ({WIKIDATA_NAMES}, {WIKIDATA_RELATIONS})",
                lambda: self.run("import_wikidata", data_dir / WIKIDATA_NAMES, data_dir / WIKIDATA_RELATIONS),
            )
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: until autovacuum gets to the new rows, it reads "no rows" and
            # chooses full scans (a source's page spent 171 ms in SQL instead of 18 after the world's import).
            self.step("planner statistics (ANALYZE)", analyze)
        seconds = time.monotonic() - start
        places, partnerships = Place.objects.count(), Partnership.objects.count()
        drawn = Place.objects.exclude(latitude=None).count()
        total = (
            f"Catalogue built in {seconds:.1f}s: {places:,} places ({drawn:,} with coordinates), "
            f"{partnerships:,} partnerships."
        )
        self.report.append(total)
        CatalogueBuild.objects.create(
            fingerprint=wanted, scope=scope, seconds=round(seconds, 2), report="\n".join(self.report)
        )
        if verbosity >= 1:
            print_(self.style.SUCCESS(total))

    def step(self, title, action):
        """Run one step, announcing it first and timing it."""
        self.steps += 1
        number = self.steps
        if self.verbosity >= 1:
            self.stdout.write(f"[{number}] {title} ...")
            self.stdout.flush()
        began = time.monotonic()
        action()
        took = f"[{number}] {title}: {time.monotonic() - began:.1f}s"
        self.report.append(took)
        if self.verbosity >= 1:
            self.stdout.write(f"    done in {time.monotonic() - began:.1f}s")

    def load_curated(self):
        fixtures = sorted(FIXTURES.glob("*.json"))
        call_command("load_catalogue", verbosity=0)
        line = f"Loaded {len(fixtures)} fixtures: {', '.join(path.name for path in fixtures)}"
        self.report.append(line)
        if self.verbosity >= 1:
            self.stdout.write(f"    {line}")

    def run(self, command, *paths):
        """Run a command; with -v 2 its whole output streams by, else its closing summary is shown and kept."""
        if self.verbosity >= 2:
            call_command(command, *map(str, paths), verbosity=1, stdout=self.stdout)
            return
        out = io.StringIO()
        call_command(command, *map(str, paths), verbosity=1, stdout=out)
        lines = out.getvalue().splitlines()
        first = next((i for i, line in enumerate(lines) if line.startswith("Imported ")), 0)
        summary = [line for line in lines[first:] if not line.strip().startswith("time:")]
        self.report += summary
        if self.verbosity >= 1:
            for line in summary:
                self.stdout.write(f"    {line}")


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
