"""Template helpers: text direction for a language, dates, numbers and names for the reader, links."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_from_path, get_language_info, gettext

from ..i18n import formats, names

register = template.Library()

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi"}


@register.filter
def direction(language):
    """ "rtl" for right-to-left languages such as Persian, else "ltr"."""
    return "rtl" if (language or "").split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@register.inclusion_tag("includes/date.html")
def fuzzy_date(record):
    """A record's date as written, its interval, and the source calendar's form."""
    return {"record": record}


@register.inclusion_tag("includes/citations.html")
def citations(citations):
    return {"citations": citations}


@register.filter
def web_url(value):
    """The URL if it is an http(s) address, else "": a `javascript:` or `data:` URL never becomes a link.

    URLField validates what editors type, but rows written around the forms (imports, the shell) are
    not validated; a template links only what this filter lets through.
    """
    url = str(value or "").strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in {"http", "https"} and url.split(":", 1)[1].startswith("//") else ""


@register.inclusion_tag("includes/languages.html", takes_context=True)
def language_switcher(context):
    """A link to this very page, query string (filters) and all, in each of the site's languages."""
    request = context.get("request")
    current = get_language()
    path = request.path if request else "/"
    prefix = get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :] or "/"
    query = request.META.get("QUERY_STRING", "") if request else ""
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        href = path if code == settings.LANGUAGE_CODE else f"/{code}{path}"
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "href": f"{href}?{query}" if query else href,
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return {"languages": links}


@register.filter
def num(value):
    """A count in the reader's digits and grouping: 12,345 · 12 345 · ۱۲٬۳۴۵."""
    try:
        return formats.number(int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def digits(value):
    """Text (a year, coordinates) with its digits in the reader's script."""
    return formats.local_digits(value) if value not in (None, "") else value


@register.filter
def local_name(place):
    """A place's name in the reader's language where the catalogue knows one (see i18n/names.py)."""
    return names.local_name(place)


@register.simple_tag
def language_name(code):
    """A language's name, by its code, in the reader's language: "ru" → "Russian", "русский", "俄语"."""
    try:
        return gettext(get_language_info(code)["name"])  # Django's catalogue names most; ours the rest
    except KeyError:
        return code
