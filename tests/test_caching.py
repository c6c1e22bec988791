"""HTTP validators: public pages and exports carry an ETag and Last-Modified that every write moves on,
answer conditional requests with 304, and let a shared cache keep them briefly; nothing private is."""

import os
import shutil
import tempfile
import threading
import time

from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from partnerships.models import Meeting, Topic
from scaling import exports
from scaling.middleware import RENDERING, CatalogueCacheMiddleware
from tests.base import CatalogueTestCase
from tests.runner import NO_PAGE_CACHE
from tests.test_admin import form_data


class ValidatorTests(CatalogueTestCase):
    def validators(self, path="/meetings/"):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return response["ETag"], response["Last-Modified"]

    def test_a_public_page_is_cacheable_by_a_shared_cache_and_revalidated_by_browsers(self):
        response = self.client.get("/meetings/")
        self.assertTrue(response["ETag"].startswith('W/"'))
        self.assertIn("Last-Modified", response)
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        self.assertEqual(directives, {"public", "max-age=0", "s-maxage=60"})
        self.assertIn("Cookie", response["Vary"])

    def test_an_unchanged_catalogue_answers_304_without_a_body(self):
        etag, last_modified = self.validators()
        response = self.client.get("/meetings/?country=RU", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 304)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["ETag"], etag)
        self.assertEqual(self.client.get("/cities/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code, 304)

    def test_exports_have_validators_too(self):
        etag, _ = self.validators("/meetings/?format=csv")
        self.assertEqual(self.client.get("/meetings/?format=csv", HTTP_IF_NONE_MATCH=etag).status_code, 304)

    def test_every_kind_of_write_changes_the_validator(self):
        writes = [
            lambda: Meeting.objects.filter(slug="narvik-town-hall-meeting-2019").update(title="Changed"),
            lambda: Topic.objects.create(slug="new-topic", name="New topic"),
            lambda: Topic.objects.filter(slug="new-topic").delete(),
            lambda: Meeting.objects.get(slug="narvik-town-hall-meeting-2019").topics.clear(),
        ]
        for write in writes:
            etag, _ = self.validators()
            write()
            self.assertNotEqual(self.validators()[0], etag)
            self.assertEqual(self.client.get("/meetings/", HTTP_IF_NONE_MATCH=etag).status_code, 200)

    def test_a_raw_sql_write_changes_the_validator(self):
        etag, _ = self.validators()
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Topic._meta.db_table} SET name = name || '.' WHERE slug = 'history'")
        self.assertNotEqual(self.validators()[0], etag)

    def test_an_admin_save_changes_the_validator(self):
        etag, _ = self.validators()
        self.client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw-not-used-1"))
        url = f"/admin/partnerships/topic/{Topic.objects.get(slug='history').pk}/change/"
        data = form_data(self.client.get(url))
        data["name"] = "History (renamed)"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.client.logout()
        self.assertEqual(Topic.objects.get(slug="history").name, "History (renamed)")
        self.assertNotEqual(self.validators()[0], etag)


PAGE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-test"},
}


@override_settings(CACHES=PAGE_CACHE)
class PageCacheTests(CatalogueTestCase):
    def queries(self, path):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        return response, len(captured)

    def test_a_page_asked_again_is_served_from_memory_until_the_catalogue_changes(self):
        first, queries = self.queries("/meetings/?country=RU")
        self.assertGreater(queries, 3)
        again, queries = self.queries("/meetings/?country=RU")
        self.assertEqual(queries, 1)  # the version, for the validator and the page's key
        self.assertEqual(again.content, first.content)
        Meeting.objects.filter(slug="murmansk-emergency-hospital-visit-2016").update(title="Renamed visit")
        changed, queries = self.queries("/meetings/?country=RU")
        self.assertGreater(queries, 3)
        self.assertContains(changed, "Renamed visit")

    def test_what_chooses_a_pages_bytes_is_part_of_its_key(self):
        plain = self.client.get("/map/")
        zipped = self.client.get("/map/", HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(zipped["Content-Encoding"], "gzip")
        self.assertNotIn("Content-Encoding", self.client.get("/map/"))
        self.assertEqual(self.client.get("/map/").content, plain.content)


class SharedPageCacheTests(CatalogueTestCase):
    """The production setting: pages kept as files that every web process of the machine reads."""

    def setUp(self):
        self.directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.directory)
        shared = {**PAGE_CACHE, "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                          "LOCATION": self.directory, "TIMEOUT": None}}
        self.enterContext(override_settings(CACHES=shared))

    def test_a_page_rendered_by_one_process_serves_another(self):
        first = self.client.get("/partnerships/?country=NO")
        self.assertTrue(os.listdir(self.directory))
        # Another worker process: its own cache object over the same directory, nothing in memory.
        caches.close_all()
        del caches["pages"]
        with CaptureQueriesContext(connection) as captured:
            again = self.client.get("/partnerships/?country=NO")
        self.assertEqual(len(captured), 1)  # the version only
        self.assertEqual(again.content, first.content)
        Meeting.objects.filter(slug="murmansk-emergency-hospital-visit-2016").update(title="Renamed visit")
        with CaptureQueriesContext(connection) as captured:
            self.client.get("/partnerships/?country=NO")
        self.assertGreater(len(captured), 3)


class PrivateResponseTests(TestCase):
    def test_the_admin_and_anyone_with_a_session_get_no_validator(self):
        self.client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw-not-used-1"))
        for path in ("/admin/", "/meetings/"):
            response = self.client.get(path)
            self.assertNotIn("ETag", response, path)
            self.assertIn("private", response["Cache-Control"], path)

    def test_health_checks_and_errors_are_never_cached(self):
        response = self.client.get("/healthz")
        self.assertNotIn("ETag", response)
        response = self.client.get("/cities/no-such-place/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("ETag", response)


class ExportDirectoryMixin:
    """An empty directory for kept export files (`self.directory`), and an empty page cache."""

    def setUp(self):
        self.directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.directory)
        caches["pages"].clear()


@override_settings(CACHES=PAGE_CACHE)
class ExportFileTests(ExportDirectoryMixin, CatalogueTestCase):

    def export(self, path):
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path)
            body = b"".join(response.streaming_content)
        return response, body, len(captured)

    def test_an_export_streamed_to_the_end_is_served_from_its_file_until_the_catalogue_changes(self):
        with self.settings(EXPORT_CACHE_DIR=self.directory):
            first, body, queries = self.export("/meetings/?format=csv")
            self.assertGreater(queries, 1)
            self.assertEqual(len(os.listdir(self.directory)), 1)
            again, cached, queries = self.export("/meetings/?format=csv")
            self.assertEqual(queries, 1)  # the version
            self.assertEqual(cached, body)
            self.assertEqual(again["Content-Type"], first["Content-Type"])
            self.assertEqual(again["Content-Disposition"], first["Content-Disposition"])
            Meeting.objects.filter(slug="murmansk-emergency-hospital-visit-2016").update(title="Renamed visit")
            changed, body, queries = self.export("/meetings/?format=csv")
            self.assertGreater(queries, 1)
            self.assertIn(b"Renamed visit", body)
            self.assertEqual(len(os.listdir(self.directory)), 1)  # the earlier version's file is gone


