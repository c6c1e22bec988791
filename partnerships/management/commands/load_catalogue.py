"""Load the curated catalogue: every fixture in fixtures/, in one transaction."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load (or refresh) the curated catalogue from fixtures/*.json. Loading twice changes nothing."

    def handle(self, *args, **options):
        files = sorted(str(p) for p in FIXTURES.glob("*.json"))
        if not files:
            raise CommandError(f"No fixtures found in {FIXTURES}.")
        with transaction.atomic():
            call_command("loaddata", *files, verbosity=options["verbosity"])
