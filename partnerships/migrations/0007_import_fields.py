"""Fields the twin-town and GeoNames importers need."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_revisions")]

    operations = []
