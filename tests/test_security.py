"""Safe to put on the internet: production settings, security headers, cookies, login throttling, health."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse

from partnerships.security import ADMIN_POLICY, PUBLIC_POLICY, client_ip
from tests.factories import editor

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long and unusual passphrase"

# What `settings.py` gives without debug, applied to the test run (which has DJANGO_DEBUG=1).
PRODUCTION = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def production_env(**changes):
    """The environment of a production process: no debug, a real secret key, a host name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="partnerships.example.org")
    env.update(changes)
    return {k: v for k, v in env.items() if v is not None}


def run(args, **env_changes):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=production_env(**env_changes), capture_output=True, text=True,
        timeout=120,
    )


class ProductionSettingsTests(TestCase):
    def test_check_deploy_reports_nothing(self):
        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues (0 silenced).", result.stdout)
        self.assertEqual(result.stderr, "")

    def test_production_settings_are_strict(self):
        code = (
            "import json, django; from django.conf import settings; django.setup(); print(json.dumps({n: "
            "getattr(settings, n) for n in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
            "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', "
            "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', "
            "'X_FRAME_OPTIONS', 'ALLOWED_HOSTS']}))"
        )
        result = run(["-c", code], DJANGO_SETTINGS_MODULE="config.settings")
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertEqual(values, {
            "DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
            "SESSION_COOKIE_HTTPONLY": True, "CSRF_COOKIE_HTTPONLY": True, "SECURE_SSL_REDIRECT": True,
            "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            "SECURE_CONTENT_TYPE_NOSNIFF": True, "SECURE_REFERRER_POLICY": "same-origin", "X_FRAME_OPTIONS": "DENY",
            "ALLOWED_HOSTS": ["partnerships.example.org"],
        })

    def test_refuses_to_start_without_a_secret_key(self):
        result = run(["manage.py", "check"], DJANGO_SECRET_KEY=None)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.", result.stderr)

    def test_refuses_malformed_values(self):
        for name, value, message in [
            ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be a boolean"),
            ("DJANGO_HSTS_SECONDS", "a year", "DJANGO_HSTS_SECONDS must be a whole number"),
            ("DJANGO_LOGIN_FAILURE_LIMIT", "5.5", "DJANGO_LOGIN_FAILURE_LIMIT must be a whole number"),
        ]:
            with self.subTest(name=name):
                result = run(["manage.py", "check"], **{name: value})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn(message, result.stderr)

    def test_without_allowed_hosts_no_host_is_served(self):
        code = "import django; django.setup(); from django.conf import settings; print(settings.ALLOWED_HOSTS)"
        result = run(["-c", code], DJANGO_ALLOWED_HOSTS=None, DJANGO_SETTINGS_MODULE="config.settings")
        self.assertEqual(result.stdout.strip(), "[]")


@override_settings(**PRODUCTION)
class SecurityHeaderTests(TestCase):
    PATHS = ["/", "/meetings/", "/meetings/?format=csv", "/meetings/?format=json", "/search/?q=x", "/healthz",
             "/no-such-page/", "/admin/login/"]

    def test_every_response_carries_the_security_headers(self):
        for path in self.PATHS:
            with self.subTest(path=path):
                with self.assertNoLogs("django.request", "ERROR"):
                    response = self.client.get(path, secure=True)
                self.assertIn(response.status_code, (200, 404))
                self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
                policy = ADMIN_POLICY if path.startswith("/admin/") else PUBLIC_POLICY
                self.assertEqual(response["Content-Security-Policy"], policy)

    def test_the_policy_allows_no_inline_script_or_style(self):
        for policy in (PUBLIC_POLICY, ADMIN_POLICY):
            directives = dict(d.split(" ", 1) for d in policy.split("; "))
            self.assertEqual(directives["default-src"], "'none'")
            self.assertEqual(directives["style-src"], "'self'")
            self.assertEqual(directives["frame-ancestors"], "'none'")
            self.assertNotIn("unsafe", policy)
        self.assertNotIn("script-src", PUBLIC_POLICY)  # falls back to default-src 'none': no script at all
        self.assertIn("script-src 'self'", ADMIN_POLICY)

    def test_plain_http_is_sent_to_https(self):
        with override_settings(SECURE_SSL_REDIRECT=True):
            response = self.client.get("/meetings/?country=NO")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/meetings/?country=NO")

    def test_cookies_are_secure_and_http_only(self):
        User.objects.create_user("editor", password=PASSWORD, is_staff=True)
        self.client.get("/admin/login/", secure=True)
        response = self.client.post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}, secure=True
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        for name in ("sessionid", "csrftoken"):
            with self.subTest(cookie=name):
                cookie = self.client.cookies[name]
                self.assertTrue(cookie["secure"])
                self.assertTrue(cookie["httponly"])
                self.assertEqual(cookie["samesite"], "Lax")


class LoginThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = editor(password=PASSWORD)

    def login(self, password, username="editor", **extra):
        return self.client.post(
            reverse("admin:login") + "?next=/admin/", {"username": username, "password": password}, **extra
        )

    def test_failed_logins_are_logged_and_then_refused_even_with_the_right_password(self):
        with self.assertLogs("axes", "WARNING") as logs:
            for _ in range(4):
                self.assertEqual(self.login("guess").status_code, 200)
            with self.assertLogs("django.request", "WARNING"):
                self.assertEqual(self.login("guess").status_code, 429)  # the fifth failure locks
        self.assertEqual(len(logs.records), 6, logs.output)  # five failures and the lockout
        self.assertTrue(all('username: "editor"' in line for line in logs.output[:5]), logs.output)
        self.assertIn("locking out", logs.output[-1].lower())

        with self.assertLogs("axes", "WARNING"), self.assertLogs("django.request", "WARNING"):
            response = self.login(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertContains(response, "Try again in 15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_successful_login_resets_the_count(self):
        with self.assertLogs("axes", "WARNING"):
            for _ in range(4):
                self.login("guess")
        self.assertRedirects(self.login(PASSWORD), "/admin/", fetch_redirect_response=False)
        self.client.logout()
        with self.assertLogs("axes", "WARNING"):
            for _ in range(4):
                self.assertEqual(self.login("guess").status_code, 200)
        self.assertRedirects(self.login(PASSWORD), "/admin/", fetch_redirect_response=False)

    def test_one_address_trying_many_usernames_is_throttled(self):
        with self.assertLogs("axes", "WARNING"), self.assertLogs("django.request", "WARNING"):
            for n in range(5):
                self.login("guess", username=f"someone-{n}")
            response = self.login(PASSWORD)
        self.assertEqual(response.status_code, 429)

    def test_the_client_address_behind_proxies(self):
        factory = RequestFactory()
        request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
        self.assertEqual(client_ip(request), "10.0.0.2")  # no proxy trusted: the connection's address
        with override_settings(PROXY_COUNT=1):
            self.assertEqual(client_ip(request), "203.0.113.9")  # what the proxy saw; the spoofed hop is ignored
        with override_settings(PROXY_COUNT=3):
            self.assertEqual(client_ip(request), "10.0.0.2")  # fewer hops than proxies: not trusted


class HealthTests(TestCase):
    def test_healthy_when_the_database_answers(self):
        response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.content), (200, b"ok\n"))

    def test_unhealthy_when_the_database_does_not(self):
        broken = mock.MagicMock()
        broken.cursor.side_effect = OperationalError("connection refused")
        with mock.patch("partnerships.views.connection", broken), self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.content), (503, b"database unavailable\n"))

    def test_unhealthy_when_the_query_fails(self):
        cursor = mock.MagicMock()
        cursor.__enter__.return_value.execute.side_effect = OperationalError("server closed the connection")
        broken = mock.MagicMock()
        broken.cursor.return_value = cursor
        with mock.patch("partnerships.views.connection", broken), self.assertLogs("django.request", "ERROR"):
            self.assertEqual(self.client.get("/healthz").status_code, 503)
