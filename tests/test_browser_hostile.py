"""In Chromium: hostile records run no script anywhere, and no page breaks its Content-Security-Policy.

The first test turns the Content-Security-Policy off (as the other browser tests do), so that it proves
the escaping alone keeps every script from running; the second turns it on and checks that the site and
the admin, used as an editor uses them, need nothing it forbids.
"""

from django.contrib.auth.models import User

from tests.browser import BrowserTestCase, csp_violations
from tests.test_hostile_content import PUBLIC_PAGES, hostile_catalogue

PASSWORD = "a long and unusual passphrase"


class HostileContentInBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.records = hostile_catalogue()
        User.objects.create_superuser("root", password=PASSWORD)
        self.dialogs = []
        self.page.on("dialog", self.dismiss_dialog)

    def dismiss_dialog(self, dialog):
        """An alert() that ran: noted, and dismissed so that the page goes on."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def log_in(self):
        self.visit("/admin/login/")
        self.page.get_by_label("Username").fill("root")
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/admin/")

    def assertNothingRan(self, path):
        self.page.wait_for_timeout(50)  # let any error handler of a broken image fire
        self.assertEqual(self.dialogs, [], path)
        self.assertIsNone(self.page.evaluate("window.__pwned"), path)
        self.assertEqual(self.page.locator("a[href^='javascript:' i]").count(), 0, path)
        self.assertEqual(self.page.locator("img[src='x']").count(), 0, path)

    def test_no_script_runs_on_public_pages_or_in_the_admin(self):
        for path in PUBLIC_PAGES:
            with self.subTest(path=path):
                self.visit(path)
                self.assertNothingRan(path)
        self.visit("/meetings/hostile-meeting/")
        self.assertIn("Meeting <script>window.__pwned = 1;", self.page.locator("h1").inner_text())
        self.visit("/sources/hostile-source/")
        self.page.get_by_text("javascript:window.__pwned").click()
        self.assertNothingRan("clicked the source's address")
        self.screenshot("hostile-meeting")

        self.log_in()
        for record in self.records.values():
            opts = record._meta
            for path in (f"/admin/{opts.app_label}/{opts.model_name}/",
                         f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"):
                with self.subTest(path=path):
                    self.visit(path)
                    self.assertNothingRan(path)
        self.visit(f"/admin/partnerships/meeting/{self.records['meeting'].pk}/change/")
        self.page.locator("#id_summary").fill("<script>window.__pwned = 2; alert('history')</script>")
        self.page.get_by_role("button", name="Save and continue editing").click()
        self.page.wait_for_load_state()
        self.visit(f"/admin/partnerships/meeting/{self.records['meeting'].pk}/history/")
        self.assertNothingRan("history")
        self.assertIn("→ <script>window.__pwned = 2;", self.page.locator("#change-history").inner_text())
        self.screenshot("hostile-admin-history")


class ContentSecurityPolicyInBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        User.objects.create_superuser("root", password=PASSWORD)
        self.context.close()
        self.context = self.browser.new_context()  # the policy enforced
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.violations = csp_violations(self.page)

    def test_the_site_and_the_admin_work_within_the_policy(self):
        for path in ("/", "/meetings/", "/meetings/gilan-astrakhan-governors-meeting-2023/",
                     "/sources/gilan-astrakhan-2023/", "/search/?q=harbin"):
            self.page.goto(self.live_server_url + path)
        self.page.goto(self.live_server_url + "/admin/login/")
        self.page.get_by_label("Username").fill("root")
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/admin/")

        # A change form with autocompletes, inlines, collapsed fieldsets, a date hierarchy and a prepopulated slug.
        self.page.goto(self.live_server_url + "/admin/partnerships/meeting/")
        self.page.locator("#result_list tbody a").first.click()
        self.page.locator(".select2-selection").first.click()  # the autocomplete asks the server
        self.page.locator(".select2-container--open .select2-search__field").fill("mur")
        self.page.locator(".select2-results__option").first.wait_for()
        self.page.keyboard.press("Escape")
        self.page.locator("fieldset.collapse summary, fieldset.collapse h2 a").first.click()
        self.page.goto(self.live_server_url + "/admin/partnerships/place/add/")
        self.page.get_by_label("Name:", exact=True).press_sequentially("Tromsø")
        self.assertTrue(self.page.locator("#id_slug").input_value().startswith("troms"), self.violations)
        self.page.locator(".add-row a").first.click()  # a new inline row, added by script
        self.page.goto(self.live_server_url + "/admin/partnerships/revision/")
        self.page.wait_for_timeout(100)
        self.assertEqual(self.violations, [])
