"""Every curated place can be drawn: at its own point from a dataset, or at a stated representative point.

The GeoNames rows are those of shared/data/geonames_cities15000.txt (Astana's alternate names shortened).
"""

import io
import tempfile
from pathlib import Path

from django.core.management import call_command

from partnerships.importing import REPRESENTATIVE_POINTS
from partnerships.models import Citation, Place, SourceKind
from tests.base import CatalogueTestCase
from tests.test_import_geonames import ROWS as GEONAMES_ROWS
from tests.test_import_twin_towns import HEADER, snapshot

TWIN_TOWNS = "\n".join(
    [
        HEADER,
        "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075",
        "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035",
        "Narvik,Norway,68.4384,17.4272,Kikinda,Serbia,45.8333,20.45",
        "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028",
    ]
) + "\n"
GEONAMES = "\n".join(
    [
        GEONAMES_ROWS[2037013],
        GEONAMES_ROWS[118743],
        GEONAMES_ROWS[524305],
        GEONAMES_ROWS[580497],
        "141679\tBandar-e Anzalī\tBandar-e Anzali\tBandar Anzali,Bandar Pahlavi,Bandar-e Anzali,Enzeli,bndr anzly,"
        "بندر انزلی\t37.4727\t49.4622\tP\tPPL\tIR\t\t08\t\t\t\t110826\t\t236\tAsia/Tehran\t2012-01-17",
        "1526273\tAstana\tAstana\tAkmola,Akmolinsk,Aqmola,Astana,Tselinograd,Астана\t51.1801\t71.44598\tP\tPPLC\tKZ"
        "\t\t05\t\t\t\t345604\t\t358\tAsia/Almaty\t2011-03-04",
    ]
) + "\n"
CURATED = [
    "kazakhstan", "narvik-region", "narvik", "beisfjord", "harbin", "murmansk",
    "gilan", "astrakhan-oblast", "rasht", "bandar-anzali",
]


class RepresentativePointTests(CatalogueTestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.twin_towns = Path(tmp.name) / "twin_sample.csv"
        self.twin_towns.write_text(TWIN_TOWNS, encoding="utf-8")
        self.geonames = Path(tmp.name) / "cities_sample.txt"
        self.geonames.write_text(GEONAMES, encoding="utf-8")
        self.imports()

    def imports(self):
        out = io.StringIO()
        call_command("import_twin_towns", str(self.twin_towns), stdout=out)
        call_command("import_geonames", str(self.geonames), stdout=out)
        return out.getvalue()

    def test_the_table_names_curated_places(self):
        self.assertLessEqual(set(REPRESENTATIVE_POINTS), set(CURATED))

    def test_every_curated_place_has_coordinates(self):
        undrawn = Place.objects.filter(slug__in=CURATED, latitude=None).values_list("slug", flat=True)
        self.assertEqual(list(undrawn), [])

    def test_a_province_is_drawn_at_its_capital_citing_the_gazetteer(self):
        gilan = Place.objects.get(slug="gilan")
        self.assertEqual((gilan.latitude, gilan.longitude), (37.28077, 49.58319))
        self.assertIn("Drawn at Rasht, its capital (GeoNames 118743 Rasht).", gilan.notes.splitlines())
        self.assertIsNone(gilan.geonames_id, "the capital's id stays the capital's")
        citation = gilan.citations.get(locator="geonameid 118743")
        self.assertEqual(citation.source.kind, SourceKind.DATASET)
        self.assertEqual(citation.source.slug, "cities-sample")
        self.assertTrue(citation.passage.startswith("118743\tRasht\t"))
        self.assertFalse(gilan.citations.filter(source__kind=SourceKind.DATASET, locator="").exists())
        self.assertIn("rasht its capital", gilan.search_text, "the note is searchable as any note")
        kazakhstan = Place.objects.get(slug="kazakhstan")
        self.assertIn("Drawn at Astana, its capital (GeoNames 1526273 Astana).", kazakhstan.notes)
        self.assertEqual(Place.objects.get(slug="astrakhan-oblast").latitude, 46.34968)

    def test_a_town_the_gazetteer_names_otherwise_is_drawn_at_its_row(self):
        anzali = Place.objects.get(slug="bandar-anzali")
        self.assertEqual((anzali.latitude, anzali.longitude), (37.4727, 49.4622))
        self.assertTrue(anzali.citations.filter(locator="geonameid 141679").exists())

    def test_a_town_only_the_twin_town_list_locates_is_drawn_where_it_puts_it(self):
        narvik = Place.objects.get(slug="narvik")
        self.assertEqual((narvik.latitude, narvik.longitude), (68.4384, 17.4272))
        self.assertIn("Drawn at the twin-town list's point for it (line 4).", narvik.notes)
        self.assertTrue(narvik.citations.filter(source__slug="twin-sample", locator="line 4").exists())
        beisfjord = Place.objects.get(slug="beisfjord")
        self.assertEqual((beisfjord.latitude, beisfjord.longitude), (68.4384, 17.4272))
        self.assertIn("Drawn at Narvik, the town of its municipality (the twin-town list's point for Narvik, line 4).",
                      beisfjord.notes)
        self.assertTrue(beisfjord.citations.filter(source__slug="twin-sample", locator="line 4").exists())

    def test_the_gazetteer_point_of_a_city_replaces_the_lists(self):
        rasht = Place.objects.get(slug="rasht")
        self.assertEqual((rasht.latitude, rasht.longitude), (37.28077, 49.58319))
        self.assertNotIn("Drawn at", rasht.notes)
        self.assertEqual(rasht.geonames_id, 118743)

    def test_every_point_cites_a_dataset(self):
        for slug in REPRESENTATIVE_POINTS:
            with self.subTest(slug=slug):
                place = Place.objects.get(slug=slug)
                self.assertTrue(place.citations.filter(source__kind=SourceKind.DATASET).exists())

    def test_coordinates_of_its_own_are_never_moved(self):
        Place.objects.filter(slug="gilan").update(latitude=37.0, longitude=49.5, notes="")
        self.imports()
        gilan = Place.objects.get(slug="gilan")
        self.assertEqual((gilan.latitude, gilan.longitude), (37.0, 49.5))
        self.assertNotIn("Drawn at", gilan.notes)

    def test_importing_again_changes_nothing(self):
        before = snapshot()
        citations = Citation.objects.count()
        output = self.imports()
        self.assertEqual(snapshot(), before)
        self.assertEqual(Citation.objects.count(), citations)
        self.assertRegex(output, r"places drawn:\s+0\b")
        self.assertRegex(output, r"representative points:\s+0 places drawn")
