"""Load the curated catalogue: every fixture in fixtures/ (or the files given), in one transaction.

All or nothing: a missing file, a file that is not a JSON fixture, or a record that cannot be loaded
(an unknown model or field, a reference to a record that does not exist, a broken constraint) stops
the command with a message naming the file, exit status 1, and the database as it was.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def check_fixture(path):
    """Refuse, with a message, a file that is missing or is not a JSON fixture."""
    if not path.exists():
        raise CommandError(f"{path}: no such file. Nothing was loaded.")
    if not path.is_file():
        raise CommandError(f"{path}: not a file. Nothing was loaded.")
    if path.suffix != ".json":
        raise CommandError(f"{path}: not a JSON fixture (the catalogue loads .json files). Nothing was loaded.")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text, so not a JSON fixture. Nothing was loaded.") from None
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}). Nothing was loaded."
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) and "model" in r for r in records):
        raise CommandError(
            f"{path}: not a fixture: expected a list of records, each with a \"model\" and its \"fields\". "
            "Nothing was loaded."
        )


class Command(BaseCommand):
    help = (
        "Load (or refresh) the curated catalogue from fixtures/*.json, or from the fixture files given. "
        "Loading twice changes nothing; a broken file changes nothing either."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="JSON fixture files to load instead of fixtures/*.json.")

    def handle(self, *args, files=(), **options):
        paths = [Path(f) for f in files] or sorted(FIXTURES.glob("*.json"))
        if not paths:
            raise CommandError(f"No fixtures found in {FIXTURES}.")
        for path in paths:
            check_fixture(path)
        try:
            with transaction.atomic():
                call_command("loaddata", *map(str, paths), verbosity=options["verbosity"])
        except Exception as error:  # whatever failed, the transaction has undone everything
            message = " ".join(str(error).split())
            raise CommandError(f"Loading failed and nothing was changed: {message}") from error
