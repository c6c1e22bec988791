"""Browser tests' base: Debian's Chromium driven by Playwright against a live server.

Without a Chromium the tests are skipped with a loud message, unless
REQUIRE_BROWSER is set (CI sets it), in which case they fail.
"""

import os
import shutil
import sys
import unittest
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def csp_violations(page):
    """A list that fills with the Content-Security-Policy violations the page reports on its console."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


def missing_browser():
    """Why browser tests cannot run here, or "" when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return ""


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server holding the curated catalogue, and a Chromium page to drive it."""

    @classmethod
    def setUpClass(cls):
        reason = missing_browser()
        if reason:
            if os.environ.get("REQUIRE_BROWSER"):
                raise RuntimeError(f"Browser tests are required (REQUIRE_BROWSER) but {reason}.")
            print(f"\n{'!' * 70}\n!! BROWSER TESTS SKIPPED: {reason}\n{'!' * 70}", file=sys.stderr)
            raise unittest.SkipTest(f"BROWSER TESTS SKIPPED: {reason}")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        call_command("load_catalogue", verbosity=0)
        self.context = self.browser.new_context(accept_downloads=True, bypass_csp=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)

    def tearDown(self):
        self.context.close()

    def visit(self, path):
        response = self.page.goto(self.live_server_url + path)
        self.assertEqual(response.status, 200, path)
        return self.page

    def screenshot(self, name):
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
