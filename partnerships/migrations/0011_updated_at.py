"""When each record was last added or changed (`updated_at`), for the Atom feeds; indexed where the
catalogue's feed reads the latest of a kind. Existing rows get the time of the migration.

On SQLite a NOT NULL column is added with ALTER TABLE ADD COLUMN and a constant default, not by
rebuilding the table as Django's AddField does there: a rebuild recreates the tables' `DESC NULLS LAST`
indexes from the models, which SQLite cannot create (0005 creates them without NULLS LAST there).
"""

import django.utils.timezone
from django.db import migrations, models

import partnerships.models.base

HELP_TEXT = (
    "When the record was last added or changed (in the admin, by an import or a load): "
    "what the Atom feeds list as new or changed."
)


def changed_at():
    return partnerships.models.base.ChangedAtField(
        default=partnerships.models.base.now_to_the_millisecond, editable=False, help_text=HELP_TEXT
    )


def add_changed_at(model_name):
    """AddField of `updated_at`; on SQLite written without a table rebuild (see above)."""

    def column(model):
        field = changed_at()
        field.set_attributes_from_name("updated_at")
        field.model = model
        return field

    def forwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        field = column(model)
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.add_field(model, field)
            return
        quote = schema_editor.quote_name
        now = django.utils.timezone.now().replace(tzinfo=None, microsecond=0)  # UTC, as Django stores it
        now = schema_editor.quote_value(now.isoformat(sep=" "))
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(field.column)} "
            f"{field.db_type(schema_editor.connection)} NOT NULL DEFAULT {now}"
        )

    def backwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        schema_editor.remove_field(model, column(model))

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddField(model_name, "updated_at", changed_at())],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0010_verbose_names")]

    operations = [
        add_changed_at("citation"),
        add_changed_at("delegation"),
        add_changed_at("figure"),
        add_changed_at("meeting"),
        add_changed_at("office"),
        add_changed_at("organisation"),
        add_changed_at("outcome"),
        add_changed_at("partnership"),
        add_changed_at("person"),
        add_changed_at("place"),
        add_changed_at("source"),
        add_changed_at("statusstep"),
        add_changed_at("topic"),
        add_changed_at("venue"),
        migrations.AddIndex(
            model_name="delegation",
            index=models.Index(fields=["updated_at"], name="delegation_updated"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["updated_at"], name="meeting_updated"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["updated_at"], name="partnership_updated"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["updated_at"], name="person_updated"),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["updated_at"], name="place_updated"),
        ),
    ]
