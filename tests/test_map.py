"""The map and the drawn timelines in a real browser: lines per filter, the year control, small maps, phones, axe."""

from tests import network
from tests.browser import BrowserTestCase, csp_violations


class MapBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        network.build()

    def drawn(self):
        """Lines on the map as the browser has them: the svg's count, and the path's own pieces."""
        svg = self.page.locator("#network-map")
        pieces = self.page.locator("#network-map path.lines:not(.undated)").get_attribute("d").count("M")
        return int(svg.get_attribute("data-lines")), pieces

    def wait_for_lines(self, n):
        self.page.wait_for_function(f"document.querySelector('#network-map').dataset.lines === '{n}'")

    def test_the_map_draws_a_line_per_partnership_of_the_filter(self):
        page = self.visit("/map/?country=NO")
        self.assertEqual(self.drawn(), (3, 3))
        # The curated Kazakhstan–Narvik counts too, but has no coordinates (its sources give none).
        caption = page.locator("#map-caption").inner_text()
        self.assertIn("4 partnerships between 6 located places, drawn as 3 lines", caption)
        self.assertIn("1 not drawn: a place has no coordinates yet", caption)
        # The country outlines come from the static file and are drawn.
        self.assertGreater(page.locator("#network-map use.land").bounding_box()["width"], 500)
        self.screenshot("map-norway")

        page = self.visit("/map/?country=FR")
        self.assertEqual(self.drawn(), (3, 3))
        self.assertIn("1 not drawn: a place has no coordinates yet", page.locator("#map-caption").inner_text())

    def test_the_year_control_changes_what_is_drawn(self):
        page = self.visit("/map/?country=NO&year=2012")
        self.assertEqual(self.drawn(), (3, 3))
        page.get_by_label("Network in").select_option("1995")
        self.wait_for_lines(1)  # only Oslo–Lyon (1990) stood in 1995
        self.assertIn("year=1995", page.url)
        self.assertIn("in 1995", page.locator("#map-caption").inner_text())
        self.assertEqual(page.locator("[data-top-places] a").all_inner_texts(), ["Lyon", "Oslo"])
        page.get_by_label("Network in").select_option("2021")
        self.wait_for_lines(2)  # Tromsø–Kyoto ended in 2020
        self.screenshot("map-norway-2021")

        # Undated Lyon–Boston: left out of a year until asked for, then drawn dashed.
        page = self.visit("/map/?country=FR&year=2021")
        self.assertEqual(self.drawn(), (2, 2))
        page.get_by_label("with undated partnerships").check()
        self.wait_for_lines(3)
        undated = page.locator("#network-map path.lines.undated").get_attribute("d")
        self.assertEqual(undated.count("M"), 1)

    def test_the_year_control_works_without_script(self):
        context = self.browser.new_context(java_script_enabled=False)
        page = context.new_page()
        try:
            page.goto(self.live_server_url + "/map/?country=NO")
            self.assertEqual(page.locator("#network-map").get_attribute("data-lines"), "3")
            page.get_by_label("Network in").select_option("1995")
            page.get_by_role("button", name="Show").click()
            page.wait_for_url("**year=1995**")
            self.assertEqual(page.locator("#network-map").get_attribute("data-lines"), "1")
            page.get_by_role("link", name="1996 ›").click()
            self.assertIn("year=1996", page.url)
        finally:
            context.close()

    def test_the_script_runs_under_the_sites_content_security_policy(self):
        context = self.browser.new_context()  # without the base class's bypass_csp
        page = context.new_page()
        blocked = csp_violations(page)
        try:
            page.goto(self.live_server_url + "/map/?country=NO")
            page.get_by_role("button", name="Zoom in").wait_for()  # map.js ran
            page.get_by_label("Network in").select_option("1995")
            page.wait_for_selector("#network-map[data-lines='1']")  # and fetched the data
            self.assertGreater(page.locator("#network-map use.land").bounding_box()["width"], 500)
            page.goto(self.live_server_url + "/cities/tromso/")
            self.assertGreater(page.locator(".small-map use.land").first.bounding_box()["width"], 100)
            self.assertEqual(blocked, [])
        finally:
            context.close()

    def test_zoom_buttons_and_tooltips(self):
        page = self.visit("/map/?country=NO")
        svg = page.locator("#network-map")
        whole = svg.get_attribute("viewBox")
        page.get_by_role("button", name="Zoom in").click()
        self.assertNotEqual(svg.get_attribute("viewBox"), whole)
        page.get_by_role("button", name="Reset the view").click()
        self.assertEqual(svg.get_attribute("viewBox"), whole)
        # Point at Tromsø: the tooltip names it, from the JSON data.
        box = svg.bounding_box()
        x0, y0, w, _ = (float(v) for v in whole.split())
        scale = box["width"] / w
        tromso = (box["x"] + ((18.96 + 180) * 10 - x0) * scale, box["y"] + ((90 - 69.65) * 10 - y0) * scale)
        with page.expect_response("**/map/data.json**"):
            page.mouse.move(*tromso)  # the first pointing fetches the names
        page.wait_for_timeout(100)
        page.mouse.move(tromso[0] + 1, tromso[1])
        tip = page.locator(".map-tip")
        tip.wait_for(state="visible")
        self.assertIn("Tromsø (NO), 1 partner", tip.inner_text())

    def test_place_and_partnership_pages_show_a_small_map_and_a_timeline(self):
        page = self.visit("/cities/tromso/")
        self.assertEqual(page.locator(".small-map path.dot").count(), 2)
        self.assertEqual(page.locator(".small-map text").all_text_contents(), ["Tromsø", "Kyoto"])
        self.assertEqual(page.locator(".chart .lane-status rect.mark").count(), 2)
        self.screenshot("place-with-map-and-timeline")

        page = self.visit("/partnerships/oslo-lyon/")
        self.assertEqual(page.locator(".small-map path.dot.here").count(), 2)
        self.assertEqual(page.locator(".small-map path.lines").get_attribute("d").count("M"), 1)
        page = self.visit("/partnerships/harbin-murmansk/")
        self.assertEqual(page.locator(".small-map").count(), 0)  # no coordinates in the curated sources
        lanes = page.locator(".chart .lane .lane-name").all_inner_texts()
        self.assertEqual(lanes, ["Status steps", "Visits", "Meetings", "Agreements and plans"])
        self.assertGreater(page.locator(".chart .mark.planned").count(), 0)
        mark = page.locator(".chart .lane-status .mark").first
        self.assertGreater(mark.bounding_box()["width"], 5)  # "March 2014" is a bar, not a dot
        self.screenshot("partnership-timeline")

    def test_map_passes_axe_and_holds_on_a_phone(self):
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        for path in ("/map/", "/map/?country=FR&year=2021&undated=1", "/cities/tromso/", "/partnerships/oslo-lyon/",
                     "/partnerships/harbin-murmansk/"):
            with self.subTest(path=path):
                self.visit(path)
                results = axe.run(self.page)
                grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
                self.assertEqual(grave, [], f"{path}: {[(v['id'], v['impact'], v['help']) for v in grave]}")
        self.visit("/map/")
        self.screenshot("map")
        self.page.set_viewport_size({"width": 390, "height": 844})
        for name, path in (("map", "/map/"), ("place", "/cities/tromso/"), ("partnership-timeline",
                                                                           "/partnerships/harbin-murmansk/")):
            self.visit(path)
            self.screenshot(f"{name}-phone")
            width = self.page.evaluate("document.documentElement.scrollWidth")
            self.assertLessEqual(width, 390, f"{path} overflows a phone screen")
