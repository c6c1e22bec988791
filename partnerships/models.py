"""The catalogue's data dictionary.

Places (of several levels) form partnerships; a partnership moves through
dated status steps; delegations travel between places and hold meetings;
people take part in meetings and delegations in an office they held at the
time; meetings produce outcomes (agreements, invitations, planned follow-ups)
and figures. Every record can cite passages of the source documents.

Every date that a source gives is uncertain to some degree, so it is stored
as an interval (earliest, latest) with its precision, shown as written.
"""

import calendar
import datetime
import uuid

import jdatetime
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, Least
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django_countries.fields import CountryField

from .text import fold

# ---------------------------------------------------------------------------
# Shared building blocks


class RecordQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def search(self, query):
        """Rows whose folded text holds every word of the folded query."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Record(models.Model):
    """Something the catalogue names and links to: identified by its slug.

    The slug is the natural key that fixtures and URLs use, so curated data
    never depends on database ids.
    """

    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Short identifier used in URLs and fixtures; lowercase letters, digits and hyphens.",
    )
    notes = models.TextField(
        blank=True,
        help_text="Editorial notes: doubts, decisions, and the source's oddities recorded as such.",
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Names and text folded to lowercase Latin letters, kept for search in any script.",
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    def __str__(self):
        return getattr(self, "name", None) or getattr(self, "title", None) or self.slug

    def get_absolute_url(self):
        return reverse(f"{self._meta.model_name}-detail", args=[self.slug])

    def search_parts(self):
        """The texts a reader may search this record by."""
        return [self.slug, str(self), self.notes]

    def refresh_search_text(self):
        """Store the folded search text; run after every save, fixture loads included."""
        text = fold(" ".join(p for p in self.search_parts() if p))
        if text != self.search_text:
            self.search_text = text
            type(self).objects.filter(pk=self.pk).update(search_text=text)


class Cited(models.Model):
    """A record that can cite passages of the source documents."""

    citations = models.ManyToManyField(
        "Citation",
        blank=True,
        related_name="%(class)s_set",
        help_text="Passages of the sources that state this record's facts.",
    )

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    DAYS = "days", "span of days"
    MONTH = "month", "month"
    HALF_YEAR = "half", "half year"
    YEAR = "year", "year"


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", "Gregorian"
    SOLAR_HIJRI = "solar_hijri", "Solar Hijri (Iranian)"


def expected_interval(precision, earliest):
    """The interval a precision implies from its first day, or None for spans."""
    if precision == DatePrecision.DAY:
        return earliest, earliest
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(earliest.year, earliest.month)[1]
        return earliest.replace(day=1), earliest.replace(day=last)
    if precision == DatePrecision.HALF_YEAR:
        if earliest.month < 7:
            return datetime.date(earliest.year, 1, 1), datetime.date(earliest.year, 6, 30)
        return datetime.date(earliest.year, 7, 1), datetime.date(earliest.year, 12, 31)
    if precision == DatePrecision.YEAR:
        return datetime.date(earliest.year, 1, 1), datetime.date(earliest.year, 12, 31)
    return None


class FuzzyDateQuerySet(RecordQuerySet):
    def overlapping(self, start=None, end=None):
        """Rows whose date interval overlaps [start, end]; either end may be open."""
        qs = self
        if start:
            qs = qs.filter(date_latest__gte=start)
        if end:
            qs = qs.filter(date_earliest__lte=end)
        return qs


class FuzzyDated(models.Model):
    """A date as uncertain as its source: an interval, its precision, its words.

    "March 2014" is stored as 2014-03-01..2014-03-31 with precision month;
    sorting uses the earliest day, filtering the whole interval.
    """

    date_earliest = models.DateField(
        null=True, blank=True, help_text="First day the date can mean (Gregorian)."
    )
    date_latest = models.DateField(
        null=True, blank=True, help_text="Last day the date can mean (Gregorian)."
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        blank=True,
        help_text="How precise the source is: a day, a span of days, a month, a half year, a year.",
    )
    date_text = models.CharField(
        max_length=100,
        blank=True,
        help_text='The date as shown to readers, in English, e.g. "first half of 2020". '
        "Left blank, it is written from the interval.",
    )
    date_original = models.CharField(
        max_length=100,
        blank=True,
        help_text='The date exactly as the source writes it, e.g. "29.8.2019" or "۱۸ فروردین ۱۴۰۲".',
    )
    date_calendar = models.CharField(
        max_length=12,
        choices=Calendar.choices,
        default=Calendar.GREGORIAN,
        help_text="The calendar the source dates in.",
    )

    objects = FuzzyDateQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(date_earliest__isnull=True, date_latest__isnull=True, date_precision="")
                | Q(date_earliest__isnull=False, date_latest__isnull=False, date_earliest__lte=F("date_latest"))
                & ~Q(date_precision=""),
                name="%(app_label)s_%(class)s_date_interval",
                violation_error_message="A date needs its earliest day, latest day and precision, "
                "with the earliest day not after the latest.",
            ),
        ]

    @property
    def date_display(self):
        if self.date_text:
            return self.date_text
        if not self.date_earliest:
            return ""
        a, b = self.date_earliest, self.date_latest
        match self.date_precision:
            case DatePrecision.DAY:
                return f"{a.day} {a:%B %Y}"
            case DatePrecision.MONTH:
                return f"{a:%B %Y}"
            case DatePrecision.HALF_YEAR:
                return f"{'first' if a.month < 7 else 'second'} half of {a.year}"
            case DatePrecision.YEAR:
                return str(a.year)
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {a:%B %Y}"
        return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"

    @property
    def date_in_source_calendar(self):
        """The date in the source's calendar when it is not Gregorian, e.g. "18 Farvardin 1402"."""
        if self.date_calendar != Calendar.SOLAR_HIJRI or not self.date_earliest:
            return ""
        j = jdatetime.date.fromgregorian(date=self.date_earliest)
        if self.date_precision == DatePrecision.DAY:
            return f"{j.day} {j.j_months_en[j.month - 1]} {j.year}"
        return str(j.year)

    def date_iso(self):
        """The interval in ISO 8601: one day, or start/end."""
        if not self.date_earliest:
            return ""
        if self.date_earliest == self.date_latest:
            return self.date_earliest.isoformat()
        return f"{self.date_earliest.isoformat()}/{self.date_latest.isoformat()}"

    def clean_date(self):
        a, b, precision = self.date_earliest, self.date_latest, self.date_precision
        if not (a or b or precision):
            return
        if not (a and b and precision):
            raise ValidationError(
                "Give the earliest day, the latest day and the precision together "
                '(for "March 2014": 2014-03-01, 2014-03-31, month), or none of them.'
            )
        if a > b:
            raise ValidationError({"date_latest": "The latest day cannot come before the earliest day."})
        expected = expected_interval(precision, a)
        if expected and expected != (a, b):
            raise ValidationError(
                {
                    "date_latest": f"A date of precision “{DatePrecision(precision).label}” starting "
                    f"{a} runs from {expected[0]} to {expected[1]}."
                }
            )


