"""The building blocks every record shares: slugs, search text, citations, uncertain dates."""

import calendar
import datetime
from contextvars import ContextVar

import jdatetime
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..i18n import formats
from ..text import fold


def is_english():
    """Whether the active language is English (or none is active): the catalogue's own forms apply."""
    return (get_language() or "en").split("-")[0] == "en"


def fold_parts(parts):
    """Texts joined and folded for search, empty ones skipped: what `Record.search_text` holds."""
    return fold(" ".join(p for p in parts if p))


def slug_base(text, max_length=100):
    """A slug made from text in any script: "Мурманск" → "murmansk"; may be empty."""
    return slugify(fold(text))[:max_length].strip("-")


def unique_slug(base, taken, max_length=120, fallback="record"):
    """The base (or base-2, base-3, ...) not yet in `taken`; added to it."""
    # Room is left for the counter, so the result always fits the slug field.
    base = (base or fallback)[: max_length - 6].strip("-") or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def now_to_the_millisecond():
    """The time now, to the millisecond: what Django's JSON serializer keeps, so that a dumped and
    reloaded catalogue (a backup, a fixture) holds the very same times."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class ChangedAtField(models.DateTimeField):
    """The time a row was last saved, set on every save like `auto_now`.

    Unlike `auto_now` it also has a default, so that rows written around
    save() carry a time too: the importers' and the synthetic catalogue's
    bulk inserts write every field's value as the instance holds it, and a
    fixture loads its records with the time it is loaded unless it gives
    one (a backup does). The importers' `bulk_set` sets it too; any other
    UPDATE written by hand (`QuerySet.update`) must set it itself when the
    change is news.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", now_to_the_millisecond)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = now_to_the_millisecond()
        setattr(model_instance, self.attname, value)
        return value


# Whether the queries made in this context leave drafts out: true while a request of a reader who is
# not an editor runs (and while its response streams); false elsewhere, in the admin, in imports and
# commands (partnerships/publishing.py sets it).
drafts_hidden = ContextVar("drafts_hidden", default=False)


class CatalogueManager(models.Manager):
    """The default manager of the catalogue's models: what readers cannot see is not there for them.

    A draft (`Record.draft`) is left out of every query made while
    `drafts_hidden` is set, and so is whatever belongs to a draft (a draft
    meeting's participants). Related managers (`place.meetings`), lists,
    facets, searches, exports and feeds all read through it. Forward foreign
    keys read through Django's plain base manager; that is safe because a
    published record never points at a draft (publishing takes along the
    drafts a record points at, and the admin refuses to point a published
    record at one).
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        if drafts_hidden.get():
            queryset = queryset.filter(self.model.published_condition())
        return queryset


def prefixed(condition, prefix):
    """A Q object's lookups seen from a related model: prefixed(Q(draft=False), "steps") is Q(steps__draft=False)."""
    children = [
        prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def published_through(model, path):
    """The condition for the rows a path reaches across a reverse foreign key or a many-to-many to be seen
    by readers (a partnership's published steps), or None when the path crosses no such relation."""
    conditions, prefix = [], []
    for part in path.split("__"):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        prefix.append(part)
        if not f.is_relation:
            break
        model = f.related_model
        if (f.one_to_many or f.many_to_many) and hasattr(model, "published_condition"):
            conditions.append(prefixed(model.published_condition(), "__".join(prefix)))
    return Q(*conditions) if conditions else None


def seen_value(model, path):
    """For a reader, the value a path reaches across a relation to drafts, read as none where it is a
    draft's (a partnership's draft step has no status for them); None when the path needs no such
    guard or drafts are not hidden. The expression is annotated on the rows' own join, which joins to
    the related rows reuse, so it filters nothing else."""
    condition = published_through(model, path) if drafts_hidden.get() else None
    return None if condition is None else models.Case(models.When(condition, then=F(path)))


def visible_rows(model):
    """The rows of `model` this context may see. A many-to-many's own table (a meeting's topics), which
    has no manager of ours, shows the links whose two ends may be seen."""
    rows = model._default_manager.all()
    if model._meta.auto_created and drafts_hidden.get():
        for f in model._meta.fields:
            if f.is_relation and hasattr(f.related_model, "published_condition"):
                rows = rows.filter(prefixed(f.related_model.published_condition(), f.name))
    return rows


def catalogue_manager(queryset_class):
    """A model's `objects`: its queryset's methods on a manager that hides drafts from readers."""
    return CatalogueManager.from_queryset(queryset_class)()


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
    updated_at = ChangedAtField(
        help_text="When the record was last added or changed (in the admin, by an import or a load): "
        "what the Atom feeds list as new or changed.",
    )
    draft = models.BooleanField(
        _("draft"),
        default=False,
        help_text="A draft is seen by editors only (on the public pages too, marked as a draft) until it "
        "is published. What editors add in the admin and on the desk starts as a draft; imports and "
        "the curated fixtures are published.",
    )

    objects = catalogue_manager(RecordQuerySet)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def published_condition(cls):
        """What a reader may see of this model (CatalogueManager)."""
        return Q(draft=False)

    def __str__(self):
        return getattr(self, "name", None) or getattr(self, "title", None) or self.slug

    def get_absolute_url(self):
        return reverse(f"{self._meta.model_name}-detail", args=[self.slug])

    def search_parts(self):
        """The texts a reader may search this record by."""
        return [self.slug, str(self), self.notes]

    def folded_search_text(self):
        """The search parts folded into the one line that `search_text` stores.

        Importers that write rows in bulk (which skips post_save) set
        `search_text` to this themselves.
        """
        return fold_parts(self.search_parts())

    def refresh_search_text(self):
        """Store the folded search text; run after every save, fixture loads included."""
        text = self.folded_search_text()
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
    DAY = "day", _("day")
    DAYS = "days", _("span of days")
    MONTH = "month", _("month")
    HALF_YEAR = "half", _("half year")
    YEAR = "year", _("year")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    SOLAR_HIJRI = "solar_hijri", _("Solar Hijri (Iranian)")


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
        """Rows whose date interval overlaps [start, end]; either end may be open (None).

        An uncertain date matches when any day it can mean lies in the range;
        undated rows match only when both ends are open.
        """
        qs = self
        if start is not None:
            qs = qs.filter(date_latest__gte=start)
        if end is not None:
            qs = qs.filter(date_earliest__lte=end)
        return qs


class FuzzyDated(models.Model):
    """A date as uncertain as its source: an interval, its precision, its words.

    "March 2014" is stored as 2014-03-01..2014-03-31 with precision month;
    sorting uses the earliest day, filtering the whole interval.

    A dated record declares `objects = catalogue_manager(FuzzyDateQuerySet)`
    itself: Django gives a model the manager of its first base that has one,
    and for a record that is Record.
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
        """The date as readers see it: `date_text`, or else written from the interval ("March 2014").

        `date_text` is English; readers of another language get the
        interval written in theirs (see i18n/formats.py).
        """
        if not is_english():
            if not self.date_earliest:
                return ""
            return formats.reader_date(self.date_precision, self.date_earliest, self.date_latest)
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
        if not is_english():
            # Persian readers see every date in the Solar Hijri calendar first already.
            if formats.language_code() == "fa":
                return ""
            return formats.solar_hijri(self.date_precision, self.date_earliest, self.date_latest)
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
