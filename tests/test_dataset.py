"""The open dataset: a valid Frictionless Data Package and a SQLite file holding every row of the catalogue."""

import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings
from frictionless import Package, system

from partnerships import dataset
from partnerships.models import Meeting, Place
from tests.base import CatalogueTestCase


class DatasetTests(CatalogueTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.directory = Path(tempfile.mkdtemp(prefix="dataset-"))
        cls.settings = override_settings(DOWNLOADS_DIR=cls.directory)
        cls.settings.enable()
        call_command("export_dataset", stdout=io.StringIO())

    @classmethod
    def tearDownClass(cls):
        cls.settings.disable()
        shutil.rmtree(cls.directory, ignore_errors=True)
        super().tearDownClass()

    def test_the_data_package_is_valid(self):
        with system.use_context(trusted=True):
            report = Package(str(self.directory / "datapackage" / "datapackage.json")).validate()
        errors = [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors][:10]
        self.assertTrue(report.valid, errors)

    def test_the_descriptor_says_types_meanings_keys_and_licences(self):
        package = json.loads((self.directory / "datapackage" / "datapackage.json").read_text())
        self.assertEqual(package["licenses"][0]["name"], "CC-BY-SA-4.0")
        attribution = " ".join(s["title"] for s in package["sources"])
        for name in ("Wikipedia contributors", "Hekman/twincities", "GeoNames", "CC BY 4.0", "Wikidata", "CC0"):
            self.assertIn(name, attribution)
        meeting = next(r for r in package["resources"] if r["name"] == "meeting")
        fields = {f["name"]: f for f in meeting["schema"]["fields"]}
        self.assertEqual(fields["date_earliest"]["type"], "date")
        self.assertEqual(fields["date_earliest"]["description"], "First day the date can mean (Gregorian).")
        self.assertEqual(fields["place_id"]["type"], "integer")
        self.assertNotIn("search_text", fields)
        self.assertEqual(meeting["schema"]["primaryKey"], "id")
        self.assertIn({"fields": "place_id", "reference": {"resource": "place", "fields": "id"}},
                      meeting["schema"]["foreignKeys"])
        self.assertNotIn("revision", {r["name"] for r in package["resources"]})

    def test_the_sqlite_file_holds_as_many_rows_as_the_site(self):
        db = sqlite3.connect(self.directory / dataset.SQLITE_NAME)
        try:
            for name, model in dataset.tables():
                with self.subTest(table=name):
                    (count,) = db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
                    self.assertEqual(count, model._base_manager.count())
            for noun, table in [("places", "place"), ("meetings", "meeting"), ("people", "person"),
                                ("partnerships", "partnership"), ("sources", "source")]:
                with self.subTest(list=noun):
                    site = json.loads(self.client.get(f"/api/v1/{noun}/").content)["count"]
                    self.assertEqual(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], site)
            self.assertEqual(db.execute("PRAGMA foreign_key_check").fetchall(), [])
            name = db.execute('SELECT "name_native" FROM "place" WHERE "slug" = ?', ["murmansk"]).fetchone()[0]
            self.assertEqual(name, "Мурманск")
        finally:
            db.close()

    def test_the_zip_is_the_package(self):
        with zipfile.ZipFile(self.directory / dataset.ZIP_NAME) as zf:
            names = set(zf.namelist())
        self.assertIn("partnerships-catalogue/datapackage.json", names)
        self.assertIn("partnerships-catalogue/data/meeting.csv", names)

    def test_the_download_page_says_how_fresh_the_files_are(self):
        page = self.client.get("/downloads/")
        self.assertContains(page, "The catalogue has not changed since.")
        self.assertContains(page, 'href="/downloads/partnerships-catalogue.zip"')
        Meeting.objects.get(slug="harbin-negotiations-2015").save()
        self.assertContains(self.client.get("/downloads/"), "The catalogue has changed since")

    def test_if_stale_writes_only_after_a_change(self):
        directory = Path(tempfile.mkdtemp(prefix="dataset-"))
        self.addCleanup(shutil.rmtree, directory, ignore_errors=True)

        def export():
            out = io.StringIO()
            call_command("export_dataset", "--if-stale", "--dir", str(directory), stdout=out)
            return out.getvalue()

        self.assertIn("tables", export())
        self.assertIn("up to date", export())
        Place.objects.get(slug="narvik").save()
        self.assertIn("tables", export())
        self.assertIn("up to date", export())

    def test_only_the_generated_files_are_served(self):
        for name, kind in [(dataset.ZIP_NAME, "application/zip"), (dataset.SQLITE_NAME, "application/vnd.sqlite3"),
                           ("datapackage/datapackage.json", "application/json"),
                           ("datapackage/data/place.csv", "text/csv; charset=utf-8")]:
            response = self.client.get(f"/downloads/{name}")
            self.assertEqual((response.status_code, response["Content-Type"]), (200, kind), name)
            self.assertTrue(b"".join(response.streaming_content))  # not response.close(): it would end the
            # request again and close the database connection that the test's transaction runs on
        for name in ("state.json", "../db.sqlite3", "datapackage/data/../../state.json", "nothing.zip"):
            self.assertEqual(self.client.get(f"/downloads/{name}").status_code, 404, name)
