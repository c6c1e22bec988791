"""What meetings produced or promised, and the numbers the sources state."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, catalogue_manager
from .meetings import Meeting
from .partnerships import Partnership
from .people import Person
from .places import Place


class OutcomeKind(models.TextChoices):
    AGREEMENT = "agreement", _("agreement or protocol signed")
    INVITATION = "invitation", _("invitation")
    FOLLOW_UP = "follow_up", _("planned follow-up")
    PROPOSAL = "proposal", _("proposal or request")
    COMMITMENT = "commitment", _("commitment")


class OutcomeStatus(models.TextChoices):
    DONE = "done", _("done")
    PLANNED = "planned", _("planned")
    PROPOSED = "proposed", _("proposed")


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

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
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
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
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
