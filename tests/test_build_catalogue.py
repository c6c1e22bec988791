"""build_catalogue: the first start builds the catalogue, later starts skip it while nothing has changed.

The world is built here from small files in the layout of data/ (the bundled files themselves take
half a minute; tests/test_bundled_data.py checks that they are what data/README.md says).
"""

import gzip
import io
import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from partnerships.builds.models import CatalogueBuild, Scope
from partnerships.management.commands import build_catalogue
from partnerships.models import Partnership, Place
from tests.test_import_twin_towns import HEADER
from tests.test_import_wikidata import NAMES, RELATIONS
from tests.test_representative_points import GEONAMES

TWIN_TOWNS = "\n".join(
    [
        HEADER,
        "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075",
        "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035",
        "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028",
        "Narvik,Norway,68.4384,17.4272,Kikinda,Serbia,45.8333,20.45",
    ]
) + "\n"


class BuildCatalogueTests(TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.data = Path(tmp.name)
        for name, text in [
            (build_catalogue.TWIN_TOWNS, TWIN_TOWNS),
            (build_catalogue.GEONAMES, GEONAMES),
            (build_catalogue.WIKIDATA_NAMES, NAMES),
            (build_catalogue.WIKIDATA_RELATIONS, RELATIONS),
        ]:
            (self.data / name).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))

    def build(self, *args):
        out = io.StringIO()
        call_command("build_catalogue", "--data", str(self.data), *args, stdout=out)
        return out.getvalue()

    def test_the_curated_catalogue_alone(self):
        output = self.build("--curated")
        self.assertIn("[2] curated catalogue (fixtures/)", output)
        self.assertNotIn("twin towns", output)
        self.assertEqual(Partnership.objects.count(), 3)
        build = CatalogueBuild.objects.get()
        self.assertEqual(build.scope, Scope.CURATED)
        self.assertRegex(build.report, r"\[2\] curated catalogue \(fixtures/\): [\d.]+s")

    def test_the_world_is_built_once_and_each_step_is_timed(self):
        output = self.build()
        for step in ("[1] database schema", "[2] curated catalogue", "[3] twin towns", "[4] gazetteer", "[5] Wikidata"):
            self.assertIn(step, output)
        self.assertRegex(output, r"done in [\d.]+s")
        self.assertRegex(output, r"Catalogue built in [\d.]+s: \d+ places \(\d+ with coordinates\), \d+ partnerships")
        self.assertEqual(Partnership.objects.get(slug="rasht-astrakhan").wikidata_id, "Q178373-Q3927")
        self.assertFalse(Place.objects.filter(slug__in=["gilan", "narvik", "kazakhstan"], latitude=None).exists())
        self.assertIn("Imported", CatalogueBuild.objects.get().report)

        places, partnerships = Place.objects.count(), Partnership.objects.count()
        output = self.build()
        self.assertIn("The catalogue is up to date", output)
        self.assertNotIn("[2]", output)
        self.assertEqual(CatalogueBuild.objects.count(), 1)
        self.assertEqual((Place.objects.count(), Partnership.objects.count()), (places, partnerships))

    def test_a_changed_file_builds_again(self):
        self.build()
        relations = self.data / build_catalogue.WIKIDATA_RELATIONS
        relations.write_bytes(gzip.compress((RELATIONS + "Q490\tQ1763\n").encode(), mtime=0))
        output = self.build()
        self.assertIn("[5] Wikidata", output)
        self.assertEqual(CatalogueBuild.objects.count(), 2)
        self.assertIn("--force", self.build())
        self.assertIn("[3] twin towns", self.build("--force"))

    def test_curated_and_world_are_told_apart(self):
        self.build("--curated")
        self.assertIn("[3] twin towns", self.build())
        self.assertEqual(CatalogueBuild.objects.latest().scope, Scope.WORLD)

    def test_without_the_data_files_it_says_what_to_do(self):
        shutil.rmtree(self.data)
        with self.assertRaisesMessage(CommandError, "--curated builds the curated catalogue alone"):
            self.build()
        self.assertFalse(CatalogueBuild.objects.exists())
        self.build("--curated")
        self.assertEqual(CatalogueBuild.objects.count(), 1)

    def test_the_fingerprint_covers_what_the_build_reads(self):
        world, curated = build_catalogue.fingerprint(Scope.WORLD, self.data), build_catalogue.fingerprint(
            Scope.CURATED, self.data
        )
        self.assertNotEqual(world, curated)
        (self.data / build_catalogue.GEONAMES).write_bytes(gzip.compress(b"changed", mtime=0))
        self.assertNotEqual(build_catalogue.fingerprint(Scope.WORLD, self.data), world)
        self.assertEqual(build_catalogue.fingerprint(Scope.CURATED, self.data), curated)
