"""Drafts and publishing: readers never see a draft, editors see them marked, reviewers publish them.

The strongest check of "never leaks": the public site crawled as a reader (every page, list, facet
link, export, feed, calendar, search, the map's data and the API) is byte for byte the same after
drafts linked to published records in every way were added; and so is the open dataset.
"""

import datetime
import re
import tempfile
from decimal import Decimal
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import Group, User
from django.core.management import call_command

from partnerships.models import (
    Citation,
    Delegation,
    Figure,
    Meeting,
    Office,
    Outcome,
    Participant,
    Partnership,
    Person,
    Place,
    Record,
    Revision,
    RevisionAction,
    Source,
    StatusStep,
    Topic,
)

from .base import CatalogueTestCase
from .factories import build_catalogue, editor
from .test_admin import admin_url, form_data, form_errors

MARK = "Zqxdraft"  # in every draft's name: a reader must never meet it
SEEDS = [
    "/", "/cities/", "/partnerships/", "/delegations/", "/meetings/", "/people/", "/topics/", "/sources/",
    "/partnerships/differences/", "/map/", "/map/data.json", "/feed.atom", "/api/v1/", "/api/v1/meetings/",
    "/api/v1/partnerships/", "/api/v1/places/", "/api/v1/people/",
    f"/search/?q={MARK}", "/search/?q=narvik", "/search/?q=murmansk", f"/meetings/?q={MARK}",
    # Filters only a draft would meet.
    "/partnerships/?reached=ended", "/partnerships/?reached=ended&format=csv", "/meetings/?date_from=2031",
    "/topics/?parent=health-care", "/people/?sort=meetings",
]
HREF = re.compile(r'href="([^"#]+)')
PAGE_LIMIT = 900


def add_drafts():
    """Drafts linked to the curated, published records the ways the desk and the admin link them."""
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in Record.__subclasses__()}
    build_catalogue(MARK.lower())  # one of everything: a source, places, people, a partnership, a meeting...
    narvik, kazakhstan = Place.objects.get(slug="narvik"), Place.objects.get(slug="kazakhstan")
    partnership = Partnership.objects.get(slug="kazakhstan-narvik")
    person = Person.objects.filter(participations__meeting__place=narvik).first()
    topic = Topic.objects.get(slug="health-care")
    published_meeting = Meeting.objects.filter(place=narvik).first()
    source = Source.objects.create(
        slug=f"{MARK.lower()}-article", title=f"{MARK} article", language="nb", text=f"{MARK} besøkte Narvik.",
    )
    citation = Citation.objects.create(slug=f"{MARK.lower()}-passage", source=source, passage=f"{MARK} besøkte Narvik.")
    newcomer = Person.objects.create(slug=f"{MARK.lower()}-person", name=f"{MARK} Person")
    delegation = Delegation.objects.create(
        slug=f"{MARK.lower()}-delegation", title=f"{MARK} delegation", origin=kazakhstan, destination=narvik,
        partnership=partnership,
    )
    meeting = Meeting.objects.create(
        slug=f"{MARK.lower()}-meeting", title=f"{MARK} meeting", place=narvik, partnership=partnership,
        delegation=delegation, date_earliest=datetime.date(2031, 5, 2), date_latest=datetime.date(2031, 5, 2),
        date_precision="day",
    )
    meeting.topics.add(topic)
    Participant.objects.create(meeting=meeting, person=person, side="host")
    Participant.objects.create(meeting=meeting, person=newcomer, side="guest")
    StatusStep.objects.create(
        slug=f"{MARK.lower()}-step", partnership=partnership, status="ended",
        date_earliest=datetime.date(2031, 5, 2), date_latest=datetime.date(2031, 5, 2), date_precision="day",
    )
    Outcome.objects.create(slug=f"{MARK.lower()}-outcome", title=f"{MARK} outcome", meeting=published_meeting,
                           partnership=partnership, made_by=person)
    Figure.objects.create(slug=f"{MARK.lower()}-figure", label=f"{MARK} figure", value=Decimal(7), place=narvik)
    Office.objects.create(slug=f"{MARK.lower()}-office", title=f"{MARK} office", person=person, place=narvik)
    Topic.objects.create(slug=f"{MARK.lower()}-topic", name=f"{MARK} topic", parent=topic)
    for record in (meeting, delegation, newcomer):
        record.citations.add(citation)
    for model, pks in before.items():
        model._base_manager.exclude(pk__in=pks).update(draft=True)
    return meeting


