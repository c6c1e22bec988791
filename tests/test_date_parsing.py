"""Dates typed as written: every date form of the three source documents, and the admin forms that read them."""

import datetime
from pathlib import Path

from django.contrib.messages import get_messages
from django.test import SimpleTestCase

from partnerships.dates import DateNotUnderstood, find_dates, parse_date
from partnerships.models import Meeting, Office, Outcome, Source, StatusStep
from tests.test_admin import AdminTestCase, admin_url, form_data, form_errors

D = datetime.date
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
MEETING_DAY = D(2023, 4, 7)  # 18 Farvardin 1402, the Persian source's meeting: "this year" is read from it

# (text, language, earliest, latest, precision, calendar, shown to readers)
CASES = [
    # The Norwegian source
    ("29.8.2019", "no", D(2019, 8, 29), D(2019, 8, 29), "day", "gregorian", "29 August 2019"),
    ("Torsdag 29.8.2019", "no", D(2019, 8, 29), D(2019, 8, 29), "day", "gregorian", "29 August 2019"),
    ("29. august 2019", "no", D(2019, 8, 29), D(2019, 8, 29), "day", "gregorian", "29 August 2019"),
    ("i løpet av første halvår 2020", "no", D(2020, 1, 1), D(2020, 6, 30), "half", "gregorian", "first half of 2020"),
    ("første halvår 2020", "no", D(2020, 1, 1), D(2020, 6, 30), "half", "gregorian", "first half of 2020"),
    ("i år", "no", D(2023, 1, 1), D(2023, 12, 31), "year", "gregorian", "2023"),
    # The English source
    ("23 May 2016", "en", D(2016, 5, 23), D(2016, 5, 23), "day", "gregorian", "23 May 2016"),
    ("From 23 to 25 May 2016", "en", D(2016, 5, 23), D(2016, 5, 25), "days", "gregorian", "23–25 May 2016"),
    ("from 23 to 25 May 2016", "en", D(2016, 5, 23), D(2016, 5, 25), "days", "gregorian", "23–25 May 2016"),
    ("23–25 May 2016", "en", D(2016, 5, 23), D(2016, 5, 25), "days", "gregorian", "23–25 May 2016"),
    ("May 23-25, 2016", "en", D(2016, 5, 23), D(2016, 5, 25), "days", "gregorian", "23–25 May 2016"),
    ("In March 2014", "en", D(2014, 3, 1), D(2014, 3, 31), "month", "gregorian", "March 2014"),
    ("March 2014", "en", D(2014, 3, 1), D(2014, 3, 31), "month", "gregorian", "March 2014"),
    ("In 2015", "en", D(2015, 1, 1), D(2015, 12, 31), "year", "gregorian", "2015"),
    ("2015", "", D(2015, 1, 1), D(2015, 12, 31), "year", "gregorian", "2015"),
    ("October 13, 2015", "en", D(2015, 10, 13), D(2015, 10, 13), "day", "gregorian", "13 October 2015"),
    ("13 October 2015", "en", D(2015, 10, 13), D(2015, 10, 13), "day", "gregorian", "13 October 2015"),
    ("from 9 to 11 September 2016", "en", D(2016, 9, 9), D(2016, 9, 11), "days", "gregorian", "9–11 September 2016"),
    ("9–11 September 2016", "en", D(2016, 9, 9), D(2016, 9, 11), "days", "gregorian", "9–11 September 2016"),
    ("first half of 2020", "en", D(2020, 1, 1), D(2020, 6, 30), "half", "gregorian", "first half of 2020"),
    ("this year", "en", D(2023, 1, 1), D(2023, 12, 31), "year", "gregorian", "2023"),
    # The Persian source, in the Solar Hijri calendar
    ("۱۸ فروردین ماه ۱۴۰۲", "fa", D(2023, 4, 7), D(2023, 4, 7), "day", "solar_hijri", "7 April 2023"),
    ("18 فروردین ۱۴۰۲", "fa", D(2023, 4, 7), D(2023, 4, 7), "day", "solar_hijri", "7 April 2023"),
    ("جمعه (۱۸ فروردین ماه ۱۴۰۲)", "fa", D(2023, 4, 7), D(2023, 4, 7), "day", "solar_hijri", "7 April 2023"),
    ("18 Farvardin 1402", "", D(2023, 4, 7), D(2023, 4, 7), "day", "solar_hijri", "7 April 2023"),
    ("امسال", "fa", D(2023, 1, 1), D(2023, 12, 31), "year", "gregorian", "2023"),
    ("۱۴۰۲", "", D(2023, 3, 21), D(2024, 3, 19), "days", "solar_hijri",
     "the Iranian year 1402 (21 Mar 2023 – 19 Mar 2024)"),
    ("فروردین ۱۴۰۲", "fa", D(2023, 3, 21), D(2023, 4, 20), "days", "solar_hijri",
     "Farvardin 1402 (21 Mar 2023 – 20 Apr 2023)"),
    # Other shapes an editor may paste
    ("в марте 2014", "ru", D(2014, 3, 1), D(2014, 3, 31), "month", "gregorian", "March 2014"),
    ("с 23 по 25 мая 2016 года", "ru", D(2016, 5, 23), D(2016, 5, 25), "days", "gregorian", "23–25 May 2016"),
    ("13 октября 2015 г.", "ru", D(2015, 10, 13), D(2015, 10, 13), "day", "gregorian", "13 October 2015"),
    ("первое полугодие 2020 года", "ru", D(2020, 1, 1), D(2020, 6, 30), "half", "gregorian", "first half of 2020"),
    ("30 May – 2 June 2016", "en", D(2016, 5, 30), D(2016, 6, 2), "days", "gregorian", "30 May 2016 – 2 June 2016"),
    ("second half of 2021", "en", D(2021, 7, 1), D(2021, 12, 31), "half", "gregorian", "second half of 2021"),
    ("2019-08-29", "", D(2019, 8, 29), D(2019, 8, 29), "day", "gregorian", "29 August 2019"),
]


