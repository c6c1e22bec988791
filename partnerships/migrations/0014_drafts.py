"""Drafts and publishing: a `draft` flag on every record, the permission to publish, the Reviewers group.

Every existing record is published (the column's default). On SQLite the columns are added with
ALTER TABLE ADD COLUMN, not by rebuilding the tables as Django's AddField does there (see 0013).

The Reviewers group may do what the Editors group may do, and publish drafts; the new permission is
created here for the reason 0002 gives.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

DRAFTED = (
    "citation",
    "delegation",
    "figure",
    "meeting",
    "office",
    "organisation",
    "outcome",
    "partnership",
    "person",
    "place",
    "source",
    "statusstep",
    "topic",
    "venue",
)
DRAFT = models.BooleanField(
    default=False,
    help_text="A draft is seen by editors only (on the public pages too, marked as a draft) until it is "
    "published. What editors add in the admin and on the desk starts as a draft; imports and the curated "
    "fixtures are published.",
    verbose_name="draft",
)
GROUP = "Reviewers"


def add_draft_column(model_name):
    """AddField of the draft flag; on SQLite without a table rebuild."""

    def forwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        column = DRAFT.clone()
        column.set_attributes_from_name("draft")
        column.model = model
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.add_field(model, column)
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(column.column)} "
            f"{column.db_type(schema_editor.connection)} NOT NULL DEFAULT 0"
        )

    def backwards(apps, schema_editor):
        model = apps.get_model("partnerships", model_name)
        schema_editor.remove_field(model, model._meta.get_field("draft"))

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddField(model_name, "draft", DRAFT)],
        database_operations=[migrations.RunPython(forwards, backwards)],
    )


def create_reviewers_group(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True  # see 0002
    try:
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.using(db).get(name="Editors")
    publish = Permission.objects.using(db).get(content_type__app_label="partnerships", codename="publish_records")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(*editors.permissions.all(), publish)


def reinstall_triggers(apps, schema_editor):
    """The status triggers again, now leaving draft steps out (partnerships/triggers.py)."""
    from partnerships import triggers

    triggers.install(schema_editor.connection, refresh=True)


def remove_reviewers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0013_wikidata_ids")]

    operations = [
        migrations.AlterModelOptions(
            name="source",
            options={
                "ordering": ["slug"],
                "permissions": [("publish_records", "Can publish drafts")],
                "verbose_name": "source",
                "verbose_name_plural": "sources",
            },
        ),
        *(add_draft_column(name) for name in DRAFTED),
        migrations.AlterField(
            model_name="revision",
            name="action",
            field=models.CharField(
                choices=[
                    ("added", "added"),
                    ("changed", "changed"),
                    ("deleted", "deleted"),
                    ("restored", "restored"),
                    ("merged", "merged"),
                    ("unmerged", "merge undone"),
                    ("published", "published"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(create_reviewers_group, remove_reviewers_group),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
