"""Atom feeds: read back by a real Atom parser, each entry linking its page, its date as written, its sources."""

import datetime as dt

import feedparser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import Meeting, Place
from tests.base import CatalogueTestCase

FEEDS = [
    "/feed.atom",
    "/cities/murmansk/feed.atom",
    "/partnerships/harbin-murmansk/feed.atom",
    "/people/igor-babushkin/feed.atom",
    "/topics/health-care/feed.atom",
    "/meetings/?topic=health-care&format=atom",
]


class FeedTests(CatalogueTestCase):
    def parse(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, f"{path}: {feed.get('bozo_exception')}")
        self.assertEqual(feed.version, "atom10")
        return feed

    def test_every_feed_is_valid_atom_whose_entries_link_their_pages(self):
        for path in FEEDS:
            with self.subTest(path=path):
                feed = self.parse(path)
                self.assertTrue(feed.entries, path)
                self.assertTrue(feed.feed.title)
                for entry in feed.entries:
                    self.assertTrue(entry.id and entry.updated_parsed and entry.title)
                    page = entry.link.removeprefix("http://testserver")
                    self.assertEqual(self.client.get(page).status_code, 200, page)

    def test_an_entry_gives_the_date_as_shown_and_as_written_and_cites_its_source(self):
        feed = self.parse("/cities/narvik/feed.atom")
        entry = next(e for e in feed.entries if e.link.endswith("/meetings/narvik-town-hall-meeting-2019/"))
        self.assertIn("29 August 2019", entry.summary)
        self.assertIn("as written: “29.8.2019”", entry.summary)
        via = [link for link in entry.links if link.rel == "via"]
        self.assertEqual([link.href for link in via], ["http://testserver/sources/narvik-kazakhstan-2019/"])
        self.assertIn("/sources/narvik-kazakhstan-2019/#", entry.summary)  # the passages, quoted and linked

    def test_a_solar_hijri_date_shows_in_its_calendar(self):
        feed = self.parse("/feed.atom")
        entry = next(e for e in feed.entries if e.link.endswith("/meetings/gilan-astrakhan-governors-meeting-2023/"))
        self.assertIn("18 Farvardin 1402", entry.summary)

    def test_a_filtered_meetings_feed_holds_the_rows_of_the_list(self):
        path = "/meetings/?country=RU&kind=meeting"
        listed = {row["Slug"] for row in self.csv_rows(path + "&format=csv")}
        feed = self.parse(path + "&format=atom")
        self.assertEqual({e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries}, listed)
        self.assertIn("Country: Russia", feed.feed.title)
        self.assertEqual(feed.feed.link, "http://testserver/meetings/?country=RU&kind=meeting")

    def test_a_changed_record_comes_first(self):
        meeting = Meeting.objects.get(slug="harbin-negotiations-2015")
        meeting.summary += " More."
        meeting.save()
        for path in ("/feed.atom", "/cities/harbin/feed.atom", "/partnerships/harbin-murmansk/feed.atom"):
            with self.subTest(path=path):
                self.assertTrue(self.parse(path).entries[0].link.endswith("/meetings/harbin-negotiations-2015/"))

    def test_reloading_the_unchanged_catalogue_changes_no_time(self):
        Place.objects.filter(slug="narvik").update(updated_at=timezone.now() - dt.timedelta(days=30))
        before = Place.objects.get(slug="narvik").updated_at
        call_command("load_catalogue", verbosity=0)
        self.assertEqual(Place.objects.get(slug="narvik").updated_at, before)

    def test_unknown_records_have_no_feed(self):
        for path in ("/cities/nowhere/feed.atom", "/people/nobody/feed.atom", "/topics/nothing/feed.atom"):
            self.assertEqual(self.client.get(path).status_code, 404, path)

    def test_the_catalogue_feed_reads_a_fixed_number_of_queries(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/feed.atom")
        self.assertLessEqual(len(queries), 15)

    def test_pages_advertise_their_feeds(self):
        for page, feed in [
            ("/", "/feed.atom"),
            ("/cities/narvik/", "/cities/narvik/feed.atom"),
            ("/partnerships/harbin-murmansk/", "/partnerships/harbin-murmansk/feed.atom"),
            ("/people/igor-babushkin/", "/people/igor-babushkin/feed.atom"),
            ("/topics/health-care/", "/topics/health-care/feed.atom"),
            ("/meetings/?country=NO", "/meetings/?country=NO&amp;format=atom"),
        ]:
            with self.subTest(page=page):
                self.assertContains(self.client.get(page), '<link rel="alternate" type="application/atom+xml" '
                                                           'title="')
                self.assertContains(self.client.get(page), f'href="{feed}"')
