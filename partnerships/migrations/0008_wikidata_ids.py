"""Wikidata identifiers of places and partnerships, which import_wikidata sets."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0007_import_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='wikidata_id',
            field=models.CharField(blank=True, db_index=True, help_text="Wikidata's twinning (P190) of the two places, as their items in the order of the places (QID-QID, e.g. Q42956-Q1763), or the partnership's own item (QID) where it has one.", max_length=41, validators=[django.core.validators.RegexValidator('\\AQ[1-9][0-9]*(-Q[1-9][0-9]*)?\\Z', 'Give a Wikidata item (Q123) or the items of the two places (Q42956-Q1763).')], verbose_name='Wikidata ID'),
        ),
        migrations.AddField(
            model_name='place',
            name='wikidata_id',
            field=models.CharField(blank=True, db_index=True, help_text="The place's Wikidata item (QID), e.g. Q1763 for Murmansk.", max_length=20, validators=[django.core.validators.RegexValidator('\\AQ[1-9][0-9]*\\Z', 'A Wikidata ID is Q and a number, e.g. Q1763.')], verbose_name='Wikidata ID'),
        ),
    ]
