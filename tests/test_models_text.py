"""Slugs and search text made from names in any script, and the records that cite a citation."""

from django.test import SimpleTestCase, TestCase

from partnerships.models import (
    Citation,
    Meeting,
    NameKind,
    Person,
    Place,
    PlaceLevel,
    PlaceName,
    Source,
    SourceKind,
    slug_base,
    unique_slug,
)


class SlugTests(SimpleTestCase):
    def test_slug_base_in_any_script(self):
        cases = {
            "Murmansk": "murmansk",
            "Мурманск": "murmansk",
            "哈尔滨": "haerbin",
            "Skjønnås": "skjonnas",
            "Astrakhan Oblast — Port": "astrakhan-oblast-port",
            "": "",
        }
        for text, slug in cases.items():
            with self.subTest(text=text):
                self.assertEqual(slug_base(text), slug)

    def test_slug_base_is_cut_without_a_trailing_hyphen(self):
        self.assertEqual(slug_base("Nizhny Novgorod", max_length=7), "nizhny")
        self.assertEqual(len(slug_base("a" * 300)), 100)

    def test_unique_slug_counts_up_and_takes_the_slug(self):
        taken = {"rasht", "rasht-2"}
        self.assertEqual(unique_slug("rasht", taken), "rasht-3")
        self.assertEqual(unique_slug("rasht", taken), "rasht-4")
        self.assertEqual(unique_slug("gilan", taken), "gilan")
        self.assertEqual(taken, {"rasht", "rasht-2", "rasht-3", "rasht-4", "gilan"})

    def test_unique_slug_falls_back_on_an_empty_base(self):
        taken = set()
        self.assertEqual(unique_slug("", taken), "record")
        self.assertEqual(unique_slug(None, taken), "record-2")
        self.assertEqual(unique_slug("", taken, fallback="place"), "place")
        self.assertEqual(unique_slug("---", taken, fallback="place"), "place-2")

    def test_unique_slug_leaves_room_for_the_counter(self):
        taken = set()
        first = unique_slug("x" * 200, taken, max_length=20)
        self.assertEqual(first, "x" * 14)
        self.assertEqual(unique_slug("x" * 200, taken, max_length=20), "x" * 14 + "-2")
        self.assertEqual(unique_slug("ab-" + "c" * 30, set(), max_length=9), "ab")


class SearchTextTests(TestCase):
    def place(self, **kwargs):
        return Place.objects.create(**{"level": PlaceLevel.CITY, **kwargs})

    def test_names_in_every_script_are_folded(self):
        cases = [
            (dict(slug="murmansk", name="Murmansk", name_native="Мурманск", country="RU"), "murmansk russia"),
            (dict(slug="rasht", name="Rasht", name_native="رشت", country="IR"), "rsht iran"),
            (dict(slug="harbin", name="Harbin", name_native="哈尔滨", country="CN"), "haerbin china"),
            (dict(slug="narvik", name="Narvik", name_native="Nárvik", country="NO"), "narvik norway"),
        ]
        for fields, expected in cases:
            with self.subTest(place=fields["slug"]):
                place = self.place(**fields)
                text = place.folded_search_text()
                for word in expected.split():
                    self.assertIn(word, text.split())
                self.assertEqual(text, text.lower())
                self.assertRegex(text, r"^[0-9a-z ]+$")
                place.refresh_from_db()
                self.assertEqual(place.search_text, text)

    def test_the_folded_text_is_what_is_stored(self):
        person = Person.objects.create(slug="igor-babushkin", name="Igor Babushkin", name_native="ایگور بابوشکین")
        self.assertEqual(person.folded_search_text(), "igor babushkin igor babushkin ygwr bbwshkyn")
        person.refresh_from_db()
        self.assertEqual(person.search_text, person.folded_search_text())
        for query in ("BABUSHKIN", "Бабушкин", "بابوشکین"):
            with self.subTest(query=query):
                self.assertEqual(list(Person.objects.search(query)), [person])

    def test_a_place_is_folded_with_its_saved_names_or_the_names_given(self):
        place = self.place(slug="astrakhan", name="Astrakhan", country="RU")
        self.assertNotIn("astrachan", place.folded_search_text())
        PlaceName.objects.create(place=place, name="Astrachan", kind=NameKind.VARIANT)
        self.assertIn("astrachan", place.folded_search_text())
        place.refresh_from_db()
        self.assertIn("astrachan", place.search_text.split())

        given = place.folded_search_text(names=["Астрахань", "آستراخان"])
        self.assertIn("astrakhan", given.split())
        self.assertIn("astrkhn", given.split())
        self.assertNotIn("astrachan", given.split())
        self.assertEqual(place.search_parts(names=[])[-1], "Russia")

    def test_an_unsaved_place_with_names_given(self):
        place = Place(slug="sunderland", name="Sunderland", level=PlaceLevel.CITY, country="GB")
        self.assertEqual(place.folded_search_text(), "sunderland sunderland united kingdom")
        self.assertEqual(
            place.folded_search_text(names=["Сандерленд"]), "sunderland sunderland united kingdom sanderlend"
        )

    def test_removing_a_name_refreshes_the_place(self):
        place = self.place(slug="rasht", name="Rasht", country="IR")
        name = PlaceName.objects.create(place=place, name="Resht", kind=NameKind.VARIANT)
        name.delete()
        place.refresh_from_db()
        self.assertEqual(place.search_text, place.folded_search_text())
        self.assertNotIn("resht", place.search_text)


class CitingRelationsTests(TestCase):
    def test_every_citing_model_in_declaration_order(self):
        self.assertEqual(
            Citation.citing_relations(),
            [
                "place_set",
                "organisation_set",
                "venue_set",
                "person_set",
                "office_set",
                "partnership_set",
                "statusstep_set",
                "delegation_set",
                "delegationmember_set",
                "meeting_set",
                "participant_set",
                "outcome_set",
                "figure_set",
            ],
        )

    def test_the_relations_reach_the_citing_records(self):
        source = Source.objects.create(slug="s", title="S", language="en", kind=SourceKind.DOCUMENT, text="Said.")
        citation = Citation.objects.create(slug="c", source=source, passage="Said.")
        meeting = Meeting.objects.create(slug="m", title="M")
        meeting.citations.add(citation)
        cited = {name: list(getattr(citation, name).all()) for name in Citation.citing_relations()}
        self.assertEqual(cited.pop("meeting_set"), [meeting])
        self.assertFalse(any(cited.values()))
