"""The "Editors" group: add, change, delete and view on every catalogue model, nothing else.

Django creates permissions in a post_migrate signal, i.e. after all
migrations have run, so on a fresh database they do not exist yet when this
migration runs. It therefore creates this app's content types and
permissions itself, with the same function the signal uses (which skips
existing rows, so the signal later adds nothing twice). It works the same on
SQLite and PostgreSQL, on a fresh database and on one that already has them.

Models added to the app later need their own migration granting the group
their permissions (the same two steps as below).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
ACTIONS = ("add", "change", "delete", "view")


def grant_editor_permissions(apps, schema_editor):
    db = schema_editor.connection.alias
    app_config = apps.get_app_config("partnerships")
    # Migration state app configs have no models module, and create_permissions
    # skips apps without one; flag it for the duration of the call.
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=db, apps=apps)
    finally:
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = {
        f"{action}_{model._meta.model_name}" for model in app_config.get_models() for action in ACTIONS
    }
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="partnerships", codename__in=codenames
    )
    found = set(permissions.values_list("codename", flat=True))
    if found != codenames:
        raise RuntimeError(f"Permissions missing for the Editors group: {sorted(codenames - found)}")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(grant_editor_permissions, remove_editors_group),
    ]
