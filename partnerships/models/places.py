"""Places of every level, the other names they go by, organisations and venues."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .base import Cited, Record, catalogue_manager, fold_parts
from .sources import Source


class PlaceLevel(models.TextChoices):
    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    PROVINCE = "province", _("province / oblast")
    MUNICIPALITY = "municipality", _("municipality")
    CITY = "city", _("city")


class Place(Record, Cited):
    """A country, region, province, municipality or city that can take part in a partnership.

    A country appears here only when it acts itself (through its embassy, say),
    never as a stand-in for a city.
    """

    name = models.CharField(max_length=200, help_text="English or Latin-script name, e.g. Murmansk.")
    name_native = models.CharField(
        max_length=200, blank=True, help_text="Name in the place's own script, e.g. Мурманск."
    )
    native_language = models.CharField(
        max_length=12, blank=True, help_text="BCP 47 code of the native name's language: ru, fa, zh, nb, ..."
    )
    level = models.CharField(max_length=16, choices=PlaceLevel.choices, help_text="What kind of place this is.")
    country = CountryField(help_text="The country the place is in (ISO 3166-1).")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,  # a province with cities in it cannot silently vanish
        null=True,
        blank=True,
        related_name="children",
        help_text="The larger place this one lies in, e.g. Rasht → Gilan.",
    )
    latitude = models.FloatField(null=True, blank=True, help_text="WGS 84 latitude in degrees.")
    longitude = models.FloatField(null=True, blank=True, help_text="WGS 84 longitude in degrees.")
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True, help_text="GeoNames identifier.")
    population = models.PositiveBigIntegerField(null=True, blank=True, help_text="Population, as GeoNames gives it.")
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        db_index=True,
        validators=[RegexValidator(r"\AQ[1-9][0-9]*\Z", "A Wikidata ID is Q and a number, e.g. Q1763.")],
        help_text="The place's Wikidata item (QID), e.g. Q1763 for Murmansk.",
    )
    description = models.TextField(blank=True, help_text="What the sources say about the place.")

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name", "country"]
        indexes = [
            # /cities/ sorted by name (its default), a page at a time.
            models.Index(fields=["name", "id"], name="place_name"),
            # /cities/?country=NO sorted by name or by country; the places of a country that the
            # meetings' and delegations' country filters look up.
            models.Index(fields=["country", "name", "id"], name="place_country_name"),
            # /cities/?level=province, with the country facet counted from the index alone.
            models.Index(fields=["level", "country"], name="place_level_country"),
            # The Atom feed of the whole catalogue: the latest changed places.
            models.Index(fields=["updated_at"], name="place_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False)  # NULL would pass the comparisons
                & Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_valid",
                violation_error_message="Latitude must lie in −90…90 and longitude in −180…180, given together.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="place_not_own_parent",
                violation_error_message="A place cannot lie within itself.",
            ),
            models.CheckConstraint(
                condition=~Q(level=PlaceLevel.COUNTRY) | Q(parent__isnull=True),
                name="place_country_has_no_parent",
                violation_error_message="A country does not lie within another place.",
            ),
        ]

    def search_parts(self, names=None):
        """The texts a reader may search this place by, its other names included.

        `names` are those other names; by default the saved PlaceName rows.
        Importers that write places and names in bulk pass the names they
        are about to save.
        """
        if names is None:
            names = [n.name for n in self.names.all()] if self.pk else []
        with translation.override("en"):  # the stored text must not depend on who saved it, in which language
            country = str(self.country.name)
        return super().search_parts() + [self.name_native, country, *names]

    def folded_search_text(self, names=None):
        """The folded search text, with `names` as the other names (see `search_parts`)."""
        return fold_parts(self.search_parts(names))

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A place cannot lie within itself."})
        if self.level == PlaceLevel.COUNTRY and self.parent_id:
            raise ValidationError({"parent": "A country does not lie within another place."})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give latitude and longitude together, or neither.")


class NameKind(models.TextChoices):
    NATIVE = "native", _("name in its own script")
    VARIANT = "variant", _("variant spelling")
    TRANSLITERATION = "transliteration", _("transliteration")
    MISSPELLING = "misspelling", _("misspelling found in a source")


class PlaceNameQuerySet(models.QuerySet):
    def get_by_natural_key(self, place_slug, name):
        return self.get(place__slug=place_slug, name=name)


class PlaceName(models.Model):
    """Another name a place is known by: in another script, a variant, a source's misspelling."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="names", help_text="The place so named."
    )  # a name means nothing without its place
    name = models.CharField(max_length=200, help_text="The name exactly as written.")
    language = models.CharField(max_length=12, blank=True, help_text="BCP 47 code of the name's language.")
    kind = models.CharField(max_length=16, choices=NameKind.choices, default=NameKind.VARIANT)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,  # the name stays known if the source record goes
        null=True,
        blank=True,
        related_name="place_names",
        help_text="The source that uses this name, for misspellings especially.",
    )

    objects = catalogue_manager(PlaceNameQuerySet)

    @classmethod
    def published_condition(cls):
        return Q(place__draft=False)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["place", "name"]
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="placename_unique_per_place")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.place.slug, self.name)

    natural_key.dependencies = ["partnerships.place"]


class Organisation(Record, Cited):
    """A body people act for: a municipality's administration, an embassy, a port, a museum."""

    name = models.CharField(max_length=200, help_text="English name.")
    name_native = models.CharField(max_length=200, blank=True, help_text="Name in its own language and script.")
    kind = models.CharField(
        max_length=40, blank=True, help_text="government, embassy, port, museum, university, hospital, school, ..."
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="Where it is based, or the place it governs.",
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def search_parts(self):
        return super().search_parts() + [self.name_native, self.kind]

    def get_absolute_url(self):
        return self.place.get_absolute_url() if self.place else None


class Venue(Record, Cited):
    """A building or site within a place where a meeting or visit happened."""

    name = models.CharField(max_length=200, help_text="English name, e.g. Narvik town hall.")
    name_native = models.CharField(max_length=200, blank=True, help_text="Name as the source writes it.")
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="venues", help_text="The place the venue is in."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
        help_text="The body that runs the venue, if any.",
    )
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def get_absolute_url(self):
        return self.place.get_absolute_url()

    def search_parts(self):
        return super().search_parts() + [self.name_native, self.description]


class PlaceRedirectQuerySet(models.QuerySet):
    def get_by_natural_key(self, old_slug):
        return self.get(old_slug=old_slug)


class PlaceRedirect(models.Model):
    """A slug a place was once known by, still answering: /cities/<old slug>/ redirects to the place.

    Merging places makes one for each place merged away, and undoing the
    merge removes it; an editor may add one by hand after changing a slug.
    """

    old_slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The slug that no longer names a place, e.g. that of a duplicate merged into this one.",
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,  # an address leading nowhere is of no use; the history keeps it
        related_name="redirects",
        help_text="The place the old address now leads to.",
    )

    objects = catalogue_manager(PlaceRedirectQuerySet)

    @classmethod
    def published_condition(cls):
        return Q(place__draft=False)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"/cities/{self.old_slug}/ → {self.place}"

    def natural_key(self):
        return (self.old_slug,)

    natural_key.dependencies = ["partnerships.place"]

    def get_absolute_url(self):
        return self.place.get_absolute_url()

    def clean(self):
        if self.old_slug and Place.objects.filter(slug=self.old_slug).exists():
            raise ValidationError({"old_slug": "A place has this slug: its address leads to that place already."})