# ---------------------------------------------------------------------------
# Sources and citations


class SourceKind(models.TextChoices):
    DOCUMENT = "document", "document (article, report, letter)"
    DATASET = "dataset", "dataset (a table imported row by row)"


class Source(Record, FuzzyDated):
    """A document the catalogue is curated from, with its full original text, or an imported dataset.

    The date is the source's publication date when it gives one. A dataset
    keeps no full text: its citations quote the rows they come from.
    """

    kind = models.CharField(
        max_length=10, choices=SourceKind.choices, default=SourceKind.DOCUMENT, help_text="Document or dataset."
    )

    title = models.CharField(max_length=300, help_text="Title in the source's own language and script.")
    title_english = models.CharField(max_length=300, blank=True, help_text="The title rendered in English.")
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, when the document says so."
    )
    language = models.CharField(
        max_length=12, help_text="Language of the original text as a BCP 47 code: no, en, fa, ru, ..."
    )
    url = models.URLField(blank=True, max_length=500, help_text="Where the document was published, if known.")
    file_name = models.CharField(
        max_length=200, blank=True, help_text="File the text was curated from, e.g. in shared/seeds/."
    )
    licence = models.CharField(
        max_length=300, blank=True, help_text='Licence and attribution, e.g. "CC BY 4.0, GeoNames".'
    )
    text = models.TextField(blank=True, help_text="The full original text, unaltered (documents only).")

    class Meta(FuzzyDated.Meta):
        ordering = ["slug"]
        indexes = [
            # /sources/ sorted by title (its default), a page at a time.
            models.Index(fields=["title", "id"], name="source_title"),
            # /sources/?language=ru and the meetings' source-language filter.
            models.Index(fields=["language"], name="source_language"),
        ]
        constraints = FuzzyDated.Meta.constraints + [
            models.CheckConstraint(
                condition=~Q(kind=SourceKind.DOCUMENT) | ~Q(text=""),
                name="source_document_has_text",
                violation_error_message="A document needs its full original text.",
            )
        ]

    def search_parts(self):
        return super().search_parts() + [self.title_english, self.publisher, self.text]

    def clean(self):
        self.clean_date()
        if self.kind == SourceKind.DOCUMENT and not self.text.strip():
            raise ValidationError({"text": "A document needs its full original text; paste it unaltered."})


