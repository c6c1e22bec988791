"""Write the whole catalogue as an open dataset (a Frictionless Data Package and a SQLite file) for /downloads/.

Run by the catalogue's build after every load or import (docker compose runs it at start) and, where
editors work in the admin, from cron: with --if-stale it does nothing unless the catalogue has
changed since the files were made, so running it often costs little.
"""

from django.conf import settings
from django.core.management import BaseCommand

from ... import dataset


class Command(BaseCommand):
    help = (
        "Write the catalogue as a Frictionless Data Package (zip and directory) and a SQLite file into "
        "DJANGO_DOWNLOADS_DIR (default downloads/), served at /downloads/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="Write here instead of DJANGO_DOWNLOADS_DIR.")
        parser.add_argument(
            "--if-stale", action="store_true",
            help="Do nothing when the files already hold the catalogue as it is.",
        )
        parser.add_argument("--base-url", default="", help="The site's address, recorded as the package's homepage.")

    def handle(self, *args, dir=None, if_stale=False, base_url="", **options):
        directory = dir or settings.DOWNLOADS_DIR
        if if_stale:
            made = dataset.read_state(directory)
            if made and made.get("catalogue") == dataset.catalogue_state():
                self.stdout.write(f"{directory}: up to date (made {made['created']}); nothing written.")
                return
        state = dataset.export(directory, base_url)
        total = sum(state["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"{directory}: {len(state['rows'])} tables, {total:,} rows; "
            f"{dataset.ZIP_NAME} {state['sizes'][dataset.ZIP_NAME]:,} bytes, "
            f"{dataset.SQLITE_NAME} {state['sizes'][dataset.SQLITE_NAME]:,} bytes."
        ))
