"""Template helpers: text direction for a language, query strings."""

from django import template

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