class Citation(Record):
    """A passage of a source, in its own language, with an English rendering."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # a citation without its source proves nothing
        related_name="citations",
        help_text="The document quoted.",
    )
    passage = models.TextField(help_text="The passage exactly as the source writes it.")
    passage_english = models.TextField(blank=True, help_text="The passage rendered in English.")
    locator = models.CharField(
        max_length=100, blank=True, help_text='Where in the source: "line 1234", "paragraph 3".'
    )

    class Meta:
        ordering = ["source", "slug"]

    def __str__(self):
        return f"{self.source.slug}: {self.passage[:60]}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.slug}"

    @property
    def language(self):
        return self.source.language

    def search_parts(self):
        return [self.slug, self.passage, self.passage_english]

    def clean(self):
        documented = self.source_id and self.source.kind == SourceKind.DOCUMENT
        if documented and self.passage and self.passage.strip() not in self.source.text:
            raise ValidationError({"passage": "The passage must be quoted exactly as it stands in the source's text."})


# ---------------------------------------------------------------------------
# Places, organisations and venues


class PlaceLevel(models.TextChoices):
    COUNTRY = "country", "country"
    REGION = "region", "region"
    PROVINCE = "province", "province / oblast"
    MUNICIPALITY = "municipality", "municipality"
    CITY = "city", "city"


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
        ordering = ["name", "country"]
        indexes = [
            # /cities/ sorted by name (its default), a page at a time.
            models.Index(fields=["name", "id"], name="place_name"),
            # /cities/?country=NO sorted by name or by country; the places of a country that the
            # meetings' and delegations' country filters look up.
            models.Index(fields=["country", "name", "id"], name="place_country_name"),
            # /cities/?level=province, with the country facet counted from the index alone.
            models.Index(fields=["level", "country"], name="place_level_country"),
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

    def search_parts(self):
        names = [n.name for n in self.names.all()] if self.pk else []
        return super().search_parts() + [self.name_native, self.country.name, *names]

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A place cannot lie within itself."})
        if self.level == PlaceLevel.COUNTRY and self.parent_id:
            raise ValidationError({"parent": "A country does not lie within another place."})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give latitude and longitude together, or neither.")


class NameKind(models.TextChoices):
    NATIVE = "native", "name in its own script"
    VARIANT = "variant", "variant spelling"
    TRANSLITERATION = "transliteration", "transliteration"
    MISSPELLING = "misspelling", "misspelling found in a source"


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

    objects = PlaceNameQuerySet.as_manager()

    class Meta:
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
        ordering = ["name"]

    def get_absolute_url(self):
        return self.place.get_absolute_url()

    def search_parts(self):
        return super().search_parts() + [self.name_native, self.description]


# ---------------------------------------------------------------------------
# People and offices


class Person(Record, Cited):
    """A person named by a source."""

    name = models.CharField(max_length=200, help_text="Name in Latin script, e.g. Igor Babushkin.")
    name_native = models.CharField(
        max_length=200, blank=True, help_text="Name in the script of the source or the person, e.g. ایگور بابوشکین."
    )
    honorific = models.CharField(max_length=40, blank=True, help_text='As the source gives it: "Mr.", "Dr."')
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [
            # /people/ sorted by name (its default), a page at a time.
            models.Index(fields=["name", "id"], name="person_name"),
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

    class Meta(FuzzyDated.Meta):
        ordering = ["person", "date_earliest"]

    def __str__(self):
        return f"{self.person.name}, {self.title}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def search_parts(self):
        return [self.slug, self.title, self.title_original]

    def clean(self):
        self.clean_date()


# ---------------------------------------------------------------------------
# Topics


class TopicQuerySet(RecordQuerySet):
    def subtree_ids(self, topics):
        """Ids of the given topics and of every topic below them.

        The hierarchy is small and controlled, so it is walked in memory.
        """
        children = {}
        for pk, parent_id in Topic.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = set(), [t.pk if isinstance(t, Topic) else t for t in topics]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(children.get(pk, []))
        return found


class Topic(Record):
    """A subject discussed, in a small controlled hierarchy, e.g. Health care › Rehabilitation."""

    name = models.CharField(max_length=100, help_text="English name.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,  # moving subtopics is an editor's decision
        null=True,
        blank=True,
        related_name="children",
        help_text="The broader topic.",
    )
    description = models.TextField(blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="topic_not_own_parent",
                violation_error_message="A topic cannot be its own parent.",
            )
        ]

    def ancestors(self):
        node, chain = self.parent, []
        while node:
            chain.insert(0, node)
            node = node.parent
        return chain

    def search_parts(self):
        return super().search_parts() + [self.description]

    def clean(self):
        node = self.parent
        while node:
            if node.pk == self.pk:
                raise ValidationError({"parent": "A topic cannot lie below itself."})
            node = node.parent


# ---------------------------------------------------------------------------
# Partnerships


class PartnershipStatus(models.TextChoices):
    FIRST_CONTACT = "first_contact", "first contact"
    COOPERATION = "cooperation", "cooperation"
    PROTOCOL_OF_INTENT = "protocol_of_intent", "protocol of intent"
    FRIENDSHIP = "friendship", "friendship"
    TWINNING = "twinning", "twinning / sister cities"
    SUSPENDED = "suspended", "suspended"
    ENDED = "ended", "ended"


class PartnershipQuerySet(RecordQuerySet):
    def with_status(self):
        """Annotate `status`: the status of the latest step."""
        # Undated steps (a dataset listing a twinning without its date) count as the oldest.
        latest = StatusStep.objects.filter(partnership=OuterRef("pk")).order_by(
            F("date_latest").desc(nulls_last=True), "-id"
        )
        return self.annotate(status=Subquery(latest.values("status")[:1]))

    def involving(self, place):
        return self.filter(Q(place_a=place) | Q(place_b=place))

    def between(self, a, b):
        return self.filter(Q(place_a=a, place_b=b) | Q(place_a=b, place_b=a))


class Partnership(Record, Cited):
    """A relationship between two places, however far it has come.

    Unique for a pair of places whatever their order; a place never partners itself.
    """

    place_a = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="partnerships_as_a", help_text="One side."
    )
    place_b = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="partnerships_as_b", help_text="The other side."
    )
    summary = models.TextField(blank=True, help_text="The relationship in a few sentences.")
    # Wikidata states a twinning as a statement of each place, not as an item of its own: the pair names it.
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=41,
        blank=True,
        db_index=True,
        validators=[
            RegexValidator(
                r"\AQ[1-9][0-9]*(-Q[1-9][0-9]*)?\Z",
                "Give a Wikidata item (Q123) or the items of the two places (Q42956-Q1763).",
            )
        ],
        help_text="Wikidata's twinning (P190) of the two places, as their items in the order of the places "
        "(QID-QID, e.g. Q42956-Q1763), or the partnership's own item (QID) where it has one.",
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place_a=F("place_b")),
                name="partnership_two_different_places",
                violation_error_message="A place cannot be in partnership with itself.",
            ),
            models.UniqueConstraint(
                Least("place_a", "place_b"),
                Greatest("place_a", "place_b"),
                name="partnership_unique_pair",
                violation_error_message="These two places already have a partnership.",
            ),
        ]

    def __str__(self):
        return f"{self.place_a} – {self.place_b}"

    @property
    def status_label(self):
        """The current status, on rows from `with_status()`."""
        status = getattr(self, "status", None)
        return PartnershipStatus(status).label if status else ""

    def search_parts(self):
        parts = super().search_parts() + [self.summary]
        for place in (self.place_a, self.place_b):
            parts += [place.name, place.name_native]
        return parts

    def clean(self):
        if self.place_a_id and self.place_a_id == self.place_b_id:
            raise ValidationError({"place_b": "A place cannot be in partnership with itself."})
        if self.place_a_id and self.place_b_id:
            twins = Partnership.objects.between(self.place_a_id, self.place_b_id).exclude(pk=self.pk)
            if twins.exists():
                raise ValidationError(
                    {"place_b": f"These two places already have a partnership: {twins.first().slug}."}
                )


class StatusStep(Record, Cited, FuzzyDated):
    """A dated step in a partnership's history: first contact, protocol of intent, twinning, ..."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="steps", help_text="The partnership that moved."
    )  # a step is only part of its partnership's history
    status = models.CharField(max_length=24, choices=PartnershipStatus.choices, help_text="Status reached.")
    description = models.TextField(blank=True, help_text="What happened, as the source tells it.")
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,  # the step stays in the history without its meeting
        null=True,
        blank=True,
        related_name="status_steps",
        help_text="The meeting or visit at which the step was taken.",
    )

    class Meta(FuzzyDated.Meta):
        ordering = ["partnership", "date_earliest", "id"]
        indexes = [
            # Partnership.objects.with_status(): the latest step of each partnership, one index probe.
            models.Index(
                "partnership", F("date_latest").desc(nulls_last=True), F("id").desc(), name="step_latest"
            ),
            # /partnerships/?reached=twinning and its facet: the partnerships that reached a status.
            models.Index(fields=["status", "partnership"], name="step_status"),
        ]

    def __str__(self):
        return f"{self.partnership}: {self.get_status_display()} ({self.date_display})"

    def get_absolute_url(self):
        return self.partnership.get_absolute_url()

    def search_parts(self):
        return [self.slug, self.description]

    def clean(self):
        self.clean_date()


