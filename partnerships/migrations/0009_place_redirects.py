"""Merging places: the old addresses of places merged away, and merges in the change history.

- PlaceRedirect: an old slug of a place that still answers, redirecting to the
  place; the Editors group gets its four permissions, as 0002 grants them for
  every catalogue model (Django creates the permissions only after all
  migrations have run, so they are created here the same way).
- Revision: the actions "merged" and "merge undone", and `reverts`, the batch
  of the merge an undoing undid.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def grant_to_editors(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True  # see 0002: create_permissions skips apps without one
    try:
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_placeredirect" for action in ACTIONS]
    permissions = Permission.objects.using(db).filter(content_type__app_label="partnerships", codename__in=codenames)
    group, _ = Group.objects.using(db).get_or_create(name="Editors")
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_partnership_status_columns")]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="reverts",
            field=models.UUIDField(
                blank=True, help_text="For the undoing of a merge: the batch of the merge it undid.", null=True
            ),
        ),
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
                ],
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="PlaceRedirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_slug",
                    models.SlugField(
                        help_text="The slug that no longer names a place, e.g. that of a duplicate merged into "
                        "this one.",
                        max_length=120,
                        unique=True,
                    ),
                ),
                (
                    "place",
                    models.ForeignKey(
                        help_text="The place the old address now leads to.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="redirects",
                        to="partnerships.place",
                    ),
                ),
            ],
            options={"ordering": ["old_slug"]},
        ),
        migrations.RunPython(grant_to_editors, migrations.RunPython.noop),
    ]
