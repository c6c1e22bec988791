"""The importers' pure helpers (partnerships.importing): coordinates, distances, scripts, names and levels,
slugs, and reading a text file."""

import shutil
import tempfile
from pathlib import Path

from django.core.management import CommandError
from django.test import SimpleTestCase

from partnerships import importing
from partnerships.models import PlaceLevel


class CoordinateTests(SimpleTestCase):
    def test_numbers_within_range_are_read(self):
        self.assertEqual(importing.parse_coordinates("68.97", "33.08"), (68.97, 33.08))
        self.assertEqual(importing.parse_coordinates(" 68.97 ", " 33.08 "), (68.97, 33.08))
        self.assertEqual(importing.parse_coordinates("-90", "-180"), (-90.0, -180.0))
        self.assertEqual(importing.parse_coordinates("90", "180"), (90.0, 180.0))

    def test_no_coordinates_is_none(self):
        for lat, lng in [("", ""), (None, None), ("  ", "")]:
            with self.subTest(lat=lat, lng=lng):
                self.assertIsNone(importing.parse_coordinates(lat, lng))

    def test_what_is_wrong_is_said(self):
        for lat, lng, message in [
            ("68.97", "", "only one of latitude and longitude given"),
            ("", "33.08", "only one of latitude and longitude given"),
            ("abc", "1", "are not numbers"),
            ("68,97", "33,08", "are not numbers"),  # decimal commas
            ("91", "0", "lie outside"),
            ("0", "-180.5", "lie outside"),
            ("nan", "0", "lie outside"),
            ("inf", "0", "lie outside"),
        ]:
            with self.subTest(lat=lat, lng=lng):
                with self.assertRaisesMessage(ValueError, message):
                    importing.parse_coordinates(lat, lng)


class DistanceTests(SimpleTestCase):
    def test_known_distances(self):
        self.assertAlmostEqual(importing.distance_km(59.91, 10.75, 45.76, 4.84), 1621, delta=5)  # Oslo–Lyon
        self.assertAlmostEqual(importing.distance_km(0, 0, 0, 1), 111.2, delta=0.1)  # a degree of the equator
        self.assertEqual(importing.distance_km(68.97, 33.08, 68.97, 33.08), 0)

    def test_half_the_earth_is_the_longest(self):
        self.assertAlmostEqual(importing.distance_km(90, 0, -90, 0), 20015, delta=1)
        self.assertAlmostEqual(importing.distance_km(0, 0, 0, 180), 20015, delta=1)

    def test_the_short_way_round_crosses_the_date_line(self):
        self.assertAlmostEqual(importing.distance_km(0, 179.5, 0, -179.5), 111.2, delta=0.1)

    def test_near_means_closer_for_towns_than_for_regions(self):
        self.assertEqual(importing.near_km(PlaceLevel.CITY), 50)
        self.assertEqual(importing.near_km(PlaceLevel.MUNICIPALITY), 50)
        self.assertEqual(importing.near_km(PlaceLevel.PROVINCE), 250)
        self.assertEqual(importing.near_km(PlaceLevel.COUNTRY), 2000)


class ScriptTests(SimpleTestCase):
    def test_latin_letters_with_accents_are_latin(self):
        for text in ["Narvik", "Skjønnås", "Łódź", "Ærø", "café", "123 - ()", ""]:
            with self.subTest(text=text):
                self.assertTrue(importing.is_latin(text))

    def test_a_letter_of_another_script_is_not(self):
        for text in ["Мурманск", "Murmansk Мурманск", "哈尔滨", "رشت", "Γεωργία"]:
            with self.subTest(text=text):
                self.assertFalse(importing.is_latin(text))


class NameTests(SimpleTestCase):
    def test_a_bracketed_qualifier_is_split_off(self):
        for name, split in {
            "Nowy Targ (rural gmina)": ("Nowy Targ", "rural gmina"),
            "Georgia (country)": ("Georgia", "country"),
            "Paris ( France )": ("Paris", "France"),
            "A (b) (c)": ("A (b)", "c"),  # only the last bracket
            "Nowy Targ": ("Nowy Targ", ""),
            "(only)": ("(only)", ""),  # a bracket with nothing before it is the name
        }.items():
            with self.subTest(name=name):
                self.assertEqual(importing.split_qualifier(name), split)

    def test_a_qualified_variant_is_the_name_with_a_qualifier(self):
        self.assertTrue(importing.is_qualified_variant("Nowy Targ (rural gmina)", "Nowy Targ"))
        self.assertTrue(importing.is_qualified_variant("NOWY TARG (town)", "nowy targ"))
        self.assertFalse(importing.is_qualified_variant("Nowy Targ", "Nowy Targ"))
        self.assertFalse(importing.is_qualified_variant("Nowy Sącz (town)", "Nowy Targ"))

    def test_qualified_name(self):
        self.assertEqual(importing.qualified_name("Nowy Targ", "rural gmina"), "Nowy Targ (rural gmina)")
        self.assertEqual(importing.qualified_name("Nowy Targ", ""), "Nowy Targ")

    def test_the_level_a_name_suggests(self):
        for name, qualifier, level in [
            ("Sverdlovsk Oblast", "", PlaceLevel.PROVINCE),
            ("Texas State", "", PlaceLevel.PROVINCE),
            ("Fairfax County", "", PlaceLevel.REGION),
            ("Département du Nord", "", PlaceLevel.REGION),
            ("Narvik Kommune", "", PlaceLevel.MUNICIPALITY),
            ("Nowy Targ", "rural gmina", PlaceLevel.MUNICIPALITY),
            ("Narvik", "", PlaceLevel.CITY),
            ("Stateville", "", PlaceLevel.CITY),  # a whole word only
            ("Regional", "", PlaceLevel.CITY),
        ]:
            with self.subTest(name=name, qualifier=qualifier):
                self.assertEqual(importing.infer_level(name, qualifier), level)

    def test_levels_that_may_be_one_place(self):
        self.assertTrue(importing.same_level_group(PlaceLevel.CITY, PlaceLevel.MUNICIPALITY))
        self.assertTrue(importing.same_level_group(PlaceLevel.REGION, PlaceLevel.PROVINCE))
        self.assertFalse(importing.same_level_group(PlaceLevel.CITY, PlaceLevel.PROVINCE))
        self.assertFalse(importing.same_level_group(PlaceLevel.PROVINCE, PlaceLevel.COUNTRY))


class ReadLinesTests(SimpleTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, data):
        path = self.dir / "file.txt"
        path.write_bytes(data)
        return path

    def test_lines_without_endings_or_bom(self):
        path = self.write("\ufeffNarvik\r\nМурманск\n\nHarbin\n".encode())
        self.assertEqual(importing.read_lines(path, "a list"), ["Narvik", "Мурманск", "", "Harbin"])

    def test_files_that_cannot_be_read_say_why(self):
        for data, message in [
            (b"", "the file is empty; expected a list"),
            (b" \n\n", "the file is empty; expected a list"),
            (b"one\ntwo\x00\n", "line 2 holds a NUL byte"),
            (b"one\ntwo\nthr\xe9e\n", "line 3 is not valid UTF-8 (byte 0xe9)"),
        ]:
            with self.subTest(data=data):
                with self.assertRaisesMessage(CommandError, message):
                    importing.read_lines(self.write(data), "a list")
        with self.assertRaisesMessage(CommandError, "no such file"):
            importing.read_lines(self.dir / "missing.txt", "a list")
        with self.assertRaisesMessage(CommandError, "not a file"):
            importing.read_lines(self.dir, "a list")