# ---------------------------------------------------------------------------
# Delegations and meetings


class Delegation(Record, Cited, FuzzyDated):
    """A group that travelled from one place to another on an official visit."""

    title = models.CharField(max_length=200, help_text="e.g. Harbin delegation to Murmansk, May 2016.")
    origin = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="delegations_sent",
        help_text="Where the delegation came from; a country when it came through an embassy.",
    )
    destination = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="delegations_received", help_text="Where it went."
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="The body the delegation represented, e.g. an embassy.",
    )
    invited_by = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invited_delegations",
        help_text="Who invited the delegation, when the source says.",
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="The partnership the visit advanced.",
    )
    purpose = models.TextField(blank=True, help_text="Why it travelled, as the source says.")
    summary = models.TextField(blank=True)

    class Meta(FuzzyDated.Meta):
        ordering = ["-date_earliest", "slug"]
        indexes = [
            # /delegations/ newest first (its default): undated last, ties by id, a page at a time.
            models.Index(F("date_earliest").desc(nulls_last=True), F("id").desc(), name="delegation_date_desc"),
            # /delegations/?sort=date, oldest first; and the date_to filter (date_earliest <= day).
            models.Index(fields=["date_earliest", "id"], name="delegation_date_asc"),
            # /delegations/?sort=title.
            models.Index(fields=["title", "id"], name="delegation_title"),
        ]
        constraints = FuzzyDated.Meta.constraints + [
            models.CheckConstraint(
                condition=~Q(origin=F("destination")),
                name="delegation_travels",
                violation_error_message="A delegation travels: its origin and destination differ.",
            )
        ]

    def search_parts(self):
        return super().search_parts() + [self.purpose, self.summary]

    def clean(self):
        self.clean_date()
        if self.origin_id and self.origin_id == self.destination_id:
            raise ValidationError({"destination": "A delegation travels: its origin and destination differ."})


