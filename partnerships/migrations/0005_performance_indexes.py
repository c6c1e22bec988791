"""Indexes for the lists' filters and sorts at a million meetings (each one named and commented in models.py).

Written by hand, operation by operation, so that it holds these indexes and
nothing else. Foreign keys already have their own index (Django makes one
for each), the through tables of many-to-many relations a unique index on
both columns plus one on the second, and search its trigram indexes (0003).
"""

from django.db import migrations, models
from django.db.models import F, OrderBy


def nulls_last(model_name, index):
    """AddIndex of an index with `DESC NULLS LAST` columns, e.g. `date_earliest DESC NULLS LAST, id DESC`.

    SQLite has no NULLS LAST in an index, but sorts NULL lowest, so there a
    plain `date_earliest DESC` is the same order; PostgreSQL sorts NULL
    highest and needs it said.
    """
    plain = models.Index(
        *[OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e for e in index.expressions],
        name=index.name,
    )

    def forwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        schema_editor.add_index(model, index if schema_editor.connection.vendor == "postgresql" else plain)

    def backwards(apps, schema_editor):
        schema_editor.remove_index(apps.get_model("partnerships", model_name), index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name, index)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_source_kinds_and_locators")]

    operations = [
        migrations.AddIndex("source", models.Index(fields=["title", "id"], name="source_title")),
        migrations.AddIndex("source", models.Index(fields=["language"], name="source_language")),
        migrations.AddIndex("place", models.Index(fields=["name", "id"], name="place_name")),
        migrations.AddIndex("place", models.Index(fields=["country", "name", "id"], name="place_country_name")),
        migrations.AddIndex("place", models.Index(fields=["level", "country"], name="place_level_country")),
        migrations.AddIndex("person", models.Index(fields=["name", "id"], name="person_name")),
        nulls_last(
            "statusstep",
            models.Index(
                "partnership", F("date_latest").desc(nulls_last=True), F("id").desc(), name="step_latest"
            ),
        ),
        migrations.AddIndex("statusstep", models.Index(fields=["status", "partnership"], name="step_status")),
        nulls_last(
            "delegation",
            models.Index(F("date_earliest").desc(nulls_last=True), F("id").desc(), name="delegation_date_desc"),
        ),
        migrations.AddIndex("delegation", models.Index(fields=["date_earliest", "id"], name="delegation_date_asc")),
        migrations.AddIndex("delegation", models.Index(fields=["title", "id"], name="delegation_title")),
        nulls_last(
            "meeting",
            models.Index(F("date_earliest").desc(nulls_last=True), F("id").desc(), name="meeting_date_desc"),
        ),
        migrations.AddIndex("meeting", models.Index(fields=["date_earliest", "id"], name="meeting_date_asc")),
        migrations.AddIndex("meeting", models.Index(fields=["date_latest"], name="meeting_date_latest")),
        migrations.AddIndex("meeting", models.Index(fields=["title", "id"], name="meeting_title")),
        migrations.AddIndex(
            "meeting",
            models.Index(fields=["date_earliest"], condition=models.Q(status="planned"), name="meeting_planned"),
        ),
        migrations.AddIndex(
            "participant", models.Index(fields=["person", "side", "role"], name="participant_person_side")
        ),
    ]
