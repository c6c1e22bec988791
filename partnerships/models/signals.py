"""Derived search text, kept current on every save (raw fixture loads included)."""

from django.db.models.signals import post_delete, post_save
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
