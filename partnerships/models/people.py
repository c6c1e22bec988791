"""People named by the sources and the offices they held."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, catalogue_manager
from .places import Organisation, Place


class Person(Record, Cited):
    """A person named by a source."""

    name = models.CharField(max_length=200, help_text="Name in Latin script, e.g. Igor Babushkin.")
    name_native = models.CharField(
        max_length=200, blank=True, help_text="Name in the script of the source or the person, e.g. ایگور بابوشکین."
    )
    honorific = models.CharField(max_length=40, blank=True, help_text='As the source gives it: "Mr.", "Dr."')
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [
            # /people/ sorted by name (its default), a page at a time.
            models.Index(fields=["name", "id"], name="person_name"),
            # The Atom feed of the whole catalogue: the latest changed people.
            models.Index(fields=["updated_at"], name="person_updated"),
        ]

    def search_parts(self):
        return super().search_parts() + [self.name_native, self.description]


class Office(Record, Cited, FuzzyDated):
    """An office a person held: title, organisation, place; dated when it was known to be held."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="offices", help_text="Who held the office."
    )  # an office record only describes its holder
    title = models.CharField(max_length=200, help_text="Title in English, e.g. Governor of Astrakhan Oblast.")
    title_original = models.CharField(max_length=200, blank=True, help_text="Title as the source writes it.")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="offices"
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        help_text="The place the office serves.",
    )

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["person", "date_earliest"]

    def __str__(self):
        return f"{self.person.name}, {self.title}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def search_parts(self):
        return [self.slug, self.title, self.title_original]

    def clean(self):
        self.clean_date()
