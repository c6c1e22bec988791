"""Management commands given a missing file, a wrong format or a half-broken file say so, exit non-zero
and change nothing."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from partnerships.models import Meeting, Place, Topic

ROOT = Path(__file__).resolve().parent.parent
GOOD = [
    {"model": "partnerships.topic", "fields": {"slug": "ports", "name": "Ports"}},
    {"model": "partnerships.topic", "fields": {"slug": "shipping", "name": "Shipping", "parent": ["ports"]}},
]


class LoadCatalogueTests(TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, content):
        path = self.dir / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return str(path)

    def counts(self):
        return Topic.objects.count(), Place.objects.count(), Meeting.objects.count()

    def assertRefused(self, files, message):
        before = self.counts()
        with self.assertRaisesMessage(CommandError, message) as raised:
            call_command("load_catalogue", *files, verbosity=0)
        self.assertIn("othing was", str(raised.exception))  # "Nothing was loaded" / "nothing was changed"
        self.assertEqual(self.counts(), before)

    def test_a_good_file_loads(self):
        call_command("load_catalogue", self.write("topics.json", json.dumps(GOOD)), verbosity=0)
        self.assertEqual(Topic.objects.get(slug="shipping").parent.slug, "ports")

    def test_a_missing_file(self):
        self.assertRefused([self.write("topics.json", json.dumps(GOOD)), str(self.dir / "nope.json")],
                           "nope.json: no such file.")

    def test_a_file_in_another_format(self):
        self.assertRefused([self.write("places.csv", "slug,name\nnarvik,Narvik\n")], "not a JSON fixture")
        self.assertRefused([self.write("places.json", "slug,name\nnarvik,Narvik\n")],
                           "not valid JSON (line 1, column 1: Expecting value)")
        self.assertRefused([self.write("latin1.json", "[{\"model\": \"Tromsø\"}]".encode("latin-1"))],
                           "not UTF-8 text")
        self.assertRefused([self.write("object.json", json.dumps({"model": "partnerships.topic"}))],
                           "not a fixture: expected a list of records")

    def test_a_half_broken_file_changes_nothing(self):
        broken = GOOD + [
            {"model": "partnerships.topic", "fields": {"slug": "trade", "name": "Trade", "parent": ["no-such-topic"]}}
        ]
        self.assertRefused([self.write("broken.json", json.dumps(broken))], "Loading failed and nothing was changed")
        truncated = json.dumps(GOOD)[:-20]
        self.assertRefused([self.write("truncated.json", truncated)], "not valid JSON")
        unknown = GOOD + [{"model": "partnerships.spaceship", "fields": {}}]
        self.assertRefused([self.write("unknown.json", json.dumps(unknown))], "Invalid model identifier")
        invalid = GOOD + [{"model": "partnerships.place", "fields": {"slug": "x", "name": "X", "level": "city",
                                                                      "country": "NO", "latitude": 91,
                                                                      "longitude": 0}}]
        self.assertRefused([self.write("invalid.json", json.dumps(invalid))], "place_coordinates_valid")
        self.assertFalse(Topic.objects.filter(slug="ports").exists())

    def test_the_command_line_exits_non_zero_with_the_message(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "load_catalogue", str(self.dir / "missing.json")],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "DJANGO_DEBUG": "1"},
        )
        self.assertEqual(result.returncode, 1)
        self.assertIn("missing.json: no such file. Nothing was loaded.", result.stderr)
