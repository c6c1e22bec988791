"""The editors' desk: an article annotated with what the catalogue already knows, and what it could add.

`annotate(text, language, reference)` finds in an article:

- places the catalogue knows, by any of their names and variants in any
  script, inflected or not ("Мурманска", "Narviks", "رشت،"), with their
  level and country;
- people already in the catalogue, by full name or surname, with the offices
  they held;
- topics, by their names and keywords;
- dates, read in the article's language and calendar (partnerships/dates.py);
- numbers with units ("16 million tonnes", "۱۶ میلیون تن"), as candidate figures.

Names are found with one Aho–Corasick automaton (pyahocorasick) over every
name, variant and keyword, built once per process and built again when the
names change: a cheap fingerprint query (row counts, highest ids, the latest
change an editor made to a place, a person or a topic) tells whether the
catalogue's names moved since it was built, in this process or another.
Matching a whole catalogue of tens of thousands of names costs one pass
over the article.

Everything found is a proposal: the desk (admin/desk.py) shows it, and the
editor accepts, corrects or rejects it; nothing here writes to the database.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import ahocorasick
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .dates import find_dates
from .models import Person, Place, PlaceName, Revision, Topic

# A name found at the start of a longer word still matches when the rest is
# an inflection ending: Мурманск-а, Narvik-s, Бабушкин-а, گیلان-ی.
MAX_ENDING = 3
MIN_NAME = 3  # shorter names ("Of", "Ob") match too many ordinary words
SURNAME_MIN = 4


@dataclass
class Found:
    """One thing found in the article: what kind, where, the words, and the candidate records."""

    kind: str  # place, person, topic, date, figure
    start: int
    end: int
    written: str
    candidates: list = field(default_factory=list)  # records, best first
    value: object = None  # a date's UncertainDate, a figure's (value, unit)
    strength: int = 0  # 2 for a whole name, 1 for a surname alone

    @property
    def key(self):
        return f"{self.kind}-{self.start}"


def _lower(text):
    """Lowercase without changing the text's length, so positions in it are positions in the article."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in unicodedata.normalize("NFC", text))


def _is_letter(c):
    return c.isalnum() or c in "\u200c\u200d"


class NameIndex:
    """Every name of the catalogue's places, people and topics in one automaton."""

    def __init__(self):
        self.automaton = ahocorasick.Automaton()
        self.size = 0

    def add(self, name, kind, pk, strength):
        name = _lower(" ".join((name or "").split()))
        if len(name) < MIN_NAME:
            return
        entries = self.automaton.get(name, None) or []
        entries.append((kind, pk, strength, len(name)))
        self.automaton.add_word(name, entries)
        self.size += 1

    def build(self):
        for pk, name, native in Place.objects.values_list("pk", "name", "name_native").iterator():
            self.add(name, "place", pk, 2)
            self.add(native, "place", pk, 2)
        for pk, name in PlaceName.objects.values_list("place_id", "name").iterator():
            self.add(name, "place", pk, 2)
        for pk, name, native in Person.objects.values_list("pk", "name", "name_native"):
            for full in (name, native):
                self.add(full, "person", pk, 2)
                parts = (full or "").split()
                if len(parts) > 1 and len(parts[-1]) >= SURNAME_MIN:
                    self.add(parts[-1], "person", pk, 1)  # the surname alone, as articles repeat it
        for pk, name, keywords in Topic.objects.values_list("pk", "name", "keywords"):
            self.add(name, "topic", pk, 2)
            for word in (keywords or "").split(","):
                self.add(word.strip(), "topic", pk, 2)
        if self.size:
            self.automaton.make_automaton()
        return self

    def find(self, text):
        """(start, end, kind, pk, strength) of every name in the text that stands as a word or inflected word."""
        if not self.size:
            return []
        lowered = _lower(text)
        hits = []
        for last, entries in self.automaton.iter(lowered):
            for kind, pk, strength, length in entries:
                start, end = last - length + 1, last + 1
                if start > 0 and _is_letter(lowered[start - 1]):
                    continue
                stop = end
                while stop < len(lowered) and _is_letter(lowered[stop]):
                    stop += 1
                if stop - end > (MAX_ENDING if length >= 4 else 0):
                    continue
                hits.append((start, stop, kind, pk, strength))
        return hits


