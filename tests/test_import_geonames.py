"""The GeoNames importer, through its command and the public pages.

The rows are copied from shared/data/geonames_cities15000.txt; the whole
file is imported against the curated catalogue when ../shared/data exists.
"""

import io
import tempfile
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.core.management import CommandError, call_command

from partnerships.models import NameKind, Place, PlaceLevel, PlaceName, Source, SourceKind
from tests.base import CatalogueTestCase
from tests.test_import_twin_towns import HEADER, snapshot

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
FULL_FILE = SHARED_DATA / "geonames_cities15000.txt"

ROWS = {  # geonameid: the row as it stands in the shared file
    2037013: "2037013\tHarbin\tHarbin\tCap Nhi Tan,Charbin,Cáp Nhĩ Tân,HRB,Ha'erbin,Ha-erh-pin,Ha-erh-pin-shih,"
    "Harbin,Harbin Shi,Harbinas,Ha’erbin,Kharbin,Lungsod ng Harbin,Pin-chiang,Pin-chiang-hsien,Pinkiang,ha er bin,"
    "ha er bin shi,ha-eolbin,harubin,hrbyn,Ĥarbin,Харбин,Харбін,חרבין,خاربىن شەھىرى,ハルビン,哈尔滨,哈尔滨市,하얼빈"
    "\t45.75\t126.65\tP\tPPLA\tCN\t\t08\t\t\t\t3229883\t\t140\tAsia/Harbin\t2012-01-18",
    118743: "118743\tRasht\tRasht\tRAS,Rashjt,Rasht,Rast,Rašt,Resht,Reszt,la shen te,rsht,Решт,رشت,拉什特"
    "\t37.28077\t49.58319\tP\tPPLA\tIR\t\t08\t\t\t\t594590\t\t1\tAsia/Tehran\t2012-01-16",
    524305: "524305\tMurmansk\tMurmansk\tGorod Murmansk,MMK,Moermansk,Mourmansk,Murmansk,Murmanska,Murmanskas,"
    "Murmanszk,Murmask,Murmańsk,Murmánska,Muurmanni,Múrmansk,Múrmask,mo er man si ke,muleumanseukeu,murumansuku,"
    "mwrmnsq,Μουρμάνσκ,Мурманск,מורמנסק,ムルマンスク,摩爾曼斯克,무르만스크"
    "\t68.97917\t33.09251\tP\tPPLA\tRU\t\t49\t\t\t\t319263\t\t96\tEurope/Moscow\t2012-01-17",
    580497: "580497\tAstrakhan’\tAstrakhan'\tAstrakhan,Astrakhan',Astrakhan’,Астрахань"
    "\t46.34968\t48.04076\tP\tPPLA\tRU\t\t07\t\t\t\t502533\t\t244\tEurope/Volgograd\t2012-01-17",
    2636531: "2636531\tSunderland\tSunderland\tSanderlend,Sanderlenda,Sunderland,Сандерленд"
    "\t54.90465\t-1.38222\tP\tPPLA2\tGB\t\tENG\tN6\t\t\t177965\t\t36\tEurope/London\t2010-10-16",
    605155: "605155\tKiruna\tKiruna\tGiron,KRN,Kiiruna,Kiruna,Кируна"
    "\t67.85572\t20.22513\tP\tPPLA2\tSE\t\t14\t2584\t\t\t18154\t\t579\tEurope/Stockholm\t2011-12-20",
    4250542: "4250542\tSpringfield\tSpringfield\tSPI,Springfield,Springfild,si pu lin fei er de,springfild,"
    "spryngpyld,supuringufirudo,Спрингфилд,Спрінгфілд,ספרינגפילד,สปริงฟิลด์,スプリングフィールド,斯普林菲尔德"
    "\t39.80172\t-89.64371\tP\tPPLA\tUS\t\tIL\t167\t\t\t116250\t182\t184\tAmerica/Chicago\t2011-05-14",
    4951788: "4951788\tSpringfield\tSpringfield\tCampifons,Springfield,Springfijld,Springfild,seupeulingpildeu,"
    "si pu lin fei er de,spryngpyld,supuringufirudo,Спрингфийлд,Спрингфилд,ספרינגפילד,スプリングフィールド,"
    "斯普林菲尔德,스프링필드\t42.10148\t-72.58981\tP\tPPL\tUS\t\tMA\t013\t\t\t153060\t25\t49\tAmerica/New_York\t2011-05-14",
}
SNIPPET = "\n".join(ROWS.values()) + "\n"

