"""CSV and JSON exports: the rows of the page, all of them, safe to open in a spreadsheet."""

import datetime as dt
import json

from django.test import TestCase

from partnerships.models import Meeting, Participant, Person, Place, Topic


def day(text):
    return dt.date.fromisoformat(text)


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.murmansk = Place.objects.create(
            slug="murmansk", name="Murmansk", name_native="Мурманск", level="city", country="RU"
        )
        cls.narvik = Place.objects.create(slug="narvik", name="Narvik", level="municipality", country="NO")
        health = Topic.objects.create(slug="health-care", name="Health care")
        rehab = Topic.objects.create(slug="rehabilitation", name="Rehabilitation", parent=health)
        history = Topic.objects.create(slug="history", name="History")
        first = Meeting.objects.create(
            slug="hospital-visit", title="Visit to the emergency hospital", place=cls.murmansk,
            date_earliest=day("2016-05-23"), date_latest=day("2016-05-25"), date_precision="days",
            date_original="From 23 to 25 May 2016", summary="=HYPERLINK(\"http://x\") rehabilitation",
        )
        first.topics.add(rehab)
        second = Meeting.objects.create(
            slug="town-hall", title="+Meeting at the town hall", place=cls.narvik,
            date_earliest=day("2019-08-29"), date_latest=day("2019-08-29"), date_precision="day",
            date_original="29.8.2019", summary="Skjønnås; @home",
        )
        second.topics.add(history)
        person = Person.objects.create(slug="lars-skjonnas", name="Lars Skjønnås")
        Participant.objects.create(meeting=second, person=person, side="host")
        for i in range(3):
            Meeting.objects.create(slug=f"later-{i}", title=f"Later meeting {i}", place=cls.narvik,
                                   date_earliest=day("2021-01-01"), date_latest=day("2021-12-31"),
                                   date_precision="year")

    def test_filtered_csv_is_exactly_the_expected_bytes(self):
        response = self.client.get("/meetings/?topic=health-care&format=csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="meetings-topic-health-care.csv"'
        )
        expected = (
            "\ufeffMeeting,Date,Date (ISO interval),Date precision,Date as written,Kind,Status,Place,"
            "Place (slug),Country,Venue,Delegation,Delegation (slug),Partnership (slug),Topics,Participants,"
            "Summary,Slug\r\n"
            "Visit to the emergency hospital,23–25 May 2016,2016-05-23/2016-05-25,days,From 23 to 25 May 2016,"
            "meeting,held,Murmansk,murmansk,Russia,,,,,Rehabilitation,,"
            "\"'=HYPERLINK(\"\"http://x\"\") rehabilitation\",hospital-visit\r\n"
        )
        self.assertEqual(b"".join(response.streaming_content), expected.encode("utf-8"))

    def test_formulas_are_neutralised_and_names_kept(self):
        body = b"".join(self.client.get("/meetings/?format=csv&q=skjonnas").streaming_content).decode()
        row = body.splitlines()[1]
        self.assertIn("'+Meeting at the town hall", row)
        self.assertIn("Lars Skjønnås", row)
        self.assertIn("Skjønnås; @home", row)  # not at the start of the cell: harmless

    def test_export_holds_every_row_not_one_page(self):
        for i in range(60):
            Meeting.objects.create(slug=f"bulk-{i}", title=f"Bulk {i}", place=self.narvik)
        page = self.client.get("/meetings/")
        self.assertContains(page, "page 1 of 2")
        body = b"".join(self.client.get("/meetings/?format=csv").streaming_content).decode("utf-8-sig")
        self.assertEqual(len(body.splitlines()), 1 + Meeting.objects.count())

    def test_export_follows_the_sort_of_the_page(self):
        body = b"".join(self.client.get("/meetings/?format=csv&sort=date").streaming_content).decode()
        slugs = [line.rsplit(",", 1)[1] for line in body.splitlines()[1:]]
        self.assertEqual(slugs[:2], ["hospital-visit", "town-hall"])

    def test_json_has_the_same_rows_as_csv(self):
        response = self.client.get("/meetings/?format=json&date_from=2019&date_to=2019")
        data = json.loads(b"".join(response.streaming_content))
        self.assertEqual([r["Slug"] for r in data["rows"]], ["town-hall"])
        self.assertEqual(data["rows"][0]["Date (ISO interval)"], "2019-08-29")
        self.assertEqual(data["rows"][0]["Participants"], "Lars Skjønnås")

    def test_every_list_exports_csv_and_json(self):
        for path in ["/cities/", "/partnerships/", "/delegations/", "/meetings/", "/people/", "/topics/", "/sources/"]:
            with self.subTest(path=path):
                csv_response = self.client.get(path + "?format=csv")
                self.assertEqual(csv_response.status_code, 200)
                self.assertTrue(b"".join(csv_response.streaming_content).startswith(b"\xef\xbb\xbf"))
                json_response = self.client.get(path + "?format=json")
                json.loads(b"".join(json_response.streaming_content))
