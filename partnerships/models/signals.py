"""Derived search text, kept current on every save (raw fixture loads included); change times kept
across fixture loads that change nothing."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .base import Record
from .places import Place, PlaceName


@receiver(post_save)
def refresh_search_text(sender, instance, **kwargs):
    if isinstance(instance, Record):
        instance.refresh_search_text()
    elif isinstance(instance, PlaceName):
        instance.place.refresh_search_text()


@receiver(post_delete, sender=PlaceName)
def refresh_place_after_name_removed(sender, instance, **kwargs):
    place = Place.objects.filter(pk=instance.place_id).first()
    if place:
        place.refresh_search_text()


@receiver(pre_save)
def keep_time_of_unchanged_record(sender, instance, raw=False, **kwargs):
    """A fixture loaded over a record it leaves as it was keeps the record's `updated_at`.

    The curated catalogue is loaded again on every start of the container:
    without this, each load would put every curated record in the feeds as
    changed. A record the load does change takes the time of the load (or
    the time the fixture gives).
    """
    if not raw or not isinstance(instance, Record) or instance.pk is None:
        return
    # Columns editors set: not the change time, search text, or what the database keeps from other rows.
    names = [f.attname for f in sender._meta.concrete_fields if f.editable or f.primary_key]
    stored = sender._base_manager.filter(pk=instance.pk).values(*names, "updated_at").first()
    if stored and all(stored[name] == getattr(instance, name) for name in names):
        instance.updated_at = stored["updated_at"]
