"""Shared test bases."""

import csv
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
COMMON = FIXTURES / "00_common.json"  # what every source document refers to (the topics)


class CatalogueTestCase(TestCase):
    """Tests against the curated catalogue, loaded once per class as a reader would find it.

    A class that reads the records of one source document only names its fixture in `document`: it gets
    that document and the common records, so that what it reads comes from that document.
    """

    document = None

    @classmethod
    def setUpTestData(cls):
        if cls.document:
            call_command("load_catalogue", str(COMMON), str(FIXTURES / cls.document), verbosity=0)
        else:
            call_command("load_catalogue", verbosity=0)

    def csv_rows(self, path):
        """The rows of a CSV export as dicts keyed by header."""
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