_index = None
_index_fingerprint = None
_index_lock = threading.Lock()


def names_fingerprint():
    """What the index depends on, in one query: it changes whenever a name may have."""
    counts = {}
    for model in (Place, PlaceName, Person, Topic):
        counts[model.__name__] = tuple(model.objects.aggregate(n=Count("pk"), top=Max("pk")).values())
    types = ContentType.objects.get_for_models(Place, PlaceName, Person, Topic).values()
    latest = Revision.objects.filter(content_type__in=types).aggregate(top=Max("pk"))["top"]
    return (tuple(sorted(counts.items())), latest)


def name_index():
    """The automaton of every name, rebuilt when the catalogue's names have changed."""
    global _index, _index_fingerprint
    fingerprint = names_fingerprint()
    with _index_lock:
        if _index is None or fingerprint != _index_fingerprint:
            _index, _index_fingerprint = NameIndex().build(), fingerprint
        return _index


def forget_names(**kwargs):
    """Drop the index; connected to saves and deletions of places, names, people and topics."""
    global _index
    with _index_lock:
        _index = None


for _model in (Place, PlaceName, Person, Topic):
    post_save.connect(forget_names, sender=_model, dispatch_uid=f"desk-names-{_model.__name__}")
    post_delete.connect(forget_names, sender=_model, dispatch_uid=f"desk-names-del-{_model.__name__}")


# ---------------------------------------------------------------------------
# Figures: numbers with units


_MULTIPLIERS = {
    "thousand": 1000, "тыс": 1000, "тысяч": 1000, "tusen": 1000, "هزار": 1000,
    "million": 10**6, "millioner": 10**6, "millions": 10**6, "млн": 10**6, "миллион": 10**6, "میلیون": 10**6,
    "billion": 10**9, "milliard": 10**9, "milliarder": 10**9, "млрд": 10**9, "миллиард": 10**9, "میلیارد": 10**9,
}
_UNITS = {
    "tonnes": "tonnes", "tonne": "tonnes", "tons": "tonnes", "tonn": "tonnes", "тонн": "tonnes", "тонны": "tonnes",
    "т": "tonnes", "تن": "tonnes",
    "km": "km", "kilometres": "km", "kilometer": "km", "км": "km", "کیلومتر": "km",
    "people": "people", "persons": "people", "personer": "people", "человек": "people", "نفر": "people",
    "tourists": "tourists", "turister": "tourists", "туристов": "tourists", "گردشگر": "tourists",
    "%": "%", "percent": "%", "prosent": "%", "процентов": "%", "процента": "%", "درصد": "%",
    "dollars": "USD", "usd": "USD", "euro": "EUR", "eur": "EUR", "kroner": "NOK", "nok": "NOK",
    "rubles": "RUB", "рублей": "RUB", "руб": "RUB", "ریال": "IRR", "تومان": "IRT",
    "ports": "ports", "havner": "ports", "порта": "ports", "портов": "ports", "بندر": "ports",
    "students": "students", "studenter": "students", "студентов": "students", "دانشجو": "students",
    "years": "years", "år": "years", "лет": "years", "سال": "years",
}
_WORD = r"[^\W\d_]+|%"
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<number>[0-9۰-۹]+(?:[ .,\u00a0\u202f][0-9۰-۹]{3})*(?:[.,٫][0-9۰-۹]+)?)"
    rf"(?:\s*(?P<mult>{_WORD})\.?)?(?:\s*(?P<unit>{_WORD}))?"
)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789.")


