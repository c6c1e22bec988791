"""Partnerships store their current status, first and latest step, kept from the steps by triggers."""

from importlib import import_module

from django.db import migrations, models
from django.db.models import F

nulls_last = import_module("partnerships.migrations.0005_performance_indexes").nulls_last


def create_triggers(apps, schema_editor):
    """The triggers that keep the new columns (partnerships/triggers.py), and the columns of every partnership."""
    from partnerships import triggers

    triggers.install(schema_editor.connection, refresh=True)


def drop_triggers(apps, schema_editor):
    from partnerships import triggers

    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0007_import_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='latest',
            field=models.DateField(blank=True, editable=False, help_text='Last day of the latest step. Kept by the database.', null=True),
        ),
        migrations.AddField(
            model_name='partnership',
            name='since',
            field=models.DateField(blank=True, editable=False, help_text='First day of the earliest step. Kept by the database.', null=True),
        ),
        migrations.AddField(
            model_name='partnership',
            name='status',
            field=models.CharField(blank=True, choices=[('first_contact', 'first contact'), ('cooperation', 'cooperation'), ('protocol_of_intent', 'protocol of intent'), ('friendship', 'friendship'), ('twinning', 'twinning / sister cities'), ('suspended', 'suspended'), ('ended', 'ended')], editable=False, help_text="The current status: the latest step's (undated steps count as the oldest). Kept by the database from the steps.", max_length=24),
        ),
        migrations.AddIndex(
            model_name='partnership',
            index=models.Index(fields=['status'], name='partnership_status'),
        ),
        migrations.AddIndex("partnership", models.Index(fields=["since", "id"], name="partnership_since")),
        nulls_last(
            "partnership",
            models.Index(F("since").desc(nulls_last=True), F("id").desc(), name="partnership_since_desc"),
        ),
        migrations.AddIndex("partnership", models.Index(fields=["latest", "id"], name="partnership_latest")),
        nulls_last(
            "partnership",
            models.Index(F("latest").desc(nulls_last=True), F("id").desc(), name="partnership_latest_desc"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
