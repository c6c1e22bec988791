"""The open data bundled in data/: unaltered copies, as data/README.md states, read compressed by the importers."""

import gzip
import hashlib
import io
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from partnerships.models import Partnership, Place
from tests.base import CatalogueTestCase
from tests.test_import_twin_towns import SNIPPET, snapshot

DATA = Path(settings.BASE_DIR) / "data"


class BundledDataTests(SimpleTestCase):
    def test_every_file_is_the_upstream_file_its_readme_names(self):
        readme = (DATA / "README.md").read_text(encoding="utf-8")
        stated = dict(re.findall(r"^\| `([\w.]+\.gz)` \| [^|]+ \| `([0-9a-f]{64})` \|$", readme, re.MULTILINE))
        self.assertEqual(set(stated), {p.name for p in DATA.glob("*.gz")}, "every bundled file is described")
        for name, digest in stated.items():
            with self.subTest(name=name):
                data = (DATA / name).read_bytes()
                self.assertEqual(hashlib.sha256(gzip.decompress(data)).hexdigest(), digest)
                # gzip -9n: no file name or time stamp in the header, so compressing again gives the same bytes.
                self.assertEqual(data[4:8], b"\0\0\0\0", "no time stamp")
                self.assertFalse(data[3] & 0x08, "no file name")

    def test_the_bundle_stays_small(self):
        self.assertLess(sum(p.stat().st_size for p in DATA.glob("*.gz")), 5_000_000)


class CompressedFileTests(CatalogueTestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_import(self, path):
        out = io.StringIO()
        call_command("import_twin_towns", str(path), stdout=out)
        return out.getvalue()

    def test_a_gzip_file_imports_like_the_plain_one(self):
        path = Path(self.tmp.name) / "twin_towns_sample.csv.gz"
        path.write_bytes(gzip.compress(SNIPPET.encode("utf-8")))
        output = self.run_import(path)
        self.assertRegex(output, r"rows imported:\s+16\b")
        self.assertTrue(Partnership.objects.filter(slug="rasht-astrakhan").exists())
        # The same file uncompressed is the same dataset source: nothing new.
        plain = Path(self.tmp.name) / "twin_towns_sample.csv"
        plain.write_text(SNIPPET, encoding="utf-8")
        before = snapshot()
        self.run_import(plain)
        self.assertEqual(snapshot(), before)

    def test_a_file_that_is_not_valid_gzip_imports_nothing(self):
        whole = gzip.compress(SNIPPET.encode("utf-8"))
        for name, data in [
            ("not_gzip.csv.gz", SNIPPET.encode("utf-8")),
            ("truncated.csv.gz", whole[: len(whole) // 2]),
            ("damaged.csv.gz", whole[:12] + b"\xff" * 40 + whole[52:]),
        ]:
            with self.subTest(name=name):
                path = Path(self.tmp.name) / name
                path.write_bytes(data)
                before = snapshot()
                with self.assertRaisesMessage(CommandError, "not a valid gzip file"):
                    self.run_import(path)
                self.assertEqual(snapshot(), before)
        self.assertFalse(Place.objects.filter(name="Kikinda").exists())
