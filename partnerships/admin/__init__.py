"""The editors' admin.

Every model is registered with search in any script: the search fields
(names in Latin and native script) match the query as typed, and every
record's `search_text` matches the query folded the same way (so "Мурманск",
"murmansk" and "MURMANSK" all find Murmansk, and "tromso" finds Tromsø). The
same search serves the autocompletes. Every relation has an autocomplete,
inlines where an editor expects them, fieldsets grouped as an editor thinks
(names, place, dates, text, sources) and changelists whose query count does
not grow with the data.

Slugs are prepopulated from the name as the editor types; left blank, they
are made from the record's names (transliterated, so a name in any script
gives a Latin slug) and made unique.

The desk (desk.py, /admin/partnerships/desk/) turns a pasted article into
a source with its citations and the records it reports.

Every change made here is kept, and deleted records can be restored
(history.py). The shared behaviour is in base.py and inlines.py; each other
module registers the admins of one part of the catalogue.
"""

from django.contrib import admin

# Importing a module registers its admins.
from . import desk, history, meetings, outcomes, partnerships, people, places, sources, topics  # noqa: F401

admin.site.site_header = "Partnerships catalogue — editors"
admin.site.site_title = "Partnerships catalogue"
admin.site.index_title = "Catalogue"
