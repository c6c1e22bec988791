"""Editors' change history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_performance_indexes")]

    operations = []
