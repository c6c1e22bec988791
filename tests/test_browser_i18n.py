"""Every page type in every language in a real browser: accessibility, direction, switching, screenshots."""

from tests.browser import BrowserTestCase
from tests.test_browser import PAGE_TYPES

LANGUAGES = ["nb", "ru", "fa", "zh-hans"]
PAGES = {**PAGE_TYPES, "map": "/map/", "api-reference": "/api/", "downloads": "/downloads/"}


class LanguagesInTheBrowserTests(BrowserTestCase):
    def test_every_page_type_in_every_language_passes_axe_and_is_photographed(self):
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for language in LANGUAGES:
            for name, path in PAGES.items():
                with self.subTest(language=language, page=name):
                    self.visit(f"/{language}{path}")
                    direction = self.page.evaluate("getComputedStyle(document.body).direction")
                    self.assertEqual(direction, "rtl" if language == "fa" else "ltr")
                    results = axe.run(self.page)
                    grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
                    self.assertEqual(grave, [], f"{language}{path}: {[(v['id'], v['help']) for v in grave]}")
                    self.screenshot(f"{language}-{name}")

    def test_switching_language_keeps_the_page_and_its_filters(self):
        page = self.visit("/meetings/?topic=health-care&country=CN&sort=title")
        page.locator("nav.languages").get_by_role("link", name="Русский").click()
        self.assertTrue(page.url.endswith("/ru/meetings/?topic=health-care&country=CN&sort=title"), page.url)
        self.assertEqual(page.locator("h1").inner_text(), "Встречи и визиты")
        page.locator("nav.languages").get_by_role("link", name="فارسی").click()
        self.assertTrue(page.url.endswith("/fa/meetings/?topic=health-care&country=CN&sort=title"), page.url)
        page.locator("nav.languages").get_by_role("link", name="English").click()
        self.assertTrue(page.url.endswith("/meetings/?topic=health-care&country=CN&sort=title"), page.url)
        self.assertNotIn("/ru/", page.url)
        self.assertEqual(page.locator("h1").inner_text(), "Meetings and visits")  # no redirect back: a link within

    def test_persian_meeting_page_reads_the_solar_hijri_date_first(self):
        page = self.visit("/fa/meetings/caspian-sea-of-friendship-exhibition-visit-2023/")
        when = page.locator("dl.facts dd").first.inner_text()
        self.assertIn("۱۸ فروردین ۱۴۰۲", when)
        self.assertIn("(۷ آوریل ۲۰۲۳)", when)
        self.assertEqual(page.locator("dl.facts").evaluate("el => getComputedStyle(el).direction"), "rtl")

    def test_russian_facets_count_in_the_right_plural_forms(self):
        page = self.visit("/ru/meetings/")
        titles = [t.get_attribute("title") for t in page.locator(".facet .count").all()]
        self.assertIn("1 встреча", titles)
        self.assertIn("2 встречи", titles)
        self.assertIn("5 встреч", titles)

    def test_the_map_script_speaks_the_page_language(self):
        page = self.visit("/ru/map/")
        self.assertEqual(page.locator(".map-zoom button").first.get_attribute("aria-label"), "Приблизить")
        page.locator("#map-year").select_option("2016")
        page.wait_for_function("document.querySelector('[data-map-caption]').textContent.includes('2016 г.')")
        self.assertIn("партнёрств", page.locator("#map-caption").inner_text())
