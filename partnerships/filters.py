"""The filters of every list, as django-filter FilterSets.

Several values of one filter combine with OR (`?country=CN&country=RU`),
different filters with AND. Related records are named by slug, countries
by ISO code, so every URL reads well and can be shared.
"""

import calendar
import datetime
import re

import django_filters as filters
from django import forms
from django.db.models import Q
from django_countries import countries

from .models import (
    Delegation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organisation,
    Partnership,
    PartnershipStatus,
    Person,
    Place,
    PlaceLevel,
    Role,
    Side,
    Source,
    Topic,
)

COUNTRY_CHOICES = [(code, name) for code, name in countries]
LANGUAGE_CHOICES = [
    ("no", "Norwegian"),
    ("nb", "Norwegian Bokmål"),
    ("en", "English"),
    ("fa", "Persian"),
    ("ru", "Russian"),
    ("zh", "Chinese"),
]
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


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
            raise forms.ValidationError(f"“{value[:40]}” is not a date: write 2015, 2015-10 or 2015-10-13.")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            if day:
                return datetime.date(year, month, day)
            if month:
                last = calendar.monthrange(year, month)[1]
                return datetime.date(year, month, last if self.end else 1)
            return datetime.date(year, 12, 31) if self.end else datetime.date(year, 1, 1)
        except (ValueError, calendar.IllegalMonthError):
            raise forms.ValidationError(f"“{value[:40]}” is not a real date.") from None


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


class OverlapMixin(filters.FilterSet):
    """`from` and `to`: an uncertain date matches when its interval overlaps the range."""

    date_from = DateBoundFilter(label="From", method="filter_from")
    date_to = DateBoundFilter(label="To", method="filter_to", end=True)

    def filter_from(self, qs, name, value):
        return qs.filter(date_latest__gte=value)

    def filter_to(self, qs, name, value):
        return qs.filter(date_earliest__lte=value)


class PlaceFilter(filters.FilterSet):
    country = filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country")
    level = filters.MultipleChoiceFilter(choices=PlaceLevel.choices, label="Level")
    within = SlugsFilter(queryset=Place.objects.all(), field_name="parent", label="Within")

    class Meta:
        model = Place
        fields = []


class PartnershipFilter(filters.FilterSet):
    country = filters.MultipleChoiceFilter(choices=COUNTRY_CHOICES, label="Country", method="filter_country")
    place = SlugsFilter(queryset=Place.objects.all(), label="Place", method="filter_place")
    status = filters.MultipleChoiceFilter(choices=PartnershipStatus.choices, label="Current status")
    reached = filters.MultipleChoiceFilter(
        choices=PartnershipStatus.choices, label="Reached", field_name="steps__status", distinct=True
    )
    date_from = DateBoundFilter(label="Step from", method="filter_from")
    date_to = DateBoundFilter(label="Step to", method="filter_to", end=True)

    class Meta:
        model = Partnership
        fields = []

    def filter_country(self, qs, name, value):
        return qs.filter(Q(place_a__country__in=value) | Q(place_b__country__in=value))

    def filter_place(self, qs, name, value):
        return qs.filter(Q(place_a__in=value) | Q(place_b__in=value))

    def filter_from(self, qs, name, value):
        return qs.filter(steps__date_latest__gte=value).distinct()

    def filter_to(self, qs, name, value):
        return qs.filter(steps__date_earliest__lte=value).distinct()


class DelegationFilter(OverlapMixin):
    origin_country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label="From country", field_name="origin__country"
    )
    destination_country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label="To country", field_name="destination__country"
    )
    place = SlugsFilter(queryset=Place.objects.all(), label="Place", method="filter_place")
    person = SlugsFilter(queryset=Person.objects.all(), label="Member", field_name="members__person", distinct=True)
    partnership = SlugsFilter(queryset=Partnership.objects.all(), label="Partnership")

    class Meta:
        model = Delegation
        fields = []

    def filter_place(self, qs, name, value):
        return qs.filter(Q(origin__in=value) | Q(destination__in=value))


class MeetingFilter(OverlapMixin):
    country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES,
        label="Country",
        method="filter_country",
        help_text="Where the meeting was held or where its guests came from.",
    )
    place = SlugsFilter(queryset=Place.objects.all(), label="Place", method="filter_place")
    topic = SlugsFilter(queryset=Topic.objects.all(), label="Topic", method="filter_topic")
    person = SlugsFilter(
        queryset=Person.objects.all(), label="Participant", field_name="participants__person", distinct=True
    )
    role = filters.MultipleChoiceFilter(
        choices=Role.choices, label="Role", field_name="participants__role", distinct=True
    )
    side = filters.MultipleChoiceFilter(
        choices=Side.choices, label="Side", field_name="participants__side", distinct=True
    )
    kind = filters.MultipleChoiceFilter(choices=MeetingKind.choices, label="Kind")
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label="Status")
    partnership = SlugsFilter(queryset=Partnership.objects.all(), label="Partnership")
    language = filters.MultipleChoiceFilter(
        choices=LANGUAGE_CHOICES, label="Source language", field_name="citations__source__language", distinct=True
    )

    class Meta:
        model = Meeting
        fields = []

    def filter_country(self, qs, name, value):
        return qs.filter(Q(place__country__in=value) | Q(delegation__origin__country__in=value))

    def filter_place(self, qs, name, value):
        return qs.filter(Q(place__in=value) | Q(delegation__origin__in=value))

    def filter_topic(self, qs, name, value):
        return qs.filter(topics__in=Topic.objects.subtree_ids(value)).distinct()


class PersonFilter(filters.FilterSet):
    country = filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label="Country of office", field_name="offices__place__country", distinct=True
    )
    organisation = SlugsFilter(
        queryset=Organisation.objects.all(), label="Organisation", field_name="offices__organisation", distinct=True
    )
    side = filters.MultipleChoiceFilter(
        choices=Side.choices, label="Side", field_name="participations__side", distinct=True
    )
    role = filters.MultipleChoiceFilter(
        choices=Role.choices, label="Role", field_name="participations__role", distinct=True
    )
    met = SlugsFilter(queryset=Person.objects.all(), label="Met", method="filter_met")

    class Meta:
        model = Person
        fields = []

    def filter_met(self, qs, name, value):
        """People who took part in a meeting with any of the given people."""
        meetings = Meeting.objects.filter(participants__person__in=value)
        return qs.filter(participations__meeting__in=meetings).exclude(pk__in=[p.pk for p in value]).distinct()


class TopicFilter(filters.FilterSet):
    parent = SlugsFilter(queryset=Topic.objects.all(), label="Broader topic")

    class Meta:
        model = Topic
        fields = []


class SourceFilter(filters.FilterSet):
    language = filters.MultipleChoiceFilter(choices=LANGUAGE_CHOICES, label="Language")

    class Meta:
        model = Source
        fields = []
