"""Citing a record, and describing it for machines.

Every detail page can be cited: its title, its stable URL, the date it was read and the source
documents it rests on, as plain text on the page and as BibTeX (`cite.bib`) and CSL-JSON
(`cite.json`) files that reference managers import. Meetings, delegations, places, people, topics and
sources are also described in schema.org terms as JSON-LD (`data.jsonld`: an Event, a Place, a
Person, a DefinedTerm, an Article or Dataset), served as a document of its own that the page links
with `<link rel="alternate" type="application/ld+json">`: the Content-Security-Policy allows no inline
script, and a linked document keeps the page's HTML free of it.
"""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy

from .i18n.formats import reader_date
from .i18n.names import local_name
from .models import DatePrecision, Delegation, Meeting, MeetingStatus, Partnership, Person, Place, Source, Topic
from .templatetags.catalogue import web_url

SITE_NAME = gettext_lazy("Partnerships catalogue")

# The detail pages by the first part of their path: the model, and what a citation calls such a record.
KINDS = {
    "cities": (Place, "place"),
    "partnerships": (Partnership, "partnership"),
    "delegations": (Delegation, "delegation"),
    "meetings": (Meeting, "meeting"),
    "people": (Person, "person"),
    "topics": (Topic, "topic"),
    "sources": (Source, "source"),
}


def record_of(kind, slug):
    if kind not in KINDS:
        raise Http404("No such kind of record.")
    return get_object_or_404(KINDS[kind][0], slug=slug)


def sources_of(record):
    """The source documents a record rests on: those its citations quote (a source rests on itself)."""
    if isinstance(record, Source):
        return [record]
    if not hasattr(record, "citations"):
        return []
    sources = {}
    for citation in record.citations.select_related("source").order_by("source__slug"):
        sources.setdefault(citation.source_id, citation.source)
    return list(sources.values())


def source_reference(source):
    """A source in a line: its title, publisher, date and address."""
    parts = [source.title_english or source.title]
    if source.publisher:
        parts.append(source.publisher)
    if source.date_display:
        parts.append(source.date_display)
    text = ", ".join(parts)
    url = web_url(source.url)  # an http(s) address only: never a `javascript:` one
    return f"{text}. {url}" if url else text


def english():
    return (get_language() or "en").split("-")[0] == "en"


def day_text(day):
    """A day as the reader's language writes it: "29 August 2019", "29 августа 2019 г."."""
    return f"{day:%-d %B %Y}" if english() else reader_date(DatePrecision.DAY, day, day)


class Reference:
    """What a citation of a record says, read from the record and the request."""

    def __init__(self, request, record, sources=None, accessed=None):
        self.record = record
        self.kind = type(record)._meta.verbose_name
        self.title = str(record) if english() else str(local_name(record))
        self.url = request.build_absolute_uri(record.get_absolute_url())
        self.accessed = accessed or timezone.localdate()
        self.updated = timezone.localtime(record.updated_at).date()
        self.sources = sources_of(record) if sources is None else sources
        self.key = f"partnerships-{type(record)._meta.model_name}-{record.slug}"

    @property
    def based_on(self):
        return "; ".join(source_reference(s) for s in self.sources)

    def based_on_text(self):
        return gettext("Based on: %(sources)s") % {"sources": self.based_on}

    def plain(self):
        text = gettext(
            "“%(title)s” (%(kind)s). %(site)s, last changed %(updated)s. %(url)s (accessed %(accessed)s)."
        ) % {"title": self.title, "kind": self.kind, "site": SITE_NAME, "updated": day_text(self.updated),
             "url": self.url, "accessed": day_text(self.accessed)}
        if not self.sources:
            return text
        based_on = self.based_on_text()
        return f"{text} {based_on}" + ("" if based_on.endswith(".") else ".")

    def bibtex(self):
        fields = {
            "title": f"{{{bibtex_escape(self.title)}}}",
            "howpublished": f"{{{bibtex_escape(SITE_NAME)}}}",
            "url": f"{{{self.url}}}",
            "urldate": f"{{{self.accessed.isoformat()}}}",
            "year": f"{{{self.updated.year}}}",
            "note": f"{{{bibtex_escape(self.kind.capitalize())}"
            + (f". {bibtex_escape(self.based_on_text())}" if self.sources else "")
            + "}",
        }
        body = ",\n".join(f"  {name} = {value}" for name, value in fields.items())
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def csl(self):
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "genre": str(self.kind),
            "container-title": str(SITE_NAME),
            "URL": self.url,
            "accessed": {"date-parts": [date_parts(self.accessed)]},
            "issued": {"date-parts": [date_parts(self.updated)]},
        }
        if self.sources:
            item["note"] = self.based_on_text()
        return [item]


def date_parts(day):
    return [day.year, day.month, day.day]


BIBTEX_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "&%$#_{}"} | {"~": r"\~{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
)


def bibtex_escape(text):
    """Text safe inside a BibTeX field: LaTeX's special characters escaped (other scripts pass as UTF-8)."""
    return str(text).translate(BIBTEX_SPECIAL)


