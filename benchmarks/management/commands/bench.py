"""The benchmark: our pages at a million meetings, beside the raw SQL they run and beside Datasette.

    python manage.py bench                  # what `make bench` runs
    python manage.py bench --pg-meetings 100000 --sqlite-meetings 20000 --reuse
    python manage.py bench --skip-pg --sqlite-meetings 100000 --reuse   # SQLite and Datasette only
    python manage.py bench --pg-meetings 100000 --skip-sqlite --reuse --csv-only   # the CSV export alone
    python manage.py bench --pg-meetings 100000 --skip-sqlite --reuse --csv-only --csv-python   # and as before

For PostgreSQL (BENCH_DATABASE_URL, default a scratch database
`partnerships_bench` that it drops and creates on the local server) and for
SQLite (test-artifacts/bench/bench.sqlite3) it builds a catalogue with
`generate_catalogue` (timed), then, in a fresh process per database with
production settings (DEBUG off, the page cache off, so that every request does
the page's work), asks each page through Django's test client (in-process:
server time without HTTP) and prints median and 95th percentile beside the
floor: the very SQL statements the page ran, captured and replayed on a plain
driver connection (psycopg / sqlite3), with nothing else around. For the CSV
export the floor is PostgreSQL's `COPY (SELECT) TO STDOUT` of the same rows
and columns as plain values, the many-valued ones grouped and joined as the
export's own COPY reads them (SQLite: the same columns in one SELECT,
many-valued ones as correlated subqueries, fetched with the sqlite3 module).
The CSV export runs in a process of its own, so that its peak memory (the
process's VmHWM) is the export's; its resident memory is also sampled as the
rows stream, to show it flat. `--csv-python` also times PostgreSQL's CSV
export made by the Python renderer (what it was before its COPY, and what
SQLite's is), in another process.

Then, on the SQLite file, our site and Datasette side by side over HTTP on
127.0.0.1, printed first, ratios first: our site under gunicorn started with
the Dockerfile's own command line, one worker, the same production settings
(no page is served from the page cache, and no export from a kept file:
checked), beside one `datasette serve` process. The same client code asks
each page of both in turn, round after round, the same number of times, so
that a change in the machine's load falls on both alike: the meetings list
unfiltered, filtered and sorted (Datasette: its table page with the same
filters as `_where` clauses, the same order, and facets on the table's own
columns), a deep page (ours `?page=200`; Datasette's page after 9,950 rows,
where its Next links lead), search, and the CSV of every meeting with labels
(Datasette's `_labels=on`, streamed). The load average is printed with it.
Datasette's figures also fill the Datasette column of the in-process tables.
"""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from partnerships.listing import PAGE_SIZE
from partnerships.text import fold

BASE = Path(settings.BASE_DIR)
SQLITE_PATH = BASE / "test-artifacts" / "bench" / "bench.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/partnerships_bench"
MANAGE = [sys.executable, str(BASE / "manage.py")]
FILTER = {"topic": "health-care", "country": "RU", "date_from": "2015", "date_to": "2020"}
RUNS, TIME_PER_PAGE = 15, 20.0
DEEP_PAGE = 200  # over HTTP: 9,950 rows in, where following Next links 199 times leads


def list_pages():
    """{label: path}: the meetings list as the benchmark asks for it, unfiltered, filtered and sorted."""
    filtered = urllib.parse.urlencode(FILTER)
    return {
        "meetings list, unfiltered": "/meetings/",
        f"meetings list, filtered ({filtered}), with facets": f"/meetings/?{filtered}",
        "meetings list, sorted by title": "/meetings/?sort=title",
    }


def search_page(name):
    return f"search ({name})", f"/search/?q={urllib.parse.quote(name)}"


def http_pages(name):
    """{key: (label, our path)}: the pages compared with Datasette over HTTP; `name` is searched for."""
    lists = list(list_pages().items())
    return {
        "unfiltered": lists[0],
        "filtered": lists[1],
        "sorted": lists[2],
        "deep": (f"meetings list, deep page (page {DEEP_PAGE})", f"/meetings/?page={DEEP_PAGE}"),
        "search": search_page(name),
        "csv": ("CSV of every meeting, with labels", "/meetings/?format=csv"),
    }


def ms(seconds):
    return seconds * 1000


def summary(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"median": ms(statistics.median(times)), "p95": ms(p95), "runs": len(times)}