class CrawlingTestCase(CatalogueTestCase):
    def crawl(self, client=None):
        """{url: body} of every page a reader reaches from the seeds, each list also as CSV and JSON."""
        client = client or self.client
        queue, seen, pages = list(SEEDS) + self.record_urls(), set(), {}
        while queue and len(pages) < PAGE_LIMIT:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if b"<feed" in body[:200] and b"<entry>" not in body:  # an empty feed is updated "now"
                body = re.sub(rb"<updated>[^<]*</updated>", b"", body)
            pages[url] = (response.status_code, body)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for href in HREF.findall(body.decode()):
                link = urlsplit(urljoin(url, unescape(href)))
                if link.scheme or link.netloc or link.path.startswith(("/admin", "/static", "/downloads")):
                    continue
                if re.match(r"^/(nb|ru|fa|zh-hans)/", link.path):
                    continue
                target = link.path + (f"?{link.query}" if link.query else "")
                queue.append(target)
                if link.path.endswith("/") and link.path.count("/") == 2 and "format=" not in link.query:
                    queue += [f"{target}{'&' if link.query else '?'}format={fmt}" for fmt in ("csv", "json")]
        return pages


    @staticmethod
    def record_urls():
        """Every published record's page, with its feed, calendar and citation files where it has them."""
        urls = []
        for model, extras in ((Place, ("feed.atom", "calendar.ics", "cite.bib", "data.jsonld")),
                              (Partnership, ("feed.atom", "calendar.ics", "cite.json")), (Person, ("feed.atom",)),
                              (Topic, ("feed.atom",)), (Meeting, ("cite.bib",)), (Delegation, ()), (Source, ())):
            for record in model.objects.filter(draft=False):
                url = record.get_absolute_url()
                urls += [url, *(url + extra for extra in extras)]
        return urls


