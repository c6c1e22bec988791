"""Editors' change history: the Revision model, and the Editors group may view it (only view).
Also: the check on a place's coordinates refuses half coordinates too.

Revisions are written by the admin (partnerships/history.py); nobody adds,
changes or deletes them by hand, so the group gets the view permission and
no other. The permission is created here, as 0002 does, because Django
creates permissions only after all migrations have run.
"""

import uuid

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant_view_to_editors(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("partnerships")
    app_config.models_module = True  # see 0002: create_permissions skips apps without one
    try:
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.using(db).get(content_type__app_label="partnerships", codename="view_revision")
    group, _ = Group.objects.using(db).get_or_create(name="Editors")
    group.permissions.add(view)


def revoke_view(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="partnerships", codename__endswith="_revision"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_performance_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Revision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("time", models.DateTimeField(auto_now_add=True, help_text="When the change was saved.")),
                (
                    "user_name",
                    models.CharField(blank=True, help_text="Username of the editor at the time.", max_length=150),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("added", "added"),
                            ("changed", "changed"),
                            ("deleted", "deleted"),
                            ("restored", "restored"),
                        ],
                        max_length=10,
                    ),
                ),
                ("object_id", models.CharField(help_text="The record's primary key.", max_length=64)),
                (
                    "object_repr",
                    models.CharField(help_text="The record as it was named at the time.", max_length=300),
                ),
                ("root_id", models.CharField(blank=True, max_length=64)),
                (
                    "batch",
                    models.UUIDField(
                        default=uuid.uuid4, help_text="Revisions written by one save or delete share this."
                    ),
                ),
                (
                    "before",
                    models.JSONField(
                        blank=True,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        help_text="The record before.",
                        null=True,
                    ),
                ),
                (
                    "after",
                    models.JSONField(
                        blank=True,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        help_text="The record after.",
                        null=True,
                    ),
                ),
                (
                    "changes",
                    models.JSONField(
                        blank=True,
                        default=list,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        help_text="Fields changed: label, before, after.",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        help_text="The record's model.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "root_type",
                    models.ForeignKey(
                        blank=True,
                        help_text="The record whose admin page the change was made on, when it was another one's "
                        "(an inline).",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="catalogue_revisions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-time", "-id"],
                "verbose_name": "change",
                "verbose_name_plural": "change history",
                "indexes": [
                    models.Index(fields=["content_type", "object_id", "-time"], name="revision_record"),
                    models.Index(fields=["root_type", "root_id"], name="revision_root"),
                    models.Index(fields=["batch"], name="revision_batch"),
                ],
            },
        ),
        migrations.RunPython(grant_view_to_editors, revoke_view),
        # Half coordinates (a latitude without its longitude) passed the check: NULL compared is not false.
        migrations.RemoveConstraint(model_name="place", name="place_coordinates_valid"),
        migrations.AddConstraint(
            model_name="place",
            constraint=models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False)
                & models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_valid",
                violation_error_message="Latitude must lie in −90…90 and longitude in −180…180, given together.",
            ),
        ),
    ]
