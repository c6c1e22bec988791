"""Meetings as iCalendar: read back by icalendar, days as all-day events, vaguer dates left out."""

import datetime as dt

from icalendar import Calendar

from partnerships.models import Meeting
from tests.base import CatalogueTestCase


class CalendarTests(CatalogueTestCase):
    def read(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        calendar = Calendar.from_ical(b"".join(response.streaming_content))
        return {str(e["URL"]).rstrip("/").rsplit("/", 1)[1]: e for e in calendar.walk("VEVENT")}

    def test_days_and_spans_of_days_are_all_day_events(self):
        events = self.read("/meetings/?format=ics")
        for slug, event in events.items():
            meeting = Meeting.objects.get(slug=slug)
            self.assertIs(type(event.decoded("DTSTART")), dt.date)  # a date, not a date-time
            self.assertEqual(event.decoded("DTSTART"), meeting.date_earliest)
            self.assertEqual(event.decoded("DTEND"), meeting.date_latest + dt.timedelta(days=1))
        festival = events["gulf-stream-festival-2016"]
        self.assertEqual((festival.decoded("DTSTART"), festival.decoded("DTEND")),
                         (dt.date(2016, 9, 9), dt.date(2016, 9, 12)))
        self.assertEqual(festival["STATUS"], "TENTATIVE")  # planned
        self.assertEqual(events["narvik-town-hall-meeting-2019"]["STATUS"], "CONFIRMED")

    def test_months_half_years_years_and_undated_meetings_are_left_out(self):
        events = self.read("/meetings/?format=ics")
        expected = set(Meeting.objects.filter(date_precision__in=["day", "days"]).values_list("slug", flat=True))
        self.assertEqual(set(events), expected)
        for slug in ("narvik-kazakhstan-follow-up-2020", "harbin-protocol-signing-2014", "bandar-anzali-exhibition"):
            self.assertNotIn(slug, events)

    def test_an_event_says_the_date_as_written_and_its_source(self):
        event = self.read("/meetings/?format=ics")["gilan-astrakhan-governors-meeting-2023"]
        description = str(event["DESCRIPTION"])
        self.assertIn("18 Farvardin 1402", description)
        self.assertIn("/sources/gilan-astrakhan-2023/", description)
        self.assertIn("Rasht", str(event["LOCATION"]))

    def test_place_and_partnership_calendars_are_the_list_filtered_by_them(self):
        for page, filtered in [
            ("/cities/murmansk/calendar.ics", "/meetings/?place=murmansk&format=ics"),
            ("/partnerships/gilan-astrakhan/calendar.ics", "/meetings/?partnership=gilan-astrakhan&format=ics"),
        ]:
            with self.subTest(page=page):
                events = self.read(page)
                self.assertTrue(events)
                self.assertEqual(set(events), set(self.read(filtered)))

    def test_a_filtered_calendar_holds_the_lists_meetings(self):
        listed = {row["Slug"] for row in self.csv_rows("/meetings/?country=NO&format=csv")}
        self.assertEqual(set(self.read("/meetings/?country=NO&format=ics")),
                         {s for s in listed if Meeting.objects.get(slug=s).date_precision in ("day", "days")})

    def test_unknown_places_have_no_calendar(self):
        self.assertEqual(self.client.get("/cities/nowhere/calendar.ics").status_code, 404)
        self.assertEqual(self.client.get("/partnerships/nothing/calendar.ics").status_code, 404)
