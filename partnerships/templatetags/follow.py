"""Links to follow a page (its Atom feed, its calendar) and to cite it, and the page's alternates in <head>.

Which page is shown is read from the URL it was reached by, so the templates need one tag each.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext

from ..citing import KINDS, Reference, has_linked_data

register = template.Library()

# The detail pages (URL names) with a feed, a calendar; every one has a citation and most JSON-LD.
FEEDS = {"place-detail": "place-feed", "partnership-detail": "partnership-feed", "person-detail": "person-feed",
         "topic-detail": "topic-feed"}
CALENDARS = {"place-detail": "place-calendar", "partnership-detail": "partnership-calendar"}
LIST_FEEDS = {"meeting-list"}  # lists whose formats include atom and ics
PATH_KINDS = {f"{name}-detail": kind for kind, (_, name) in KINDS.items()}


def page_links(request):
    """[(rel, type, title, href)] of the page: the catalogue's feed, the page's own feed, calendar, JSON-LD."""
    atom, calendar = "application/atom+xml", "text/calendar"
    links = [("alternate", atom, gettext("Partnerships catalogue: new and changed"), reverse("catalogue-feed"))]
    match = request.resolver_match
    if match is None:
        return links
    name, slug = match.url_name, match.kwargs.get("slug")
    if name in FEEDS:
        links.append(("alternate", atom, gettext("Atom feed of this page"), reverse(FEEDS[name], args=[slug])))
    if name in CALENDARS:
        links.append(("alternate", calendar, gettext("Its meetings (iCalendar)"),
                      reverse(CALENDARS[name], args=[slug])))
    if name in LIST_FEEDS:
        query = request.GET.copy()
        query.pop("page", None)
        for fmt, kind, title in (("atom", atom, gettext("These meetings: Atom feed")),
                                 ("ics", calendar, gettext("These meetings (iCalendar)"))):
            query["format"] = fmt
            links.append(("alternate", kind, title, f"{request.path}?{query.urlencode()}"))
    if name in PATH_KINDS:
        kind = PATH_KINDS[name]
        if has_linked_data(KINDS[kind][0]):
            links.append(("alternate", "application/ld+json", gettext("Described in schema.org terms (JSON-LD)"),
                          reverse("linked-data", args=[kind, slug])))
    return links


@register.inclusion_tag("includes/alternates.html", takes_context=True)
def alternate_links(context):
    request = context.get("request")
    return {"links": page_links(request) if request else []}


@register.inclusion_tag("includes/follow_and_cite.html", takes_context=True)
def follow_and_cite(context, record):
    """The page's feed, calendar and JSON-LD, and a citation of it in plain text, BibTeX and CSL-JSON."""
    request = context["request"]
    match = request.resolver_match
    citations = context.get("citations")
    sources = None
    if citations is not None and hasattr(record, "citations"):
        sources = list({c.source_id: c.source for c in citations}.values())
    kind = PATH_KINDS[match.url_name]
    return {
        "links": page_links(request)[1:],  # not the whole catalogue's feed
        "reference": Reference(request, record, sources=sources),
        "bibtex_url": reverse("cite-bibtex", args=[kind, record.slug]),
        "csl_url": reverse("cite-csl", args=[kind, record.slug]),
    }
