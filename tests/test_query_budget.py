"""Query budgets: every list (HTML, CSV, JSON, the API), every detail page and every feed makes as many SQL
queries on a large catalogue as on a small one, and never more than 15 — besides the one read of the
catalogue's version that gives every public response its HTTP validators (scaling/middleware.py).

The catalogue is the curated one plus a generated one (`generate_catalogue`);
then ten times more is generated and every page is asked again. Detail pages
are asked for the busiest record of their kind at each size (the place with
the most meetings, ...), whose lists grow with the catalogue, and for curated
records, which do not.
"""

import os

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from partnerships.exports import CHUNK_SIZE
from partnerships.models import Delegation, Meeting, Partnership, Person, Place, Source

BUDGET = 15

LISTS = [
    "/cities/",
    "/cities/?country=RU&country=NO&level=city&level=province&within=astrakhan-oblast&sort=-partners&q=a",
    "/cities/?sort=country&page=2",
    "/partnerships/",
    "/partnerships/?country=RU&place=murmansk&status=twinning&reached=protocol_of_intent&date_from=2000"
    "&date_to=2025&sort=-since&q=harbin",
    "/partnerships/?sort=latest&page=2",
    "/delegations/",
    "/delegations/?origin_country=CN&destination_country=RU&place=harbin&person=igor-babushkin"
    "&partnership=harbin-murmansk&date_from=2010&date_to=2020&sort=title",
    "/meetings/",
    "/meetings/?topic=health-care&country=RU&date_from=2000&date_to=2025",
    "/meetings/?topic=health-care&topic=history&country=CN&country=NO&place=murmansk&person=igor-babushkin"
    "&role=leader&side=host&kind=visit&status=held&partnership=harbin-murmansk&language=en&date_from=2010"
    "&date_to=2020&sort=-place&q=murmansk",
    "/meetings/?sort=title&page=3",
    "/people/",
    "/people/?country=RU&organisation=harbin-peoples-government&side=guest&role=leader&met=igor-babushkin"
    "&sort=meetings&q=a",
    "/topics/",
    "/topics/?parent=health-care&sort=meetings",
    "/sources/",
    "/sources/?language=en&language=ru&sort=-date&q=murmansk",
]
SEARCHES = ["/search/?q=murmansk", "/search/?q=a", "/search/?q=Мурманск"]
CURATED = [
    "/cities/murmansk/",
    "/partnerships/harbin-murmansk/",
    "/people/igor-babushkin/",
    "/topics/health-care/",
]
# Feeds, a calendar, the API and linked data: as many queries at any size, like the pages they follow.
FOLLOWED = [
    "/feed.atom",
    "/cities/murmansk/feed.atom",
    "/partnerships/harbin-murmansk/feed.atom",
    "/people/igor-babushkin/feed.atom",
    "/topics/health-care/feed.atom",
    "/meetings/?topic=health-care&country=RU&format=atom",
    "/partnerships/harbin-murmansk/calendar.ics",
    "/api/v1/meetings/?topic=health-care&country=RU&date_from=2000",
    "/api/v1/places/?sort=-partners&page=2",
    "/api/v1/people/?side=guest&page_size=100",
    "/meetings/gilan-astrakhan-governors-meeting-2023/data.jsonld",
    "/people/igor-babushkin/cite.bib",
]
BUSIEST = {
    "place": (Place, "meetings", "/cities/{}/"),
    "partnership": (Partnership, "meetings", "/partnerships/{}/"),
    "delegation": (Delegation, "members", "/delegations/{}/"),
    "meeting": (Meeting, "participants", "/meetings/{}/"),
    "person": (Person, "participations", "/people/{}/"),
    "person with most outcomes": (Person, "outcomes_made", "/people/{}/"),
    "source": (Source, "citations", "/sources/{}/"),
}


class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_catalogue", verbosity=0)
        call_command("generate_catalogue", meetings=200, seed=1, verbosity=0)

    def queries(self, path):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path)
            if response.streaming:
                for _ in response.streaming_content:
                    pass
        self.assertEqual(response.status_code, 200, path)
        validators = [q for q in captured if "scaling_catalogueversion" in q["sql"]]
        self.assertEqual(len(validators), 1, path)
        return len(captured) - len(validators)

    def pages(self):
        """{page: path}: every list in every format, search, and detail pages of every kind."""
        pages = {}
        for path in LISTS:
            pages[path] = path
            for fmt in ("csv", "json"):
                pages[f"{path} [{fmt}]"] = path + ("&" if "?" in path else "?") + f"format={fmt}"
        pages.update({path: path for path in SEARCHES + CURATED + FOLLOWED + ["/"]})
        for kind, (model, related, url) in BUSIEST.items():
            record = model.objects.annotate(n=Count(related)).order_by("-n", "pk").first()
            pages[f"busiest {kind}"] = url.format(record.slug)
        topic = Meeting.topics.through.objects.values("topic__slug").annotate(n=Count("*")).order_by("-n").first()
        pages["busiest topic"] = f"/topics/{topic['topic__slug']}/"
        return pages

    def test_every_page_costs_the_same_queries_at_two_sizes(self):
        small = {page: (path, self.queries(path)) for page, path in self.pages().items()}
        meetings_before = Meeting.objects.count()
        call_command("generate_catalogue", meetings=2000, seed=2, verbosity=0)
        self.assertGreater(Meeting.objects.count(), 5 * meetings_before)
        large = {page: (path, self.queries(path)) for page, path in self.pages().items()}
        table = "\n".join(f"{small[p][1]:3} {large[p][1]:3}  {p}" for p in small)
        if os.environ.get("QUERY_BUDGET_REPORT"):
            print(f"\nqueries: small large  page\n{table}")
        for page in small:
            with self.subTest(page=page):
                self.assertEqual(small[page][1], large[page][1], f"{page} grew with the data:\n{table}")
                self.assertLessEqual(large[page][1], BUDGET, f"{page} is over budget:\n{table}")

    def test_a_big_export_reads_with_a_few_queries(self):
        """CSV and JSON read all rows with a few queries, none per chunk: in Python one query, and one per
        many-to-many column; on PostgreSQL the CSV with one COPY (after a setting, and a query per column
        whose cells Python makes)."""
        paths = ["/meetings/?format=csv", "/people/?format=json", "/delegations/?format=csv"]
        small = [self.queries(path) for path in paths]
        call_command("generate_catalogue", meetings=12000, seed=3, verbosity=0)  # over two chunks of rows
        self.assertGreater(Meeting.objects.count(), 2 * CHUNK_SIZE)  # so the meetings export reads three chunks
        for path, before in zip(paths, small, strict=True):
            with self.subTest(path=path):
                self.assertEqual(self.queries(path), before)
                self.assertLessEqual(before, 3)
