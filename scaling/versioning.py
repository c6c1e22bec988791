"""The catalogue's version, kept by database triggers on every catalogue table.

Every INSERT, UPDATE, DELETE (and TRUNCATE on PostgreSQL) on a table of the
catalogue app moves `CatalogueVersion.number` on and stamps `changed_at`:
whoever writes (the admin, an import's bulk insert or COPY, a raw SQL
statement, another web process), the next page's validator changes.
PostgreSQL runs the trigger once per statement; SQLite, which has only row
triggers, once per row (a bulk import of 100,000 rows adds about a second).
The row is written with INSERT-or-ignore then UPDATE, so a catalogue whose
version row was emptied (a test database flush) gets it back at its next write.
"""

import datetime

from django.apps import apps as global_apps
from django.db import connections

WATCHED_APP = "partnerships"
TABLE = "scaling_catalogueversion"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION scaling_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (id, number, changed_at, stamp) VALUES (1, 0, now(), 0) ON CONFLICT (id) DO NOTHING;
    UPDATE {TABLE} SET number = number + 1, changed_at = clock_timestamp(),
        stamp = floor(random() * 9e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$
"""
POSTGRESQL_TRIGGER = """
CREATE OR REPLACE TRIGGER scaling_catalogue_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION scaling_catalogue_changed()
"""
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
SQLITE_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS "scaling_changed_{{table}}_{{operation}}" AFTER {{operation}} ON "{{table}}"
BEGIN
    INSERT OR IGNORE INTO {TABLE} (id, number, changed_at, stamp) VALUES (1, 0, {SQLITE_NOW}, 0);
    UPDATE {TABLE} SET number = number + 1, changed_at = {SQLITE_NOW}, stamp = random() WHERE id = 1;
END
"""


def watched_tables(connection):
    """The catalogue's tables (many-to-many link tables included) that exist in this database."""
    existing = set(connection.introspection.table_names())
    models = global_apps.get_app_config(WATCHED_APP).get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models if m._meta.managed} & existing)


def install_triggers(sender=None, using="default", **kwargs):
    """Create the triggers that keep the version (idempotent; run after every migrate)."""
    if sender is not None and sender.name != "scaling":
        return
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
            for table in watched_tables(connection):
                cursor.execute(POSTGRESQL_TRIGGER.format(table=table))
        elif connection.vendor == "sqlite":
            for table in watched_tables(connection):
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(SQLITE_TRIGGER.format(table=table, operation=operation))


def current_version():
    """(number, stamp, changed_at) of the catalogue, read where the request reads; zeros before any write."""
    from .models import CatalogueVersion

    row = CatalogueVersion.objects.filter(pk=1).values_list("number", "stamp", "changed_at").first()
    return row or (0, 0, datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC))
