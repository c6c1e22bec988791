"""CSV and JSON exports: the rows of the page, all of them, safe to open in a spreadsheet."""

import csv
import datetime as dt
import io
import json
from unittest import mock, skipUnless

from django.core.management import call_command
from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from partnerships import exports
from partnerships.models import Meeting, Participant, Person, Place, Topic
from tests.factories import build_catalogue
from tests.test_hostile_content import hostile_catalogue


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


# Texts a CSV cell must keep exactly, or make safe: formulas, numbers that stay numbers, line breaks,
# quotes and commas, scripts other than Latin, nothing at all.
AWKWARD = [
    "=SUM(A1:A2)", "+1 555 0100", "-12.5", "-٣٤", "-1.", "--5", "-", "-0", "@user", "\tindented", "\rreturn",
    "line one\nline two", "windows\r\nline", 'say "hi", then go', "a,b", "Zoë; Ñandú — 北京 «ёлка»", "", " spaced",
    "٣", "Tie",
]
# Every precision of an uncertain date, spans within a month, across months and across years, a year
# before 1000, and none.
DATES = [
    (None, None, ""), ("2016-05-23", "2016-05-23", "day"), ("2016-05-23", "2016-05-25", "days"),
    ("2016-05-30", "2016-06-02", "days"), ("2016-12-30", "2017-01-02", "days"), ("2016-03-01", "2016-03-31", "month"),
    ("2016-01-01", "2016-06-30", "half"), ("2016-07-01", "2016-12-31", "half"), ("2016-01-01", "2016-12-31", "year"),
    ("0999-03-05", "0999-03-05", "day"),
]


def awkward_catalogue():
    """Records of every listed kind whose texts, dates and many-valued columns are each awkward in a CSV cell."""
    from partnerships.models import Citation, Delegation, DelegationMember, Office, Organisation, Partnership, Source

    def dated(i):
        earliest, latest, precision = DATES[i % len(DATES)]
        return {"date_earliest": earliest and day(earliest), "date_latest": latest and day(latest),
                "date_precision": precision}

    country = ["NO", "RU", "CN", "no", "XK"]  # "no": a code that only the country names' own lookup knows
    places, topics, people = [], [], []
    for i, text in enumerate(AWKWARD):
        places.append(Place.objects.create(
            slug=f"awkward-place-{i}", name=text, name_native=AWKWARD[-i], level=["city", "province", "=x"][i % 3],
            country=country[i % len(country)], parent=places[0] if i % 4 == 1 else None,
            latitude=[None, -0.0, 1e-05, 68.97, -33.5][i % 5], longitude=[None, 0.0, -1e-05, 33.08, 151.25][i % 5],
        ))
        topics.append(Topic.objects.create(slug=f"awkward-topic-{i}", name=text, parent=topics[0] if i % 3 else None))
        people.append(Person.objects.create(slug=f"awkward-person-{i}", name=text, name_native=AWKWARD[-i]))
    organisation = Organisation.objects.create(slug="awkward-organisation", name="=HYPERLINK(1)", kind="government",
                                               place=places[3])
    source = Source.objects.create(slug="awkward-source", title="-5", title_english="", language="ru", text="=2",
                                   publisher="Pub, \"Quoted\"\nHouse", **dated(3))
    citation = Citation.objects.create(slug="awkward-citation", source=source, passage="=1")
    for i, text in enumerate(AWKWARD):
        n = len(AWKWARD)
        if i % 3 == 0:
            Office.objects.create(slug=f"awkward-office-{i}", person=people[i], title=text, place=places[i],
                                  organisation=organisation if i % 2 else None, **dated(i))
            Office.objects.create(slug=f"awkward-office-{i}-b", person=people[i], title=AWKWARD[-i - 1],
                                  place=places[i], **dated(i + 1))
        Source.objects.create(slug=f"awkward-source-{i}", title=text, title_english=AWKWARD[-i], publisher=text,
                              language=["en", "ru", "zh", ""][i % 4], date_text=text if i % 7 == 0 else "", text="Text",
                              **dated(i))
        partnership = Partnership.objects.create(slug=f"awkward-pair-{i}", place_a=places[i],
                                                 place_b=places[(i + 1) % n])
        delegation = Delegation.objects.create(
            slug=f"awkward-delegation-{i}", title=text, origin=places[i], destination=places[(i + 2) % n],
            organisation=organisation if i % 2 else None, partnership=partnership if i % 3 else None, **dated(i),
        )
        for k in range(i % 4):
            DelegationMember.objects.create(delegation=delegation, person=people[(i + k) % n],
                                            role=["leader", "member", "leader"][k % 3])
        meeting = Meeting.objects.create(
            slug=f"awkward-meeting-{i}", title=text, summary=AWKWARD[-i], place=places[i] if i % 5 else None,
            delegation=delegation if i % 2 else None, partnership=partnership if i % 3 else None,
            kind=["visit", "meeting", "=evil", ""][i % 4], status=["held", "planned", ""][i % 3],
            date_original=AWKWARD[i - 1], date_text=AWKWARD[i - 3] if i % 6 == 0 else "", **dated(i),
        )
        meeting.topics.add(*[topics[(i + k) % n] for k in range(i % 5)], topics[-1])
        for k in range(i % 4):
            Participant.objects.create(meeting=meeting, person=people[(i * 3 + k) % n], side=["guest", "host"][k % 2])
        meeting.citations.add(citation)
    Topic.objects.create(slug="awkward-tie", name="Tie")  # two topics of one name: their ids order them
    Meeting.objects.get(slug="awkward-meeting-4").topics.add(Topic.objects.get(slug="awkward-tie"))


