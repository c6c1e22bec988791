"""Compile the catalogue's .po files into the .mo files Django reads, without GNU gettext.

`manage.py compilemessages` does the same with GNU gettext's msgfmt; this
uses Babel (a dependency already), so it runs on any machine. The .mo files
are committed; tests/test_i18n.py fails when one no longer matches its .po.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def po_files():
    """Every .po file under the project's locale paths."""
    for locale_path in settings.LOCALE_PATHS:
        yield from sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files with Babel (no GNU gettext needed)."

    def handle(self, *args, **options):
        for po_path in po_files():
            with po_path.open("rb") as f:
                catalog = read_po(f, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)
            self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