def repeat(call, runs=RUNS, budget=TIME_PER_PAGE, warmup=2):
    """Time `call` `runs` times (fewer, but at least 3, when it is slow) after `warmup` calls."""
    for _ in range(warmup):
        call()
    times, started = [], time.monotonic()
    while len(times) < runs and (len(times) < 3 or time.monotonic() - started < budget):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return summary(times)


def status_kb(pid, key):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------
# Measuring, inside a process configured for one database


class Measure:
    """Runs in `manage.py bench --measure`: pages, floors; prints JSON."""

    def __init__(self, stdout):
        from django.db import connection
        from django.test import Client

        self.stdout = stdout
        self.connection = connection
        self.client = Client()

    def raw(self):
        """A plain driver connection to the same database, outside Django."""
        db = self.connection.settings_dict
        if self.connection.vendor == "postgresql":
            import psycopg

            return psycopg.connect(
                host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
                password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
            )
        import sqlite3

        return sqlite3.connect(db["NAME"])

    def get(self, path):
        response = self.client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
        if response.streaming:
            for _ in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018 -- rendered already; touch it as a server would
        return response

    def captured(self, path):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(self.connection) as queries:
            self.get(path)
        return [q["sql"] for q in queries.captured_queries]

    def floor(self, statements):
        raw = self.raw()

        def replay():
            cursor = raw.cursor()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

        result = repeat(replay)
        raw.close()
        return result

    def pages(self):
        from django.db.models import Count

        from partnerships.models import (
            Citation,
            Delegation,
            DelegationMember,
            Meeting,
            Participant,
            Partnership,
            Person,
            Place,
            Source,
        )

        def busiest(rows, field):
            rows = rows.objects.all() if isinstance(rows, type) else rows
            row = rows.values(field).annotate(n=Count("*")).order_by("-n", field).first()
            return row[field]

        place = Place.objects.get(pk=busiest(Meeting, "place"))
        meeting = Meeting.objects.get(pk=busiest(Participant, "meeting"))
        partnership_pk = busiest(Meeting.objects.exclude(partnership=None), "partnership")

        topic = Meeting.topics.through.objects.values("topic__slug").annotate(n=Count("*")).order_by("-n").first()
        search_label, search_path = search_page(place.name)
        return {
            **list_pages(),
            "meetings list, deep page (page 10,000)": "/meetings/?page=10000",
            search_label: search_path,
            "place (busiest)": place.get_absolute_url(),
            "partnership (busiest)": Partnership.objects.get(pk=partnership_pk).get_absolute_url(),
            "delegation (most members)": Delegation.objects.get(
                pk=busiest(DelegationMember, "delegation")).get_absolute_url(),
            "meeting (most participants)": meeting.get_absolute_url(),
            "person (most meetings)": Person.objects.get(pk=busiest(Participant, "person")).get_absolute_url(),
            f"topic ({topic['topic__slug']})": f"/topics/{topic['topic__slug']}/",
            "source (most citations)": Source.objects.get(pk=busiest(Citation, "source")).get_absolute_url(),
        }

    def index(self):
        """Build the meetings list's in-memory index, as a web process does once per catalogue version:
        {seconds, MB the process grew by}."""
        from partnerships.listindex import INDEXES
        from partnerships.lists import MeetingList
        from partnerships.publishing import hiding_drafts

        before, started = status_kb(os.getpid(), "VmRSS"), time.perf_counter()
        with hiding_drafts():
            if INDEXES.current(MeetingList) is None:
                raise CommandError("The meetings list's index was not built (was the catalogue written meanwhile?)")
        return {"seconds": time.perf_counter() - started, "mb": (status_kb(os.getpid(), "VmRSS") - before) / 1024}

    def run(self):
        results = {"index of the meetings list": self.index()}
        for label, path in self.pages().items():  # the index is built: no page's figures include building it
            statements = self.captured(path)
            ours = repeat(lambda path=path: self.get(path))
            results[label] = {"path": path, "ours": ours, "queries": len(statements), "floor": self.floor(statements)}
            self.stdout.write(f"  {label}: {ours['median']:.1f} ms", ending="\n")
            self.stdout.flush()
        return results

    def export(self, python=False):
        """Stream /meetings/?format=csv; rows/s, peak and sampled resident memory; then the floor.

        With `python`, the CSV made by the Python renderer (SQLite's, and PostgreSQL's before its COPY), no floor.
        """
        from django.test.utils import CaptureQueriesContext

        from partnerships import exports
        from partnerships.models import Meeting

        if python:
            exports.copied_rows = exports.python_rows

        total = Meeting.objects.count()
        pid = os.getpid()
        before = status_kb(pid, "VmRSS")
        samples, rows, mark = [], 0, total // 4
        with CaptureQueriesContext(self.connection) as queries:
            started = time.perf_counter()
            response = self.client.get("/meetings/?format=csv")
            for chunk in response.streaming_content:
                rows += chunk.count(b"\n")
                if rows >= mark and len(samples) < 4:
                    samples.append((rows, status_kb(pid, "VmRSS") // 1024))
                    mark += total // 4
            elapsed = time.perf_counter() - started
        rows -= 1  # the header
        result = {
            "rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed, "queries": len(queries.captured_queries),
            "rss_before_mb": before // 1024, "rss_samples_mb": samples, "peak_mb": status_kb(pid, "VmHWM") // 1024,
        }
        if python:
            return result
        # The floor: the export's rows and columns as one SELECT of their plain values, as the export
        # reads them on PostgreSQL (many-to-many ones grouped and joined); on SQLite, many-to-many ones
        # as correlated subqueries.
        from partnerships.exports import select_statement, single_select
        from partnerships.lists import MeetingList

        view = MeetingList()
        qs, columns = view.get_queryset(), [c for c in view.columns if c.export]
        ordering = view.ordering(view.default_sort)
        if self.connection.vendor == "postgresql":
            select, params = select_statement(qs, columns, ordering, cells=False)
        else:
            select, params = single_select(qs.order_by(*ordering), columns).query.sql_with_params()
        raw = self.raw()
        started = time.perf_counter()
        copied = 0
        if self.connection.vendor == "postgresql":
            raw.execute("SET max_parallel_workers_per_gather = 0")  # as the export reads it (see exports.py)
            statement = f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER)"
            with raw.cursor() as cursor, cursor.copy(statement, params) as copy:
                for _row in copy:  # a message a row
                    copied += 1
            copied -= 1
            floor_kind = "COPY (same rows and columns, plain values, in one SELECT) TO STDOUT"
        else:
            cursor = raw.cursor()
            cursor.execute(select.replace("%s", "?"), params)
            while batch := cursor.fetchmany(5000):
                copied += len(batch)
            floor_kind = "same columns in one SELECT, fetched with sqlite3"
        floor_elapsed = time.perf_counter() - started
        return {
            **result,
            "floor_rows": copied, "floor_seconds": floor_elapsed, "floor_rows_per_s": copied / floor_elapsed,
            "floor_kind": floor_kind,
        }


# ---------------------------------------------------------------------------
# Over HTTP: our site under gunicorn beside Datasette, on the same SQLite file, asked by the same client


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    """GET url and read its body to the end, as a first visit would: no validators, so never a 304."""
    with urllib.request.urlopen(url, timeout=3600) as response:
        if response.status != 200:
            raise CommandError(f"{url} answered {response.status}")
        while response.read(1 << 16):
            pass


def side_by_side(urls, runs=RUNS, budget=2 * TIME_PER_PAGE, warmup=2):
    """Time fetching each of `urls` in turn, round after round, so that every server gets the same number of
    runs and a change in the machine's load falls on all of them alike: [summary per url]."""
    for _ in range(warmup):
        for url in urls:
            fetch(url)
    times, started = [[] for _ in urls], time.monotonic()
    while len(times[0]) < runs and (len(times[0]) < 3 or time.monotonic() - started < budget):
        for url, kept in zip(urls, times, strict=True):
            t = time.perf_counter()
            fetch(url)
            kept.append(time.perf_counter() - t)
    return [summary(kept) for kept in times]


class Server:
    """A server process listening on 127.0.0.1:`port`, ready once `ready_path` answers."""

    def __init__(self, argv, port, ready_path, env=None, cwd=None):
        self.port = port
        self.log = tempfile.TemporaryFile()  # its error output, shown if it fails to start
        self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(150):
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url(ready_path), timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        raise CommandError(f"{argv[0]} did not start on port {port}: {self.log.read().decode()[-2000:]}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_mb(self):
        return status_kb(self.process.pid, "VmHWM") // 1024

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Gunicorn(Server):
    """Our site as production runs it: the Dockerfile's CMD line (which `make serve` runs), one worker, on the
    loopback interface, with the production settings of `env`. The page cache is off there, so no page and no
    export file is served from a cache: `stop` checks that no export was kept."""

    def __init__(self, env):
        line = next(ln for ln in (BASE / "Dockerfile").read_text().splitlines() if ln.startswith("CMD "))
        if "--bind 0.0.0.0:" not in line:
            raise CommandError("The Dockerfile's CMD line no longer binds 0.0.0.0:$PORT: bench needs updating.")
        line = line.removeprefix("CMD ").replace("--bind 0.0.0.0:", "--bind 127.0.0.1:")
        port = free_port()
        self.export_dir = Path(tempfile.mkdtemp(prefix="bench-exports-"))
        env = dict(env, WEB_CONCURRENCY="1", PORT=str(port), DJANGO_EXPORT_CACHE_DIR=str(self.export_dir),
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        # The pages come from this checkout: gunicorn imports config.wsgi from its working directory.
        super().__init__(["sh", "-c", line], port, "/healthz", env=env, cwd=BASE)

    def stop(self):
        super().stop()
        kept = list(self.export_dir.iterdir())
        shutil.rmtree(self.export_dir, ignore_errors=True)
        if kept:
            raise CommandError(f"gunicorn kept {len(kept)} export file(s): its CSV figures would be a cache's")


class Datasette(Server):
    """`datasette serve` on the SQLite catalogue: one process, the limits raised so that nothing is cut short."""

    TABLE = "/bench/partnerships_meeting"
    FACETS = "_facet=kind&_facet=status&_facet=place_id"
    NEWEST_FIRST = "_sort_desc=date_earliest"  # our lists' default order

    def __init__(self, path, topic_ids):
        exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which("datasette")
        if not exe:
            raise CommandError("Datasette is not installed: pip install -e '.[bench]'")
        port = free_port()
        super().__init__(
            [exe, "serve", str(path), "-h", "127.0.0.1", "-p", str(port),
             "--setting", "sql_time_limit_ms", "120000", "--setting", "facet_time_limit_ms", "120000",
             "--setting", "default_page_size", str(PAGE_SIZE), "--setting", "max_csv_mb", "0"],
            port, "/-/versions.json",
        )
        self.topic_ids = topic_ids
        self.version = json.loads(urllib.request.urlopen(self.url("/-/versions.json")).read())["datasette"]["version"]

    def where(self):
        """Our filter FILTER as `_where` clauses and column filters."""
        ids = ",".join(str(i) for i in self.topic_ids)
        where = [
            f"id in (select meeting_id from partnerships_meeting_topics where topic_id in ({ids}))",
            f"(place_id in (select id from partnerships_place where country = '{FILTER['country']}') or "
            "delegation_id in (select d.id from partnerships_delegation d join partnerships_place p "
            f"on p.id = d.origin_id where p.country = '{FILTER['country']}'))",
        ]
        filtered = "&".join(f"_where={urllib.parse.quote(w)}" for w in where)
        return filtered + f"&date_latest__gte={FILTER['date_from']}-01-01&date_earliest__lte={FILTER['date_to']}-12-31"

    def after(self, rows):
        """The `_next` token that follows the first `rows` rows, newest first: where its Next links lead."""
        token = None
        while rows:
            size = min(rows, 1000)
            query = f"{self.NEWEST_FIRST}&_size={size}&_nocount=1&_nofacet=1" + (f"&_next={token}" if token else "")
            token = json.loads(urllib.request.urlopen(self.url(f"{self.TABLE}.json?{query}")).read())["next"]
            rows -= size
        return urllib.parse.quote(token)

    def equivalent(self, key, word):
        """Datasette's nearest equivalent of one of our `http_pages` (its facets on the table's own columns;
        the search: `word` in the meetings' folded text)."""
        table, facets, newest = self.TABLE, self.FACETS, self.NEWEST_FIRST
        if key == "unfiltered":
            return f"{table}?{newest}&{facets}"
        if key == "filtered":
            return f"{table}?{self.where()}&{newest}&{facets}"
        if key == "sorted":
            return f"{table}?_sort=title&{facets}"
        if key == "deep":
            return f"{table}?{newest}&{facets}&_next={self.after((DEEP_PAGE - 1) * PAGE_SIZE)}"
        if key == "search":
            return f"{table}?search_text__contains={urllib.parse.quote(word)}"
        return f"{table}.csv?{newest}&_labels=on&_stream=on&_size=max"  # every row, its foreign keys labelled


# ---------------------------------------------------------------------------
# The command


class Command(BaseCommand):
    help = "Benchmark the pages and the CSV export on PostgreSQL (1M meetings) and SQLite, against floor and Datasette."

    def add_arguments(self, parser):
        parser.add_argument("--pg-meetings", type=int, default=1_000_000)
        parser.add_argument("--sqlite-meetings", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reuse", action="store_true", help="Keep catalogues already built with these sizes.")
        parser.add_argument("--skip-pg", action="store_true")
        parser.add_argument("--skip-sqlite", action="store_true")
        parser.add_argument("--json", help="Also write the results to this file.")
        parser.add_argument("--csv-only", action="store_true", help="Measure the CSV export only, not the pages.")
        parser.add_argument("--csv-python", action="store_true",
                            help="Also time PostgreSQL's CSV export made by the Python renderer (before the COPY).")
        parser.add_argument(
            "--measure", action="store_true", help="(internal) measure the pages of the configured database"
        )
        parser.add_argument("--export", action="store_true", help="(internal) measure the CSV export")
        parser.add_argument("--python-renderer", action="store_true", help="(internal) ... made in Python")

    def handle(self, *args, **options):
        if options["measure"] or options["export"]:
            measure = Measure(self.stderr)
            result = measure.run() if options["measure"] else measure.export(options["python_renderer"])
            self.stdout.write("BENCH-JSON " + json.dumps(result))
            return
        results = {}
        if not options["skip_sqlite"]:
            url = f"sqlite:///{SQLITE_PATH}"
            results["sqlite"] = self.database("SQLite", url, options["sqlite_meetings"], options)
            results["http"] = self.over_http(url, results["sqlite"]["meetings"])
        if not options["skip_pg"]:
            url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_PG
            results["postgresql"] = self.database("PostgreSQL", url, options["pg_meetings"], options)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2))
        self.report(results)

    # -- running subprocesses against one database ------------------------------

    def env(self, url, production=True):
        env = dict(os.environ, DATABASE_URL=url)
        if production:
            # The page cache off: every request does a page's whole work (a page asked again before the
            # catalogue changes costs one query with it on, which would measure nothing).
            env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-only-not-a-secret",
                       DJANGO_ALLOWED_HOSTS="testserver,localhost,127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0",
                       DJANGO_PAGE_CACHE_ENTRIES="0",
                       # The lists' index is built by the first request (a warm-up) rather than in a thread
                       # meanwhile, so that every measured request finds it built, as readers do between writes.
                       DJANGO_LIST_INDEX="inline")
        else:
            env["DJANGO_DEBUG"] = "1"
        return env

    def manage(self, url, *args, production=False, capture=False):
        run = subprocess.run(MANAGE + list(args), env=self.env(url, production), text=True,
                             stdout=subprocess.PIPE if capture else None, check=False)
        if run.returncode:
            raise CommandError(f"manage.py {' '.join(args)} failed ({run.returncode})")
        if capture:
            line = next(ln for ln in run.stdout.splitlines() if ln.startswith("BENCH-JSON "))
            return json.loads(line[len("BENCH-JSON ") :])
        return None

    def ask(self, url, code):
        """What `code`, run in a shell on the database at `url`, prints after "OUT " (None if nothing)."""
        run = subprocess.run(MANAGE + ["shell", "-c", code], env=self.env(url, production=False), text=True,
                             capture_output=True, check=False)
        return next((ln[len("OUT ") :] for ln in run.stdout.splitlines() if ln.startswith("OUT ")), None)

    def count_meetings(self, url):
        return int(self.ask(url, "from partnerships.models import Meeting; print('OUT', Meeting.objects.count())")
                   or 0)

    def topic_ids(self, url):
        code = ("from partnerships.models import Topic; t = Topic.objects.get(slug='" + FILTER["topic"] + "'); "
                "print('OUT', ','.join(str(i) for i in sorted(Topic.objects.subtree_ids([t]))))")
        return [int(i) for i in self.ask(url, code).split(",")]

    def busiest_place_name(self, url):
        code = ("from django.db.models import Count; from partnerships.models import Meeting, Place; "
                "pk = Meeting.objects.values('place').annotate(n=Count('*')).order_by('-n', 'place')[0]['place']; "
                "print('OUT', Place.objects.get(pk=pk).name)")
        return self.ask(url, code)

    def prepare_postgres(self, url, fresh):
        import psycopg

        parts = urllib.parse.urlparse(url)
        name = parts.path.lstrip("/")
        admin = psycopg.connect(host=parts.hostname, port=parts.port, user=parts.username,
                                password=parts.password, dbname="postgres", autocommit=True)
        if fresh and url == DEFAULT_PG:  # our own scratch database: start afresh
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        # The usual settings for a database that fits in memory, as production would have them:
        # no JIT compilation (it costs ~100 ms per complex query) and SSD-like random reads.
        admin.execute(f'ALTER DATABASE "{name}" SET jit = off')
        admin.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
        admin.close()

    def database(self, label, url, meetings, options):
        self.stdout.write(f"\n== {label}: {meetings:,} meetings ({url})")
        have = self.count_meetings(url) if options["reuse"] else 0
        built = None
        if have >= meetings:
            self.stdout.write(f"reusing the catalogue there ({have:,} meetings)")
        else:
            if url.startswith("sqlite"):
                SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
                SQLITE_PATH.unlink(missing_ok=True)
            else:
                self.prepare_postgres(url, fresh=True)
            self.manage(url, "migrate", "--noinput", "-v", "0")
            started = time.monotonic()
            self.manage(url, "generate_catalogue", "--meetings", str(meetings), "--seed", str(options["seed"]))
            built = time.monotonic() - started
            self.stdout.write(f"generate_catalogue --meetings {meetings:,}: {built:.0f} s")
        if url.startswith("postgres") and built is None:
            self.prepare_postgres(url, fresh=False)
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # production settings need the manifest
            self.manage(url, "collectstatic", "--noinput", "-v", "0", production=True)
        pages = {}
        if not options["csv_only"]:
            self.stdout.write("measuring pages (Django test client, in-process, DEBUG off) ...")
            pages = self.manage(url, "bench", "--measure", production=True, capture=True)
        self.stdout.write("measuring the CSV export of every meeting ...")
        export = self.manage(url, "bench", "--export", production=True, capture=True)
        result = {"meetings": max(have, meetings), "generate_seconds": built, "pages": pages, "export": export}
        if options["csv_python"] and url.startswith("postgres"):
            self.stdout.write("measuring the CSV export of every meeting made by the Python renderer ...")
            result["export_python"] = self.manage(url, "bench", "--export", "--python-renderer", production=True,
                                                  capture=True)
        return result

    def over_http(self, url, meetings):
        """Our site under gunicorn and Datasette on the same SQLite file, each page asked of both in turn."""
        self.stdout.write("\n== Over HTTP on 127.0.0.1: our site under gunicorn beside Datasette, the same SQLite file")
        name, topic_ids = self.busiest_place_name(url), self.topic_ids(url)
        load = [os.getloadavg()]
        ours = datasette = None
        try:
            ours = Gunicorn(self.env(url, production=True))
            datasette = Datasette(SQLITE_PATH, topic_ids)
            pages = {}
            for key, (label, path) in http_pages(name).items():
                theirs = datasette.equivalent(key, fold(name))
                self.stdout.write(f"  {label}: {path}  |  {theirs}")
                mine, its = side_by_side([ours.url(path), datasette.url(theirs)], warmup=1 if key == "csv" else 2)
                pages[label] = {"key": key, "ours_path": path, "datasette_path": theirs, "ours": mine, "datasette": its}
            datasette_peak_mb = datasette.peak_mb()
        finally:
            for server in (datasette, ours):
                if server:
                    server.stop()
        load.append(os.getloadavg())
        return {"meetings": meetings, "datasette_version": datasette.version, "datasette_peak_mb": datasette_peak_mb,
                "load": load, "cores": os.cpu_count(), "pages": pages}

    # -- the table ----------------------------------------------------------------

    def report(self, results):
        out = self.stdout.write
        http = results.get("http")
        # Datasette's figures, by the label of the page they stand beside (one measurement, over HTTP).
        datasette = {label: m["datasette"] for label, m in http["pages"].items()} if http else {}
        if http:
            self.report_http(http)
        for key, label in (("postgresql", "PostgreSQL"), ("sqlite", "SQLite")):
            if key not in results:
                continue
            r = results[key]
            built = f"; generate_catalogue {r['generate_seconds']:.0f} s" if r["generate_seconds"] else ""
            out(f"\n{label}, {r['meetings']:,} meetings{built}. Times in ms (median / p95), server time "
                "in-process; floor = the same SQL replayed on a bare driver connection; Datasette (SQLite, "
                f"{results.get('sqlite', {}).get('meetings', 0):,} meetings) over HTTP.")
            out(f"{'page':58} {'ours':>15} {'q':>3} {'floor':>15} {'ours/floor':>10} {'Datasette':>15} {'ours/DS':>8}")
            index = r["pages"].pop("index of the meetings list", None)
            if index:
                out(f"The meetings list's index (built once per catalogue version, in a thread, and kept): built in "
                    f"{index['seconds']:.1f} s, process memory +{index['mb']:.0f} MB")
            for page, m in r["pages"].items():
                ds = datasette.get(page)
                ds_text = f"{ds['median']:7.1f}/{ds['p95']:<7.1f}" if ds else f"{'n/a':>15}"
                ratio_ds = f"{m['ours']['median'] / ds['median']:8.2f}" if ds else f"{'':>8}"
                out(f"{page[:58]:58} {m['ours']['median']:7.1f}/{m['ours']['p95']:<7.1f} {m['queries']:>3} "
                    f"{m['floor']['median']:7.1f}/{m['floor']['p95']:<7.1f} "
                    f"{m['ours']['median'] / max(m['floor']['median'], 0.001):10.1f} {ds_text} {ratio_ds}")
            e = r["export"]
            samples = ", ".join(f"{n:,} rows: {mb} MB" for n, mb in e["rss_samples_mb"])
            out(f"CSV export of all {e['rows']:,} meetings: {e['rows_per_s']:,.0f} rows/s ({e['seconds']:.1f} s, "
                f"{e['queries']} queries), peak RSS {e['peak_mb']} MB (at start {e['rss_before_mb']} MB; {samples})")
            out(f"  floor, {e['floor_kind']}: {e['floor_rows_per_s']:,.0f} rows/s ({e['floor_seconds']:.1f} s); "
                f"ours/floor {e['floor_rows_per_s'] / e['rows_per_s']:.2f}x slower")
            if r.get("export_python"):
                p = r["export_python"]
                out(f"  made by the Python renderer instead (as before the COPY): {p['rows_per_s']:,.0f} rows/s "
                    f"({p['seconds']:.1f} s, {p['queries']} queries), peak RSS {p['peak_mb']} MB; "
                    f"the COPY {e['rows_per_s'] / p['rows_per_s']:.1f}x faster")
            if http:
                d = next(m["datasette"] for m in http["pages"].values() if m["key"] == "csv")
                out(f"  Datasette CSV over HTTP (_stream=on, _labels=on, SQLite): "
                    f"{http['meetings'] / d['median'] * 1000:,.0f} rows/s ({d['median'] / 1000:.1f} s), "
                    f"Datasette process peak RSS {http['datasette_peak_mb']} MB")

    def report_http(self, http):
        out = self.stdout.write
        load = "; ".join(", ".join(f"{x:.2f}" for x in avg) for avg in http["load"])
        out(f"\nOver HTTP on 127.0.0.1, the same SQLite file ({http['meetings']:,} meetings). Ours: gunicorn as the "
            "Dockerfile runs it, one worker, production settings, page cache off. Datasette "
            f"{http['datasette_version']}: one `datasette serve` process. The same client asks each page of both "
            "in turn, `runs` times each after warm-up; times in ms (CSV: rows/s), median / p95; ours/DS is the "
            f"ratio of median times, below 1 when ours is faster. Load average (1, 5, 15 min) before; after: "
            f"{load} ({http['cores']} cores).")
        out(f"{'ours/DS':>7}  {'page':60} {'ours':>17} {'Datasette':>17} {'runs':>4}")
        for label, m in http["pages"].items():
            ours, theirs = m["ours"], m["datasette"]
            if m["key"] == "csv":  # rows/s at the median time and at the 95th percentile one

                def figures(t):
                    return f"{http['meetings'] / t['median'] * 1000:8,.0f}/{http['meetings'] / t['p95'] * 1000:<8,.0f}"

                label += " (rows/s)"
            else:

                def figures(t):
                    return f"{t['median']:8.1f}/{t['p95']:<8.1f}"

            out(f"{ours['median'] / theirs['median']:7.2f}  {label[:60]:60} {figures(ours)} {figures(theirs)} "
                f"{ours['runs']:>4}")
