"""The filters of every list, as django-filter FilterSets.

Several values of one filter combine with OR (`?country=CN&country=RU`),
different filters with AND. Related records are named by slug, countries
by ISO code, so every URL reads well and can be shared.
"""

import calendar
import datetime
import re
from collections.abc import Mapping

import django_filters as filters
from django import forms
from django.conf.locale import LANG_INFO
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import (
    Delegation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organisation,
    Participant,
    Partnership,
    PartnershipStatus,
    Person,
    Place,
    PlaceLevel,
    Role,
    Side,
    Source,
    SourceKind,
    StatusStep,
    Topic,
)


class CountryNames(Mapping):
    """Country names by ISO code, in the reader's language when they are read (django-countries')."""

    def __getitem__(self, code):
        name = countries.name(code)
        if not name:
            raise KeyError(code)
        return name

    def __iter__(self):
        return (code for code, _name in countries)

    def __len__(self):
        return len(countries)


class CountryChoices(BaseChoiceIterator):
    """(code, name) of every country, sorted by its name in the reader's language at each reading.

    A choice iterator, so that a form field keeps it as it is (a list would
    be read once, in the language of whoever imported this module first).
    """

    def __iter__(self):
        return iter(list(countries))

    def __len__(self):
        return len(countries)


COUNTRY_LABELS = CountryNames()
COUNTRY_CHOICES = CountryChoices()
# Sources' languages by ISO 639-1 code, named as Django's locale data names them ("zh" is there only
# by script, as zh-hans and zh-hant); Django's own translations name them in the reader's language.
# A facet offers only values its filter accepts.
# Names Django's own translations lack, for the catalogue's to give.
EXTRA_LANGUAGE_NAMES = (gettext_noop("Norwegian"), gettext_noop("Chinese"))
LANGUAGE_CHOICES = sorted(
    [(code, gettext_lazy(info["name"])) for code, info in LANG_INFO.items() if "-" not in code and "name" in info]
    + [("zh", _("Chinese"))],
    key=lambda choice: str(choice[1]),
)
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def reached_through(model, path, values):
    """Ids of `model` rows reaching any of `values` by a multi-valued path, as a subquery.

    "participants__person" on Meeting gives `SELECT meeting_id FROM participant
    WHERE person_id IN (...)`: filtering with `pk__in` on it is a semi-join,
    which neither repeats the list's rows nor needs DISTINCT (and so keeps
    the list's sort index usable).
    """
    first, _, rest = path.partition(LOOKUP_SEP)
    f = model._meta.get_field(first)
    if f.many_to_many:
        if f.concrete:  # declared on this model, e.g. Meeting.topics
            through, own, other = f.remote_field.through, f.m2m_field_name(), f.m2m_reverse_field_name()
        else:  # the other side, e.g. Topic.meetings
            through, own, other = f.through, f.field.m2m_reverse_field_name(), f.field.m2m_field_name()
        lookup = LOOKUP_SEP.join(part for part in (other, rest) if part)
        return through._base_manager.filter(**{f"{lookup}__in": values}).values(own)
    if f.one_to_many:  # a reverse foreign key, e.g. Meeting.participants
        return f.related_model._default_manager.filter(**{f"{rest or 'pk'}__in": values}).values(f.field.name)
    return model._default_manager.filter(**{f"{path}__in": values}).values("pk")