# Twin-town rows (from shared/data/twin_cities_wikipedia.csv) that catalogue the places the GeoNames rows enrich.
TWIN_TOWNS = "\n".join(
    [
        HEADER,
        "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035",
        'Harbin,China,45.7576,126.6409,Sunderland,"England, United Kingdom",54.906,-1.381',
        "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,59.33,18.07",  # Kiruna put at Stockholm: too far to match
    ]
)


class GeoNamesImportMixin:
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, text, name="cities_sample.txt"):
        path = Path(self.tmp.name) / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    def run_import(self, path, *args, verbosity=1):
        out = io.StringIO()
        call_command("import_geonames", str(path), *args, stdout=out, verbosity=verbosity)
        return out.getvalue()


class GeoNamesImportTests(GeoNamesImportMixin, CatalogueTestCase):
    def setUp(self):
        super().setUp()
        call_command("import_twin_towns", str(self.write(TWIN_TOWNS, "twin_sample.csv")), verbosity=0)
        # A catalogued Springfield without coordinates: GeoNames has several in the United States.
        Place.objects.create(slug="springfield", name="Springfield", level=PlaceLevel.CITY, country="US")
        self.curated_names = set(PlaceName.objects.values_list("place__slug", "name", "kind", "source_id"))
        self.output = self.run_import(self.write(SNIPPET))

    def test_search_finds_rasht_in_every_script(self):
        for query in ("Решт", "رشت", "Rasht", "Resht", "拉什特"):
            with self.subTest(query=query):
                response = self.client.get("/search/", {"q": query})
                found = {r.slug for _, records in response.context["groups"] for r in records}
                self.assertIn("rasht", found)
        self.assertContains(self.client.get("/cities/rasht/"), "Решт")

    def test_a_curated_place_is_enriched(self):
        rasht = Place.objects.get(slug="rasht")
        self.assertEqual(rasht.geonames_id, 118743)
        self.assertEqual(rasht.population, 594590)
        self.assertEqual((rasht.latitude, rasht.longitude), (37.28077, 49.58319))  # it had none
        source = Source.objects.get(slug="cities-sample")
        self.assertEqual(source.kind, SourceKind.DATASET)
        self.assertIn("CC BY 4.0", source.licence)
        self.assertIn("GeoNames", source.licence)
        names = dict(rasht.names.filter(source=source).values_list("name", "kind"))
        self.assertEqual(names["Решт"], NameKind.VARIANT)
        self.assertEqual(names["la shen te"], NameKind.TRANSLITERATION)
        self.assertNotIn("Rasht", names)  # its own name already
        self.assertNotIn("رشت", names)  # its curated native name already
        text = rasht.search_text
        rasht.refresh_search_text()
        self.assertEqual(rasht.search_text, text, "search_text as a save would write it")

    def test_imported_places_keep_their_coordinates_and_curated_names_stay(self):
        astrakhan = Place.objects.get(name="Astrakhan")
        self.assertEqual(astrakhan.geonames_id, 580497)
        self.assertEqual((astrakhan.latitude, astrakhan.longitude), (46.35, 48.035))  # from the twin-town list
        self.assertTrue(astrakhan.names.filter(name="Астрахань").exists())
        self.assertLessEqual(self.curated_names, set(
            PlaceName.objects.values_list("place__slug", "name", "kind", "source_id")
        ))
        self.assertTrue(PlaceName.objects.filter(place__slug="murmansk", name="Murmnask").exists())

    def test_provinces_and_places_without_a_file_row_are_left_alone(self):
        for slug in ("astrakhan-oblast", "gilan", "narvik", "kazakhstan"):
            place = Place.objects.get(slug=slug)
            self.assertIsNone(place.geonames_id, slug)
            self.assertFalse(place.names.filter(source__slug="cities-sample").exists(), slug)

    def test_ambiguous_and_distant_places_are_reported_and_left_alone(self):
        self.assertIsNone(Place.objects.get(slug="springfield").geonames_id)
        self.assertIn("Not matched, ambiguous:", self.output)
        self.assertIn("springfield (US): several GeoNames rows by name: 4250542 Springfield, 4951788 Springfield",
                      self.output)
        self.assertIsNone(Place.objects.get(name="Kiruna").geonames_id)
        self.assertIn("Not matched, too far:", self.output)
        self.assertRegex(self.output, r"kiruna \(SE\): the nearest GeoNames row of that name lies [\d,]+ km away")

    def test_summary(self):
        self.assertRegex(self.output, r"GeoNames rows read:\s+8 \(0 with problems\)")
        self.assertRegex(self.output, r"places matched:\s+5 \(5 newly linked, 0 already linked\)")  # Harbin, Murmansk,
        # Rasht, Astrakhan, Sunderland

    def test_a_second_import_changes_nothing(self):
        before = snapshot()
        output = self.run_import(self.write(SNIPPET))
        self.assertEqual(snapshot(), before)
        self.assertRegex(output, r"places matched:\s+5 \(0 newly linked, 5 already linked\)")
        self.assertRegex(output, r"names added:\s+0\b")

    def test_a_dry_run_writes_nothing(self):
        before = snapshot()
        output = self.run_import(self.write(SNIPPET, "other_sample.txt"), "--dry-run")
        self.assertIn("Dry run", output)
        self.assertEqual(snapshot(), before)


