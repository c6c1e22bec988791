"""Wikidata identifiers of places and partnerships, which import_wikidata sets.

On SQLite the columns are added with ALTER TABLE ADD COLUMN, not by rebuilding the tables as Django's
AddField does there: a rebuild drops the partnership table, which the triggers keeping a partnership's
status (0008) name, and recreates the `DESC NULLS LAST` indexes that SQLite cannot create (see 0011).
"""

import django.core.validators
from django.db import migrations, models

PARTNERSHIP_ID = models.CharField(
    blank=True,
    db_index=True,
    help_text="Wikidata's twinning (P190) of the two places, as their items in the order of the places "
    "(QID-QID, e.g. Q42956-Q1763), or the partnership's own item (QID) where it has one.",
    max_length=41,
    validators=[
        django.core.validators.RegexValidator(
            "\\AQ[1-9][0-9]*(-Q[1-9][0-9]*)?\\Z",
            "Give a Wikidata item (Q123) or the items of the two places (Q42956-Q1763).",
        )
    ],
    verbose_name="Wikidata ID",
)
PLACE_ID = models.CharField(
    blank=True,
    db_index=True,
    help_text="The place's Wikidata item (QID), e.g. Q1763 for Murmansk.",
    max_length=20,
    validators=[
        django.core.validators.RegexValidator("\\AQ[1-9][0-9]*\\Z", "A Wikidata ID is Q and a number, e.g. Q1763.")
    ],
    verbose_name="Wikidata ID",
)


def add_text_column(model_name, name, field):
    """AddField of a blank text column; on SQLite without a table rebuild (see above)."""

    def forwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        column = field.clone()
        column.set_attributes_from_name(name)
        column.model = model
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.add_field(model, column)
            return
        table, quote = model._meta.db_table, schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column.column)} "
            f"{column.db_type(schema_editor.connection)} NOT NULL DEFAULT ''"
        )
        schema_editor.execute(f"CREATE INDEX {quote(f'{table}_{name}')} ON {quote(table)} ({quote(column.column)})")

    def backwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        schema_editor.remove_field(model, model._meta.get_field(name))

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddField(model_name, name, field)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0012_desk")]

    operations = [
        add_text_column("partnership", "wikidata_id", PARTNERSHIP_ID),
        add_text_column("place", "wikidata_id", PLACE_ID),
    ]
