"""The catalogue in a real browser: filtering, chips, search, export, accessibility, screenshots."""

import csv
import io

from tests.browser import BrowserTestCase

PAGE_TYPES = {
    "home": "/",
    "place-list": "/cities/",
    "place": "/cities/murmansk/",
    "partnership-list": "/partnerships/",
    "partnership": "/partnerships/harbin-murmansk/",
    "delegation-list": "/delegations/",
    "delegation": "/delegations/harbin-delegation-murmansk-2016/",
    "meeting-list": "/meetings/",
    "meeting": "/meetings/gilan-astrakhan-governors-meeting-2023/",
    "meeting-norwegian": "/meetings/narvik-town-hall-meeting-2019/",
    "person-list": "/people/",
    "person": "/people/igor-babushkin/",
    "topic-list": "/topics/",
    "topic": "/topics/health-care/",
    "source-list": "/sources/",
    "source": "/sources/gilan-astrakhan-2023/",
    "search": "/search/?q=%D0%9C%D1%83%D1%80%D0%BC%D0%B0%D0%BD%D1%81%D0%BA",
}


class BrowsingTests(BrowserTestCase):
    def table_slugs(self):
        """Links in the first column of the results table, as record paths."""
        return [a.get_attribute("href").split(self.live_server_url)[-1]
                for a in self.page.locator("table tbody tr td:first-child a").all()]

    def test_filter_meetings_by_topic_and_country_then_remove_a_chip(self):
        page = self.visit("/meetings/")
        everything = page.locator("table tbody tr").count()
        page.locator(".facet", has_text="Topic").get_by_role("link", name="Rehabilitation").click()
        page.locator(".facet", has_text="Country").get_by_role("link", name="China").click()
        self.assertIn("topic=rehabilitation", page.url)
        self.assertIn("country=CN", page.url)
        self.assertEqual(self.table_slugs(), ["/meetings/murmansk-emergency-hospital-visit-2016/"])
        self.screenshot("meeting-list-filtered")

        page.get_by_role("link", name="Remove filter Country: China").click()
        self.assertNotIn("country=", page.url)
        self.assertIn("topic=rehabilitation", page.url)
        page.get_by_role("link", name="Clear all").click()
        self.assertEqual(page.locator("table tbody tr").count(), everything)

    def test_search_in_cyrillic_lands_on_murmansk(self):
        page = self.visit("/")
        page.get_by_label("Search everything").fill("Мурманск")
        page.get_by_label("Search everything").press("Enter")
        page.locator(".search-group", has_text="Places").get_by_role("link", name="Murmansk").first.click()
        self.assertTrue(page.url.endswith("/cities/murmansk/"))
        self.assertEqual(page.locator("h1 .native").inner_text(), "Мурманск")

    def test_exported_csv_holds_the_rows_of_the_filtered_page(self):
        page = self.visit("/meetings/?country=NO&sort=date")
        on_page = self.table_slugs()
        with page.expect_download() as download:
            page.get_by_role("link", name="Export CSV").click()
        self.assertEqual(download.value.suggested_filename, "meetings-country-no-sort-date.csv")
        with open(download.value.path(), encoding="utf-8-sig") as f:
            exported = [f"/meetings/{row['Slug']}/" for row in csv.DictReader(io.StringIO(f.read()))]
        self.assertEqual(exported, on_page)
        self.assertTrue(on_page)

    def test_persian_reads_right_to_left_and_other_scripts_survive(self):
        page = self.visit("/meetings/gilan-astrakhan-governors-meeting-2023/")
        quote = page.locator("blockquote[lang=fa]").first
        self.assertEqual(quote.evaluate("el => getComputedStyle(el).direction"), "rtl")
        self.assertIn("Farvardin 1402", page.locator("dl.facts").inner_text())
        page = self.visit("/meetings/narvik-town-hall-meeting-2019/")
        self.assertIn("Skjønnås", page.content())
        self.assertIn("Мурманск", self.visit("/cities/murmansk/").content())

    def test_every_page_type_passes_axe_and_is_photographed(self):
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for name, path in PAGE_TYPES.items():
            with self.subTest(page=name):
                self.visit(path)
                results = axe.run(self.page)
                grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
                self.assertEqual(grave, [], f"{path}: {[(v['id'], v['impact'], v['help']) for v in grave]}")
                self.screenshot(name)
        self.page.set_viewport_size({"width": 390, "height": 844})
        for name in ("meeting-list", "meeting", "partnership"):
            self.visit(PAGE_TYPES[name])
            self.screenshot(f"{name}-phone")
            width = self.page.evaluate("document.documentElement.scrollWidth")
            self.assertLessEqual(width, 390, f"{name} overflows a phone screen")
