from django.db import migrations, models
from django.utils import timezone


def first_version(apps, schema_editor):
    apps.get_model("scaling", "CatalogueVersion").objects.using(schema_editor.connection.alias).create(
        id=1, number=1, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0, help_text="Counts the writes to the catalogue's tables.")),
                ("changed_at", models.DateTimeField(help_text="When the catalogue last changed.")),
                (
                    "stamp",
                    models.BigIntegerField(
                        default=0,
                        help_text="A random number drawn at every write: two states of the catalogue never share a "
                        "validator, even where a rolled-back or restored version number comes round again.",
                    ),
                ),
            ],
            options={"db_table": "scaling_catalogueversion"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
