"""Partnerships between two places and the dated steps of their history."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, RecordQuerySet, catalogue_manager
from .places import Place


class PartnershipStatus(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("first contact")
    COOPERATION = "cooperation", _("cooperation")
    PROTOCOL_OF_INTENT = "protocol_of_intent", _("protocol of intent")
    FRIENDSHIP = "friendship", _("friendship")
    TWINNING = "twinning", _("twinning / sister cities")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")


class PartnershipQuerySet(RecordQuerySet):
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
    # Derived from the status steps and kept by database triggers (migration 0008), whoever writes the
    # steps (the admin, an import's bulk insert, raw SQL): lists filter, count and sort on stored,
    # indexed columns instead of looking up each partnership's steps.
    status = models.CharField(
        max_length=24,
        choices=PartnershipStatus.choices,
        blank=True,
        editable=False,
        help_text="The current status: the latest step's (undated steps count as the oldest). "
        "Kept by the database from the steps.",
    )
    since = models.DateField(
        null=True, blank=True, editable=False, help_text="First day of the earliest step. Kept by the database."
    )
    latest = models.DateField(
        null=True, blank=True, editable=False, help_text="Last day of the latest step. Kept by the database."
    )

    objects = catalogue_manager(PartnershipQuerySet)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["slug"]
        indexes = [
            # /partnerships/?status=twinning and the current-status facet.
            models.Index(fields=["status"], name="partnership_status"),
            # The lists' sorts by first and latest step, both ways, undated last (see listing.ordering).
            models.Index(fields=["since", "id"], name="partnership_since"),
            models.Index(F("since").desc(nulls_last=True), F("id").desc(), name="partnership_since_desc"),
            models.Index(fields=["latest", "id"], name="partnership_latest"),
            models.Index(F("latest").desc(nulls_last=True), F("id").desc(), name="partnership_latest_desc"),
            # The Atom feed of the whole catalogue: the latest changed partnerships.
            models.Index(fields=["updated_at"], name="partnership_updated"),
        ]
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
        """The current status in words ("" before any step)."""
        return self.get_status_display() if self.status else ""

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

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("status step")
        verbose_name_plural = _("status steps")
        ordering = ["partnership", "date_earliest", "id"]
        indexes = [
            # The triggers keeping Partnership.status: the latest step of a partnership, one index probe.
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