class GeoNamesImportProblemTests(GeoNamesImportMixin, CatalogueTestCase):
    def assert_refused(self, path, message):
        before = snapshot()
        with self.assertRaisesMessage(CommandError, message):
            self.run_import(path)
        self.assertEqual(snapshot(), before, "a refused file changes nothing")

    def test_bad_files_are_refused(self):
        self.assert_refused(Path(self.tmp.name) / "missing.txt", "no such file")
        self.assert_refused(self.write(TWIN_TOWNS), "not a GeoNames cities file: line 1: expected 19")
        self.assert_refused(self.write(SNIPPET.encode("utf-8") + "Kraków".encode("cp1250")),
                            f"line {len(ROWS) + 1} is not valid UTF-8")
        self.assert_refused(self.write(b"\x00\x01\x02"), "binary file")

    def test_bad_rows_are_reported_by_line_and_the_rest_imports(self):
        rows = list(ROWS.values())
        lines = [
            rows[1],  # Rasht
            rows[0].replace("\t45.75\t", "\tnorth\t"),  # Harbin: bad latitude
            "2037013\tHarbin",  # too few fields
            rows[2].replace("524305", "Murmansk", 1),  # Murmansk: bad id
        ]
        output = self.run_import(self.write("\n".join(lines) + "\n"))
        self.assertIn("line 2: coordinates “north, 126.65” are not numbers", output)
        self.assertIn("line 3: expected 19 tab-separated fields, found 2", output)
        self.assertIn("line 4: geonameid “Murmansk” is not a number", output)
        self.assertEqual(Place.objects.get(slug="rasht").geonames_id, 118743)
        self.assertIsNone(Place.objects.get(slug="harbin").geonames_id)


@skipUnless(FULL_FILE.exists(), f"{FULL_FILE} not found: the full GeoNames import is not tested")
class FullGeoNamesImportTests(GeoNamesImportMixin, CatalogueTestCase):
    def test_the_whole_file_enriches_the_curated_cities_once(self):
        output = self.run_import(FULL_FILE)
        self.assertRegex(output, r"GeoNames rows read:\s+22,841 \(0 with problems\)")
        linked = dict(Place.objects.exclude(geonames_id=None).values_list("slug", "geonames_id"))
        self.assertEqual(linked, {"harbin": 2037013, "murmansk": 524305, "rasht": 118743})
        before = snapshot()
        output = self.run_import(FULL_FILE)
        self.assertEqual(snapshot(), before)
        self.assertRegex(output, r"names added:\s+0\b")
