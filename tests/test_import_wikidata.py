"""The Wikidata importer, on small files written here in the layout of data/wikidata_p190_*.tsv.gz.

The catalogue is the curated one plus a few twin-town rows, so that labels meet places by name, by a
variant (a German exonym, as GeoNames' alternate names give them), by a close spelling, or not at all.
"""

import gzip
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from partnerships.models import Citation, Partnership, PartnershipStatus, Place, PlaceName, SourceKind
from tests.base import CatalogueTestCase
from tests.test_import_twin_towns import HEADER, snapshot

TWIN_TOWNS = "\n".join(
    [
        HEADER,
        "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075",
        "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035",
        "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028",
        "Narvik,Norway,68.4384,17.4272,Kikinda,Serbia,45.8333,20.45",
        "Springfield,United States,39.799,-89.644,Kiruna,Sweden,67.8489,20.3028",  # Illinois
        "Springfield,United States,42.1015,-72.5898,Kiruna,Sweden,67.8489,20.3028",  # Massachusetts
        "Springfield,United States,42.1015,-72.5898,Narvik,Norway,68.4384,17.4272",
        "Beijing,China,39.9042,116.4074,Kikinda,Serbia,45.8333,20.45",
        "Córdoba,Argentina,-31.4167,-64.1834,Córdoba,Spain,37.8846,-4.776",
    ]
) + "\n"

NAMES = """\
Q42956\tHarbin
Q1763\tMurmansk
Q178373\tRasht
Q3927\tAstrachan
Q59101\tNarvik
Q1000001\tSpringfield
Q1000002\tSpringfield
Q34090\tKiruna
Q5123\tKikinda
Q956\tPeking
Q490\tMailand
Q15\tCórdoba
"""
RELATIONS = """\
Q42956\tQ1763
Q1763\tQ42956
Q178373\tQ3927
Q1000001\tQ59101
Q1000002\tQ34090
Q34090\tQ5123
Q956\tQ5123
Q490\tQ59101
Q15\tQ5123
Q42956\tQ1763
"""


class WikidataMixin:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "twin_sample.csv"
            path.write_text(TWIN_TOWNS, encoding="utf-8")
            call_command("import_twin_towns", str(path), verbosity=0)
        beijing = Place.objects.get(name="Beijing")
        # What GeoNames' alternate names give Beijing (import_geonames writes them so).
        PlaceName.objects.create(place=beijing, name="Peking")

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, text, name):
        path = Path(self.tmp.name) / name
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        return path

    def run_import(self, names=NAMES, relations=RELATIONS, *args, suffix=".tsv"):
        out = io.StringIO()
        call_command(
            "import_wikidata",
            str(self.write(names, f"p190_names{suffix}")),
            str(self.write(relations, f"p190_relations{suffix}")),
            *args,
            stdout=out,
        )
        return out.getvalue()


class WikidataImportTests(WikidataMixin, CatalogueTestCase):
    def setUp(self):
        super().setUp()
        self.output = self.run_import()

    def place(self, slug):
        return Place.objects.get(slug=slug)

    def test_the_report_counts_each_outcome(self):
        counts = {
            "relations read": r"10 \(0 rows with problems\)",
            "pairs read": "8 distinct unordered pairs",
            "matched": r"5 \(to partnerships of the catalogue; 1 by a close spelling",
            "created": "1",
            "ambiguous": "1",
            "not placed": "1",
            "conflicts": "0",
        }
        for label, value in counts.items():
            self.assertRegex(self.output, rf"\n  {label}:\s+{value}")

    def test_a_matched_pair_gives_the_places_and_the_partnership_their_ids(self):
        self.assertEqual(self.place("harbin").wikidata_id, "Q42956")
        self.assertEqual(self.place("murmansk").wikidata_id, "Q1763")
        partnership = Partnership.objects.get(slug="harbin-murmansk")
        self.assertEqual(partnership.wikidata_id, "Q42956-Q1763")
        citation = partnership.citations.get(source__kind=SourceKind.DATASET, locator="Q42956-Q1763")
        self.assertEqual(citation.passage, "Q42956\tQ1763\nQ1763\tQ42956\nQ42956\tQ1763")
        self.assertEqual(citation.source.slug, "p190")
        self.assertIn("CC0", citation.source.licence)
        self.assertTrue(self.place("harbin").citations.filter(pk=citation.pk).exists())
        self.assertTrue(self.place("murmansk").citations.filter(pk=citation.pk).exists())

    def test_a_german_label_meets_a_place_by_its_variant_name(self):
        self.assertEqual(Place.objects.get(name="Beijing").wikidata_id, "Q956")
        self.assertEqual(Place.objects.get(name="Kikinda").wikidata_id, "Q5123")

    def test_a_close_spelling_of_a_partner_is_met(self):
        astrakhan = Place.objects.get(name="Astrakhan", level="city")
        self.assertEqual(astrakhan.wikidata_id, "Q3927")
        self.assertEqual(self.place("astrakhan-oblast").wikidata_id, "")
        self.assertEqual(Partnership.objects.get(slug="rasht-astrakhan").wikidata_id, "Q178373-Q3927")

    def test_the_pair_tells_apart_what_the_name_cannot(self):
        springfields = dict(Place.objects.filter(name="Springfield").values_list("latitude", "wikidata_id"))
        # Massachusetts is Narvik's partner; Illinois is then the other Springfield twinned with Kiruna.
        self.assertEqual(springfields, {42.1015: "Q1000001", 39.799: "Q1000002"})

    def test_a_pair_of_two_certain_places_without_a_partnership_is_created(self):
        kiruna, kikinda = Place.objects.get(name="Kiruna"), Place.objects.get(name="Kikinda")
        partnership = Partnership.objects.between(kiruna, kikinda).get()
        self.assertEqual(partnership.wikidata_id, "Q5123-Q34090")  # in the order of its places
        self.assertEqual(partnership.place_a, kikinda)
        self.assertEqual({kiruna.wikidata_id, kikinda.wikidata_id}, {"Q34090", "Q5123"})
        step = partnership.steps.get()
        self.assertEqual(step.status, PartnershipStatus.TWINNING)
        self.assertIsNone(step.date_earliest)
        self.assertTrue(step.citations.filter(locator=partnership.wikidata_id).exists())
        response = self.client.get(partnership.get_absolute_url())
        self.assertContains(response, "Wikidata")

    def test_what_cannot_be_placed_is_reported_not_guessed(self):
        self.assertIn("line 8: Q490 “Mailand” – Q59101 “Narvik”: “Mailand” (Q490) meets no place", self.output)
        self.assertRegex(self.output, r"line 9: Q15 “Córdoba” – Q5123 “Kikinda”: “Córdoba” \(Q15\) meets 2 places")
        self.assertFalse(Place.objects.filter(name="Córdoba").exclude(wikidata_id="").exists())
        self.assertFalse(Place.objects.filter(name__in=["Mailand", "Milan"]).exists())

    def test_a_second_import_changes_nothing(self):
        before = snapshot()
        citations = Citation.objects.count()
        output = self.run_import()
        self.assertEqual(snapshot(), before)
        self.assertEqual(Citation.objects.count(), citations)
        self.assertRegex(output, r"matched:\s+6 ")
        self.assertRegex(output, r"created:\s+0 ")
        self.assertRegex(output, r"Wikidata IDs set:\s+0 places, 0 partnerships")

    def test_compressed_files_are_the_same_dataset(self):
        before = snapshot()
        self.run_import(suffix=".tsv.gz")
        self.assertEqual(snapshot(), before)


