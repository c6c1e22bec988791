"""Invalid data is refused twice: by the admin form, with a message an editor understands, and by the
database, whatever writes around the forms (an import, the shell)."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.test import TestCase

from partnerships.models import Delegation, Figure, Meeting, Partnership, Place, Source, StatusStep, Topic
from tests.factories import build_catalogue
from tests.test_admin import AdminTestCase, admin_url, form_data


def day(text):
    return datetime.date.fromisoformat(text)


class DatabaseConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = build_catalogue()

    def assertRefused(self, write):
        with self.assertRaises(IntegrityError), transaction.atomic():
            write()

    def test_a_place_is_not_in_partnership_with_itself(self):
        murmansk = self.data["murmansk"]
        self.assertRefused(lambda: Partnership.objects.create(slug="self", place_a=murmansk, place_b=murmansk))

    def test_a_pair_has_one_partnership_in_either_order(self):
        murmansk, harbin = self.data["murmansk"], self.data["harbin"]
        self.assertRefused(lambda: Partnership.objects.create(slug="reverse", place_a=murmansk, place_b=harbin))
        self.assertRefused(lambda: Partnership.objects.create(slug="again", place_a=harbin, place_b=murmansk))

    def test_a_date_does_not_end_before_it_starts(self):
        self.assertRefused(lambda: Meeting.objects.create(
            slug="backwards", title="Backwards", date_earliest=day("2016-05-25"), date_latest=day("2016-05-23"),
            date_precision="days"))
        self.assertRefused(lambda: StatusStep.objects.create(
            slug="half-dated", partnership=self.data["partnership"], status="twinning",
            date_earliest=day("2016-05-25")))

    def test_a_delegation_travels(self):
        murmansk = self.data["murmansk"]
        self.assertRefused(lambda: Delegation.objects.create(
            slug="stays-home", title="Stays home", origin=murmansk, destination=murmansk))

    def test_coordinates_are_on_the_globe(self):
        self.assertRefused(lambda: Place.objects.create(
            slug="nowhere", name="Nowhere", level="city", country="NO", latitude=91, longitude=0))
        self.assertRefused(lambda: Place.objects.create(
            slug="half-placed", name="Half", level="city", country="NO", latitude=60))

    def test_a_figure_describes_something(self):
        self.assertRefused(lambda: Figure.objects.create(slug="floating", label="Floating", value=Decimal(1)))

    def test_a_document_has_its_text(self):
        self.assertRefused(lambda: Source.objects.create(slug="empty", title="Empty", language="en", text=""))

    def test_a_topic_is_not_its_own_parent(self):
        health = self.data["health"]
        self.assertRefused(lambda: Topic.objects.filter(pk=health.pk).update(parent=health))

    def test_slugs_are_unique(self):
        self.assertRefused(lambda: Place.objects.create(slug="murmansk", name="Murmansk", level="city", country="RU"))


class FormMessageTests(AdminTestCase):
    def post_add(self, model, **values):
        url = admin_url(model, "add")
        data = form_data(self.client.get(url))
        data.update({k: str(v) for k, v in values.items()})
        return self.client.post(url, data)

    def test_a_delegation_that_goes_nowhere(self):
        murmansk = self.data["murmansk"]
        response = self.post_add(Delegation, title="Stays home", origin=murmansk.pk, destination=murmansk.pk)
        self.assertContains(response, "A delegation travels: its origin and destination differ.")
        self.assertFalse(Delegation.objects.filter(title="Stays home").exists())

    def test_a_date_given_by_halves(self):
        response = self.post_add(Meeting, title="Half dated", date_earliest="2016-05-23")
        self.assertContains(response, "Give the earliest day, the latest day and the precision together")

    def test_a_month_that_is_not_a_month(self):
        response = self.post_add(Meeting, title="Odd month", date_earliest="2014-03-01", date_latest="2014-03-15",
                                 date_precision="month")
        self.assertContains(response, "starting 2014-03-01 runs from 2014-03-01 to 2014-03-31")

    def test_a_date_that_does_not_exist(self):
        response = self.post_add(Meeting, title="Leap", date_earliest="2015-02-29", date_latest="2015-02-29",
                                 date_precision="day")
        self.assertContains(response, "Enter a valid date.")

    def test_coordinates_by_halves(self):
        response = self.post_add(Place, name="Half", level="city", country="NO", latitude="60")
        self.assertContains(response, "Give latitude and longitude together, or neither.")
        response = self.post_add(Place, name="Far", level="city", country="NO", latitude="95", longitude="0")
        self.assertContains(response, "Latitude must lie in −90…90 and longitude in −180…180")

    def test_a_figure_about_nothing(self):
        response = self.post_add(Figure, label="Floating", value="1")
        self.assertContains(response, "Say what the figure describes: a place or a partnership.")

    def test_a_venue_elsewhere(self):
        venue = self.data["meeting"].venue
        response = self.post_add(Meeting, title="Misplaced", place=self.data["harbin"].pk, venue=venue.pk)
        self.assertContains(response, "This venue is in Murmansk, not in Harbin.")

    def test_a_duplicate_slug(self):
        response = self.post_add(Place, name="Murmansk", level="city", country="RU", slug="murmansk")
        self.assertContains(response, "Place with this Slug already exists.")


class OfficeHolderTests(TestCase):
    """A participant or delegation member takes part in an office of their own."""

    def test_someone_elses_office_is_refused_with_a_message(self):
        from django.core.exceptions import ValidationError

        from partnerships.models import DelegationMember, Office, Participant, Person

        place = Place.objects.create(slug="rasht", name="Rasht", level="city", country="IR")
        other = Place.objects.create(slug="astrakhan", name="Astrakhan", level="city", country="RU")
        abbasi = Person.objects.create(slug="abbasi", name="Asadollah Abbasi")
        babushkin = Person.objects.create(slug="babushkin", name="Igor Babushkin")
        governor = Office.objects.create(slug="gov", person=babushkin, title="Governor")
        meeting = Meeting.objects.create(slug="m", title="Meeting", place=place)
        delegation = Delegation.objects.create(slug="d", title="Visit", origin=other, destination=place)
        for record in (
            Participant(meeting=meeting, person=abbasi, office=governor, side="host"),
            DelegationMember(delegation=delegation, person=abbasi, office=governor),
        ):
            with self.subTest(model=type(record).__name__):
                with self.assertRaisesMessage(ValidationError, "Choose an office held by this person."):
                    record.full_clean()
                record.person = babushkin
                record.full_clean()
