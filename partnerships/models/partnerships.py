"""Partnerships between two places and the dated steps of their history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, Least

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, RecordQuerySet
from .places import Place


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

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        indexes = [
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

    objects = FuzzyDateQuerySet.as_manager()

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
