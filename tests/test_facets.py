"""Facet counts are exact: an option's count is the number of rows its link lists.

On the curated catalogue plus a generated one, for every list, unfiltered
and filtered (including several values of one filter, where an unselected
option says how many rows its link adds), every option is followed and its
rows counted; a few facets are also checked against a plain COUNT(DISTINCT)
written independently of the list machinery. The same holds after edits and
deletions.
"""

import json

from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from partnerships.models import Meeting, Partnership, Topic

PAGES = [
    "/cities/",
    "/cities/?country=RU",
    "/partnerships/",
    "/partnerships/?country=RU&country=CN",
    "/partnerships/?reached=twinning",
    "/delegations/",
    "/delegations/?origin_country=CN",
    "/meetings/",
    "/meetings/?country=RU",
    "/meetings/?topic=health-care",
    "/meetings/?topic=culture&kind=visit",
    "/meetings/?country=RU&country=CN&q=a",
    "/people/",
    "/people/?side=guest",
    "/topics/",
    "/sources/",
]


class FacetExactnessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_catalogue", verbosity=0)
        call_command("generate_catalogue", meetings=300, seed=5, verbosity=0)

    def rows(self, url):
        """How many rows a list URL lists, all pages, read from its JSON export."""
        separator = "&" if "?" in url else "?"
        response = self.client.get(f"{url}{separator}format=json")
        self.assertEqual(response.status_code, 200, url)
        return len(json.loads(b"".join(response.streaming_content))["rows"])

    def facets(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.context["page"].paginator.count, response.context["facets"]

    def assert_exact(self, url):
        """Every option of every facet on the page keeps its promise."""
        path = url.split("?")[0]
        total, facets = self.facets(url)
        self.assertEqual(total, self.rows(url), url)
        checked = 0
        for facet, options in facets:
            for option in options:
                with self.subTest(url=url, facet=facet.param, value=option.value):
                    target = self.rows(path + option.toggle_url)
                    if option.selected:
                        # Its own rows: the list with this value alone among the facet's values.
                        alone = QueryDict(url.partition("?")[2], mutable=True)
                        alone.setlist(facet.param, [option.value])
                        self.assertEqual(option.count, self.rows(f"{path}?{alone.urlencode()}"))
                    elif option.added is None:
                        self.assertEqual(option.count, target)
                    else:
                        self.assertEqual(total + option.added, target)
                    checked += 1
        return checked

    def test_every_option_lists_as_many_rows_as_it_says(self):
        checked = sum(self.assert_exact(url) for url in PAGES)
        self.assertGreater(checked, 200)

    def test_counts_equal_a_plain_count_distinct(self):
        _, facets = self.facets("/meetings/")
        options = {facet.param: {o.value: o.count for o in opts} for facet, opts in facets}
        for code, count in options["country"].items():
            expected = (
                Meeting.objects.filter(Q(place__country=code) | Q(delegation__origin__country=code))
                .values("pk").distinct().count()
            )
            self.assertEqual(count, expected, code)
        for slug, count in options["topic"].items():
            topic = Topic.objects.get(slug=slug)
            below = Topic.objects.subtree_ids([topic])
            self.assertEqual(count, Meeting.objects.filter(topics__in=below).values("pk").distinct().count(), slug)
        for language, count in options["language"].items():
            expected = Meeting.objects.filter(citations__source__language=language).values("pk").distinct().count()
            self.assertEqual(count, expected, language)
        _, facets = self.facets("/partnerships/")
        reached = {o.value: o.count for facet, opts in facets if facet.param == "reached" for o in opts}
        for status, count in reached.items():
            self.assertEqual(count, Partnership.objects.filter(steps__status=status).values("pk").distinct().count())

    def test_a_parent_topic_counts_its_subtopics_meetings(self):
        _, facets = self.facets("/meetings/")
        topic = {o.value: o.count for facet, opts in facets if facet.param == "topic" for o in opts}
        self.assertEqual(topic["health-care"], self.rows("/meetings/?topic=health-care"))
        self.assertGreater(topic["health-care"], Meeting.objects.filter(topics__slug="health-care").count())

    def test_counts_follow_edits_and_deletions(self):
        meeting = Meeting.objects.filter(place__country="RU").order_by("pk").first()
        meeting.topics.set([Topic.objects.get(slug="health-care")])
        chinese = Meeting.objects.filter(place__country="CN").order_by("pk").values_list("pk", flat=True)[:5]
        Meeting.objects.filter(pk__in=list(chinese)).delete()
        for url in ["/meetings/", "/meetings/?country=RU", "/meetings/?topic=health-care"]:
            self.assert_exact(url)

    def test_no_facet_is_sampled(self):
        response = self.client.get("/meetings/")
        self.assertNotContains(response, "Counted among")


class TopicFacetTests(TestCase):
    """The topic facet counts each meeting once for every topic it has or lies below, from one pass over the
    meetings, however many topics have subtopics."""

    @classmethod
    def setUpTestData(cls):
        topic = {}
        for slug, parent in [("world", None), ("culture", "world"), ("music", "culture"), ("festivals", "culture"),
                             ("sport", "world"), ("trade", None)]:
            topic[slug] = Topic.objects.create(slug=slug, name=slug.title(), parent=topic.get(parent))
        for slug, topics in [
            ("two-under-culture", ["music", "festivals"]),  # counts once for culture and world
            ("a-topic-and-one-below-it", ["culture", "music"]),
            ("music-only", ["music"]),
            ("sport-only", ["sport"]),
            ("trade-only", ["trade"]),
            ("no-topic", []),
        ]:
            meeting = Meeting.objects.create(slug=slug, title=slug)
            meeting.topics.set([topic[t] for t in topics])

    def options(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        facet = next(options for facet, options in response.context["facets"] if facet.param == "topic")
        return {o.value: o for o in facet}, response.context["page"].paginator.count

    def test_a_meeting_counts_once_for_each_topic_it_has_or_lies_below(self):
        options, total = self.options("/meetings/")
        self.assertEqual(total, 6)
        counts = {value: o.count for value, o in options.items()}
        self.assertEqual(counts, {"world": 4, "culture": 3, "music": 3, "festivals": 1, "sport": 1, "trade": 1})
        for value, option in options.items():
            with self.subTest(topic=value):
                self.assertEqual(self.options(f"/meetings/{option.toggle_url}")[1], option.count)

    def test_with_a_topic_chosen_each_other_topic_says_what_its_link_adds(self):
        options, total = self.options("/meetings/?topic=festivals")
        self.assertEqual(total, 1)
        self.assertTrue(options["festivals"].selected)
        added = {value: o.added for value, o in options.items() if not o.selected}
        # "two-under-culture" is shown already: music adds the two others that have it or lie below it.
        self.assertEqual(added, {"world": 3, "culture": 2, "music": 2, "sport": 1, "trade": 1})
        for value, n in added.items():
            with self.subTest(topic=value):
                self.assertEqual(self.options(f"/meetings/{options[value].toggle_url}")[1], total + n)

    def test_counting_does_not_grow_with_the_topics_that_have_subtopics(self):
        def topic_table_reads():
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get("/meetings/").status_code, 200)
            return len(captured), sum(q["sql"].count('"partnerships_meeting_topics"') for q in captured)

        before = topic_table_reads()
        meeting = Meeting.objects.get(slug="trade-only")
        for i in range(5):
            parent = Topic.objects.create(slug=f"parent-{i}", name=f"Parent {i}")
            meeting.topics.add(Topic.objects.create(slug=f"child-{i}", name=f"Child {i}", parent=parent))
        self.assertEqual(topic_table_reads(), before)
        options, _total = self.options("/meetings/")
        self.assertEqual(options["parent-3"].count, 1)