class ParseDateTests(SimpleTestCase):
    def test_every_form(self):
        for text, language, earliest, latest, precision, calendar, shown in CASES:
            with self.subTest(text=text):
                date = parse_date(text, language, reference=MEETING_DAY)
                self.assertEqual(
                    (date.earliest, date.latest, date.precision, date.calendar, date.display),
                    (earliest, latest, precision, calendar, shown),
                )
                self.assertEqual(date.original, text)

    def test_each_date_is_one_the_catalogue_accepts(self):
        for text, language, *_ in CASES:
            with self.subTest(text=text):
                Meeting(**parse_date(text, language, reference=MEETING_DAY).fields()).clean_date()

    def test_relative_dates_follow_the_reference(self):
        self.assertEqual(parse_date("i år", "no", D(2019, 8, 29)).earliest, D(2019, 1, 1))
        self.assertEqual(parse_date("next year", "en", D(2019, 8, 29)).earliest, D(2020, 1, 1))

    def test_what_an_editor_is_told(self):
        self.assertEqual(
            parse_date("i løpet av første halvår 2020", "no").describe(), "1 Jan 2020 – 30 Jun 2020, half year"
        )
        self.assertEqual(parse_date("۱۸ فروردین ۱۴۰۲").describe(), "7 Apr 2023, day, Solar Hijri calendar")

    def test_texts_that_are_no_dates_are_refused_with_an_example(self):
        for text in ["", "soon", "2. verdenskrig", "31.2.2019", "25, 2016", "32 May 2016", "the 11 sister city",
                     "۳۲ فروردین ۱۴۰۲", "25–23 May 2016"]:
            with self.subTest(text=text), self.assertRaisesMessage(DateNotUnderstood, "write e.g. 29.8.2019"):
                parse_date(text, "en")


