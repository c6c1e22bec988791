"""Countries as the importers read them (partnerships.importing.CountryResolver): names as people write
them, in English or another language, with regions, brackets or typos, to ISO 3166-1 codes with a note."""

from django.test import SimpleTestCase

from partnerships.importing import CountryResolver


class CountryResolverTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resolver = CountryResolver()

    def assertCodes(self, cases):
        for value, code in cases.items():
            with self.subTest(value=value):
                self.assertEqual(self.resolver.resolve(value)[0], code)

    def test_english_names_without_a_note(self):
        for value, code in {
            "Norway": "NO",
            "norway": "NO",
            "  Norway ": "NO",
            "Russia": "RU",
            "Russian Federation": "RU",
            "United States": "US",
            "United States of America": "US",
            "Czechia": "CZ",
            "Czech Republic": "CZ",
            "Côte d'Ivoire": "CI",
            "Georgia": "GE",
            "Kosovo": "XK",
        }.items():
            with self.subTest(value=value):
                self.assertEqual(self.resolver.resolve(value), (code, ""))

    def test_nations_of_the_united_kingdom_are_gb(self):
        self.assertCodes({"England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB", "UK": "GB"})
        self.assertEqual(
            self.resolver.resolve("England, United Kingdom"), ("GB", "country given as “England, United Kingdom”")
        )

    def test_other_english_names_are_read_with_a_note(self):
        self.assertEqual(self.resolver.resolve("USA"), ("US", "country given as “USA”"))
        self.assertCodes({"Ivory Coast": "CI", "Burma": "MM", "the Netherlands": "NL", "The Gambia": "GM"})

    def test_a_bracketed_qualifier_is_dropped(self):
        self.assertEqual(self.resolver.resolve("Georgia (country)"), ("GE", "country given as “Georgia (country)”"))

    def test_region_comma_country_is_the_country(self):
        self.assertCodes({
            "Georgia, United States": "US",
            "Texas, United States": "US",
            "Bavaria, Germany": "DE",
            "Oblast of Murmansk, Russia": "RU",
        })

    def test_a_territory_with_its_own_code_keeps_it(self):
        self.assertEqual(self.resolver.resolve("Réunion, France"), ("RE", "country given as “Réunion, France”"))
        self.assertCodes({"Guadeloupe, France": "GP", "Hong Kong, China": "HK"})

    def test_names_in_other_languages(self):
        self.assertCodes({
            "Deutschland": "DE",
            "Allemagne": "DE",
            "Norwegen": "NO",
            "Norvège": "NO",
            "Island": "IS",
            "Madagaskar": "MG",
            "Россия": "RU",
            "中国": "CN",
        })
        self.assertEqual(self.resolver.resolve("Deutschland")[1], "country given as “Deutschland”")

    def test_a_close_misspelling_says_how_it_was_read(self):
        self.assertEqual(
            self.resolver.resolve("Kazakhstah"), ("KZ", "country given as “Kazakhstah”, read as Kazakhstan")
        )
        self.assertEqual(self.resolver.resolve("Germny"), ("DE", "country given as “Germny”, read as Germany"))
        self.assertCodes({"Kazhakstan": "KZ"})  # the Norwegian source's spelling

    def test_unknown_values_give_no_code_and_no_note(self):
        for value in ["Atlantis", "Xyzzy", "", "   ", None]:
            with self.subTest(value=value):
                self.assertEqual(self.resolver.resolve(value), ("", ""))

    def test_an_unknown_region_of_a_known_country_is_that_country(self):
        self.assertCodes({"Atlantis, Norway": "NO"})

    def test_the_name_of_a_code(self):
        self.assertEqual(self.resolver.name("GB"), "United Kingdom")
        self.assertEqual(self.resolver.name("XK"), "Kosovo")
        self.assertEqual(self.resolver.name("ZZ"), "ZZ")  # unknown: the code itself
