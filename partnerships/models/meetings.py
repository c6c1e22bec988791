"""Delegations and meetings, and the people who took part in them in an office they held."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, catalogue_manager
from .partnerships import Partnership
from .people import Office, Person
from .places import Organisation, Place, Venue
from .topics import Topic


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

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-date_earliest", "slug"]
        indexes = [
            # /delegations/ newest first (its default): undated last, ties by id, a page at a time.
            models.Index(F("date_earliest").desc(nulls_last=True), F("id").desc(), name="delegation_date_desc"),
            # /delegations/?sort=date, oldest first; and the date_to filter (date_earliest <= day).
            models.Index(fields=["date_earliest", "id"], name="delegation_date_asc"),
            # /delegations/?sort=title.
            models.Index(fields=["title", "id"], name="delegation_title"),
            # The Atom feed of the whole catalogue: the latest changed delegations.
            models.Index(fields=["updated_at"], name="delegation_updated"),
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
    LEADER = "leader", _("leader")
    MEMBER = "member", _("member")
    PARTICIPANT = "participant", _("participant")
    GUIDE = "guide", _("guide")
    PRESENTER = "presenter", _("presenter")
    CONTACT = "contact", _("contact person")


class Side(models.TextChoices):
    HOST = "host", _("host")
    GUEST = "guest", _("guest")


class InOfficeQuerySet(models.QuerySet):
    def get_by_natural_key(self, part_of_slug, person_slug):
        return self.get(**{f"{self.model.part_of}__slug": part_of_slug, "person__slug": person_slug})


class InOffice(Cited):
    """A person taking part in a delegation or a meeting in an office they held: the office must be theirs.

    A subclass names its foreign key to what the person took part in with
    `part_of`, and declares `person`, `office` and `role` with the field
    makers below, which leave to it only the reverse names, the help text
    and the default role. The natural key is the slug of what the person
    took part in and the person's slug.
    """

    part_of = None  # the name of the subclass's foreign key to the delegation or meeting

    objects = catalogue_manager(InOfficeQuerySet)

    class Meta:
        abstract = True

    @classmethod
    def published_condition(cls):
        """A reader sees who took part in what they may see (a published person: see CatalogueManager)."""
        return Q(**{f"{cls.part_of}__draft": False})

    @staticmethod
    def person_field(related_name):
        """The person who took part."""
        # People are not deleted behind the delegations and meetings they joined.
        return models.ForeignKey(Person, on_delete=models.PROTECT, related_name=related_name)

    @staticmethod
    def office_field(related_name, help_text):
        """The office the person took part in; the part stays known if the office record goes."""
        return models.ForeignKey(
            Office,
            on_delete=models.SET_NULL,
            null=True,
            blank=True,
            related_name=related_name,
            help_text=help_text,
        )

    @staticmethod
    def role_field(default):
        """The person's role."""
        return models.CharField(max_length=16, choices=Role.choices, default=default)

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self):
        return getattr(self, self.part_of).get_absolute_url()

    # No natural_key.dependencies: serializers already write the foreign keys' models
    # (a delegation or meeting, a person) first, as both have natural keys.
    def natural_key(self):
        return (getattr(self, self.part_of).slug, self.person.slug)

    def clean(self):
        if self.office_id and self.person_id and self.office.person_id != self.person_id:
            raise ValidationError({"office": "Choose an office held by this person."})


class DelegationMember(InOffice):
    """A person who travelled with a delegation, in the office held then."""

    part_of = "delegation"

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    person = InOffice.person_field(related_name="delegation_memberships")
    office = InOffice.office_field(
        related_name="delegation_memberships", help_text="The office the person travelled in."
    )
    role = InOffice.role_field(default=Role.MEMBER)

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "person"], name="delegationmember_once"),
        ]

class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    VISIT = "visit", _("visit / guided tour")
    SIGNING = "signing", _("signing")
    EVENT = "event", _("festival, exhibition or conference")


class MeetingStatus(models.TextChoices):
    HELD = "held", _("held")
    PLANNED = "planned", _("planned")


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

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
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
            # The Atom feed of the whole catalogue: the latest changed meetings.
            models.Index(fields=["updated_at"], name="meeting_updated"),
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


class Participant(InOffice):
    """A person's part in a meeting: the side they were on, their role, the office they held then."""

    part_of = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = InOffice.person_field(related_name="participations")
    office = InOffice.office_field(related_name="participations", help_text="The office the person took part in.")
    side = models.CharField(max_length=8, choices=Side.choices, help_text="Host or guest.")
    role = InOffice.role_field(default=Role.PARTICIPANT)
    note = models.CharField(max_length=300, blank=True, help_text='e.g. "guided the tour in Russian".')

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "side", "id"]
        indexes = [
            # /people/?side=guest&role=leader and their facets, and a person's meetings on
            # /people/<slug>/, read from the index alone.
            models.Index(fields=["person", "side", "role"], name="participant_person_side"),
        ]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_once")]

    def __str__(self):
        return f"{self.person} ({self.get_side_display()}, {self.get_role_display()})"
