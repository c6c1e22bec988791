"""Dates typed as the sources write them, read into the catalogue's uncertain dates.

`parse_date("i løpet av første halvår 2020", "no")` gives 2020-01-01..2020-06-30,
precision half year; `parse_date("۱۸ فروردین ۱۴۰۲")` gives 7 April 2023 in the
Solar Hijri calendar. `find_dates(text, language)` finds the dates in an
article, for the editors' desk.

What is read here, and what by dateparser:

- Single dates in a named language ("29. august 2019", "13 October 2015",
  "October 13, 2015", "23 мая 2016 года", "March 2014") go to dateparser,
  which knows the month names, word orders and weekday names of some two
  hundred languages and says how precise the date is (day, month, year).
  Only absolute forms are passed on: "yesterday" or "in two days" means
  nothing without knowing when the source was written, so those relative
  forms are the few read here, against a reference date.
- Numeric days ("29.8.2019", "2019-08-29") and bare years are read here, day
  first: dateparser would fill a missing part from today's date.
- Spans of days ("23–25 May 2016", "May 23-25, 2016", "from 9 to 11 September
  2016", "30 May – 2 June 2016") are split here and each end read as a date.
- Half years ("first half of 2020", "første halvår 2020", "первое полугодие
  2020") and "this year" ("i år", "в этом году", "امسال") are read here;
  dateparser has neither.
- The Solar Hijri calendar ("۱۸ فروردین ماه ۱۴۰۲", "18 Farvardin 1402",
  "۱۴۰۲") is read here with jdatetime. A Solar Hijri month or year is an
  exact span of Gregorian days (1402 is 21 March 2023 – 19 March 2024), so
  its precision is "span of days": the catalogue's month and year precisions
  mean Gregorian months and years.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

import jdatetime

from .models import Calendar, DatePrecision, expected_interval

EXAMPLES = "29.8.2019, 23–25 May 2016, March 2014, 2015, first half of 2020 or ۱۸ فروردین ۱۴۰۲"


class DateNotUnderstood(ValueError):
    """A text no date could be read from; the message tells the editor what to write instead."""

    def __init__(self, text):
        self.text = text
        super().__init__(f"Could not read “{text}” as a date — write e.g. {EXAMPLES}.")


@dataclass(frozen=True)
class UncertainDate:
    """A date as the catalogue keeps it: an interval, its precision, its words and its calendar."""

    earliest: datetime.date
    latest: datetime.date
    precision: str
    original: str = ""
    calendar: str = Calendar.GREGORIAN
    text: str = ""  # shown to readers; empty when the model writes it from the interval

    def fields(self):
        """The values of a FuzzyDated record's date fields."""
        return {
            "date_earliest": self.earliest,
            "date_latest": self.latest,
            "date_precision": self.precision,
            "date_text": self.text,
            "date_original": self.original,
            "date_calendar": self.calendar,
        }

    @property
    def display(self):
        """The date as readers will see it: "first half of 2020"."""
        from .models import Meeting  # any FuzzyDated model writes the same display

        return Meeting(**self.fields()).date_display

    def describe(self):
        """What the text was understood as, for the editor: "1 Jan 2020 – 30 Jun 2020, half year"."""
        days = f"{_short(self.earliest)}" if self.earliest == self.latest else (
            f"{_short(self.earliest)} – {_short(self.latest)}"
        )
        described = f"{days}, {DatePrecision(self.precision).label}"
        if self.calendar == Calendar.SOLAR_HIJRI:
            described += ", Solar Hijri calendar"
        return described


def _short(day):
    return f"{day.day} {day:%b %Y}"


# ---------------------------------------------------------------------------
# Normalising the text


_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DASHES = re.compile(r"\s*[‐‑‒–—―−]\s*")
# Words before a date that do not change what it means.
_LEADING = re.compile(
    r"^(?:(?:the|from|in|on|during|i løpet av|i|fra|fra og med|den|в|во|с|со|в течение|از|در)\s+)+",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|fredag|"
    r"lørdag|søndag|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"شنبه|یکشنبه|دوشنبه|سه‌?شنبه|چهارشنبه|پنجشنبه|پنج‌شنبه|جمعه)\b,?\s*",
    re.IGNORECASE,
)
# Russian months after "в" ("в марте 2014"), which dateparser knows only in the other cases.
_RUSSIAN_PREPOSITIONAL = {
    "январе": "январь", "феврале": "февраль", "марте": "март", "апреле": "апрель", "мае": "май",
    "июне": "июнь", "июле": "июль", "августе": "август", "сентябре": "сентябрь", "октябре": "октябрь",
    "ноябре": "ноябрь", "декабре": "декабрь",
}


