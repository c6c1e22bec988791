"""The map's data (/map/data.json) and page (/map/) without a browser: filters, years, sizes, bad input."""

import datetime
import gzip
import json
from types import SimpleNamespace

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from partnerships.maps import drawing as maps
from partnerships.maps import timelines
from partnerships.models import Partnership, Place
from tests import network
from tests.base import CatalogueTestCase


class MapDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        network.build()

    def data(self, query=""):
        response = self.client.get(f"/map/data.json{query}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

    def pairs(self, data):
        """The drawn lines as sorted slug pairs."""
        slugs = [p[3] for p in data["places"]]
        lines = data["lines"]
        return sorted(tuple(sorted((slugs[lines[i]], slugs[lines[i + 1]]))) for i in range(0, len(lines), 2))

    def test_every_partnership_with_located_places_is_a_line(self):
        data = self.data()
        self.assertEqual(data["counts"]["partnerships"], 6)
        self.assertEqual(data["counts"]["drawn"], 5)
        self.assertEqual(data["counts"]["without_coordinates"], 1)  # nice–nowhere
        self.assertEqual(data["counts"]["places_without_coordinates"], 1)
        self.assertEqual(data["counts"]["places"], 7)
        self.assertEqual(
            self.pairs(data),
            [("bergen", "nice"), ("boston", "kyoto"), ("boston", "lyon"), ("kyoto", "tromso"), ("lyon", "oslo")],
        )

    def test_places_are_rounded_and_sized_by_partners_in_the_map(self):
        places = {p[3]: p for p in self.data()["places"]}
        self.assertEqual(places["oslo"][:3], [10.8, 59.9, 1])
        self.assertEqual(places["lyon"][:3], [4.8, 45.8, 2])
        self.assertEqual(places["nice"][2], 2)  # Nowhere counts as a partner, though its line is not drawn
        self.assertEqual(places["tromso"][4:], ["Tromsø", "NO"])
        self.assertNotIn("nowhere", places)

    def test_country_filter_matches_either_side(self):
        norway = self.data("?country=NO")
        self.assertEqual(self.pairs(norway), [("bergen", "nice"), ("kyoto", "tromso"), ("lyon", "oslo")])
        france = self.data("?country=FR")
        self.assertEqual(france["counts"]["partnerships"], 4)
        self.assertEqual(self.pairs(france), [("bergen", "nice"), ("boston", "lyon"), ("lyon", "oslo")])
        self.assertEqual(len(self.pairs(self.data("?country=NO&country=JP"))), 4)

    def test_status_place_and_step_dates_filter_like_the_list(self):
        self.assertEqual(self.pairs(self.data("?status=ended")), [("kyoto", "tromso")])
        self.assertEqual(self.pairs(self.data("?reached=protocol_of_intent")), [("kyoto", "tromso")])
        self.assertEqual(self.pairs(self.data("?place=lyon")), [("boston", "lyon"), ("lyon", "oslo")])
        # A year range: partnerships with a status step dated within it.
        years = self.data("?date_from=2000&date_to=2012")
        self.assertEqual(self.pairs(years), [("bergen", "nice"), ("kyoto", "tromso")])

    def test_a_year_shows_the_network_as_it_stood(self):
        self.assertEqual(self.pairs(self.data("?year=1989")), [])
        self.assertEqual(self.pairs(self.data("?year=1990")), [("lyon", "oslo")])
        self.assertEqual(
            self.pairs(self.data("?year=2012")), [("bergen", "nice"), ("kyoto", "tromso"), ("lyon", "oslo")]
        )
        # Tromsø–Kyoto ended in 2020: no longer on the map from that year.
        self.assertEqual(
            self.pairs(self.data("?year=2020")), [("bergen", "nice"), ("boston", "kyoto"), ("lyon", "oslo")]
        )
        data = self.data("?year=2001")
        self.assertEqual(data["year"], 2001)
        self.assertEqual(data["counts"]["partnerships"], 2)  # oslo–lyon, and nice–nowhere, which is not drawn
        self.assertEqual(data["counts"]["without_coordinates"], 1)

    def test_undated_partnerships_show_with_all_years_and_in_a_year_only_when_asked(self):
        self.assertIn(("boston", "lyon"), self.pairs(self.data()))
        hidden = self.data("?year=2012")
        self.assertEqual(hidden["undated"], "hidden")
        self.assertEqual(hidden["counts"]["undated_hidden"], 1)
        self.assertNotIn(("boston", "lyon"), self.pairs(hidden))
        shown = self.data("?year=2012&undated=1")
        self.assertEqual(shown["undated"], "shown")
        self.assertEqual(shown["counts"]["undated_hidden"], 0)
        self.assertIn(("boston", "lyon"), self.pairs(shown))
        slugs = [p[3] for p in shown["places"]]
        undated = [tuple(sorted(slugs[k] for k in shown["lines"][2 * n : 2 * n + 2])) for n in shown["undated_lines"]]
        self.assertEqual(undated, [("boston", "lyon")])

    def test_bad_input_is_reported_not_an_error(self):
        for query in ("?year=abc", "?year=-5", "?country=XX", "?date_from=soon", "?status=nonsense", "?place=nope"):
            with self.subTest(query=query):
                data = self.data(query)
                self.assertTrue(data["problems"], query)
                self.assertEqual(data["counts"]["partnerships"], 6)  # the bad filter is ignored
        self.assertEqual(self.client.get("/map/?year=abc&country=XX").status_code, 200)
        self.assertEqual(self.client.get("/map/?q=%00").status_code, 200)

    def test_data_is_gzipped_for_clients_that_accept_it(self):
        response = self.client.get("/map/data.json", headers={"accept-encoding": "gzip"})
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertEqual(json.loads(gzip.decompress(response.content))["counts"]["partnerships"], 6)

    def test_queries_do_not_grow_with_the_data(self):
        paths = ["/map/data.json", "/map/data.json?year=2010", "/map/data.json?place=lyon&year=2010&undated=1",
                 "/map/", "/map/?country=NO&year=2015"]

        def counts():
            found = []
            for path in paths:
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(path).status_code, 200)
                found.append(len(queries))
            return found

        small = counts()
        network.grow(60)
        self.assertEqual(self.data()["counts"]["partnerships"], 66)
        self.assertEqual(counts(), small)
        self.assertLessEqual(max(small), 5, small)


class MapPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        network.build()

    def test_the_map_is_drawn_on_the_server(self):
        response = self.client.get("/map/?country=NO")
        self.assertContains(response, 'data-lines="3"')
        self.assertContains(response, 'href="/static/map/world-110m.svg#land"')
        self.assertContains(response, "<strong>3</strong> partnerships")
        self.assertContains(response, 'href="/cities/tromso/"')  # the most connected places, as links
        self.assertContains(response, 'src="/static/js/map.js"')
        self.assertNotContains(response, "style=")

    def test_the_map_may_run_its_own_script_file_and_nothing_else(self):
        policy = self.client.get("/map/")["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("connect-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("script-src", self.client.get("/partnerships/")["Content-Security-Policy"])

    def test_a_line_across_the_pacific_goes_the_short_way(self):
        drawing = maps.Network.from_queryset(Partnership.objects.filter(slug="kyoto-boston")).drawing()
        self.assertEqual(drawing["line_count"], 1)
        self.assertEqual(drawing["lines"].count("M"), 2)  # leaving the right edge and entering from the left
        self.assertEqual(maps.segment((100, 50), (200, 60)), "M100 50 200 60")

    def test_year_links_and_undated_note(self):
        response = self.client.get("/map/?year=2012")
        self.assertContains(response, "1 with no known date left out")
        self.assertContains(response, 'href="?year=2011"')
        self.assertContains(response, 'href="?year=2013"')
        self.assertContains(response, '<option value="2012" selected>')

    def test_the_partnerships_list_links_to_the_same_partnerships_on_a_map(self):
        self.assertContains(self.client.get("/partnerships/?country=NO"), 'href="/map/?country=NO">On a map</a>')
        self.assertNotContains(self.client.get("/meetings/"), "On a map")

    def test_chips_name_the_filters_and_remove_them(self):
        response = self.client.get("/map/?place=lyon&country=NO")
        self.assertContains(response, "Place: <bdi>Lyon</bdi>")
        self.assertContains(response, "Country: <bdi>Norway</bdi>")
        self.assertContains(response, 'href="/partnerships/?country=NO&amp;place=lyon"')


class DetailPictureTests(CatalogueTestCase):
    document = "20_harbin_murmansk_2016.json"  # Harbin–Murmansk: a curated partnership without coordinates

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        network.build()

    def test_place_page_shows_a_small_map_with_its_partners(self):
        response = self.client.get("/cities/lyon/")
        self.assertContains(response, 'class="small-map"')
        self.assertContains(response, "Map: Lyon and its 2 partners")
        self.assertContains(response, 'href="/map/?place=lyon"')
        self.assertContains(response, '<path class="dot here"', count=1)
        self.assertContains(response, '<path class="dot partner"', count=2)

    def test_place_page_timeline_draws_dated_steps(self):
        response = self.client.get("/cities/tromso/")
        self.assertContains(response, 'class="chart"')
        self.assertContains(response, "March 2012: Protocol of intent with Kyoto")
        self.assertContains(response, "2020: Ended with Kyoto")
        self.assertContains(response, '<a href="/partnerships/tromso-kyoto/"><title>', count=2)
        self.assertContains(response, "Timeline, 2012–2020.")

    def test_no_map_without_coordinates(self):
        response = self.client.get("/cities/nowhere/")
        self.assertNotContains(response, 'class="small-map"')
        response = self.client.get("/partnerships/harbin-murmansk/")  # curated: no coordinates in the sources
        self.assertNotContains(response, 'class="small-map"')

    def test_partnership_page_shows_both_places_and_the_drawn_timeline(self):
        response = self.client.get("/partnerships/oslo-lyon/")
        self.assertContains(response, "Map: Oslo and Lyon")
        self.assertContains(response, '<path class="dot here"', count=2)
        self.assertContains(response, '<text x=', count=2)
        response = self.client.get("/partnerships/harbin-murmansk/")
        self.assertContains(response, 'class="chart"')
        self.assertContains(response, '<ol class="timeline">')  # the text timeline stays
        self.assertContains(response, "mark span planned")  # the Gulf Stream festival, planned for 9–11 Sept 2016
        self.assertContains(response, "undated item")

    def test_detail_pages_make_a_constant_number_of_queries(self):
        def count(path):
            with CaptureQueriesContext(connection) as queries:
                self.client.get(path)
            return len(queries)

        before = count("/cities/lyon/")
        for i in range(5):
            other = network.place(f"lyon-partner-{i}", country="IT", latitude=41 + i, longitude=12)
            network.partnership(Place.objects.get(slug="lyon"), other, [("twinning", network.year(2000 + i))])
        self.assertEqual(count("/cities/lyon/"), before)


class TimelineLayoutTests(SimpleTestCase):  # pure layout arithmetic: no database
    def event(self, lane, start, end, planned=False):
        dated = SimpleNamespace(date_earliest=start, date_latest=end, date_display="when")  # a record's dates
        return timelines.Event(lane, "what", dated, planned=planned)

    def test_days_are_dots_spans_are_bars_and_overlaps_take_new_rows(self):
        d = datetime.date
        chart = timelines.chart(
            [
                self.event("meeting", d(2016, 5, 23), d(2016, 5, 23)),
                self.event("meeting", d(2016, 5, 23), d(2016, 5, 25)),
                self.event("meeting", d(2016, 5, 24), d(2016, 5, 24)),
                self.event("status", d(2014, 3, 1), d(2014, 3, 31)),
                self.event("outcome", None, None),
            ]
        )
        self.assertEqual(chart.divisions, ["2014", "2015", "2016"])
        self.assertEqual(chart.undated, 1)
        status, meetings = chart.lanes
        self.assertGreater(status.marks[0].width, 0)  # a month is a bar
        self.assertAlmostEqual(status.marks[0].x, 59 / 1096 * 1000, places=3)
        self.assertEqual([m.width == 0 for m in meetings.marks], [True, False, True])
        self.assertEqual(meetings.rows, 3)
        self.assertEqual(meetings.height, 3 * timelines.ROW)

    def test_long_ranges_get_coarser_divisions(self):
        chart = timelines.chart(
            [self.event("status", datetime.date(1961, 1, 1), datetime.date(1961, 12, 31)),
             self.event("status", datetime.date(2019, 1, 1), datetime.date(2019, 1, 1))]
        )
        self.assertEqual(chart.divisions, ["1960", "1970", "1980", "1990", "2000", "2010"])
        self.assertIsNone(timelines.chart([self.event("status", None, None)]))
