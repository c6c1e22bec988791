from django.db import models


class CatalogueVersion(models.Model):
    """The catalogue's version: one row, moved on by the database at every write to a catalogue table.

    Database triggers keep it (see versioning.py), so bulk imports, raw SQL
    and every web process move it alike. It lives outside the catalogue's
    own app so that dumps and backups of the catalogue do not carry it.
    """

    number = models.BigIntegerField(default=0, help_text="Counts the writes to the catalogue's tables.")
    changed_at = models.DateTimeField(help_text="When the catalogue last changed.")
    stamp = models.BigIntegerField(
        default=0,
        help_text="A random number drawn at every write: two states of the catalogue never share a validator, "
        "even where a rolled-back or restored version number comes round again.",
    )

    class Meta:
        db_table = "scaling_catalogueversion"

    def __str__(self):
        return f"version {self.number} of {self.changed_at:%Y-%m-%d %H:%M:%S}"
