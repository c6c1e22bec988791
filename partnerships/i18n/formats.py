"""Dates and numbers as each of the site's languages writes them, from the CLDR data Babel carries.

English keeps the catalogue's own forms ("29 August 2019", "first half of
2020"). The other languages get CLDR's long forms: "29. august 2019",
"29 августа 2019 г.", "2019年8月29日". Persian pages read the Solar Hijri
date first, with the Gregorian beside it, both in Persian digits:
"۱۸ فروردین ۱۴۰۲ (۷ آوریل ۲۰۲۳)".
"""

from functools import lru_cache

import jdatetime
from babel.dates import format_interval, format_skeleton
from babel.numbers import format_decimal
from django.utils.translation import get_language, gettext, pgettext

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def language_code(language=None):
    """The active (or given) Django language code, e.g. "zh-hans"; "en" when none is active."""
    return (language or get_language() or "en").lower()


@lru_cache(maxsize=16)
def babel_locale(language):
    """Babel's name for a Django language code: "zh-hans" → "zh_Hans"."""
    base, _, script = language.partition("-")
    return f"{base}_{script.title()}" if script else base


def local_digits(text, language=None):
    """Text with its digits in the language's own script: Persian pages write ۲۰۱۹."""
    text = str(text)
    return text.translate(PERSIAN_DIGITS) if language_code(language) == "fa" else text


def number(value, language=None):
    """A whole number with the language's grouping and digits: 12,345 · 12 345 · ۱۲٬۳۴۵."""
    language = language_code(language)
    if value is None or value == "":
        return ""
    system = "arabext" if language == "fa" else "latn"
    return local_digits(format_decimal(value, locale=babel_locale(language), numbering_system=system), language)


def gregorian(precision, earliest, latest, language=None):
    """An uncertain Gregorian date (see FuzzyDated) in a language other than English."""
    language = language_code(language)
    locale = babel_locale(language)
    match precision:
        case "day":
            text = format_skeleton("yMMMMd", earliest, locale=locale)
        case "month":
            text = format_skeleton("yMMMM", earliest, locale=locale)
        case "half":
            year = format_skeleton("y", earliest, locale=locale).rstrip("年")
            if earliest.month < 7:
                text = gettext("first half of %(year)s") % {"year": year}
            else:
                text = gettext("second half of %(year)s") % {"year": year}
        case "year":
            text = format_skeleton("y", earliest, locale=locale)
        case _:
            text = format_interval(earliest, latest, "yMMMMd", locale=locale)
    return local_digits(text, language)


def solar_hijri_month(month):
    """The Solar Hijri month's name as it follows a day number, in the active language."""
    return [
        pgettext("Solar Hijri month, after a day", "Farvardin"),
        pgettext("Solar Hijri month, after a day", "Ordibehesht"),
        pgettext("Solar Hijri month, after a day", "Khordad"),
        pgettext("Solar Hijri month, after a day", "Tir"),
        pgettext("Solar Hijri month, after a day", "Mordad"),
        pgettext("Solar Hijri month, after a day", "Shahrivar"),
        pgettext("Solar Hijri month, after a day", "Mehr"),
        pgettext("Solar Hijri month, after a day", "Aban"),
        pgettext("Solar Hijri month, after a day", "Azar"),
        pgettext("Solar Hijri month, after a day", "Dey"),
        pgettext("Solar Hijri month, after a day", "Bahman"),
        pgettext("Solar Hijri month, after a day", "Esfand"),
    ][month - 1]


def solar_hijri_day(day):
    """One Solar Hijri day: "18 Farvardin 1402", "۱۸ فروردین ۱۴۰۲"."""
    return pgettext("Solar Hijri day", "%(day)s %(month)s %(year)s") % {
        "day": day.day, "month": solar_hijri_month(day.month), "year": day.year,
    }


def solar_hijri(precision, earliest, latest, language=None):
    """An uncertain date in the Solar Hijri calendar, e.g. "۱۸ فروردین ۱۴۰۲".

    A Gregorian month, half year or year straddles two Solar Hijri months
    or years, so those read as the months they run between.
    """
    a = jdatetime.date.fromgregorian(date=earliest)
    b = jdatetime.date.fromgregorian(date=latest)
    if precision == "day" or a == b:
        text = solar_hijri_day(a)
    elif precision == "days":
        if (a.year, a.month) == (b.year, b.month):
            text = pgettext("Solar Hijri days", "%(first)s–%(last)s %(month)s %(year)s") % {
                "first": a.day, "last": b.day, "month": solar_hijri_month(a.month), "year": a.year,
            }
        else:
            text = f"{solar_hijri_day(a)} – {solar_hijri_day(b)}"
    elif (a.year, a.month) == (b.year, b.month):
        text = f"{solar_hijri_month_name(a.month)} {a.year}"
    elif a.year == b.year:
        text = f"{solar_hijri_month_name(a.month)}–{solar_hijri_month_name(b.month)} {a.year}"
    else:
        text = f"{solar_hijri_month_name(a.month)} {a.year} – {solar_hijri_month_name(b.month)} {b.year}"
    return local_digits(text, language)


def solar_hijri_month_name(month):
    """A Solar Hijri month's name on its own (Persian and the transliteration need no other form)."""
    return jdatetime.date.j_months_fa[month - 1] if language_code() == "fa" else jdatetime.date.j_months_en[month - 1]


def reader_date(precision, earliest, latest, language=None):
    """An uncertain date for a reader of a language other than English.

    Persian readers get the Solar Hijri date with the Gregorian beside it.
    """
    language = language_code(language)
    text = gregorian(precision, earliest, latest, language)
    if language == "fa":
        return f"{solar_hijri(precision, earliest, latest, language)} ({text})"
    return text