class ReadersSeeNoDraftsTests(CrawlingTestCase):
    def test_the_public_site_is_byte_for_byte_the_same_with_drafts_present(self):
        before = self.crawl()
        self.assertGreater(len(before), 300)
        for url in ("/cities/narvik/", "/partnerships/kazakhstan-narvik/", "/partnerships/kazakhstan-narvik/feed.atom",
                    "/partnerships/kazakhstan-narvik/calendar.ics", "/cities/narvik/feed.atom",
                    "/partnerships/?reached=ended", "/partnerships/?format=csv", "/people/?format=json"):
            self.assertIn(url, before)
        meeting = add_drafts()
        after = self.crawl()
        for url, page in before.items():  # in crawling order: the first page that differs comes first
            self.assertEqual(after.get(url), page, url)
        self.assertEqual(sorted(after), sorted(before))
        for url, (_status, body) in after.items():
            if MARK not in url:
                self.assertNotIn(MARK.lower().encode(), body.lower(), url)
        # The drafts exist, and have pages and files: for editors only.
        for suffix in ("", "cite.bib", "cite.json", "data.jsonld"):
            self.assertEqual(self.client.get(meeting.get_absolute_url() + suffix).status_code, 404, suffix)
        person = Person.objects.get(slug=f"{MARK.lower()}-person")
        self.assertEqual(self.client.get(person.get_absolute_url() + "feed.atom").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/meetings/?q={MARK}").json()["count"], 0)
        self.assertEqual(self.client.get(Place.objects.filter(draft=True).first().get_absolute_url()).status_code, 404)

    def test_the_open_dataset_holds_no_draft(self):
        with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
            call_command("export_dataset", dir=first, verbosity=0)
            add_drafts()
            call_command("export_dataset", dir=second, verbosity=0)
            data = sorted(p.relative_to(first) for p in (Path(first) / "datapackage" / "data").iterdir())
            self.assertTrue(data)
            for name in data:
                with self.subTest(table=str(name)):
                    self.assertEqual((Path(second) / name).read_bytes(), (Path(first) / name).read_bytes())
            self.assertNotIn(b"draft", (Path(second) / "datapackage" / "data" / "meeting.csv").read_bytes()[:2000])

    def test_a_draft_step_leaves_the_partnership_as_readers_know_it(self):
        partnership = Partnership.objects.get(slug="kazakhstan-narvik")
        known = (partnership.status, partnership.since, partnership.latest)
        add_drafts()
        partnership.refresh_from_db()
        self.assertEqual((partnership.status, partnership.since, partnership.latest), known)


class DraftsTestCase(CatalogueTestCase):
    """The curated catalogue with the drafts of `add_drafts`, an editor and a reviewer."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = add_drafts()
        cls.editor = editor()
        cls.reviewer = User.objects.create_user("reviewer", is_staff=True)
        cls.reviewer.groups.add(Group.objects.get(name="Reviewers"))


class EditorsSeeDraftsTests(DraftsTestCase):

    def test_editors_see_drafts_marked_on_the_public_pages(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(response, f"{MARK} meeting")
        self.assertContains(response, 'class="draft-notice"')
        self.assertContains(response, f"{MARK} Person")
        listed = self.client.get("/meetings/?q=" + MARK)
        self.assertContains(listed, 'class="draft-label"')
        self.assertContains(listed, f"{MARK} meeting")
        published = self.client.get("/meetings/narvik-town-hall-meeting-2019/")
        self.assertNotContains(published, 'class="draft-notice"')

    def test_a_logged_in_reader_who_is_not_an_editor_sees_no_draft(self):
        self.client.force_login(User.objects.create_user("reader"))
        self.assertEqual(self.client.get(self.meeting.get_absolute_url()).status_code, 404)
        self.assertContains(self.client.get(f"/search/?q={MARK}"), "Nothing found")


class PublishingTests(DraftsTestCase):
    def publish_source(self, user):
        self.client.force_login(user)
        source = Source.objects.get(slug=f"{MARK.lower()}-article")
        return self.client.post(
            admin_url(Source, "changelist"), {"action": "publish_drafts", "_selected_action": [source.pk]}
        )

    def test_a_reviewer_publishes_a_source_with_everything_recorded_from_it(self):
        response = self.publish_source(self.reviewer)
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        page = self.client.get(self.meeting.get_absolute_url())
        self.assertContains(page, f"{MARK} meeting")
        self.assertContains(page, f"{MARK} Person")  # a new person taking part: published with the meeting
        self.assertContains(page, f"{MARK} besøkte Narvik.")  # the citation
        self.assertContains(self.client.get(f"/delegations/{MARK.lower()}-delegation/"), f"{MARK} delegation")
        # What was not recorded from this source stays a draft.
        self.assertTrue(Outcome.objects.get(slug=f"{MARK.lower()}-outcome").draft)
        self.assertTrue(StatusStep.objects.get(slug=f"{MARK.lower()}-step").draft)
        published = Revision.objects.filter(action=RevisionAction.PUBLISHED)
        self.assertEqual(set(published.values_list("user__username", flat=True)), {"reviewer"})
        self.assertIn(f"{MARK} meeting", set(published.values_list("object_repr", flat=True)))
        self.assertEqual(published.get(object_repr=f"{MARK} meeting").changes[0]["field"], "draft")

    def test_publishing_a_step_moves_the_partnership(self):
        self.client.force_login(self.reviewer)
        step = StatusStep.objects.get(slug=f"{MARK.lower()}-step")
        data = {"action": "publish_drafts", "_selected_action": [step.pk]}
        response = self.client.post(admin_url(StatusStep, "changelist"), data, follow=True)
        self.assertContains(response, "Published 1 record (Status steps: 1).")
        partnership = Partnership.objects.get(slug="kazakhstan-narvik")
        self.assertEqual((partnership.status, partnership.latest), ("ended", datetime.date(2031, 5, 2)))

    def test_an_editor_cannot_publish(self):
        response = self.publish_source(self.editor)
        self.assertTrue(Meeting.objects.get(pk=self.meeting.pk).draft)
        self.assertNotContains(self.client.get(admin_url(Source, "changelist")), "publish_drafts")
        self.assertIn(response.status_code, (200, 302))
        change = self.client.get(admin_url(Meeting, "change", self.meeting.pk))
        self.assertNotIn("draft", change.context["adminform"].form.fields)  # shown, not offered

    def test_what_an_editor_adds_starts_as_a_draft(self):
        self.client.force_login(self.editor)
        url = admin_url(Person, "add")
        data = form_data(self.client.get(url))
        data.update(name="Ola Nordmann", slug="")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertTrue(Person.objects.get(name="Ola Nordmann").draft)

    def test_a_reviewer_adds_a_draft_unless_they_untick_it(self):
        self.client.force_login(self.reviewer)
        url = admin_url(Person, "add")
        data = form_data(self.client.get(url))
        self.assertEqual(data.get("draft"), "on")
        data.update(name="Kari Nordmann", slug="")
        del data["draft"]
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertFalse(Person.objects.get(name="Kari Nordmann").draft)
        # Published stays published: the box is no longer offered.
        change = self.client.get(admin_url(Person, "change", Person.objects.get(name="Kari Nordmann").pk))
        self.assertNotIn("draft", change.context["adminform"].form.fields)

    def test_a_published_record_cannot_point_at_a_draft(self):
        self.client.force_login(self.editor)
        published = Meeting.objects.filter(draft=False, participants__isnull=False).first()
        url = admin_url(Meeting, "change", published.pk)
        data = form_data(self.client.get(url))
        draft_place = Place.objects.filter(draft=True).first()
        data["place"] = str(draft_place.pk)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("is a draft", str(response.context["adminform"].form.errors["place"]))
        published.refresh_from_db()
        self.assertNotEqual(published.place_id, draft_place.pk)
        # Nor can a published meeting's participant be a draft person.
        data = form_data(self.client.get(url))
        prefix = next(k.removesuffix("-person") for k in data if k.endswith("-person") and data[k])
        data[f"{prefix}-person"] = str(Person.objects.get(slug=f"{MARK.lower()}-person").pk)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("is a draft", str(form_errors(response)))
