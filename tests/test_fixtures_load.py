"""The curated fixtures load, load again without change, and hold only valid, quoted data."""

import io
import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from partnerships.models import Citation, Source

FIXTURES = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def load_fixtures():
    call_command("loaddata", *FIXTURES, verbosity=0)


def dump(natural):
    out = io.StringIO()
    options = {"natural_foreign": True, "natural_primary": True} if natural else {}
    call_command("dumpdata", "partnerships", stdout=out, **options)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("partnerships").get_models()}


class FixturesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_fixtures()

    def test_it_loads_every_fixture(self):
        names = {path.name for path in FIXTURES}
        for expected in [
            "00_common.json",
            "10_narvik_kazakhstan_2019.json",
            "20_harbin_murmansk_2016.json",
            "30_gilan_astrakhan_2023.json",
        ]:
            self.assertIn(expected, names)
        self.assertEqual(Source.objects.count(), 3)
        loaded = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in FIXTURES)
        self.assertEqual(sum(row_counts().values()), loaded)

    def test_fixtures_use_natural_keys_only(self):
        for path in FIXTURES:
            for obj in json.loads(path.read_text(encoding="utf-8")):
                self.assertNotIn("pk", obj, f"{path.name}: {obj['model']} has a pk")
                self.assertNotIn("search_text", obj["fields"], f"{path.name}: search_text is derived")

    def test_loading_twice_changes_nothing(self):
        counts, natural, with_ids = row_counts(), dump(natural=True), dump(natural=False)
        load_fixtures()
        self.assertEqual(row_counts(), counts)
        self.assertEqual(dump(natural=True), natural)
        self.assertEqual(dump(natural=False), with_ids)

    def test_source_texts_are_the_seed_files(self):
        if not SEEDS.is_dir():
            self.skipTest(f"{SEEDS} is absent: cannot compare the sources with the seed files")
        for source in Source.objects.all():
            with self.subTest(source=source.slug):
                seed = (SEEDS / source.file_name).read_bytes()
                self.assertEqual(source.text.encode("utf-8"), seed)

    def test_citation_passages_are_verbatim(self):
        self.assertTrue(Citation.objects.exists())
        for citation in Citation.objects.select_related("source"):
            with self.subTest(citation=citation.slug):
                self.assertIn(citation.passage, citation.source.text)
                self.assertTrue(citation.passage_english)

    def test_every_row_passes_full_clean(self):
        for model in apps.get_app_config("partnerships").get_models():
            for obj in model.objects.all():
                with self.subTest(model=model._meta.label, row=str(obj)):
                    obj.full_clean()
