"""Shared test bases."""

import csv
import io

from django.core.management import call_command
from django.test import TestCase


class CatalogueTestCase(TestCase):
    """Tests against the curated catalogue, loaded once per class as a reader would find it."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_catalogue", verbosity=0)

    def csv_rows(self, path):
        """The rows of a CSV export as dicts keyed by header."""
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