def cite_bibtex(request, kind, slug):
    reference = Reference(request, record_of(kind, slug))
    response = HttpResponse(reference.bibtex(), content_type="application/x-bibtex; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{reference.key}.bib"'
    return response


def cite_csl(request, kind, slug):
    reference = Reference(request, record_of(kind, slug))
    response = HttpResponse(json_text(reference.csl()), content_type="application/vnd.citationstyles.csl+json")
    response["Content-Disposition"] = f'inline; filename="{reference.key}.json"'
    return response


# ---------------------------------------------------------------------------
# schema.org as JSON-LD


def schema_dates(record):
    """startDate and endDate as precise as the record's date: a day, two days, a month ("2014-03"), a year.

    A half year is given as its year: schema.org dates have no half years, and
    its first and last day would read as an event lasting six months. The date
    as shown ("first half of 2020") is in the description.
    """
    a, b = record.date_earliest, record.date_latest
    if not a:
        return {}
    match record.date_precision:
        case DatePrecision.DAY:
            return {"startDate": a.isoformat(), "endDate": a.isoformat()}
        case DatePrecision.DAYS:
            return {"startDate": a.isoformat(), "endDate": b.isoformat()}
        case DatePrecision.MONTH:
            return {"startDate": f"{a:%Y-%m}"}
        case _:
            return {"startDate": str(a.year)}


def described_date(record):
    if not record.date_earliest:
        return ""
    if record.date_original:
        return gettext("Date: %(date)s (the source: “%(original)s”).") % {
            "date": record.date_display, "original": record.date_original}
    return gettext("Date: %(date)s.") % {"date": record.date_display}


def place_ld(request, place, full=True):
    data = {
        "@type": "Place",
        "@id": request.build_absolute_uri(place.get_absolute_url()),
        "name": place.name,
        "url": request.build_absolute_uri(place.get_absolute_url()),
        "address": {"@type": "PostalAddress", "addressCountry": place.country.code},
    }
    if place.latitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": place.latitude, "longitude": place.longitude}
    if not full:
        return data
    names = [n for n in [place.name_native, *(n.name for n in place.names.all())] if n and n != place.name]
    if names:
        data["alternateName"] = list(dict.fromkeys(names))
    if place.parent:
        data["containedInPlace"] = place_ld(request, place.parent, full=False)
    if place.geonames_id:
        data["sameAs"] = f"https://www.geonames.org/{place.geonames_id}/"
    if place.description:
        data["description"] = place.description
    return data


def source_ld(request, source):
    data = {
        "@type": "Dataset" if source.kind == "dataset" else "Article",
        "@id": request.build_absolute_uri(source.get_absolute_url()),
        "name": source.title,
        "inLanguage": source.language,
        "url": source.url or request.build_absolute_uri(source.get_absolute_url()),
    }
    if source.title_english:
        data["alternateName"] = source.title_english
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date_earliest:
        data["datePublished"] = schema_dates(source)["startDate"]
    if source.licence:
        data["license"] = source.licence
    return data


def event_ld(request, record, place):
    data = {
        "@type": "Event",
        "name": record.title,
        **schema_dates(record),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
    }
    description = " ".join(t for t in (described_date(record), getattr(record, "summary", "")) if t)
    if description:
        data["description"] = description
    if place:
        data["location"] = place_ld(request, place, full=False)
    return data


def json_ld(request, record):
    """The record in schema.org terms, or None for a kind it has no type for (partnerships)."""
    if isinstance(record, Meeting):
        data = event_ld(request, record, record.place)
        if record.status == MeetingStatus.PLANNED:
            planned = gettext("Planned.")
            data["description"] = f"{planned} {data.get('description', '')}"
        people = record.participants.select_related("person")
        if people:
            data["attendee"] = [person_ld(request, p.person) for p in people]
        topics = record.topics.all()
        if topics:
            data["about"] = [topic_ld(request, t) for t in topics]
    elif isinstance(record, Delegation):
        data = event_ld(request, record, record.destination)
        members = record.members.select_related("person")
        if members:
            data["attendee"] = [person_ld(request, m.person) for m in members]
    elif isinstance(record, Place):
        data = place_ld(request, record)
    elif isinstance(record, Person):
        data = person_ld(request, record, full=True)
    elif isinstance(record, Topic):
        data = topic_ld(request, record)
    elif isinstance(record, Source):
        data = source_ld(request, record)
    else:
        return None
    url = request.build_absolute_uri(record.get_absolute_url())
    data = {"@context": "https://schema.org", **data, "@id": url, "url": url}
    sources = [s for s in sources_of(record) if s != record]
    if sources:
        data["subjectOf"] = [source_ld(request, s) for s in sources]
    return data


def person_ld(request, person, full=False):
    data = {
        "@type": "Person",
        "@id": request.build_absolute_uri(person.get_absolute_url()),
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }
    if not full:
        return data
    if person.name_native:
        data["alternateName"] = person.name_native
    if person.honorific:
        data["honorificPrefix"] = person.honorific
    offices = person.offices.select_related("organisation")
    if offices:
        data["jobTitle"] = [o.title for o in offices]
        organisations = [o.organisation.name for o in offices if o.organisation]
        if organisations:
            data["affiliation"] = [{"@type": "Organization", "name": n} for n in dict.fromkeys(organisations)]
    if person.description:
        data["description"] = person.description
    return data


def topic_ld(request, topic):
    data = {
        "@type": "DefinedTerm",
        "@id": request.build_absolute_uri(topic.get_absolute_url()),
        "name": topic.name,
        "url": request.build_absolute_uri(topic.get_absolute_url()),
        "inDefinedTermSet": request.build_absolute_uri("/topics/"),
    }
    if topic.description:
        data["description"] = topic.description
    return data


def json_text(data):
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def linked_data(request, kind, slug):
    record = record_of(kind, slug)
    data = json_ld(request, record)
    if data is None:
        raise Http404("No schema.org description for this kind of record.")
    response = HttpResponse(json_text(data), content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def has_linked_data(model):
    return model is not Partnership

