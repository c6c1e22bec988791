"""Read replicas: readers' pages read a replica, writes and whoever must read their own writes the primary.

The decisions are tested everywhere; the routing itself against a real
PostgreSQL streaming replica of the test database, which `make test-replica`
starts (and CI runs): with DATABASE_REPLICA_URLS unset those tests skip.
"""

import time
import unittest

from django.contrib.auth.models import User
from django.db import connections
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from partnerships.models import Topic
from scaling.routers import ReplicaRouter, primary_only, reads_from_replicas, replica_aliases

REPLICAS = replica_aliases()


class DecisionTests(SimpleTestCase):
    def test_only_a_readers_get_of_a_public_page_may_read_a_replica(self):
        factory = RequestFactory()
        self.assertTrue(reads_from_replicas(factory.get("/meetings/")))
        self.assertTrue(reads_from_replicas(factory.head("/meetings/?format=csv")))
        self.assertFalse(reads_from_replicas(factory.post("/meetings/")))
        self.assertFalse(reads_from_replicas(factory.get("/admin/")))
        with_session = factory.get("/meetings/")
        with_session.COOKIES["sessionid"] = "abc"
        self.assertFalse(reads_from_replicas(with_session))

    def test_a_write_sends_the_rest_of_the_request_to_the_primary(self):
        router = ReplicaRouter()
        token = primary_only.set(False)
        try:
            router.db_for_write(Topic)
            self.assertEqual(router.db_for_read(Topic), "default")
        finally:
            primary_only.reset(token)

    def test_outside_a_request_everything_reads_the_primary(self):
        self.assertEqual(ReplicaRouter().db_for_read(Topic), "default")
        self.assertFalse(ReplicaRouter().allow_migrate("replica1", "partnerships"))


@unittest.skipUnless(REPLICAS, "no DATABASE_REPLICA_URLS: `make test-replica` runs these against a real replica")
class RealReplicaTests(TransactionTestCase):
    databases = {"default", *REPLICAS}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with connections[REPLICAS[0]].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            if not cursor.fetchone()[0]:
                raise AssertionError(f"{REPLICAS[0]} is not a standby: it would not prove replication")

    def wait_for_replica(self, slug):
        """Until the replica has replayed the primary's write (a streaming replica lags by milliseconds)."""
        for _ in range(100):
            if Topic.objects.using(REPLICAS[0]).filter(slug=slug).exists():
                return
            time.sleep(0.05)
        self.fail(f"the replica never showed topic {slug}")

    def queries(self, alias, path, **headers):
        with CaptureQueriesContext(connections[alias]) as captured:
            response = self.client.get(path, **headers)
            content = b"".join(response.streaming_content) if response.streaming else response.content
        return response, content, len(captured)

    def test_a_reader_reads_the_replica_and_its_export_streams_from_it(self):
        Topic.objects.create(slug="replicated", name="Replicated topic")
        self.wait_for_replica("replicated")
        for path in ("/topics/", "/topics/?format=csv", "/topics/replicated/"):
            with self.subTest(path=path):
                response, content, on_primary = self.queries("default", path)
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"Replicated topic", content)
                self.assertEqual(on_primary, 0)
                self.assertGreater(self.queries(REPLICAS[0], path)[2], 0)

    def test_an_editor_reads_the_primary_right_after_a_write(self):
        editor = User.objects.create_superuser("editor", "e@example.org", "pw-not-used-1")
        self.client.force_login(editor)
        topic = Topic.objects.create(slug="fresh", name="Fresh topic")
        # No waiting for the replica: an editor's page must show the write at once.
        response, content, on_replica = self.queries(REPLICAS[0], f"/topics/{topic.slug}/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Fresh topic", content)
        self.assertEqual(on_replica, 0)
