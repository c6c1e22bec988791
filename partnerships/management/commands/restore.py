"""Put a backup made by `manage.py backup` back: the database becomes exactly what the backup holds.

SQLite: the backup's pages are copied over the database with SQLite's backup API. PostgreSQL:
pg_restore --clean in a single transaction, so a failing restore leaves the database as it was.
"""

import sqlite3
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import connection

from .backup import PG_DUMP_HEADER, SQLITE_HEADER, engine, pg_env, pg_tool, run_pg


class Command(BaseCommand):
    help = "Replace the whole database (SQLite or PostgreSQL) with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask for confirmation.")

    def handle(self, *args, file, interactive=True, **options):
        vendor = engine()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file. Nothing was restored.")
        with path.open("rb") as f:
            header = f.read(16)
        expected = SQLITE_HEADER if vendor == "sqlite" else PG_DUMP_HEADER
        if not header.startswith(expected):
            kind = "an SQLite backup" if header.startswith(SQLITE_HEADER) else (
                "a PostgreSQL backup" if header.startswith(PG_DUMP_HEADER) else "not a backup")
            raise CommandError(f"{path} is {kind}, and the database is {vendor}. Nothing was restored.")
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"This replaces everything in the {vendor} database {name} with {path}. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled. Nothing was restored.")
        if vendor == "sqlite":
            self.restore_sqlite(path, name)
        else:
            pg_restore = pg_tool("pg_restore")
            run_pg([pg_restore, "--list", str(path)])  # a readable archive, before anything is dropped
            connection.close()
            run_pg([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                    "--exit-on-error", "--dbname", pg_env()["PGDATABASE"], str(path)])
        self.stdout.write(f"Restored the {vendor} database {name} from {path}.")

    def restore_sqlite(self, path, name):
        backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = backup.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{path} is not a readable SQLite database ({error}). Nothing was restored.") from None
        if check != "ok" or "django_migrations" not in tables:
            raise CommandError(f"{path} is damaged or not a backup of this site ({check}). Nothing was restored.")
        connection.close()
        target = sqlite3.connect(name)
        try:
            backup.backup(target)  # page by page, in one transaction on the target
        except sqlite3.Error as error:
            raise CommandError(f"Restoring failed ({error}); the database is as it was.") from None
        finally:
            target.close()
            backup.close()
