"""The twin-town importer, through its command and the public pages.

The rows are copied from shared/data/twin_cities_wikipedia.csv (the comment
gives each one's line there); the file itself is imported whole by the last
test when ../shared/data exists.
"""

import hashlib
import io
import re
import tempfile
from pathlib import Path
from unittest import mock, skipUnless

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships.management.commands.import_twin_towns import Command as ImportTwinTowns
from partnerships.models import (
    Citation,
    NameKind,
    Partnership,
    PartnershipStatus,
    Place,
    PlaceLevel,
    PlaceName,
    Source,
    SourceKind,
    StatusStep,
)
from tests.base import CatalogueTestCase

SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
FULL_FILE = SHARED_DATA / "twin_cities_wikipedia.csv"

HEADER = "city1,country1,lat1,lng1,city2,country2,lat2,lng2"
ROWS = [  # (line in the shared file, the row as it stands there)
    (4544, "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075"),
    (14591, "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035"),
    (18249, "Narvik,Norway,68.4384,17.4272,Kikinda,Serbia,45.8333,20.45"),
    (18250, "Narvik,Norway,68.4384,17.4272,Kingisepp,Russia,59.3667,28.6167"),
    (18251, "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028"),
    (18252, "Narvik,Norway,68.4384,17.4272,Nowy Sącz,Poland,49.6239,20.6972"),
    (8204, "Rovaniemi,Finland,66.5,25.7333,Narvik,Norway,68.4384,17.4272"),
    (4552, 'Harbin,China,45.7576,126.6409,Sunderland,"England, United Kingdom",54.906,-1.381'),
    (7101, "Sunderland,England,54.906,-1.381,Harbin,China,45.7576,126.6409"),  # the same pair, reversed
    (12069, "Nienburg,Germany,52.6488,9.2578,Nienburg,Germany,52.6488,9.2578"),  # a place with itself
    (4529, "Harbin,China,45.7576,126.6409,Arras (communauté),France,50.2802,2.7875"),
    (2183, "Maldegem,Belgium,51.2,3.4333,Świdnica (rural gmina),Poland,50.85,16.4833"),
    (115, "Córdoba,Argentina,-31.4167,-64.1834,Córdoba,Mexico,18.8945,-96.9353"),  # one name, three countries
    (116, "Córdoba,Argentina,-31.4167,-64.1834,Córdoba,Spain,37.8846,-4.776"),
    (10454, "Akhmeta,Georgia (country),42.0342,45.2109,Bilhorod-Dnistrovskyi,Ukraine,46.1833,30.35"),
    (4827, 'Ningbo,China,29.8603,121.6245,"Varna, Bulgaria",,43.2167,27.9167'),  # empty country2
    (6915, "Portsmouth,England,50.8058,-1.0872,Falkland Islands,,-51.73,-59.22"),
]
SNIPPET = "\n".join([HEADER] + [row for _, row in ROWS]) + "\n"


def line_of(shared_line):
    """The line a shared-file row has in SNIPPET (the header is line 1)."""
    return [n for n, _ in ROWS].index(shared_line) + 2


def snapshot():
    """Every row of the tables an import writes, as a digest per table: equal digests, nothing changed."""
    tables = [
        Place,
        PlaceName,
        Partnership,
        StatusStep,
        Citation,
        Source,
        Place.citations.through,
        Partnership.citations.through,
        StatusStep.citations.through,
    ]
    digests = {}
    for model in tables:
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.order_by("pk").values_list(*fields)
        digest = hashlib.sha256()
        count = 0
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
            count += 1
        digests[model._meta.db_table] = (count, digest.hexdigest())
    return digests


class TwinTownImportMixin:
    def setUp(self):
        super().setUp()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, text, name="twin_towns_sample.csv"):
        path = Path(self.tmp.name) / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    def run_import(self, path, *args, verbosity=1):
        out = io.StringIO()
        call_command("import_twin_towns", str(path), *args, stdout=out, verbosity=verbosity)
        return out.getvalue()


