"""The lists' in-memory index (partnerships/listindex.py): what it answers is what SQL answers.

The exactness tests of tests/test_facets.py run again with the index on;
then pages, sorts, deep pages and date bounds are compared byte for byte
with the same pages answered by SQL, and the requests the index must leave
to SQL (editors seeing drafts, a search) are checked to be left there.
"""

import shutil
import tempfile
from urllib.parse import urlencode

import hypothesis
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from partnerships import listindex
from partnerships.models import Meeting, Person, Topic
from tests import test_facets

PAGES = [
    "/meetings/",
    "/meetings/?page=3",
    "/meetings/?sort=title&page=2",
    "/meetings/?sort=-place",
    "/meetings/?country=RU&topic=health-care",
    "/meetings/?country=RU&country=CN&kind=visit&sort=date",
    "/meetings/?date_from=2015&date_to=2016-06",
    "/meetings/?date_from=2019-03-02&topic=culture&page=2",
    "/meetings/?date_to=2001&language=en",
    "/meetings/?status=planned&topic=culture&topic=health-care",
    "/meetings/?country=XX",
    "/meetings/?country=KZ&page=99",
    "/ru/meetings/?country=RU&kind=visit",
    "/api/v1/meetings/?country=RU&topic=health-care",
    "/partnerships/",
    "/partnerships/?country=RU&status=twinning&sort=-since",
    "/partnerships/?reached=twinning&sort=latest&page=2",
    "/partnerships/?listed_by=curated&country=NO",
    "/partnerships/?not_listed_by=curated&status=twinning",
    "/partnerships/?not_listed_by=curated&not_listed_by=no-such-list",
    "/cities/?country=RU&sort=-partners",
    "/cities/?level=city&level=region&sort=country",
]


@override_settings(LIST_INDEX="inline")
class IndexedFacetExactnessTests(test_facets.FacetExactnessTests):
    """Every option of every list keeps its promise with the index answering the meetings lists."""


@override_settings(LIST_INDEX="inline")
class IndexedTopicFacetTests(test_facets.TopicFacetTests):
    test_counting_does_not_grow_with_the_topics_that_have_subtopics = None  # SQL's own query shape


class IndexAnswersAsSqlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_catalogue", verbosity=0)
        call_command("generate_catalogue", meetings=400, seed=7, verbosity=0)

    def get(self, url, index):
        with override_settings(LIST_INDEX=index), CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content, [q["sql"] for q in captured]

    def test_every_page_is_the_same_with_and_without_the_index(self):
        listindex.INDEXES.built.clear()
        for url in PAGES:
            with self.subTest(url=url):
                by_sql, sql_queries = self.get(url, "off")
                self.get(url, "inline")  # builds the index if missing
                by_index, queries = self.get(url, "inline")
                self.assertEqual(by_index, by_sql)
                self.assertLess(len(queries), len(sql_queries))  # no facet is counted by a query
                if "/api/" not in url:  # the API pages by SQL; its facets come from the index
                    self.assertFalse([sql for sql in queries if sql.startswith('SELECT COUNT(*) AS "__count"')])

    def test_a_web_process_takes_the_index_another_one_kept(self):
        directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, directory)
        shared = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                  "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": directory}}

        def queries(url):
            listindex.INDEXES.built.clear()  # a process that has built nothing
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured)

        with override_settings(CACHES=shared, LIST_INDEX="inline"):
            building = queries("/meetings/?country=RU")
            taken = queries("/meetings/?country=CN")  # another page: not the page cache's
            caches["pages"].clear()
            self.assertEqual(queries("/meetings/?country=NO"), building)
        self.assertLess(taken + 20, building)

    def test_an_edit_shows_in_the_next_page(self):
        url = "/meetings/?topic=health-care&country=RU"
        before, _ = self.get(url, "inline")
        meeting = Meeting.objects.filter(place__country="RU").exclude(topics__slug="health-care").first()
        meeting.topics.add(Topic.objects.get(slug="health-care"))
        meeting.title = "Newly about health care"
        meeting.save()
        after, _ = self.get(url, "inline")
        self.assertNotEqual(after, before)
        self.assertEqual(after, self.get(url, "off")[0])
        Meeting.objects.filter(pk=meeting.pk).delete()
        self.assertEqual(self.get(url, "inline")[0], self.get(url, "off")[0])

    def test_a_filter_the_index_does_not_hold_is_answered_by_sql(self):
        person = Person.objects.filter(participations__isnull=False).first().slug
        held_elsewhere = ["/partnerships/?q=narvik", "/partnerships/?date_from=2010", f"/meetings/?person={person}"]
        for url in held_elsewhere:
            with self.subTest(url=url), override_settings(LIST_INDEX="inline"):
                self.assertIsNone(self.client.get(url).context["view"].selection)

    def test_a_search_and_an_editor_are_answered_by_sql(self):
        listindex.INDEXES.built.clear()
        self.get("/meetings/", "inline")
        self.assertTrue(listindex.INDEXES.built)
        with override_settings(LIST_INDEX="inline"):
            response = self.client.get("/meetings/?q=harbin&country=CN")
            self.assertIsNone(response.context["view"].selection)
            self.client.force_login(User.objects.create_user("editor", password="pw-not-used-1", is_staff=True))
            response = self.client.get("/meetings/?country=CN")
            self.assertIsNone(response.context["view"].selection)
            self.client.logout()
            response = self.client.get("/meetings/?country=CN")
            self.assertIsNotNone(response.context["view"].selection)

    def test_a_draft_is_in_no_count(self):
        url = "/meetings/?country=RU"
        before, _ = self.get(url, "inline")
        meeting = Meeting.objects.filter(place__country="RU").order_by("pk").first()
        Meeting.objects.filter(pk=meeting.pk).update(draft=True)
        hidden, _ = self.get(url, "inline")
        self.assertNotEqual(hidden, before)
        self.assertEqual(hidden, self.get(url, "off")[0])


# Values a reader's query string may give the indexed lists' filters: real ones, unknown ones, bad ones.
FILTER_VALUES = {
    "country": ["RU", "CN", "NO", "KZ", "IR", "XX", ""],
    "topic": ["health-care", "culture", "education", "no-such-topic"],
    "kind": ["visit", "meeting", "bogus"],
    "status": ["held", "planned", "twinning", "cooperation", "bogus"],
    "language": ["en", "ru", "nb", "fa", "zz"],
    "reached": ["twinning", "protocol", "bogus"],
    "level": ["city", "region", "country", "bogus"],
    "listed_by": ["curated", "no-such-list"],
    "not_listed_by": ["curated"],
    "date_from": ["2015", "2016-06", "2019-03-02", "0001-01-01", "9999-12-31", "2015-13", ""],
    "date_to": ["2001", "2016-06", "2020-12-31", "0000", "bogus"],
    "sort": ["date", "-date", "title", "-place", "name", "-since", "latest", "-partners", "country", "bogus"],
    "page": ["1", "2", "3", "99", "0", "x"],
}


class IndexAnswersAsSqlPropertyTests(TestCase):
    """Whatever a query string asks of an indexed list, the index answers the page SQL would."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_catalogue", verbosity=0)
        call_command("generate_catalogue", meetings=150, seed=11, verbosity=0)

    @hypothesis.settings(deadline=None, derandomize=True, database=None,
                         suppress_health_check=[hypothesis.HealthCheck.too_slow])
    @hypothesis.given(
        path=st.sampled_from(["/meetings/", "/partnerships/", "/cities/"]),
        pairs=st.lists(st.sampled_from(sorted(FILTER_VALUES)).flatmap(
            lambda key: st.tuples(st.just(key), st.sampled_from(FILTER_VALUES[key]))), max_size=5),
    )
    def test_the_index_answers_every_query_as_sql_does(self, path, pairs):
        url = f"{path}?{urlencode(pairs)}"
        pages = []
        for index in ("off", "inline"):
            with override_settings(LIST_INDEX=index):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            pages.append(response.content)
        self.assertEqual(pages[0], pages[1], url)