class FindDatesTests(SimpleTestCase):
    def found(self, name, language):
        text = (SEEDS / name).read_text(encoding="utf-8")
        dates = find_dates(text, language, reference=MEETING_DAY)
        for found in dates:
            self.assertEqual(text[found.start:found.end], found.written)
        return [(found.written, found.date.display) for found in dates]

    def test_the_norwegian_source(self):
        self.assertEqual(
            self.found("000_b7b0131bb1f16618.txt", "no"),
            [("29.8.2019", "29 August 2019"), ("første halvår 2020", "first half of 2020")],
        )

    def test_the_english_source(self):
        found = self.found("001_22235be49e668214.txt", "en")
        self.assertEqual(
            found[1:],
            [
                ("23 May 2016", "23 May 2016"),
                ("From 23 to 25 May 2016", "23–25 May 2016"),
                ("March 2014", "March 2014"),
                ("2015", "2015"),
                ("October 13, 2015", "13 October 2015"),
                ("from 23 to 25 May 2016", "23–25 May 2016"),
                ("from 9 to 11 September 2016", "9–11 September 2016"),
            ],
        )
        self.assertEqual(found[0], ("2016", "2016"))  # "Main / News / 2016", the site's menu

    def test_the_persian_source(self):
        self.assertEqual(
            self.found("002_b26aa6423f84ab65.txt", "fa"),
            [("۱۸ فروردین ماه ۱۴۰۲", "7 April 2023"), ("امسال", "2023")],
        )

    def test_numbers_that_are_not_years_are_left_alone(self):
        self.assertEqual(find_dates("16 million tonnes, 11 sister cities, 100th anniversary, 2.5 km, 1500"), [])