class Role(models.TextChoices):
    LEADER = "leader", "leader"
    MEMBER = "member", "member"
    PARTICIPANT = "participant", "participant"
    GUIDE = "guide", "guide"
    PRESENTER = "presenter", "presenter"
    CONTACT = "contact", "contact person"


class Side(models.TextChoices):
    HOST = "host", "host"
    GUEST = "guest", "guest"


class InOffice(Cited):
    """A person taking part in an office they held: the office must be theirs."""

    class Meta:
        abstract = True

    def clean(self):
        if self.office_id and self.person_id and self.office.person_id != self.person_id:
            raise ValidationError({"office": "Choose an office held by this person."})


class DelegationMemberQuerySet(models.QuerySet):
    def get_by_natural_key(self, delegation_slug, person_slug):
        return self.get(delegation__slug=delegation_slug, person__slug=person_slug)


class DelegationMember(InOffice):
    """A person who travelled with a delegation, in the office held then."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegation_memberships"
    )  # people are not deleted behind the delegations they joined
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_memberships",
        help_text="The office the person travelled in.",
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    objects = DelegationMemberQuerySet.as_manager()

    class Meta:
        ordering = ["delegation", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "person"], name="delegationmember_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.delegation.get_absolute_url()

    def natural_key(self):
        return (self.delegation.slug, self.person.slug)

    natural_key.dependencies = ["partnerships.delegation", "partnerships.person"]



class MeetingKind(models.TextChoices):
    MEETING = "meeting", "meeting"
    VISIT = "visit", "visit / guided tour"
    SIGNING = "signing", "signing"
    EVENT = "event", "festival, exhibition or conference"


class MeetingStatus(models.TextChoices):
    HELD = "held", "held"
    PLANNED = "planned", "planned"


class MeetingQuerySet(FuzzyDateQuerySet):
    def between(self, a, b):
        """Meetings that brought people of places a and b together (by place or delegation)."""
        return self.filter(
            Q(delegation__origin=a, delegation__destination=b)
            | Q(delegation__origin=b, delegation__destination=a)
            | Q(partnership__in=Partnership.objects.between(a, b))
        ).distinct()

    def about(self, *topics):
        """Meetings about any of the topics or their subtopics."""
        return self.filter(topics__in=Topic.objects.subtree_ids(topics)).distinct()


class Meeting(Record, Cited, FuzzyDated):
    """A meeting, site visit, signing or event: when, where, with whom, about what, and to what end."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=MeetingKind.choices, default=MeetingKind.MEETING)
    status = models.CharField(
        max_length=12,
        choices=MeetingStatus.choices,
        default=MeetingStatus.HELD,
        help_text="Planned meetings are announced follow-ups that no source yet reports as held.",
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", help_text="Where it was held."
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", help_text="Building or site."
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,  # the meeting happened even if the delegation record goes
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The visiting delegation, if the meeting was part of a visit.",
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The partnership the meeting concerned.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings", help_text="What was discussed.")
    summary = models.TextField(blank=True, help_text="What happened and what was said.")

    objects = MeetingQuerySet.as_manager()

    class Meta(FuzzyDated.Meta):
        ordering = ["-date_earliest", "slug"]
        indexes = [
            # /meetings/ newest first (its default), undated last, ties by id: a page is an index range.
            models.Index(F("date_earliest").desc(nulls_last=True), F("id").desc(), name="meeting_date_desc"),
            # /meetings/?sort=date, oldest first; and the date_to filter (date_earliest <= day).
            models.Index(fields=["date_earliest", "id"], name="meeting_date_asc"),
            # The date_from filter (date_latest >= day), ANDed with the one above for a date range.
            models.Index(fields=["date_latest"], name="meeting_date_latest"),
            # /meetings/?sort=title.
            models.Index(fields=["title", "id"], name="meeting_title"),
            # The home page's planned meetings, soonest first (partial: planned meetings are few, and a
            # full (status, date) index misleads the planner into reading it for any date range).
            models.Index(fields=["date_earliest"], condition=Q(status="planned"), name="meeting_planned"),
        ]

    def search_parts(self):
        return super().search_parts() + [self.summary]

    def clean(self):
        self.clean_date()
        if self.venue_id and self.place_id and self.venue.place_id != self.place_id:
            raise ValidationError({"venue": f"This venue is in {self.venue.place}, not in {self.place}."})


class ParticipantQuerySet(models.QuerySet):
    def get_by_natural_key(self, meeting_slug, person_slug):
        return self.get(meeting__slug=meeting_slug, person__slug=person_slug)


class Participant(InOffice):
    """A person's part in a meeting: the side they were on, their role, the office they held then."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The office the person took part in.",
    )
    side = models.CharField(max_length=8, choices=Side.choices, help_text="Host or guest.")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    note = models.CharField(max_length=300, blank=True, help_text='e.g. "guided the tour in Russian".')

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "side", "id"]
        indexes = [
            # /people/?side=guest&role=leader and their facets, and a person's meetings on
            # /people/<slug>/, read from the index alone.
            models.Index(fields=["person", "side", "role"], name="participant_person_side"),
        ]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_once")]

    def __str__(self):
        return f"{self.person} ({self.get_side_display()}, {self.get_role_display()})"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    def natural_key(self):
        return (self.meeting.slug, self.person.slug)

    natural_key.dependencies = ["partnerships.meeting", "partnerships.person"]



# ---------------------------------------------------------------------------
# Outcomes and figures


class OutcomeKind(models.TextChoices):
    AGREEMENT = "agreement", "agreement or protocol signed"
    INVITATION = "invitation", "invitation"
    FOLLOW_UP = "follow_up", "planned follow-up"
    PROPOSAL = "proposal", "proposal or request"
    COMMITMENT = "commitment", "commitment"


class OutcomeStatus(models.TextChoices):
    DONE = "done", "done"
    PLANNED = "planned", "planned"
    PROPOSED = "proposed", "proposed"


class Outcome(Record, Cited, FuzzyDated):
    """What a meeting produced or promised: agreements signed, invitations, follow-ups, proposals.

    The date is when the outcome takes effect or is planned for (e.g. the
    first half of 2020), not when it was agreed — that is the meeting's date.
    """

    kind = models.CharField(max_length=12, choices=OutcomeKind.choices)
    status = models.CharField(max_length=10, choices=OutcomeStatus.choices, default=OutcomeStatus.DONE)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        help_text="The meeting that produced it.",
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    made_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes_made",
        help_text="Who signed, invited or proposed.",
    )
    leads_to = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="announced_by",
        help_text="The planned meeting or event this outcome announces or invites to.",
    )

    class Meta(FuzzyDated.Meta):
        ordering = ["date_earliest", "slug"]

    def get_absolute_url(self):
        record = self.meeting or self.partnership
        return record.get_absolute_url() if record else None

    def search_parts(self):
        return super().search_parts() + [self.description]

    def clean(self):
        self.clean_date()


class Figure(Record, Cited):
    """A number a source states, e.g. Astrakhan's cargo turnover of 16 million tonnes a year."""

    label = models.CharField(max_length=200, help_text="What is counted, e.g. annual cargo turnover.")
    value = models.DecimalField(max_digits=20, decimal_places=2, help_text="The number.")
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. tonnes per year.")
    as_written = models.CharField(max_length=200, blank=True, help_text="The figure as the source writes it.")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, null=True, blank=True, related_name="figures")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="figures"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
        help_text="The meeting where it was stated.",
    )

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(partnership__isnull=False),
                name="figure_is_about_something",
                violation_error_message="A figure describes a place or a partnership.",
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.value.normalize():,f} {self.unit}".strip()

    def get_absolute_url(self):
        return (self.place or self.partnership).get_absolute_url()

    def clean(self):
        if not (self.place_id or self.partnership_id):
            raise ValidationError("Say what the figure describes: a place or a partnership.")