class TwinTownImportTests(TwinTownImportMixin, CatalogueTestCase):
    def setUp(self):
        super().setUp()
        self.output = self.run_import(self.write(SNIPPET))

    def place(self, name, country):
        places = Place.objects.filter(name=name, country=country)
        self.assertEqual(places.count(), 1, f"{name} ({country}): {list(places.values_list('slug', flat=True))}")
        return places.get()

    # Meeting the curated catalogue

    def test_harbin_murmansk_meets_the_curated_places_and_partnership(self):
        self.assertEqual(self.place("Harbin", "CN").slug, "harbin")
        self.assertEqual(self.place("Murmansk", "RU").slug, "murmansk")
        harbin, murmansk = Place.objects.get(slug="harbin"), Place.objects.get(slug="murmansk")
        self.assertEqual(list(Partnership.objects.between(harbin, murmansk).values_list("slug", flat=True)),
                         ["harbin-murmansk"])

    def test_narvik_partners_attach_to_the_curated_narvik(self):
        narvik = self.place("Narvik", "NO")
        self.assertEqual(narvik.slug, "narvik")
        partners = {
            (p.place_b if p.place_a == narvik else p.place_a).name
            for p in Partnership.objects.involving(narvik).select_related("place_a", "place_b")
        }
        self.assertEqual(partners, {"Kazakhstan", "Kikinda", "Kingisepp", "Kiruna", "Nowy Sącz", "Rovaniemi"})

    def test_the_city_of_astrakhan_is_not_the_curated_province(self):
        rasht = Place.objects.get(slug="rasht")
        astrakhan = self.place("Astrakhan", "RU")
        self.assertNotEqual(astrakhan.slug, "astrakhan-oblast")
        self.assertEqual(astrakhan.level, PlaceLevel.CITY)
        pair = Partnership.objects.between(rasht, astrakhan).get()
        self.assertNotEqual(pair.slug, "gilan-astrakhan")
        province_pair = Partnership.objects.get(slug="gilan-astrakhan")
        self.assertEqual(province_pair.place_b.slug, "astrakhan-oblast")
        self.assertEqual(list(province_pair.steps.values_list("status", flat=True)), ["cooperation"])

    # The rows' own shapes

    def test_a_pair_and_its_reverse_are_one_partnership(self):
        harbin, sunderland = Place.objects.get(slug="harbin"), self.place("Sunderland", "GB")
        pair = Partnership.objects.between(harbin, sunderland).get()
        self.assertEqual(
            sorted(pair.citations.values_list("locator", flat=True)),
            sorted([f"line {line_of(4552)}", f"line {line_of(7101)}"]),
        )
        self.assertEqual(pair.steps.count(), 1)
        self.assertIn("1 rows repeat a pair", self.output)

    def test_a_place_paired_with_itself_is_refused_and_reported(self):
        self.assertIn(f"line {line_of(12069)}: pairs “Nienburg” (DE) with itself", self.output)
        self.assertFalse(Place.objects.filter(name="Nienburg").exists())
        self.assertIn("place paired with itself: 1", self.output)

    def test_bracketed_qualifiers_go_to_the_notes(self):
        arras = self.place("Arras", "FR")
        self.assertIn("(communauté)", arras.notes)
        self.assertEqual(arras.level, PlaceLevel.MUNICIPALITY)
        self.assertTrue(arras.names.filter(name="Arras (communauté)", kind=NameKind.VARIANT).exists())
        swidnica = self.place("Świdnica", "PL")
        self.assertIn("(rural gmina)", swidnica.notes)
        self.assertEqual(swidnica.slug, "swidnica-rural-gmina")

    def test_country_values_become_iso_codes(self):
        self.assertIn("England, United Kingdom", self.place("Sunderland", "GB").notes)
        self.assertIn("Georgia (country)", self.place("Akhmeta", "GE").notes)
        varna = self.place("Varna", "BG")  # country2 empty, "Varna, Bulgaria" in the name column
        self.assertIn("Varna, Bulgaria", varna.notes)
        self.assertEqual(self.place("Falkland Islands", "FK").level, PlaceLevel.REGION)

    def test_one_name_in_three_countries_is_three_places(self):
        self.assertEqual(
            sorted(Place.objects.filter(name="Córdoba").values_list("country", flat=True)), ["AR", "ES", "MX"]
        )

    def test_names_are_kept_as_published_and_searchable(self):
        self.place("Nowy Sącz", "PL")
        self.place("Bilhorod-Dnistrovskyi", "UA")
        response = self.client.get("/search/", {"q": "Nowy Sacz"})
        self.assertContains(response, "Nowy Sącz")

    # Status and provenance

    def test_each_pair_gets_one_undated_twinning_step_citing_its_row(self):
        rasht_astrakhan = Partnership.objects.get(place_a__slug="rasht", place_b__name="Astrakhan")
        self.assertEqual(rasht_astrakhan.status, PartnershipStatus.TWINNING)
        step = rasht_astrakhan.steps.get()
        self.assertIsNone(step.date_earliest)
        self.assertEqual(step.status, PartnershipStatus.TWINNING)
        citation = step.citations.get()
        self.assertEqual(citation.passage, "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035")
        self.assertEqual(citation.locator, f"line {line_of(14591)}")
        self.assertEqual(set(citation.place_set.values_list("name", flat=True)), {"Rasht", "Astrakhan"})
        self.assertEqual(list(citation.partnership_set.all()), [rasht_astrakhan])

    def test_curated_steps_are_not_altered_and_keep_deciding_the_status(self):
        pair = Partnership.objects.get(slug="harbin-murmansk")
        self.assertEqual(pair.status, PartnershipStatus.PROTOCOL_OF_INTENT)  # the curated, dated history
        dated = pair.steps.exclude(date_earliest=None)
        self.assertEqual(sorted(dated.values_list("slug", flat=True)),
                         ["harbin-murmansk-protocol-of-intent-2014", "harbin-murmansk-protocol-of-intent-2015"])
        self.assertEqual(list(pair.steps.filter(date_earliest=None).values_list("status", flat=True)), ["twinning"])

    def test_the_file_is_a_dataset_source_with_its_licence(self):
        source = Source.objects.get(slug="twin-towns-sample")
        self.assertEqual(source.kind, SourceKind.DATASET)
        for words in ("Wikipedia contributors", "CC BY-SA 4.0", "Hekman/twincities", "MIT"):
            self.assertIn(words, source.licence)
        self.assertEqual(source.citations.count(), len(ROWS) - 1)  # the self-pair creates nothing

    def test_imported_records_are_searchable(self):
        for slug, model in (("twin-towns-sample-line-2", Citation), ("harbin-murmansk-twinning", StatusStep)):
            record = model.objects.get(slug=slug)
            self.assertTrue(record.search_text)
            text = record.search_text
            record.refresh_search_text()
            self.assertEqual(record.search_text, text, "search_text as a save would write it")
        for name in ("Astrakhan", "Arras"):  # Arras has a variant name, "Arras (communauté)"
            place = Place.objects.get(name=name)
            text = place.search_text
            place.refresh_search_text()
            self.assertEqual(place.search_text, text)

    def test_pages_show_the_imported_records_and_their_citation(self):
        response = self.client.get("/partnerships/harbin-murmansk/")
        self.assertContains(response, "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075")
        self.assertContains(response, f"line {line_of(4544)}")
        self.assertContains(response, "Wikipedia contributors")
        astrakhan = Place.objects.get(name="Astrakhan")
        self.assertContains(self.client.get(astrakhan.get_absolute_url()), "Rasht")
        response = self.client.get("/sources/twin-towns-sample/")
        self.assertContains(response, "CC BY-SA 4.0")
        found = {r.slug for _, records in self.client.get("/search/", {"q": "Astrakhan"}).context["groups"]
                 for r in records}
        self.assertLessEqual({"astrakhan-oblast", astrakhan.slug}, found)

    def test_the_admin_shows_kind_licence_and_locator(self):
        editor = User.objects.create_user("editor", is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(editor)
        source = Source.objects.get(slug="twin-towns-sample")
        response = self.client.get(reverse("admin:partnerships_source_change", args=[source.pk]))
        form = response.context["adminform"].form
        self.assertEqual(form.initial["kind"], SourceKind.DATASET)
        self.assertIn("CC BY-SA 4.0", form.initial["licence"])
        self.assertEqual(response.context["inline_admin_formsets"], [])  # a dataset's rows are listed, not inlined
        self.assertContains(response, f"{len(ROWS) - 1} citations of this source")
        citation = source.citations.get(locator=f"line {line_of(14591)}")
        response = self.client.get(reverse("admin:partnerships_citation_change", args=[citation.pk]))
        self.assertEqual(response.context["adminform"].form.initial["locator"], f"line {line_of(14591)}")
        response = self.client.get(reverse("admin:partnerships_citation_changelist"), {"source__id__exact": source.pk})
        self.assertContains(response, f"{len(ROWS) - 1} citations")
        document = Source.objects.get(slug="harbin-murmansk-2016")
        response = self.client.get(reverse("admin:partnerships_source_change", args=[document.pk]))
        self.assertEqual(len(response.context["inline_admin_formsets"]), 1)  # a document's citations inline

    # Importing again

    def test_a_second_import_changes_nothing(self):
        before = snapshot()
        output = self.run_import(self.write(SNIPPET))
        self.assertEqual(snapshot(), before)
        for counted in ("places:", "partnerships:", "status steps:", "citations:"):
            line = next(line for line in output.splitlines() if line.strip().startswith(counted))
            self.assertRegex(line, r":\s+0 created")

    def test_a_dry_run_writes_nothing(self):
        before = snapshot()
        output = self.run_import(self.write(SNIPPET, name="other_sample.csv"), "--dry-run")
        self.assertIn("Dry run", output)
        self.assertEqual(snapshot(), before)


class TwinTownImportProblemTests(TwinTownImportMixin, CatalogueTestCase):
    def test_row_problems_are_reported_by_line_and_the_rest_imports(self):
        text = "\n".join(
            [
                HEADER,
                "Harbin,China,45.7576,126.6409,Murmansk,Russia,68.9706,33.075",  # 2: fine
                "Narvik,Atlantis,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028",  # 3: unknown country
                "Narvik,Norway,north,17.4272,Kiruna,Sweden,67.8489,20.3028",  # 4: bad coordinates
                "Narvik,Norway,68.4384,17.4272,Kiruna,Sweden,95,20.3028",  # 5: latitude out of range
                ",Norway,68.4384,17.4272,Kiruna,Sweden,67.8489,20.3028",  # 6: empty city
                "Narvik,Norway,68.4384,17.4272,Kiruna",  # 7: too few fields
                "Nowhere Town,,1,1,Kiruna,Sweden,67.8489,20.3028",  # 8: empty country, none in the name
                'Narvik,Norway,68.4384,17.4272,"Kiruna,Sweden,67.8489,20.3028',  # 9: unbalanced quote
                "Rasht,Iran,37.2744,49.5889,Astrakhan,Russia,46.35,48.035",  # 10: fine
                "Springfield,United States,39.799,-89.644,Rasht,Iran,37.2744,49.5889",  # 11: fine
                "Springfield,United States,42.1015,-72.5898,Narvik,Norway,68.4384,17.4272",  # 12: another Springfield
            ]
        )
        output = self.run_import(self.write(text))
        expected = {
            3: "unknown country “Atlantis”",
            4: "bad coordinates for city1 “Narvik”",
            5: "lie outside",
            6: "empty city1",
            7: "expected 8 fields, found 5",
            8: "empty country for city1 “Nowhere Town”",
            9: "malformed CSV",
        }
        for line, reason in expected.items():
            self.assertRegex(output, rf"line {line}: [^\n]*{re.escape(reason)}")
        self.assertRegex(output, r"rows imported:\s+4\b")
        self.assertRegex(output, r"rows skipped:\s+7\b")
        self.assertFalse(Place.objects.filter(name="Kiruna").exists())
        # Two places of one name in one country, far apart, stay two.
        self.assertEqual(Place.objects.filter(name="Springfield", country="US").count(), 2)
        self.assertTrue(Partnership.objects.filter(slug="rasht-astrakhan").exists())

    def assert_refused(self, path, message):
        before = snapshot()
        with self.assertRaisesMessage(CommandError, message):
            self.run_import(path)
        self.assertEqual(snapshot(), before, "a refused file changes nothing")

    def test_a_missing_file_is_refused(self):
        self.assert_refused(Path(self.tmp.name) / "missing.csv", "no such file")

    def test_a_file_of_another_format_is_refused(self):
        geonames = "\t".join(["118743", "Rasht", "Rasht", "RAS,Rasht", "37.28077", "49.58319", "P", "PPLA", "IR", "",
                              "08", "", "", "", "594590", "", "1", "Asia/Tehran", "2012-01-16"])
        self.assert_refused(self.write(geonames + "\n"), "not a twin-town CSV")
        self.assert_refused(self.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary file")
        self.assert_refused(self.write(""), "empty")
        self.assert_refused(Path(self.tmp.name), "not a file")

    def test_a_file_in_another_encoding_is_refused(self):
        text = HEADER + "\nNowy Sącz,Poland,49.6239,20.6972,Narvik,Norway,68.4384,17.4272\n"
        self.assert_refused(self.write(text.encode("iso-8859-2")), "line 2 is not valid UTF-8")

    def test_a_half_broken_file_imports_nothing(self):
        good = "\n".join(row for _, row in ROWS[:8])
        broken = HEADER + "\n" + good + "\n" + "Kraków,Poland,50.06,19.94,Narvik,Norway,68.4384,17.4272\n"
        data = broken.encode("utf-8").replace("Kraków".encode(), "Kraków".encode("cp1250"))
        self.assert_refused(self.write(data), f"line {len(ROWS[:8]) + 2} is not valid UTF-8")

    def test_the_command_exits_non_zero_with_its_message(self):
        err = io.StringIO()
        command = ImportTwinTowns(stdout=io.StringIO(), stderr=err)
        argv = ["manage.py", "import_twin_towns", str(Path(self.tmp.name) / "missing.csv")]
        # run_from_argv is what manage.py runs; it closes the connections afterwards, which a test must not.
        with self.assertRaises(SystemExit) as exit, mock.patch("django.core.management.base.connections.close_all"):
            command.run_from_argv(argv)
        self.assertNotEqual(exit.exception.code, 0)
        self.assertIn("no such file", err.getvalue())


@skipUnless(FULL_FILE.exists(), f"{FULL_FILE} not found: the full twin-town import is not tested")
class FullTwinTownImportTests(TwinTownImportMixin, CatalogueTestCase):
    def test_the_whole_file_imports_and_a_second_import_changes_nothing(self):
        output = self.run_import(FULL_FILE)
        summary = {
            "rows read": r"25,917",
            "rows imported": r"25,914",
            "places": r"17,144 created, 4 matched",
            "partnerships": r"24,761 created, 1 matched, 1,152 rows repeat a pair",
            "status steps": r"24,762 created",
            "citations": r"25,914 created, 0 updated, 103,658 links created",  # + Beisfjord, Narvik region
            "rows skipped": r"3",
            "place paired with itself": r"3",
        }
        for label, value in summary.items():
            self.assertRegex(output, rf"{label}:\s+{value}\b")
        self.assertEqual(
            set(Place.objects.filter(citations__source__slug="twin-cities-wikipedia", slug__in=[
                "harbin", "murmansk", "rasht", "narvik", "astrakhan-oblast", "gilan"]).values_list("slug", flat=True)),
            {"harbin", "murmansk", "rasht", "narvik"},
        )
        self.assertEqual(Partnership.objects.filter(place_a__name="Harbin", place_b__name="Murmansk").count(), 1)

        before = snapshot()
        output = self.run_import(FULL_FILE)
        self.assertEqual(snapshot(), before)
        self.assertRegex(output, r"places:\s+0 created, 17,148 matched")
        self.assertRegex(output, r"partnerships:\s+0 created, 24,762 matched")
        self.assertRegex(output, r"citations:\s+0 created, 0 updated, 0 links created")
