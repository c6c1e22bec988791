"""Nothing lost: the catalogue survives dumpdata/loaddata into an empty database, and backup/restore
(SQLite always; PostgreSQL when the suite runs on PostgreSQL) gives back exactly what was backed up."""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase

from tests.base import CatalogueTestCase

ROOT = Path(__file__).resolve().parent.parent
# The whole catalogue, keyed by slugs so that it loads into any database (the history, which names
# database rows and accounts, is not part of it).
DUMP = ["dumpdata", "partnerships", "--exclude", "partnerships.revision", "--natural-foreign", "--natural-primary"]
CHANGE_EVERYTHING = (
    "from partnerships.models import Meeting, Topic; "
    "Meeting.objects.all().delete(); Topic.objects.create(slug='added-after-the-backup', name='Added')"
)


def manage(database_url, *args, check=True, stdin=None):
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600, input=stdin)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def catalogue(database_url):
    return json.loads(manage(database_url, *DUMP).stdout)


class TempDirMixin:
    def setUp(self):
        super().setUp()
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)


class FreshSQLiteMixin(TempDirMixin):
    """fresh_sqlite(): an empty, migrated SQLite database of the test's own.

    Migrating takes seconds, so the class migrates one database once and each test gets a copy of it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        migrated_dir = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, migrated_dir)
        cls.migrated = migrated_dir / "migrated.sqlite3"
        manage(f"sqlite:///{cls.migrated}", "migrate", "--noinput")

    def fresh_sqlite(self, name="db.sqlite3"):
        path = self.dir / name
        shutil.copyfile(self.migrated, path)
        return f"sqlite:///{path}"


class DumpRoundTripTests(FreshSQLiteMixin, CatalogueTestCase):
    def test_the_dumped_catalogue_loads_into_an_empty_database_unchanged(self):
        out = io.StringIO()
        call_command(*DUMP, stdout=out)
        dumped = json.loads(out.getvalue())
        self.assertGreater(len(dumped), 100)
        self.assertLessEqual({"partnerships.meeting", "partnerships.citation"}, {r["model"] for r in dumped})
        fixture = self.dir / "catalogue.json"
        fixture.write_text(out.getvalue(), encoding="utf-8")

        empty = self.fresh_sqlite()
        manage(empty, "loaddata", str(fixture))
        self.assertEqual(catalogue(empty), dumped)


class SQLiteBackupTests(FreshSQLiteMixin, SimpleTestCase):
    def test_backup_and_restore(self):
        url = self.fresh_sqlite()
        manage(url, "load_catalogue")
        before = catalogue(url)
        backup = self.dir / "backup.sqlite3"
        self.assertIn(f"to {backup}", manage(url, "backup", "--output", str(backup)).stdout)

        manage(url, "shell", "-c", CHANGE_EVERYTHING)
        self.assertNotEqual(catalogue(url), before)
        manage(url, "restore", str(backup), "--noinput")
        self.assertEqual(catalogue(url), before)

    def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(self):
        url = self.fresh_sqlite()
        manage(url, "shell", "-c", "from partnerships.models import Topic; Topic.objects.create(slug='t', name='T')")
        before = catalogue(url)
        junk = self.dir / "junk.sqlite3"
        junk.write_text("not a database")
        pg_dump = self.dir / "dump.dump"
        pg_dump.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        for path, message in [(self.dir / "missing.sqlite3", "no such file"), (junk, "is not a backup"),
                              (pg_dump, "is a PostgreSQL backup, and the database is sqlite")]:
            with self.subTest(path=path.name):
                result = manage(url, "restore", str(path), "--noinput", check=False)
                self.assertEqual(result.returncode, 1)
                self.assertIn(message, result.stderr)
                self.assertIn("Nothing was restored.", result.stderr)
        self.assertEqual(catalogue(url), before)

    def test_restore_asks_first(self):
        url = self.fresh_sqlite()
        backup = self.dir / "backup.sqlite3"
        manage(url, "backup", "--output", str(backup))
        result = manage(url, "restore", str(backup), check=False, stdin="no\n")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Restore cancelled", result.stderr)
        self.assertEqual(manage(url, "backup", "--output", str(backup), check=False).returncode, 1)  # no overwrite


class PostgreSQLBackupTests(TempDirMixin, SimpleTestCase):
    """pg_dump and pg_restore, run when the suite itself runs on PostgreSQL."""

    databases = {"default"}
    NAME = "partnerships_backup_test"

    def setUp(self):
        if connection.vendor != "postgresql":
            raise unittest.SkipTest("the suite runs on SQLite; PostgreSQL backups are tested on PostgreSQL")
        if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
            raise unittest.SkipTest("pg_dump and pg_restore are not installed")
        super().setUp()
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        self.url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{self.NAME}"
        self.admin_sql(f"DROP DATABASE IF EXISTS {self.NAME}")
        self.admin_sql(f"CREATE DATABASE {self.NAME}")
        self.addCleanup(self.admin_sql, f"DROP DATABASE IF EXISTS {self.NAME} WITH (FORCE)")

    def admin_sql(self, sql):
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                             password=db["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    def test_backup_and_restore(self):
        manage(self.url, "migrate", "--noinput")
        manage(self.url, "load_catalogue")
        before = catalogue(self.url)
        backup = self.dir / "backup.dump"
        manage(self.url, "backup", "--output", str(backup))
        self.assertTrue(backup.read_bytes().startswith(b"PGDMP"))

        manage(self.url, "shell", "-c", CHANGE_EVERYTHING)
        self.assertNotEqual(catalogue(self.url), before)
        manage(self.url, "restore", str(backup), "--noinput")
        self.assertEqual(catalogue(self.url), before)

        sqlite_backup = self.dir / "other.sqlite3"
        sqlite_backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        result = manage(self.url, "restore", str(sqlite_backup), "--noinput", check=False)
        self.assertIn("is an SQLite backup, and the database is postgresql", result.stderr)