# ---------------------------------------------------------------------------
# Derived search text, kept current on every save (raw fixture loads included)


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


# ---------------------------------------------------------------------------
# Editors' history (written by the admin: partnerships/history.py)


class RevisionAction(models.TextChoices):
    ADDED = "added", "added"
    CHANGED = "changed", "changed"
    DELETED = "deleted", "deleted"
    RESTORED = "restored", "restored"


class RevisionQuerySet(models.QuerySet):
    def of_record(self, model, pk):
        """The record's own revisions and those of the rows edited on its admin page (its inlines)."""
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(model)
        return self.filter(Q(content_type=ct, object_id=str(pk)) | Q(root_type=ct, root_id=str(pk)))


class Revision(models.Model):
    """One change an editor made to one record through the admin: who, when, what, before and after.

    `before` and `after` hold the whole record as Django serializes it (its
    many-to-many links included), so a deleted record can be put back as it
    was; `changes` holds the fields that differ, readable, as the editor
    sees them. One save or delete writes one revision per row it touched,
    all sharing a `batch`.
    """

    time = models.DateTimeField(auto_now_add=True, help_text="When the change was saved.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the history outlives the account; user_name keeps the name
        null=True,
        blank=True,
        related_name="catalogue_revisions",
    )
    user_name = models.CharField(max_length=150, blank=True, help_text="Username of the editor at the time.")
    action = models.CharField(max_length=10, choices=RevisionAction.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", help_text="The record's model."
    )
    object_id = models.CharField(max_length=64, help_text="The record's primary key.")
    object_repr = models.CharField(max_length=300, help_text="The record as it was named at the time.")
    root_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The record whose admin page the change was made on, when it was another one's (an inline).",
    )
    root_id = models.CharField(max_length=64, blank=True)
    batch = models.UUIDField(default=uuid.uuid4, help_text="Revisions written by one save or delete share this.")
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder, help_text="The record before.")
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder, help_text="The record after.")
    changes = models.JSONField(
        default=list, blank=True, encoder=DjangoJSONEncoder, help_text="Fields changed: label, before, after."
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = "change"
        verbose_name_plural = "change history"
        indexes = [
            # A record's history page: its own revisions, newest first.
            models.Index(fields=["content_type", "object_id", "-time"], name="revision_record"),
            # ... and those of its inlines.
            models.Index(fields=["root_type", "root_id"], name="revision_root"),
            # Restoring a deletion: every row of its batch.
            models.Index(fields=["batch"], name="revision_batch"),
        ]

    def __str__(self):
        return f"{self.object_repr} {self.get_action_display()} by {self.user_name or 'someone'}"