class ThroughFilterMixin:
    """A filter across a multi-valued relation, matched by a semi-join (see `reached_through`)."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(pk__in=reached_through(qs.model, self.field_name, list(value)))


class DateBoundField(forms.CharField):
    """A year, month or day: "2015", "2015-10" or "2015-10-13"."""

    def __init__(self, *args, end=False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = _DATE.match(value)
        if not match:
            raise forms.ValidationError(
                _("“%(value)s” is not a date: write 2015, 2015-10 or 2015-10-13.") % {"value": value[:40]}
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day:
                return datetime.date(year, month, day)
            if month:
                last = calendar.monthrange(year, month)[1]
                return datetime.date(year, month, last if self.end else 1)
            return datetime.date(year, 12, 31) if self.end else datetime.date(year, 1, 1)
        except (ValueError, calendar.IllegalMonthError):
            raise forms.ValidationError(_("“%(value)s” is not a real date.") % {"value": value[:40]}) from None


class DateBoundFilter(filters.Filter):
    field_class = DateBoundField


class SlugsField(filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        # Django's empty answer is queryset.none(), which a method filter would apply as "match nothing".
        return super().clean(value) if value else []


class SlugsFilter(filters.ModelMultipleChoiceFilter):
    """Related records named by their slugs."""

    field_class = SlugsField

    def get_filter_predicate(self, v):
        # Match the record itself; django-filter would compare the relation with the slug.
        return {self.field_name: v}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class ThroughChoiceFilter(ThroughFilterMixin, filters.MultipleChoiceFilter):
    """Choices reached through a multi-valued relation: `participants__side`."""


class ThroughSlugsFilter(ThroughFilterMixin, SlugsFilter):
    """Related records reached through a multi-valued relation: `participants__person`."""


class CatalogueFilterSet(filters.FilterSet):
    """A list's filters, with the search box as one of them.

    `filter_queryset_except` applies every filter but one, as
    `filter_queryset` applies them all: a facet counts its options over the
    rows the other filters leave.
    """

    q = filters.CharFilter(label=_("Search"), method="filter_search")

    def filter_search(self, qs, name, value):
        return qs.search(value) if value.strip() else qs

    def filter_queryset_except(self, queryset, skip):
        for name, value in self.form.cleaned_data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class OverlapMixin(CatalogueFilterSet):
    """`from` and `to`: an uncertain date matches when its interval overlaps the range."""

    date_from = DateBoundFilter(label=pgettext_lazy("date range", "From"), method="filter_from")
    date_to = DateBoundFilter(label=pgettext_lazy("date range", "To"), method="filter_to", end=True)

    def filter_from(self, qs, name, value):
        return qs.overlapping(start=value)

    def filter_to(self, qs, name, value):
        return qs.overlapping(end=value)


class PlaceFilter(CatalogueFilterSet):
    country = filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label=_("Country"))
    level = filters.MultipleChoiceFilter(choices=PlaceLevel.choices, label=_("Level"))
    within = SlugsFilter(queryset=Place.objects.all(), field_name="parent", label=_("Within"))

    class Meta:
        model = Place
        fields = []


# "Listed by": the open datasets and the curated documents that name a partnership (cite it).
CURATED = "curated"


def listing_choices():
    """The curated sources together, then each dataset, as (value, label): what "listed by" offers."""
    datasets = Source.objects.filter(kind=SourceKind.DATASET).order_by("title").values_list("slug", "title")
    return [(CURATED, _("Curated sources")), *datasets]


def listed_by(values):
    """Partnerships that any of the listings name: cited by a passage of that dataset, or of a curated document."""
    sources = Q(citation__source__slug__in=[v for v in values if v != CURATED])
    if CURATED in values:
        sources |= Q(citation__source__kind=SourceKind.DOCUMENT)
    return Q(pk__in=Partnership.citations.through.objects.filter(sources).values("partnership"))


class PartnershipFilter(CatalogueFilterSet):
    country = filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label=_("Country"), method="filter_country")
    place = SlugsFilter(queryset=Place.objects.all(), label=_("Place"), method="filter_place")
    status = filters.MultipleChoiceFilter(choices=PartnershipStatus.choices, label=_("Current status"))
    reached = ThroughChoiceFilter(choices=PartnershipStatus.choices, label=_("Reached"), field_name="steps__status")
    date_from = DateBoundFilter(label=_("Step from"), method="filter_from")
    date_to = DateBoundFilter(label=_("Step to"), method="filter_to", end=True)
    listed_by = filters.MultipleChoiceFilter(choices=listing_choices, label=_("Listed by"), method="filter_listed")
    not_listed_by = filters.MultipleChoiceFilter(
        choices=listing_choices, label=_("Not listed by"), method="filter_not_listed"
    )

    class Meta:
        model = Partnership
        fields = []

    def filter_listed(self, qs, name, value):
        return qs.filter(listed_by(value))

    def filter_not_listed(self, qs, name, value):
        return qs.exclude(listed_by(value))

    def filter_country(self, qs, name, value):
        places = Place.objects.filter(country__in=value).values("pk")
        return qs.filter(Q(place_a__in=places) | Q(place_b__in=places))

    def filter_place(self, qs, name, value):
        return qs.filter(Q(place_a__in=value) | Q(place_b__in=value))

    def filter_from(self, qs, name, value):
        return qs.filter(pk__in=StatusStep.objects.overlapping(start=value).values("partnership"))

    def filter_to(self, qs, name, value):
        return qs.filter(pk__in=StatusStep.objects.overlapping(end=value).values("partnership"))


class DelegationFilter(OverlapMixin):
    origin_country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("From country"), field_name="origin__country"
    )
    destination_country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("To country"), field_name="destination__country"
    )
    place = SlugsFilter(queryset=Place.objects.all(), label=_("Place"), method="filter_place")
    person = ThroughSlugsFilter(queryset=Person.objects.all(), label=_("Member"), field_name="members__person")
    partnership = SlugsFilter(queryset=Partnership.objects.all(), label=_("Partnership"))

    class Meta:
        model = Delegation
        fields = []

    def filter_place(self, qs, name, value):
        return qs.filter(Q(origin__in=value) | Q(destination__in=value))


class MeetingFilter(OverlapMixin):
    country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES,
        label=_("Country"),
        method="filter_country",
        help_text=_("Where the meeting was held or where its guests came from."),
    )
    place = SlugsFilter(queryset=Place.objects.all(), label=_("Place"), method="filter_place")
    topic = SlugsFilter(queryset=Topic.objects.all(), label=_("Topic"), method="filter_topic")
    person = ThroughSlugsFilter(
        queryset=Person.objects.all(), label=_("Participant"), field_name="participants__person"
    )
    role = ThroughChoiceFilter(choices=Role.choices, label=_("Role"), field_name="participants__role")
    side = ThroughChoiceFilter(choices=Side.choices, label=_("Side"), field_name="participants__side")
    kind = filters.MultipleChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    partnership = SlugsFilter(queryset=Partnership.objects.all(), label=_("Partnership"))
    language = ThroughChoiceFilter(
        choices=LANGUAGE_CHOICES, label=_("Source language"), field_name="citations__source__language"
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_country(self, qs, name, value):
        return self.held_in_or_visited_from(qs, Place.objects.filter(country__in=value).values("pk"))

    def filter_place(self, qs, name, value):
        return self.held_in_or_visited_from(qs, [p.pk for p in value])

    def held_in_or_visited_from(self, qs, places):
        """Meetings held in the places or attended by a delegation from them.

        Written as `id IN (held here UNION ALL visited from here)` rather
        than an OR of the two: each half then reads its own index (place_id,
        delegation_id), where an OR across two relations reads every meeting.
        """
        here = Meeting.objects.filter(place__in=places).order_by().values("pk")
        visiting = Meeting.objects.filter(
            delegation__in=Delegation.objects.filter(origin__in=places).order_by().values("pk")
        ).order_by().values("pk")
        return qs.filter(pk__in=here.union(visiting, all=True))

    def filter_topic(self, qs, name, value):
        # The subtree is looked up once per request, however many facets apply this filter.
        key = tuple(sorted(t.pk for t in value))
        if getattr(self, "_subtree", (None,))[0] != key:
            self._subtree = (key, sorted(Topic.objects.subtree_ids(value)))
        return qs.filter(pk__in=reached_through(Meeting, "topics", self._subtree[1]))


class PersonFilter(CatalogueFilterSet):
    country = ThroughChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("Country of office"), field_name="offices__place__country"
    )
    organisation = ThroughSlugsFilter(
        queryset=Organisation.objects.all(), label=_("Organisation"), field_name="offices__organisation"
    )
    side = ThroughChoiceFilter(choices=Side.choices, label=_("Side"), field_name="participations__side")
    role = ThroughChoiceFilter(choices=Role.choices, label=_("Role"), field_name="participations__role")
    met = SlugsFilter(queryset=Person.objects.all(), label=_("Met"), method="filter_met")

    class Meta:
        model = Person
        fields = []

    def filter_met(self, qs, name, value):
        """People who took part in a meeting with any of the given people."""
        meetings = Participant.objects.filter(person__in=value).values("meeting")
        people = Participant.objects.filter(meeting__in=meetings).values("person")
        return qs.filter(pk__in=people).exclude(pk__in=[p.pk for p in value])


class TopicFilter(CatalogueFilterSet):
    parent = SlugsFilter(queryset=Topic.objects.all(), label=_("Broader topic"))

    class Meta:
        model = Topic
        fields = []


class SourceFilter(CatalogueFilterSet):
    language = filters.MultipleChoiceFilter(choices=LANGUAGE_CHOICES, label=_("Language"))

    class Meta:
        model = Source
        fields = []