class DateAsWrittenAdminTests(AdminTestCase):
    def add(self, model, data, extra_data=None):
        """Post the model's add form with the given values; the save must succeed."""
        url = admin_url(model, "add")
        blank = {k: v for k, v in form_data(self.client.get(url)).items() if v != ""}  # an empty select posts nothing
        response = self.client.post(url, {**blank, **data, **(extra_data or {})}, follow=True)
        self.assertTrue(response.redirect_chain, form_errors(response))  # saved, and sent on
        return response

    def test_a_meeting_dated_as_written(self):
        response = self.add(Meeting, {"title": "Follow-up meeting", "date_original": "i løpet av første halvår 2020"})
        self.assertEqual(response.status_code, 200, form_errors(response))
        meeting = Meeting.objects.get(title="Follow-up meeting")
        self.assertEqual(
            (meeting.date_earliest, meeting.date_latest, meeting.date_precision, meeting.date_display),
            (D(2020, 1, 1), D(2020, 6, 30), "half", "first half of 2020"),
        )
        self.assertEqual(meeting.date_original, "i løpet av første halvår 2020")
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("Date “i løpet av første halvår 2020” understood as 1 Jan 2020 – 30 Jun 2020, half year.", shown)
        page = self.client.get(admin_url(Meeting, "change", meeting.pk))
        self.assertContains(page, "Date as written")
        self.assertContains(page, "1 Jan 2020 – 30 Jun 2020, half year")

    def test_a_solar_hijri_date_sets_its_calendar(self):
        response = self.add(Meeting, {"title": "Governors in Rasht", "date_original": "۱۸ فروردین ماه ۱۴۰۲"})
        self.assertEqual(response.status_code, 200, form_errors(response))
        meeting = Meeting.objects.get(title="Governors in Rasht")
        self.assertEqual((meeting.date_earliest, meeting.date_calendar), (D(2023, 4, 7), "solar_hijri"))
        self.assertEqual(meeting.date_in_source_calendar, "18 Farvardin 1402")

    def test_a_source_date_is_read_in_the_sources_language(self):
        response = self.add(Source, {
            "title": "Besøk", "language": "no", "text": "Torsdag 29. august 2019 ...",
            "date_original": "29. august 2019",
        })
        self.assertEqual(response.status_code, 200, form_errors(response))
        self.assertEqual(Source.objects.get(title="Besøk").date_earliest, D(2019, 8, 29))

    def test_values_given_by_hand_win(self):
        response = self.add(Meeting, {
            "title": "Hand-dated", "date_original": "2015", "date_earliest": "2015-10-01", "date_latest": "2015-10-31",
            "date_precision": "month",
        })
        self.assertEqual(response.status_code, 200, form_errors(response))
        meeting = Meeting.objects.get(title="Hand-dated")
        self.assertEqual((meeting.date_earliest, meeting.date_precision), (D(2015, 10, 1), "month"))

    def test_words_no_parser_reads_are_kept_when_the_interval_is_given(self):
        response = self.add(Meeting, {
            "title": "Right after", "date_original": "immediately after the visit of March 2014",
            "date_earliest": "2014-03-01", "date_latest": "2014-12-31", "date_precision": "days",
        })
        self.assertEqual(response.status_code, 200, form_errors(response))
        self.assertEqual(Meeting.objects.get(title="Right after").date_original,
                         "immediately after the visit of March 2014")
        self.assertTrue(any("kept as written" in str(m) for m in get_messages(response.wsgi_request)))

    def test_an_unreadable_date_without_an_interval_is_refused_with_an_example(self):
        url = admin_url(Meeting, "add")
        blank = {k: v for k, v in form_data(self.client.get(url)).items() if v != ""}
        response = self.client.post(url, {**blank, "title": "Never", "date_original": "sometime soon"})
        self.assertContains(response, "Could not read “sometime soon” as a date — write e.g. 29.8.2019")
        self.assertFalse(Meeting.objects.filter(title="Never").exists())

    def test_changing_the_date_as_written_reads_it_again(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        data = {**form_data(self.client.get(url)), "date_original": "March 2014"}
        response = self.client.post(url, data, follow=True)
        self.assertEqual(response.status_code, 200, form_errors(response))
        meeting.refresh_from_db()
        self.assertEqual((meeting.date_earliest, meeting.date_latest, meeting.date_precision),
                         (D(2014, 3, 1), D(2014, 3, 31), "month"))

    def test_an_unchanged_date_as_written_leaves_the_stored_date_alone(self):
        meeting = self.data["meeting"]
        Meeting.objects.filter(pk=meeting.pk).update(date_original="the week of the visit")
        url = admin_url(Meeting, "change", meeting.pk)
        response = self.client.post(url, {**form_data(self.client.get(url)), "summary": "Talks."}, follow=True)
        self.assertEqual(response.status_code, 200, form_errors(response))
        meeting.refresh_from_db()
        self.assertEqual((meeting.date_earliest, meeting.date_precision), (D(2016, 5, 23), "days"))

    def test_every_dated_inline_reads_its_date_as_written(self):
        # An outcome on the meeting's page, an office on the person's, a step on the partnership's.
        for parent, prefix, model, extra in [
            (self.data["meeting"], "outcomes", Outcome, {"kind": "follow_up", "status": "planned",
                                                         "title": "Expanded meeting"}),
            (self.data["host"], "offices", Office, {"title": "Mayor"}),
            (self.data["partnership"], "steps", StatusStep, {"status": "twinning"}),
        ]:
            with self.subTest(model=model.__name__):
                url = admin_url(type(parent), "change", parent.pk)
                data = form_data(self.client.get(url))
                n = int(data[f"{prefix}-TOTAL_FORMS"])
                data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
                row = {"date_original": "9–11 September 2016", **extra}
                data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
                response = self.client.post(url, data, follow=True)
                self.assertEqual(response.status_code, 200, form_errors(response))
                created = model.objects.get(date_original="9–11 September 2016")
                self.assertEqual((created.date_earliest, created.date_latest, created.date_precision),
                                 (D(2016, 9, 9), D(2016, 9, 11), "days"))
                created.delete()
