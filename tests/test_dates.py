"""Uncertain dates: the interval a precision implies, how a date reads, which rows a date range finds."""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from partnerships.models import Calendar, DatePrecision, FuzzyDated, Meeting, StatusStep, expected_interval

D = datetime.date


class ExpectedIntervalTests(SimpleTestCase):
    def test_every_precision(self):
        cases = [
            (DatePrecision.DAY, D(2019, 8, 29), (D(2019, 8, 29), D(2019, 8, 29))),
            (DatePrecision.MONTH, D(2014, 3, 1), (D(2014, 3, 1), D(2014, 3, 31))),
            (DatePrecision.MONTH, D(2014, 3, 17), (D(2014, 3, 1), D(2014, 3, 31))),
            (DatePrecision.MONTH, D(2020, 2, 1), (D(2020, 2, 1), D(2020, 2, 29))),
            (DatePrecision.MONTH, D(2019, 2, 1), (D(2019, 2, 1), D(2019, 2, 28))),
            (DatePrecision.MONTH, D(2016, 4, 1), (D(2016, 4, 1), D(2016, 4, 30))),
            (DatePrecision.HALF_YEAR, D(2020, 1, 1), (D(2020, 1, 1), D(2020, 6, 30))),
            (DatePrecision.HALF_YEAR, D(2020, 6, 30), (D(2020, 1, 1), D(2020, 6, 30))),
            (DatePrecision.HALF_YEAR, D(2020, 7, 1), (D(2020, 7, 1), D(2020, 12, 31))),
            (DatePrecision.YEAR, D(2016, 5, 20), (D(2016, 1, 1), D(2016, 12, 31))),
            (DatePrecision.DAYS, D(2016, 5, 20), None),
        ]
        self.assertEqual({precision for precision, _, _ in cases}, set(DatePrecision))
        for precision, earliest, expected in cases:
            with self.subTest(precision=precision, earliest=earliest):
                self.assertEqual(expected_interval(precision, earliest), expected)


class DateDisplayTests(SimpleTestCase):
    def dated(self, earliest=None, latest=None, precision="", **kwargs):
        return Meeting(date_earliest=earliest, date_latest=latest, date_precision=precision, **kwargs)

    def test_written_from_the_interval(self):
        cases = [
            (D(2019, 8, 29), D(2019, 8, 29), DatePrecision.DAY, "29 August 2019"),
            (D(2014, 3, 1), D(2014, 3, 31), DatePrecision.MONTH, "March 2014"),
            (D(2020, 1, 1), D(2020, 6, 30), DatePrecision.HALF_YEAR, "first half of 2020"),
            (D(2020, 7, 1), D(2020, 12, 31), DatePrecision.HALF_YEAR, "second half of 2020"),
            (D(2016, 1, 1), D(2016, 12, 31), DatePrecision.YEAR, "2016"),
            (D(2016, 5, 18), D(2016, 5, 20), DatePrecision.DAYS, "18–20 May 2016"),
            (D(2016, 5, 30), D(2016, 6, 2), DatePrecision.DAYS, "30 May 2016 – 2 June 2016"),
        ]
        for earliest, latest, precision, text in cases:
            with self.subTest(text=text):
                self.assertEqual(self.dated(earliest, latest, precision).date_display, text)

    def test_the_text_given_wins_and_no_date_reads_empty(self):
        given = self.dated(D(2020, 1, 1), D(2020, 6, 30), DatePrecision.HALF_YEAR, date_text="early 2020")
        self.assertEqual(given.date_display, "early 2020")
        self.assertEqual(self.dated().date_display, "")

    def test_solar_hijri_dates_read_in_their_own_calendar(self):
        day = self.dated(D(2023, 4, 7), D(2023, 4, 7), DatePrecision.DAY, date_calendar=Calendar.SOLAR_HIJRI)
        self.assertEqual(day.date_in_source_calendar, "18 Farvardin 1402")
        self.assertEqual(day.date_display, "7 April 2023")
        year = self.dated(D(2023, 4, 7), D(2023, 4, 7), DatePrecision.YEAR, date_calendar=Calendar.SOLAR_HIJRI)
        self.assertEqual(year.date_in_source_calendar, "1402")

    def test_gregorian_and_undated_records_have_no_source_calendar_date(self):
        self.assertEqual(self.dated(D(2023, 4, 7), D(2023, 4, 7), DatePrecision.DAY).date_in_source_calendar, "")
        self.assertEqual(self.dated(date_calendar=Calendar.SOLAR_HIJRI).date_in_source_calendar, "")

    def test_iso(self):
        self.assertEqual(self.dated(D(2019, 8, 29), D(2019, 8, 29), DatePrecision.DAY).date_iso(), "2019-08-29")
        self.assertEqual(
            self.dated(D(2014, 3, 1), D(2014, 3, 31), DatePrecision.MONTH).date_iso(), "2014-03-01/2014-03-31"
        )
        self.assertEqual(self.dated().date_iso(), "")