# Every list, filtered and sorted, with its many-valued columns, in several languages.
COPIED = [
    "/cities/", "/cities/?sort=-partners", "/cities/?sort=country&country=NO&country=RU&level=city", "/ru/cities/",
    "/partnerships/", "/partnerships/?sort=-since", "/partnerships/?sort=latest&country=RU", "/fa/partnerships/",
    "/delegations/", "/delegations/?sort=title", "/delegations/?sort=date&date_from=2016", "/zh-hans/delegations/",
    "/meetings/", "/meetings/?sort=title", "/meetings/?sort=-place", "/meetings/?sort=date&kind=visit",
    "/meetings/?topic=awkward-topic-0&date_from=2016&date_to=2016", "/meetings/?q=tie", "/ru/meetings/",
    "/nb/meetings/?headers=en", "/fa/meetings/?sort=title",
    "/people/", "/people/?sort=meetings", "/ru/people/?country=RU",
    "/topics/", "/topics/?sort=meetings", "/ru/topics/",
    "/sources/", "/sources/?sort=-date", "/sources/?language=ru", "/fa/sources/",
]


@skipUnless(connection.vendor == "postgresql", "the COPY export is PostgreSQL's")
class CopiedExportTests(TestCase):
    """On PostgreSQL a CSV export is one COPY whose cells SQL makes: byte for byte the Python renderer's."""

    @classmethod
    def setUpTestData(cls):
        build_catalogue()
        hostile_catalogue()
        awkward_catalogue()
        call_command("generate_catalogue", meetings=120, seed=5, verbosity=0)

    def exported(self, path):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(path + ("&" if "?" in path else "?") + "format=csv")
            body = b"".join(response.streaming_content)
        self.assertEqual(response.status_code, 200)
        return body, any(q["sql"].startswith("COPY") for q in queries.captured_queries)

    def test_copied_csv_is_the_python_renderers_byte_for_byte(self):
        for path in COPIED:
            with self.subTest(path=path):
                copied, by_copy = self.exported(path)
                self.assertTrue(by_copy, "made in Python, not by COPY")
                with mock.patch("partnerships.exports.copied_rows", exports.python_rows):
                    python, by_copy = self.exported(path)
                self.assertFalse(by_copy)
                self.assertEqual(copied, python)
                self.assertGreater(copied.count(b"\r\n"), 1, "no rows to compare")

    def test_columns_sql_cannot_make_are_made_in_python(self):
        path = "/cities/?sort=country"
        expected, _ = self.exported(path)
        with mock.patch("partnerships.exports.LOOKUP_LIMIT", 3):  # more countries than that: no lookup
            body, by_copy = self.exported(path)
        self.assertFalse(by_copy)
        self.assertEqual(body, expected)

    def test_many_valued_columns_read_through_the_default_managers(self):
        """What a model's default manager leaves out (a draft, say) is left out of the COPY's cells too."""
        hidden = models.Manager()
        hidden.model = Topic
        hidden.get_queryset = lambda: models.QuerySet(Topic).filter(pk__lt=0)  # no topic at all
        with mock.patch.object(Topic._meta, "default_manager", hidden):
            body, by_copy = self.exported("/meetings/")
        self.assertTrue(by_copy)
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual({row["Topics"] for row in rows}, {""})
        self.assertIn("Li Ming; Andrey Sysoev", {row["Participants"] for row in rows})
