"""Small test data made in code: one linked record of each kind, and users in their roles.

For tests that need a few records of known shape rather than the whole curated catalogue
(tests/base.py loads that one).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, User

from partnerships.models import (
    Citation,
    Delegation,
    DelegationMember,
    DeskDraft,
    Figure,
    Meeting,
    Office,
    Organisation,
    Outcome,
    Participant,
    Partnership,
    Person,
    Place,
    PlaceName,
    PlaceRedirect,
    Source,
    StatusStep,
    Topic,
    Venue,
)

SOURCE_TEXT = (
    "Visit of the delegation of Harbin (PRC) to Murmansk\n\n"
    "From 23 to 25 May 2016, an official delegation of Harbin paid a visit in Murmansk.\n\n"
    "The protocol signed on October 13, 2015, paves the way for the establishment of sister-city relations."
)
PASSAGE = "From 23 to 25 May 2016, an official delegation of Harbin paid a visit in Murmansk."


def day(text):
    return datetime.date.fromisoformat(text)


def build_catalogue(tag=""):
    """One of everything, linked the way curated entries are; `tag` keeps slugs apart for repeated calls."""
    s = f"-{tag}" if tag else ""
    source = Source.objects.create(
        slug=f"harbin-in-murmansk{s}",
        title="Visit of the delegation of Harbin (PRC) to Murmansk",
        language="en",
        text=SOURCE_TEXT,
        date_earliest=day("2016-05-23"),
        date_latest=day("2016-05-23"),
        date_precision="day",
    )
    citation = Citation.objects.create(slug=f"harbin-visit-dates{s}", source=source, passage=PASSAGE)
    oblast = Place.objects.create(
        slug=f"murmansk-oblast{s}", name="Murmansk Oblast", name_native="Мурманская область",
        native_language="ru", level="province", country="RU",
    )
    murmansk = Place.objects.create(
        slug=f"murmansk{s}", name="Murmansk", name_native="Мурманск", native_language="ru", level="city",
        country="RU", parent=oblast, latitude=68.97, longitude=33.08, population=270384,
    )
    harbin = Place.objects.create(
        slug=f"harbin{s}", name="Harbin", name_native="哈尔滨", native_language="zh", level="city", country="CN",
    )
    PlaceName.objects.create(place=murmansk, name="Murmnask", kind="misspelling", source=source)
    PlaceRedirect.objects.create(old_slug=f"murmansk-city{s}", place=murmansk)
    administration = Organisation.objects.create(
        slug=f"murmansk-administration{s}", name="Murmansk City Administration",
        name_native="Администрация города Мурманска", kind="government", place=murmansk,
    )
    town_hall = Venue.objects.create(
        slug=f"murmansk-city-hall{s}", name="Murmansk city hall", place=murmansk, organisation=administration
    )
    host = Person.objects.create(slug=f"andrey-sysoev{s}", name="Andrey Sysoev", name_native="Андрей Сысоев")
    guest = Person.objects.create(slug=f"li-ming{s}", name="Li Ming", name_native="李明")
    office = Office.objects.create(
        slug=f"head-of-murmansk{s}", person=host, title="Head of the City of Murmansk",
        title_original="Глава города Мурманска", organisation=administration, place=murmansk,
        date_earliest=day("2016-01-01"), date_latest=day("2016-12-31"), date_precision="year",
    )
    health = Topic.objects.create(slug=f"health-care{s}", name="Health care")
    rehabilitation = Topic.objects.create(slug=f"rehabilitation{s}", name="Rehabilitation", parent=health)
    partnership = Partnership.objects.create(slug=f"harbin-murmansk{s}", place_a=harbin, place_b=murmansk)
    step = StatusStep.objects.create(
        slug=f"harbin-murmansk-protocol-2015{s}", partnership=partnership, status="protocol_of_intent",
        date_earliest=day("2015-10-13"), date_latest=day("2015-10-13"), date_precision="day",
    )
    delegation = Delegation.objects.create(
        slug=f"harbin-to-murmansk-2016{s}", title="Harbin delegation to Murmansk, May 2016",
        origin=harbin, destination=murmansk, partnership=partnership, invited_by=administration,
        date_earliest=day("2016-05-23"), date_latest=day("2016-05-25"), date_precision="days",
    )
    member = DelegationMember.objects.create(delegation=delegation, person=guest, role="leader")
    meeting = Meeting.objects.create(
        slug=f"talks-murmansk-2016{s}", title="Talks at Murmansk city hall", place=murmansk, venue=town_hall,
        delegation=delegation, partnership=partnership,
        date_earliest=day("2016-05-23"), date_latest=day("2016-05-25"), date_precision="days",
    )
    meeting.topics.add(health, rehabilitation)
    signing = Meeting.objects.create(
        slug=f"gulf-stream-signing-2016{s}", title="Twinning signature at the Gulf Stream festival",
        kind="signing", status="planned", place=murmansk, partnership=partnership,
        date_earliest=day("2016-09-09"), date_latest=day("2016-09-11"), date_precision="days",
    )
    host_part = Participant.objects.create(meeting=meeting, person=host, office=office, side="host", role="leader")
    guest_part = Participant.objects.create(meeting=meeting, person=guest, side="guest", role="leader")
    outcome = Outcome.objects.create(
        slug=f"twinning-planned{s}", kind="follow_up", status="planned", title="Twinning to be signed",
        meeting=meeting, partnership=partnership, made_by=host, leads_to=signing,
        date_earliest=day("2016-09-01"), date_latest=day("2016-09-30"), date_precision="month",
    )
    figure = Figure.objects.create(
        slug=f"murmansk-sister-cities{s}", label="Sister cities of Murmansk", value=Decimal(11),
        unit="cities", as_written="11th sister city", place=murmansk, partnership=partnership, meeting=meeting,
    )
    DeskDraft.objects.create(title=source.title, text=SOURCE_TEXT, language="en", date_written="23 May 2016")
    for record in (murmansk, harbin, administration, town_hall, host, office, partnership, step, delegation,
                   member, meeting, host_part, guest_part, outcome, figure):
        record.citations.add(citation)
    return {
        "source": source, "citation": citation, "murmansk": murmansk, "harbin": harbin, "partnership": partnership,
        "meeting": meeting, "host": host, "guest": guest, "office": office, "health": health,
    }


def editor(username="editor", password=None):
    """A staff account in the Editors group.

    Without a password unless a test types one: hashing one takes a noticeable fraction of a second,
    and tests that only need someone logged in use force_login.
    """
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