class CleanDateTests(SimpleTestCase):
    def clean(self, earliest, latest, precision):
        Meeting(date_earliest=earliest, date_latest=latest, date_precision=precision).clean_date()

    def test_consistent_dates_pass(self):
        self.clean(None, None, "")
        self.clean(D(2014, 3, 1), D(2014, 3, 31), DatePrecision.MONTH)
        self.clean(D(2016, 5, 18), D(2016, 5, 20), DatePrecision.DAYS)

    def test_inconsistent_dates_are_refused(self):
        cases = [
            (D(2014, 3, 1), None, DatePrecision.MONTH, "or none of them"),
            (D(2014, 3, 1), D(2014, 3, 31), "", "or none of them"),
            (D(2014, 3, 31), D(2014, 3, 1), DatePrecision.DAYS, "cannot come before"),
            (D(2014, 3, 1), D(2014, 3, 30), DatePrecision.MONTH, "runs from 2014-03-01 to 2014-03-31"),
        ]
        for earliest, latest, precision, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                self.clean(earliest, latest, precision)


class OverlappingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        def meeting(slug, earliest=None, latest=None, precision=""):
            Meeting.objects.create(
                slug=slug, title=slug, date_earliest=earliest, date_latest=latest, date_precision=precision
            )

        meeting("march-2014", D(2014, 3, 1), D(2014, 3, 31), DatePrecision.MONTH)
        meeting("may-2016", D(2016, 5, 18), D(2016, 5, 20), DatePrecision.DAYS)
        meeting("first-half-2020", D(2020, 1, 1), D(2020, 6, 30), DatePrecision.HALF_YEAR)
        meeting("undated")

    def found(self, start=None, end=None):
        return set(Meeting.objects.overlapping(start, end).values_list("slug", flat=True))

    def test_open_at_both_ends_finds_everything(self):
        self.assertEqual(self.found(), {"march-2014", "may-2016", "first-half-2020", "undated"})

    def test_open_end(self):
        self.assertEqual(self.found(start=D(2016, 5, 20)), {"may-2016", "first-half-2020"})
        self.assertEqual(self.found(start=D(2016, 5, 21)), {"first-half-2020"})

    def test_open_start(self):
        self.assertEqual(self.found(end=D(2016, 5, 18)), {"march-2014", "may-2016"})
        self.assertEqual(self.found(end=D(2016, 5, 17)), {"march-2014"})

    def test_closed_range_matches_any_overlap(self):
        # An uncertain date matches when any day it can mean lies in the range.
        self.assertEqual(self.found(D(2014, 3, 31), D(2016, 5, 18)), {"march-2014", "may-2016"})
        self.assertEqual(self.found(D(2020, 6, 1), D(2020, 6, 1)), {"first-half-2020"})
        self.assertEqual(self.found(D(2017, 1, 1), D(2019, 12, 31)), set())

    def test_every_dated_model_can_be_filtered_by_overlap(self):
        dated = [m for m in apps.get_app_config("partnerships").get_models() if issubclass(m, FuzzyDated)]
        self.assertIn(StatusStep, dated)
        for model in dated:
            with self.subTest(model=model.__name__):
                self.assertFalse(model.objects.overlapping(D(2000, 1, 1), D(2000, 1, 1)).exists())