class WikidataDryRunTests(WikidataMixin, CatalogueTestCase):
    def test_a_dry_run_writes_nothing(self):
        before = snapshot()
        output = self.run_import(NAMES, RELATIONS, "--dry-run")
        self.assertIn("Dry run", output)
        self.assertRegex(output, r"created:\s+1 ")
        self.assertEqual(snapshot(), before)


class WikidataConflictTests(WikidataMixin, CatalogueTestCase):
    def test_an_id_is_never_overwritten_and_two_items_never_share_a_place(self):
        Place.objects.filter(slug="murmansk").update(wikidata_id="Q999")
        names = "Q42956\tHarbin\nQ1763\tMurmansk\nQ59101\tNarvik\nQ7001\tNarvik\nQ34090\tKiruna\nQ5123\tKikinda\n"
        relations = "Q42956\tQ1763\nQ59101\tQ34090\nQ7001\tQ5123\n"
        output = self.run_import(names, relations)
        self.assertRegex(output, r"conflicts:\s+3\b")
        self.assertIn("murmansk carries Q999, not Q1763", output)
        self.assertIn("2 items claim narvik: Q7001, Q59101", output)
        ids = dict(Place.objects.exclude(wikidata_id="").values_list("slug", "wikidata_id"))
        self.assertEqual(ids, {"murmansk": "Q999"})
        self.assertFalse(Citation.objects.filter(source__slug="p190").exists())


class WikidataBadInputTests(WikidataMixin, CatalogueTestCase):
    def test_bad_rows_are_reported_by_line_and_the_rest_imports(self):
        names = "Q42956\tHarbin\nQ1763\tMurmansk\nQ12\t\nharbin\tHarbin\n"
        relations = "Q42956\tQ1763\nQ42956\tHarbin\nQ5\tQ5\nQ42956\tQ77\nQ1763\n"
        output = self.run_import(names, relations)
        for line, reason in [
            (3, "p190_names.tsv: Q12 has an empty label"),
            (4, "p190_names.tsv: “harbin” is not a Wikidata ID"),
            (2, "p190_relations.tsv: “Harbin” is not a Wikidata ID"),
            (3, "p190_relations.tsv: pairs Q5 with itself"),
            (4, "p190_relations.tsv: Q77 not in the names file"),
            (5, "p190_relations.tsv: expected 2 tab-separated fields, found 1"),
        ]:
            self.assertIn(f"line {line}: {reason}", output)
        self.assertRegex(output, r"matched:\s+1 ")
        self.assertEqual(Partnership.objects.get(slug="harbin-murmansk").wikidata_id, "Q42956-Q1763")

    def assert_refused(self, names, relations, message, suffix=".tsv"):
        before = snapshot()
        with self.assertRaisesMessage(CommandError, message):
            self.run_import(names, relations, suffix=suffix)
        self.assertEqual(snapshot(), before, "a refused file changes nothing")

    def test_bad_files_import_nothing(self):
        self.assert_refused(RELATIONS, NAMES, "not a Wikidata relations file: line 1")  # the two swapped
        self.assert_refused(TWIN_TOWNS, RELATIONS, "not a Wikidata names file: line 1")
        self.assert_refused(NAMES, RELATIONS.encode() + "Q1\tQ2é".encode("latin-1"), "line 11 is not valid UTF-8")
        self.assert_refused(NAMES, b"", "empty")
        broken = Path(self.tmp.name) / "broken.tsv.gz"
        broken.write_bytes(gzip.compress(RELATIONS.encode())[:30])
        before = snapshot()
        with self.assertRaisesMessage(CommandError, "not a valid gzip file"):
            call_command("import_wikidata", str(self.write(NAMES, "n.tsv")), str(broken), stdout=io.StringIO())
        self.assertEqual(snapshot(), before)
