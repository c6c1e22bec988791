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
