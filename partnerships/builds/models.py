"""One row per build of the catalogue, written by `manage.py build_catalogue` when a build has finished."""

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    WORLD = "world", "the world: curated catalogue, twin towns, gazetteer, Wikidata"
    CURATED = "curated", "the curated catalogue only"


class CatalogueBuild(models.Model):
    """A finished build: what it read (as a fingerprint), when, how long it took, and what the steps reported.

    build_catalogue skips its work when the latest build has the fingerprint
    of what it would read now; a failed build writes no row, so the next
    start tries again.
    """

    fingerprint = models.CharField(
        max_length=64,
        help_text="sha256 of what the build read: the scope, the fixtures, the data files, the importers' code "
        "and the latest migration.",
    )
    scope = models.CharField(max_length=8, choices=Scope.choices, help_text="What was built.")
    finished = models.DateTimeField(default=timezone.now, help_text="When the build finished.")
    seconds = models.FloatField(help_text="How long the build took, in seconds.")
    report = models.TextField(blank=True, help_text="What each step reported, as printed on the terminal.")

    class Meta:
        ordering = ["-finished", "-id"]
        get_latest_by = ["finished", "id"]

    def __str__(self):
        return f"{self.get_scope_display()}, {self.finished:%Y-%m-%d %H:%M}"
