"""Twin-town lists of other layouts: columns and delimiter given, wiki markup, names in other languages.

Both lists are made up here in the shape real ones take: a tab-separated export of Wikidata's query
service (labels, country labels, WKT points) and a semicolon-separated Italian list copied from a wiki.
"""

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from partnerships.importing import clean_markup, core_name
from partnerships.models import Partnership, Place, PlaceLevel
from tests.base import CatalogueTestCase
from tests.test_import_twin_towns import snapshot

WIKIDATA_TSV = "\n".join(
    [
        "item1\titem1Label\tcountry1Label\tcoord1\titem2\titem2Label\tcountry2Label\tcoord2",
        "Q42956\tHarbin\tPeople's Republic of China\tPoint(126.6409 45.7576)\tQ1763\tMurmansk\tRussia"
        "\tPoint(33.075 68.9706)",
        "Q59101\tNarvik Municipality\tNorway\t\tQ4\tKiruna Municipality\tSweden\tPoint(20.3028 67.8489)",
        "Q5\tRasht\tIran\tPoint(49.5889 37.2744)\tQ6\tAstrakhan Oblast\tRussia\t",
        "Q7\tKikinda\tSerbia\tsomewhere\tQ8\tNarvik\tNorway\t",  # a bad point
    ]
) + "\n"
WIKIDATA_COLUMNS = (
    "city1=item1Label,country1=country1Label,coords1=coord1,city2=item2Label,country2=country2Label,coords2=coord2"
)

ITALIAN = "\n".join(
    [
        "Città;Paese;Gemellata con;Paese gemellato",
        "[[Harbin]];Cina;[[Murmansk (città)|Murmansk]];Russia",
        "Provincia di Gilan;Iran;Provincia di Astrakhan;Russia",
        "Rasht, Iran;Iran;[[Bandar-e Anzali{{!}}Bandar Anzali]];Iran",
        "'''Narvik''';Norvegia;Kiruna (Svezia);Svezia",
        "Comune di Lecce;Italia;Narvik;Norvegia",
    ]
) + "\n"
ITALIAN_COLUMNS = "city1=Città,country1=Paese,city2=Gemellata con,country2=Paese gemellato"


class LayoutMixin:
    def setUp(self):
        super().setUp()
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)

    def run_import(self, text, name, *args):
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        call_command("import_twin_towns", str(path), *args, stdout=out)
        return out.getvalue()


class WikidataLayoutTests(LayoutMixin, CatalogueTestCase):
    def setUp(self):
        super().setUp()
        self.output = self.run_import(WIKIDATA_TSV, "query.tsv", "--delimiter", "\\t", "--columns", WIKIDATA_COLUMNS)

    def test_the_rows_meet_the_catalogue(self):
        self.assertRegex(self.output, r"rows imported:\s+3\b")
        self.assertTrue(Partnership.objects.filter(slug="harbin-murmansk").exists())
        murmansk = Place.objects.get(slug="murmansk")
        self.assertEqual((murmansk.latitude, murmansk.longitude), (68.9706, 33.075))  # the WKT point, longitude first
        narvik = Place.objects.get(slug="narvik")
        kiruna = Place.objects.get(name="Kiruna Municipality")
        self.assertEqual(kiruna.level, PlaceLevel.MUNICIPALITY)
        self.assertTrue(Partnership.objects.between(narvik, kiruna).exists(), "Narvik Municipality is Narvik")
        self.assertFalse(Place.objects.filter(name="Narvik Municipality").exists())
        oblast = Place.objects.get(slug="astrakhan-oblast")
        self.assertTrue(Partnership.objects.between(Place.objects.get(slug="rasht"), oblast).exists())

    def test_a_bad_point_is_reported_by_line(self):
        self.assertIn("line 5: bad coordinates for city1 “Kikinda”", self.output)

    def test_a_second_import_changes_nothing(self):
        before = snapshot()
        self.run_import(WIKIDATA_TSV, "query.tsv", "--delimiter", "tab", "--columns", WIKIDATA_COLUMNS)
        self.assertEqual(snapshot(), before)


class ItalianLayoutTests(LayoutMixin, CatalogueTestCase):
    def setUp(self):
        super().setUp()
        self.output = self.run_import(ITALIAN, "gemellaggi.csv", "--delimiter", ";", "--columns", ITALIAN_COLUMNS)

    def test_markup_and_other_languages_meet_the_curated_places(self):
        self.assertRegex(self.output, r"rows imported:\s+5\b")
        self.assertRegex(self.output, r"places:\s+2 created, \d+ matched")  # Kiruna and Lecce, nothing else
        self.assertTrue(Partnership.objects.filter(slug="harbin-murmansk").exists())
        gilan_astrakhan = Partnership.objects.get(slug="gilan-astrakhan")
        self.assertTrue(gilan_astrakhan.citations.filter(source__slug="gemellaggi").exists())
        anzali = Place.objects.get(slug="bandar-anzali")
        self.assertTrue(Partnership.objects.between(Place.objects.get(slug="rasht"), anzali).exists())

    def test_the_country_in_the_name_is_not_part_of_it(self):
        kiruna = Place.objects.get(name="Kiruna")
        self.assertEqual(kiruna.country.code, "SE")
        self.assertIn("“Kiruna (Svezia)”", kiruna.notes)
        self.assertFalse(Place.objects.filter(name__contains="Iran").exists())
        lecce = Place.objects.get(name="Comune di Lecce")
        self.assertEqual((lecce.country.code, lecce.level), ("IT", PlaceLevel.MUNICIPALITY))

    def test_a_second_import_changes_nothing(self):
        before = snapshot()
        self.run_import(ITALIAN, "gemellaggi.csv", "--delimiter", ";", "--columns", ITALIAN_COLUMNS)
        self.assertEqual(snapshot(), before)


class LayoutOptionTests(LayoutMixin, CatalogueTestCase):
    def test_unusable_options_and_headers_import_nothing(self):
        before = snapshot()
        for args, message in [
            (["--columns", "city1=a,country1=b"], "say which column holds city2, country2"),
            (["--columns", "town=a"], "“town=a” is not FIELD=COLUMN"),
            (["--delimiter", ";;", "--columns", ITALIAN_COLUMNS], "--delimiter: one character"),
            (["--delimiter", ",", "--columns", ITALIAN_COLUMNS], "its header has no column"),
            (["--delimiter", ";"], "not a twin-town CSV"),
        ]:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                self.run_import(ITALIAN, "gemellaggi.csv", *args)
        self.assertEqual(snapshot(), before)

    def test_helpers(self):
        self.assertEqual(clean_markup("[[Narvik (kommune)|Narvik]]<ref>x</ref>"), "Narvik")
        self.assertEqual(clean_markup("[[Bandar-e Anzali{{!}}Bandar Anzali]]{{flagicon|IR}}"), "Bandar Anzali")
        for published, core in [
            ("Provincia di Gilan", "Gilan"),
            ("Narvik Municipality", "Narvik"),
            ("Gmina Nowy Targ", "Nowy Targ"),
            ("Astrakhan Oblast", "Astrakhan"),
            ("Mexico City", "Mexico City"),
            ("Città di Castello", "Città di Castello"),
        ]:
            self.assertEqual(core_name(published), core)