def normalise(text):
    """The text with ASCII digits, one kind of dash, single spaces, and no surrounding brackets or stops."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DIGITS)
    text = _DASHES.sub("–", " ".join(text.split()))
    return text.strip(" ()[],;:")


def _strip_words(text):
    text = _WEEKDAY.sub("", _LEADING.sub("", text))
    text = re.sub(r"\s+(?:года|год|г\.?)$", "", text, flags=re.IGNORECASE)
    words = [_RUSSIAN_PREPOSITIONAL.get(w.lower(), w) for w in text.split(" ")]
    return " ".join(words).strip(" ,.()[]")


# ---------------------------------------------------------------------------
# Forms read here


_HALF = re.compile(
    r"^(?:(?P<first>first|1st|første|1\.|перв\w*)|(?P<second>second|2nd|andre|annen|2\.|втор\w*))\s+"
    r"(?:half(?:\s+of)?|halvår(?:et)?(?:\s+(?:i|av))?|halvdel(?:\s+av)?|полугоди\w*)\s+(?P<year>\d{4})$"
    r"|^H(?P<h>[12])\s+(?P<hyear>\d{4})$",
    re.IGNORECASE,
)
_THIS_YEAR = re.compile(r"^(?:this year|i år|в этом году|в текущем году|امسال|این سال)$", re.IGNORECASE)
_NEXT_YEAR = re.compile(r"^(?:next year|neste år|i neste år|в следующем году|سال آینده)$", re.IGNORECASE)
_LAST_YEAR = re.compile(r"^(?:last year|i fjor|в прошлом году|سال گذشته|پارسال)$", re.IGNORECASE)
_YEAR = re.compile(r"^(?P<year>\d{4})$")
_NUMERIC_DAY = re.compile(r"^(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})$")
_ISO_DAY = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
# "May 23–25, 2016": the month first, then the span of days.
_MONTH_FIRST_SPAN = re.compile(r"^(?P<month>[^\d,]+?)\s+(?P<a>\d{1,2})\s*[–-]\s*(?P<b>\d{1,2}),?\s+(?P<year>\d{4})$")
_SPAN = re.compile(r"^(?P<a>.+?)\s*(?:–|-(?!\d{2}-)|\s(?:to|until|til|till|og|and|по|до|تا)\s)\s*(?P<b>.+)$")

_SOLAR_MONTHS = {name.lower(): i + 1 for i, name in enumerate(jdatetime.date.j_months_en)}
_SOLAR_MONTHS.update({name: i + 1 for i, name in enumerate(jdatetime.date.j_months_fa)})
_SOLAR_MONTHS.update({"ordibehesht": 2, "khordaad": 3, "mordaad": 5, "shahrivar": 6, "aabaan": 8, "aazar": 9})
_SOLAR_MONTH_NAMES = "|".join(sorted(map(re.escape, _SOLAR_MONTHS), key=len, reverse=True))
_SOLAR = re.compile(
    rf"^(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_SOLAR_MONTH_NAMES})(?:\s+ماه)?\s+(?P<year>1[34]\d\d)$",
    re.IGNORECASE,
)
_PERSIAN = re.compile(r"[\u0600-\u06FF]")


def _year_interval(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _solar_hijri(day, month, year, original):
    """A Solar Hijri day, month or year as its span of Gregorian days."""
    try:
        if day:
            g = jdatetime.date(year, month, day).togregorian()
            return UncertainDate(g, g, DatePrecision.DAY, original, Calendar.SOLAR_HIJRI)
        first_month, last_month = (month, month) if month else (1, 12)
        first = jdatetime.date(year, first_month, 1)
        last_day = jdatetime.j_days_in_month[last_month - 1]
        if last_month == 12 and first.isleap():
            last_day += 1
        last = jdatetime.date(year, last_month, last_day)
    except ValueError:
        raise DateNotUnderstood(original) from None
    names = jdatetime.date.j_months_en
    text = f"{names[month - 1]} {year}" if month else f"the Iranian year {year}"
    g_first, g_last = first.togregorian(), last.togregorian()
    text += f" ({_short(g_first)} – {_short(g_last)})"
    return UncertainDate(g_first, g_last, DatePrecision.DAYS, original, Calendar.SOLAR_HIJRI, text)


def _from_day(day, original):
    return UncertainDate(day, day, DatePrecision.DAY, original)


def _own_forms(text, original, language, reference):
    """The date if the text is one of the forms read here; None otherwise."""
    if m := _HALF.match(text):
        year = int(m["year"] or m["hyear"])
        second = bool(m["second"]) or m["h"] == "2"
        first_day = datetime.date(year, 7 if second else 1, 1)
        a, b = expected_interval(DatePrecision.HALF_YEAR, first_day)
        return UncertainDate(a, b, DatePrecision.HALF_YEAR, original)
    for pattern, offset in ((_THIS_YEAR, 0), (_NEXT_YEAR, 1), (_LAST_YEAR, -1)):
        if pattern.match(text):
            # Relative to the reference date's Gregorian year: the catalogue reads "امسال" said by
            # Astrakhan's governor as 2023, not as the Iranian year 1402.
            a, b = _year_interval((reference or datetime.date.today()).year + offset)
            return UncertainDate(a, b, DatePrecision.YEAR, original)
    if m := _SOLAR.match(text):
        day = int(m["day"]) if m["day"] else None
        return _solar_hijri(day, _SOLAR_MONTHS[m["month"].lower()], int(m["year"]), original)
    if m := _YEAR.match(text):
        year = int(m["year"])
        if 1300 <= year < 1500 and (language == "fa" or _PERSIAN.search(original)):
            return _solar_hijri(None, None, year, original)
        a, b = _year_interval(year)
        return UncertainDate(a, b, DatePrecision.YEAR, original)
    if m := _NUMERIC_DAY.match(text) or _ISO_DAY.match(text):
        try:
            return _from_day(datetime.date(int(m["y"]), int(m["m"]), int(m["d"])), original)
        except ValueError:
            raise DateNotUnderstood(original) from None
    return None


# ---------------------------------------------------------------------------
# dateparser, for single dates in any language


# The catalogue's language codes where dateparser's differ.
_DATEPARSER_LANGUAGES = {"no": "nb", "nob": "nb", "nno": "nn"}
_PARSERS = {}


def _dateparser(language):
    """A dateparser parser for one language (or every language), made once: building one reads its locales."""
    from dateparser.date import DateDataParser

    code = _DATEPARSER_LANGUAGES.get(language, language) or None
    if code not in _PARSERS:
        settings = {
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            # Absolute dates only, each naming its month and year: a missing part would be taken from today.
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["month", "year"],
        }
        try:
            _PARSERS[code] = DateDataParser(languages=[code] if code else None, settings=settings)
        except ValueError:  # a language dateparser does not know: try them all
            _PARSERS[code] = _dateparser("") if code else DateDataParser(settings=settings)
    return _PARSERS[code]


def _single(text, original, language, reference):
    """One date (day or month) read from the text, or None."""
    if not re.search(r"\d", text):
        return None
    found = _own_forms(text, original, language, reference)
    if found:
        return found
    data = _dateparser(language).get_date_data(text)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "month":
        a, b = expected_interval(DatePrecision.MONTH, day)
        return UncertainDate(a, b, DatePrecision.MONTH, original)
    if data.period == "year":
        a, b = _year_interval(day.year)
        return UncertainDate(a, b, DatePrecision.YEAR, original)
    return _from_day(day, original)


def _span(text, original, language, reference):
    """A span of days, "23–25 May 2016" or "30 May – 2 June 2016", or None."""
    if m := _MONTH_FIRST_SPAN.match(text):
        end = _single(f"{m['month']} {m['b']}, {m['year']}", original, language, reference)
        if end and end.precision == DatePrecision.DAY:
            start = _replace_day(end.earliest, int(m["a"]), original)
            return _days(start, end.latest, original, end.calendar)
    m = _SPAN.match(text)
    if not m:
        return None
    a, b = _strip_words(m["a"]), _strip_words(m["b"])
    end = _single(b, original, language, reference)
    if not end or end.precision != DatePrecision.DAY:
        return None
    if a.rstrip(".").isdigit():  # "23–25 May 2016": the first day in the last one's month
        start = _replace_day(end.earliest, int(a.rstrip(".")), original)
    else:  # "30 May – 2 June 2016": the first day in the last one's year
        begin = _single(a, original, language, reference) if re.search(r"\d{4}", a) else None
        begin = begin or _single(f"{a} {end.earliest.year}", original, language, reference)
        if not begin or begin.precision != DatePrecision.DAY:
            return None
        start = begin.earliest
    return _days(start, end.latest, original, end.calendar)


def _replace_day(day, number, original):
    try:
        return day.replace(day=number)
    except ValueError:
        raise DateNotUnderstood(original) from None


def _days(start, end, original, calendar_):
    if start > end:
        raise DateNotUnderstood(original)
    precision = DatePrecision.DAY if start == end else DatePrecision.DAYS
    return UncertainDate(start, end, precision, original, calendar_)


# ---------------------------------------------------------------------------
# The public functions


def parse_date(text, language="", reference=None):
    """The uncertain date a text means, as written by a source in `language` (a BCP 47 code; may be empty).

    `reference` is the day relative dates ("this year", "i år") are read
    from: the source's publication date, or today when not given. Raises
    DateNotUnderstood when the text is not a date the catalogue can read.
    """
    original = " ".join((text or "").split())
    if not original:
        raise DateNotUnderstood(text or "")
    language = (language or "").split("-")[0].lower()
    normal = normalise(original)
    cleaned = _strip_words(normal)
    found = (
        _own_forms(normal, original, language, reference)  # before "i" is stripped from "i år"
        or _own_forms(cleaned, original, language, reference)
        or _span(cleaned, original, language, reference)
        or _single(cleaned, original, language, reference)
    )
    if found is None:
        raise DateNotUnderstood(original)
    return found


def try_parse_date(text, language="", reference=None):
    """The date a text means, or None."""
    try:
        return parse_date(text, language, reference)
    except DateNotUnderstood:
        return None


# ---------------------------------------------------------------------------
# Dates in running text


_MONTH_WORDS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|"
    r"декабр\w*|" + _SOLAR_MONTH_NAMES
)
_D = r"\d{1,2}\.?"
_Y = r"(?:\d{4}|[۰-۹]{4})"
_PD = r"(?:\d{1,2}|[۰-۹]{1,2})"
_M = rf"(?:{_MONTH_WORDS})"
_DASH = r"\s*(?:[–—-]|\bto\b|\btil\b|\bпо\b|\bдо\b)\s*"
# The shapes a date takes in running text, longest first; each match is then read by parse_date.
_IN_TEXT = re.compile(
    rf"""(?ix)
    (?:\b(?:from|fra|с)\s+)?(?:{_D}(?:\s+{_M})?{_DASH}{_D}\s+{_M},?\s+{_Y}(?:\s+(?:года|г\.))?)   # 23–25 May 2016
    | {_M}\s+\d{{1,2}}{_DASH}\d{{1,2}},?\s+{_Y}                      # May 23–25, 2016
    | {_M}\s+\d{{1,2}},\s+{_Y}                                       # October 13, 2015
    | {_PD}\.?\s+{_M}(?:\s+ماه)?,?\s+{_Y}(?:\s+(?:года|г\.))?        # 29. august 2019, ۱۸ فروردین ماه ۱۴۰۲
    | \b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\b                              # 29.8.2019
    | \b\d{{4}}-\d{{2}}-\d{{2}}\b                                    # 2019-08-29
    | (?:\b(?:first|second)\s+half\s+of|\b(?:første|andre)\s+halvår(?:et)?|перв\w*\s+полугоди\w*
        |втор\w*\s+полугоди\w*)\s+{_Y}                                # first half of 2020
    | {_M}\s+{_Y}                                                    # March 2014, mars 2014
    | \b(?:this\s+year|in\s+this\s+year|i\s+år|в\s+этом\s+году)\b|امسال  # this year
    | (?<!\d[.,])\b(?:19|20)\d\d\b(?![\d%-]|[.,]\d)                 # 2015
    | (?<![۰-۹])[۱][۳۴][۰-۹][۰-۹](?![۰-۹])                          # ۱۴۰۲
    """,
)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text: where it stands and what it means."""

    start: int
    end: int
    written: str
    date: UncertainDate


def find_dates(text, language="", reference=None):
    """Every date the text states, in order, read in its language; a text no date reads from is left out."""
    found = []
    for match in _IN_TEXT.finditer(text or ""):
        written = match.group(0).strip()
        start = match.start() + match.group(0).index(written[:1]) if written else match.start()
        date = try_parse_date(written, language, reference)
        if date is not None:
            found.append(FoundDate(start, start + len(written), written, date))
    return found