@override_settings(CACHES=PAGE_CACHE)
class ExportFileUnitTests(ExportDirectoryMixin, SimpleTestCase):
    """The file an export leaves, on a stream of bytes (no database: a reader stopping half-way)."""

    def stream(self):
        response = StreamingHttpResponse(iter([b"a,b\r\n", b"1,2\r\n", b"3,4\r\n"]), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="rows.csv"'
        with self.settings(EXPORT_CACHE_DIR=self.directory):
            exports.keep(response, "page:key", 'W/"7-abc"')
        return response

    def test_a_reader_stopping_half_way_leaves_nothing_behind(self):
        with self.settings(EXPORT_CACHE_DIR=self.directory):
            response = self.stream()
            next(iter(response.streaming_content))
            response.close()
            self.assertEqual(os.listdir(self.directory), [])
            self.assertIsNone(exports.served(caches["pages"].get("page:key")))

    def test_a_stream_read_to_the_end_is_served_again_from_its_file(self):
        with self.settings(EXPORT_CACHE_DIR=self.directory):
            response = self.stream()
            body = b"".join(response.streaming_content)
            response.close()
            again = exports.served(caches["pages"].get("page:key"))
            self.assertEqual(b"".join(again.streaming_content), body)
            again.close()
            self.assertEqual(again["Content-Disposition"], 'attachment; filename="rows.csv"')
            self.assertEqual(os.listdir(self.directory), ["7-abc-key"])


@override_settings(CACHES=PAGE_CACHE)
class OneRenderingAtATimeTests(ExportDirectoryMixin, SimpleTestCase):
    """Readers asking at once for a page not yet in the cache: one thread renders it, the others wait for it."""

    READERS = 6

    def setUp(self):
        super().setUp()
        self.rendered = 0
        self.lock = threading.Lock()

    def ask_at_once(self, render):
        """Each reader's response body, asked for by READERS threads at once through the cache middleware."""
        def get_response(request):
            with self.lock:
                self.rendered += 1
            time.sleep(0.2)  # long enough for every reader to arrive while the first renders
            return render()

        middleware = CatalogueCacheMiddleware(get_response)
        request = RequestFactory().get("/meetings/")
        bodies = [None] * self.READERS

        def reader(i):
            response, _cacheable = middleware.cached_or_rendered(request, "page:meetings", 'W/"1-a"')
            bodies[i] = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()

        with self.settings(EXPORT_CACHE_DIR=self.directory):
            threads = [threading.Thread(target=reader, args=(i,)) for i in range(self.READERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(RENDERING.entries, {})  # every turn given back
        return bodies

    def test_a_page_is_rendered_once_for_readers_asking_at_once(self):
        bodies = self.ask_at_once(lambda: HttpResponse(b"<p>meetings</p>"))
        self.assertEqual(self.rendered, 1)
        self.assertEqual(bodies, [b"<p>meetings</p>"] * self.READERS)

    def test_an_export_is_streamed_once_and_the_others_read_its_file(self):
        bodies = self.ask_at_once(lambda: StreamingHttpResponse(iter([b"a,b\r\n", b"1,2\r\n"])))
        self.assertEqual(self.rendered, 1)
        self.assertEqual(bodies, [b"a,b\r\n1,2\r\n"] * self.READERS)

    def test_an_error_is_not_shared_and_gives_the_turn_back(self):
        bodies = self.ask_at_once(lambda: HttpResponse(b"busy", status=503))
        self.assertEqual(self.rendered, self.READERS)  # each reader tried for itself
        self.assertEqual(bodies, [b"busy"] * self.READERS)

    def test_without_a_page_cache_nobody_waits(self):
        with override_settings(CACHES=NO_PAGE_CACHE):
            started = time.monotonic()
            self.ask_at_once(lambda: HttpResponse(b"<p>meetings</p>"))
            self.assertLess(time.monotonic() - started, 0.2 * self.READERS / 2)
        self.assertEqual(self.rendered, self.READERS)
