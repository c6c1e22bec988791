"""Trigram indexes for search on PostgreSQL.

Search folds the query and matches `search_text LIKE '%word%'` (see
RecordQuerySet.search); on PostgreSQL a GIN trigram index serves such
patterns without scanning the table. SQLite has no such index and scans,
more slowly but with the same results, so this migration does nothing there.
"""

from django.db import migrations

SEARCHED_TABLES = [
    "place",
    "partnership",
    "person",
    "organisation",
    "meeting",
    "delegation",
    "topic",
    "source",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHED_TABLES:
        # Serves: /search/?q= and the q= box of the list, i.e. search_text LIKE '%word%'.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON partnerships_{table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_editors_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
