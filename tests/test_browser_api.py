"""The API reference page in Chromium with the Content-Security-Policy enforced: it renders and breaks no rule."""

from tests.browser import ARTIFACTS, BrowserTestCase


class ApiReferenceBrowserTests(BrowserTestCase):
    def test_the_reference_renders_under_the_enforced_policy(self):
        context = self.browser.new_context(bypass_csp=False)
        try:
            page = context.new_page()
            refused = []
            page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
            response = page.goto(self.live_server_url + "/api/")
            self.assertEqual(response.status, 200)
            self.assertIn("default-src 'none'", response.headers["content-security-policy"])
            self.assertEqual(page.locator("h2", has_text="GET /api/v1/meetings/").count(), 1)
            self.assertGreater(page.locator("#list_meetings td code").count(), 10)
            self.assertEqual(page.evaluate("document.styleSheets.length"), 1)  # the site's stylesheet, allowed
            self.assertEqual(page.get_by_role("link", name="OpenAPI 3.1.0 document").get_attribute("href"),
                             "/api/v1/openapi.json")
            page.screenshot(path=str(ARTIFACTS / "api-reference.png"), full_page=True)
            self.assertEqual(refused, [])
        finally:
            context.close()

