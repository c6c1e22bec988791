"""A small partnership network with coordinates, for the map and timeline tests.

The curated catalogue has no coordinates (its sources give none), so these
tests bring their own places. Oslo, Bergen and Tromsø (Norway) each have one
partner; Lyon, Nice (France), Kyoto (Japan) and Boston (United States) have
coordinates, "Nowhere" (France) has none:

    oslo–lyon       twinning, 1990 (a year)
    bergen–nice     friendship, 1 June 2005 (a day)
    tromso–kyoto    protocol of intent, March 2012 (a month); ended 2020
    lyon–boston     twinning, undated
    kyoto–boston    twinning, 2018: the short way round crosses the Pacific
    nice–nowhere    twinning, 2001: not drawn, Nowhere has no coordinates
"""

import calendar
import datetime

from partnerships.models import DatePrecision, Partnership, PartnershipStatus, Place, PlaceLevel, StatusStep

PLACES = {
    "oslo": ("Oslo", "NO", 59.91, 10.75),
    "bergen": ("Bergen", "NO", 60.39, 5.32),
    "tromso": ("Tromsø", "NO", 69.65, 18.96),
    "lyon": ("Lyon", "FR", 45.76, 4.84),
    "nice": ("Nice", "FR", 43.70, 7.27),
    "kyoto": ("Kyoto", "JP", 35.01, 135.77),
    "boston": ("Boston", "US", 42.36, -71.06),
    "nowhere": ("Nowhere", "FR", None, None),
}


def year(y):
    return datetime.date(y, 1, 1), datetime.date(y, 12, 31), DatePrecision.YEAR


def month(y, m):
    last = calendar.monthrange(y, m)[1]
    return datetime.date(y, m, 1), datetime.date(y, m, last), DatePrecision.MONTH


def day(y, m, d):
    return datetime.date(y, m, d), datetime.date(y, m, d), DatePrecision.DAY


PARTNERSHIPS = {
    ("oslo", "lyon"): [(PartnershipStatus.TWINNING, year(1990))],
    ("bergen", "nice"): [(PartnershipStatus.FRIENDSHIP, day(2005, 6, 1))],
    ("tromso", "kyoto"): [
        (PartnershipStatus.PROTOCOL_OF_INTENT, month(2012, 3)),
        (PartnershipStatus.ENDED, year(2020)),
    ],
    ("lyon", "boston"): [(PartnershipStatus.TWINNING, None)],
    ("kyoto", "boston"): [(PartnershipStatus.TWINNING, year(2018))],
    ("nice", "nowhere"): [(PartnershipStatus.TWINNING, year(2001))],
}


def place(slug, name=None, country="NO", latitude=None, longitude=None):
    return Place.objects.create(
        slug=slug, name=name or slug.title(), level=PlaceLevel.CITY, country=country,
        latitude=latitude, longitude=longitude,
    )


def partnership(a, b, steps=()):
    p = Partnership.objects.create(slug=f"{a.slug}-{b.slug}", place_a=a, place_b=b)
    for n, (status, when) in enumerate(steps):
        earliest, latest, precision = when or (None, None, "")
        StatusStep.objects.create(
            slug=f"{p.slug}-step-{n}", partnership=p, status=status,
            date_earliest=earliest, date_latest=latest, date_precision=precision,
        )
    return p


def build():
    """Create the network; the places by slug."""
    places = {slug: place(slug, name, country, lat, lon) for slug, (name, country, lat, lon) in PLACES.items()}
    for (a, b), steps in PARTNERSHIPS.items():
        partnership(places[a], places[b], steps)
    return places


def grow(n, prefix="extra"):
    """n more located partnerships, dated and undated, for query-count tests at another size."""
    for i in range(n):
        a = place(f"{prefix}-a-{i}", country="SE", latitude=50 + i % 30, longitude=-20 + i)
        b = place(f"{prefix}-b-{i}", country="DE", latitude=-30 + i % 40, longitude=100 - i)
        partnership(a, b, [(PartnershipStatus.TWINNING, year(1980 + i % 40) if i % 3 else None)])
