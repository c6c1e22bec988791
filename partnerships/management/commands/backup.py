"""Back up the whole database to one file: SQLite's online backup, or pg_dump's custom format.

    manage.py backup                      -> backups/partnerships-sqlite-20240101-120000.sqlite3
    manage.py backup --output FILE        (PostgreSQL: backups/partnerships-postgresql-....dump)

`manage.py restore FILE` puts a backup back. Both work on the database DATABASE_URL names.
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connection

BACKUPS = Path(settings.BASE_DIR) / "backups"
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


def engine():
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"Backups are made of SQLite and PostgreSQL databases, not {vendor}.")
    return vendor


def pg_env():
    """The environment for pg_dump and pg_restore: libpq's variables from the Django settings."""
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def pg_tool(name):
    path = shutil.which(name)
    if not path:
        raise CommandError(f"{name} is not installed: it comes with the PostgreSQL client (apt-get install "
                           "postgresql-client), in the same major version as the server or newer.")
    return path


def run_pg(args):
    result = subprocess.run(args, env=pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{Path(args[0]).name} failed: {result.stderr.strip() or result.returncode}")
    return result


class Command(BaseCommand):
    help = "Back up the whole database (SQLite or PostgreSQL) to one file, by default in backups/."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="The backup file to write (default: a dated file in backups/).")

    def handle(self, *args, output=None, **options):
        vendor = engine()
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        suffix = "sqlite3" if vendor == "sqlite" else "dump"
        path = Path(output) if output else BACKUPS / f"partnerships-{vendor}-{stamp}.{suffix}"
        if path.exists():
            raise CommandError(f"{path} exists already: choose another file.")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        try:
            if vendor == "sqlite":
                # The online backup API: a consistent copy even while the site writes.
                source = sqlite3.connect(connection.settings_dict["NAME"])
                target = sqlite3.connect(partial)
                with target:
                    source.backup(target)
                target.close()
                source.close()
            else:
                run_pg([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(partial)])
            partial.rename(path)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up the {vendor} database to {path} ({path.stat().st_size:,} bytes).")