def _number(text):
    text = text.translate(_DIGITS).replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}([ .,]\d{3})+", text):
        text = re.sub(r"[ .,]", "", text)
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def find_figures(text):
    """Numbers followed by a unit (and perhaps "million" first): candidate figures, with value and unit."""
    found = []
    for m in _FIGURE.finditer(text):
        mult_word, unit_word = (m["mult"] or "").lower(), (m["unit"] or "").lower()
        multiplier = _MULTIPLIERS.get(mult_word)
        unit = _UNITS.get(unit_word) if multiplier else _UNITS.get(mult_word)
        if unit is None:
            continue
        number = _number(m["number"])
        if number is None:
            continue
        end = m.end() if multiplier else m.end("mult")
        written = text[m.start():end]
        found.append(Found("figure", m.start(), end, written, value=(number * (multiplier or 1), unit)))
    return found


# ---------------------------------------------------------------------------
# The whole annotation


_KIND_ORDER = {"date": 0, "figure": 1, "place": 2, "person": 3, "topic": 4}


def annotate(text, language="", reference=None):
    """Everything found in the article, in reading order, overlaps resolved in favour of the longer find."""
    index = name_index()
    hits = index.find(text)
    records = {
        "place": Place.objects.in_bulk({pk for _, _, kind, pk, _ in hits if kind == "place"}),
        "person": Person.objects.prefetch_related("offices__place", "offices__organisation").in_bulk(
            {pk for _, _, kind, pk, _ in hits if kind == "person"}
        ),
        "topic": Topic.objects.in_bulk({pk for _, _, kind, pk, _ in hits if kind == "topic"}),
    }
    grouped = {}
    for start, end, kind, pk, strength in hits:
        found = grouped.setdefault((start, end, kind), Found(kind, start, end, text[start:end]))
        record = records[kind].get(pk)
        if record is not None and record not in found.candidates:
            found.strength = max(found.strength, strength)
            found.candidates.append(record)
    finds = [f for f in grouped.values() if f.candidates]
    finds += [Found("date", d.start, d.end, d.written, value=d.date) for d in find_dates(text, language, reference)]
    finds += find_figures(text)
    # Longest first; a find overlapping one kept already is dropped (a date's digits are no figure).
    kept, taken = [], []
    for found in sorted(finds, key=lambda f: (-(f.end - f.start), _KIND_ORDER[f.kind], f.start)):
        if any(found.start < end and start < found.end for start, end in taken):
            continue
        kept.append(found)
        taken.append((found.start, found.end))
    return sorted(kept, key=lambda f: f.start)


def describe(found):
    """A find in a few words, for the margin and the mark's title."""
    if found.kind == "place":
        return "; ".join(f"{p.name} ({p.get_level_display()}, {p.country.name})" for p in found.candidates)
    if found.kind == "person":
        parts = []
        for person in found.candidates:
            offices = ", ".join(o.title for o in person.offices.all())
            parts.append(f"{person.name}{f' — {offices}' if offices else ''}")
        return "; ".join(parts)
    if found.kind == "topic":
        return ", ".join(t.name for t in found.candidates)
    if found.kind == "date":
        return f"{found.value.display} ({found.value.describe()})"
    value, unit = found.value
    return f"{value.normalize():,f} {unit}"


def annotated_html(text, finds):
    """The article as HTML, each find in a <mark> saying what it is; everything else escaped."""
    out, at = [], 0
    for found in finds:
        out.append(escape(text[at:found.start]))
        out.append(
            f'<mark class="desk-{found.kind}" id="{found.key}" title="{escape(describe(found))}">'
            f"{escape(found.written)}</mark>"
        )
        at = found.end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def similar_people(name, limit=3):
    """The people whose names are closest to `name` (folded, in any script), best first, with a score 0–1."""
    from difflib import SequenceMatcher

    from .text import fold

    wanted = fold(name)
    if not wanted:
        return []
    words = set(wanted.split())
    scored = []
    for person in Person.objects.only("pk", "name", "name_native", "slug"):
        best = 0
        for candidate in (person.name, person.name_native):
            folded = fold(candidate)
            if not folded:
                continue
            ratio = SequenceMatcher(None, wanted, folded).ratio()
            if words & set(folded.split()):
                ratio = max(ratio, 0.6)  # a shared name (the surname, say) is worth a look
            best = max(best, ratio)
        if best >= 0.6:
            scored.append((best, person))
    scored.sort(key=lambda pair: -pair[0])
    return scored[:limit]
