"""The list machinery: filters, facets, chips, sorting, paging, bad input."""

from django.core.management import call_command

from partnerships.listing import PAGE_SIZE
from tests.base import CatalogueTestCase

LISTS = ["/cities/", "/partnerships/", "/delegations/", "/meetings/", "/people/", "/topics/", "/sources/"]


class ListTests(CatalogueTestCase):
    def slugs(self, path):
        return {row["Slug"] for row in self.csv_rows(path)}

    def test_every_list_answers(self):
        for path in LISTS:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Export CSV")

    def test_topic_filter_includes_subtopics(self):
        # Only "Rehabilitation" etc. are tagged; filtering on "Health care" finds them.
        slugs = self.slugs("/meetings/?topic=health-care&format=csv")
        self.assertIn("murmansk-emergency-hospital-visit-2016", slugs)
        self.assertNotIn("narvik-town-hall-meeting-2019", slugs)

    def test_health_care_with_a_chinese_city(self):
        slugs = self.slugs("/meetings/?topic=health-care&country=CN&format=csv")
        self.assertTrue(slugs)
        self.assertIn("murmansk-emergency-hospital-visit-2016", slugs)
        self.assertEqual(slugs, self.slugs("/meetings/?topic=health-care&country=CN&country=KZ&format=csv"))
        self.assertFalse(self.slugs("/meetings/?topic=health-care&country=IR&format=csv"))

    def test_values_of_one_filter_are_or_and_filters_are_and(self):
        norway = self.slugs("/meetings/?country=NO&format=csv")
        iran = self.slugs("/meetings/?country=IR&format=csv")
        both = self.slugs("/meetings/?country=NO&country=IR&format=csv")
        self.assertTrue(norway and iran)
        self.assertEqual(both, norway | iran)
        self.assertEqual(self.slugs("/meetings/?country=NO&kind=visit&format=csv"),
                         norway & self.slugs("/meetings/?kind=visit&format=csv"))

    def test_uncertain_dates_match_by_overlap(self):
        in_2015 = self.slugs("/delegations/?date_from=2015&date_to=2015&format=csv")
        self.assertEqual(in_2015, {"murmansk-delegation-harbin-2015"})
        # "March 2014" overlaps a range that ends on 1 March 2014.
        self.assertIn("murmansk-delegation-harbin-2014",
                      self.slugs("/delegations/?date_from=2013-01-01&date_to=2014-03-01&format=csv"))

    def test_facets_count_rows_under_the_other_filters(self):
        response = self.client.get("/meetings/?country=NO")
        facets = {facet.param: {o.value: o.count for o in options} for facet, options in response.context["facets"]}
        norway = self.slugs("/meetings/?country=NO&format=csv")
        # Country counts ignore the country filter itself: every country stays on offer.
        self.assertIn("IR", facets["country"])
        # Other facets count only Norwegian meetings.
        self.assertEqual(sum(facets["status"].values()), len(norway))

    def test_a_selected_option_is_a_chip_that_removes_itself(self):
        response = self.client.get("/meetings/?country=NO&topic=history")
        chips = response.context["chips"]
        self.assertEqual({label for label, _, _ in chips}, {"Country", "Topic"})
        remove_country = next(url for label, _, url in chips if label == "Country")
        self.assertNotIn("country=", remove_country)
        self.assertIn("topic=history", remove_country)
        self.assertContains(response, "Clear all")

    def test_sorting_both_ways_with_undated_rows_last(self):
        def starts(path):
            return [r["Date (ISO interval)"][:10] for r in self.csv_rows(path)]

        oldest_first = starts("/meetings/?sort=date&format=csv")
        newest_first = starts("/meetings/?sort=-date&format=csv")
        dated = [d for d in oldest_first if d]
        self.assertEqual(dated, sorted(dated))
        self.assertEqual([d for d in newest_first if d], sorted(dated, reverse=True))
        self.assertEqual(oldest_first[len(dated):], [""] * (len(oldest_first) - len(dated)))
        self.assertEqual(newest_first[len(dated):], [""] * (len(oldest_first) - len(dated)))
        self.assertEqual(self.csv_rows("/meetings/?sort=date&format=csv")[0]["Slug"], "harbin-protocol-signing-2014")

    def test_invalid_values_give_the_page_with_a_message(self):
        response = self.client.get(
            "/meetings/?date_from=yesterday&topic=no-such-topic&country=XX&page=999999&sort=nonsense&format=xml"
        )
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("is not a date", text)
        self.assertIn("Unknown sort", text)
        self.assertIn("Unknown format", text)
        self.assertIn("Ignored the filter", text)

    def test_hostile_query_strings_never_break_a_list(self):
        nasty = ["%00", "x" * 5000, "<script>alert(1)</script>", "Мурманск", "9" * 40, "'; DROP TABLE x; --"]
        for path in LISTS:
            for value in nasty:
                for param in ["q", "country", "date_from", "page", "sort", "topic", "place", "partnership", "person",
                              "met", "within", "parent", "reached", "status", "format"]:
                    with self.subTest(path=path, param=param, value=value[:20]):
                        response = self.client.get(path, {param: value})
                        self.assertIn(response.status_code, (200,))
                        self.assertNotIn(b"<script>alert(1)</script>", response.content)

    def test_whom_has_igor_babushkin_met(self):
        met = self.slugs("/people/?met=igor-babushkin&format=csv")
        self.assertEqual(met, {"asadollah-abbasi"})

    def test_partnerships_that_reached_a_status(self):
        rows = self.csv_rows("/partnerships/?reached=protocol_of_intent&format=csv")
        self.assertEqual([r["Slug"] for r in rows], ["harbin-murmansk"])
        self.assertEqual(rows[0]["Since"], "2014-03-01")


class DeepPageTests(CatalogueTestCase):
    """A page deep in a list shows the rows at its place in the list's order: those the CSV gives there."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("generate_catalogue", meetings=250, seed=7, verbosity=0)

    def test_every_page_lists_the_rows_of_its_place_in_every_order(self):
        for sort in ["-date", "date", "title", "-place"]:
            slugs = [row["Slug"] for row in self.csv_rows(f"/meetings/?sort={sort}&format=csv")]
            pages = -(-len(slugs) // PAGE_SIZE)
            self.assertGreater(pages, 4)
            for page in [1, 2, pages // 2, pages]:
                with self.subTest(sort=sort, page=page):
                    response = self.client.get("/meetings/", {"sort": sort, "page": page})
                    self.assertEqual(response.status_code, 200)
                    shown = [cells[0][2].rstrip("/").rsplit("/", 1)[1] for _draft, cells in response.context["rows"]]
                    self.assertEqual(shown, slugs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
