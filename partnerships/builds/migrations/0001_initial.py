"""The record of the catalogue's builds."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogueBuild',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fingerprint', models.CharField(help_text="sha256 of what the build read: the scope, the fixtures, the data files, the importers' code and the latest migration.", max_length=64)),
                ('scope', models.CharField(choices=[('world', 'the world: curated catalogue, twin towns, gazetteer, Wikidata'), ('curated', 'the curated catalogue only')], help_text='What was built.', max_length=8)),
                ('finished', models.DateTimeField(default=django.utils.timezone.now, help_text='When the build finished.')),
                ('seconds', models.FloatField(help_text='How long the build took, in seconds.')),
                ('report', models.TextField(blank=True, help_text='What each step reported, as printed on the terminal.')),
            ],
            options={
                'ordering': ['-finished', '-id'],
                'get_latest_by': ['finished', 'id'],
            },
        ),
    ]
