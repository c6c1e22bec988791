"""Hostile content: records whose text holds HTML and script render as inert text everywhere.

The records are written around the forms (as an import or the shell could), so nothing validated them:
<script>, an attribute break-out with an onerror handler, and a javascript: URL. Public pages, the admin,
CSV and JSON must show them as the text they are. tests/test_browser_hostile.py checks in Chromium that
no script runs.
"""

import csv
import datetime
import io
import json

from django.contrib.auth.models import User
from django.test import TestCase

from partnerships.models import Citation, Meeting, Partnership, Person, Place, PlaceName, Source, Topic
from tests.test_admin import admin_url

SCRIPT = "<script>window.__pwned = 1; alert('script')</script>"
BREAKOUT = "\"'><img src=x onerror=\"window.__pwned = 1; alert('img')\">"
JS_URL = "javascript:window.__pwned=1;alert('url')"
PAYLOADS = (SCRIPT, BREAKOUT, JS_URL)
MARKUP = (b"<script>window.__pwned", b"<img src=x", b'href="javascript:', b"href='javascript:")


def hostile_catalogue():
    """Records of every public page type whose texts are hostile."""
    source = Source.objects.create(
        slug="hostile-source", title=f"Report {SCRIPT}", title_english=BREAKOUT, language="en",
        text=f"Full text {SCRIPT} {BREAKOUT}", url=JS_URL, publisher=BREAKOUT, notes=SCRIPT,
    )
    citation = Citation.objects.create(slug="hostile-quote", source=source, passage=SCRIPT, passage_english=BREAKOUT)
    city = Place.objects.create(
        slug="hostile-city", name=f"Evilton {SCRIPT}", name_native=BREAKOUT, native_language="en", level="city",
        country="NO", description=BREAKOUT, notes=JS_URL,
    )
    other = Place.objects.create(slug="hostile-town", name=f"Badville {BREAKOUT}", level="city", country="RU")
    PlaceName.objects.create(place=city, name=JS_URL, kind="variant")
    partnership = Partnership.objects.create(slug="hostile-pair", place_a=city, place_b=other, summary=SCRIPT)
    topic = Topic.objects.create(slug="hostile-topic", name=f"Topic {SCRIPT}", description=BREAKOUT)
    person = Person.objects.create(slug="hostile-person", name=f"Mallory {SCRIPT}", name_native=BREAKOUT,
                                   description=JS_URL)
    meeting = Meeting.objects.create(
        slug="hostile-meeting", title=f"Meeting {SCRIPT}", summary=BREAKOUT, place=city, partnership=partnership,
        notes=JS_URL, date_earliest=datetime.date(2020, 1, 1), date_latest=datetime.date(2020, 1, 1),
        date_precision="day", date_text=BREAKOUT, date_original=SCRIPT,
    )
    meeting.topics.add(topic)
    meeting.participants.create(person=person, side="guest", note=BREAKOUT)
    for record in (city, partnership, person, meeting):
        record.citations.add(citation)
    return {"source": source, "city": city, "partnership": partnership, "topic": topic, "person": person,
            "meeting": meeting}


PUBLIC_PAGES = [
    "/", "/cities/", "/cities/hostile-city/", "/partnerships/", "/partnerships/hostile-pair/", "/meetings/",
    "/meetings/hostile-meeting/", "/people/", "/people/hostile-person/", "/topics/", "/topics/hostile-topic/",
    "/sources/", "/sources/hostile-source/", "/search/?q=script", "/search/?q=evilton", "/meetings/?q=script",
    "/cities/?q=" + BREAKOUT,
]
LISTS = ["/cities/", "/partnerships/", "/meetings/", "/people/", "/topics/", "/sources/"]


class HostileContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.records = hostile_catalogue()
        cls.superuser = User.objects.create_superuser("root")

    def assertInert(self, content, where):
        for markup in MARKUP:
            self.assertNotIn(markup, content, f"{where} holds live markup {markup!r}")

    def test_public_pages_show_it_as_text(self):
        for path in PUBLIC_PAGES:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertInert(response.content, path)
        page = self.client.get("/meetings/hostile-meeting/").content.decode()
        self.assertIn("Meeting &lt;script&gt;window.__pwned = 1;", page)
        self.assertIn("&quot;&#x27;&gt;&lt;img src=x onerror=", page)

    def test_a_javascript_url_is_never_a_link(self):
        page = self.client.get("/sources/hostile-source/").content.decode()
        self.assertIn(f"<dd>{JS_URL.replace(chr(39), '&#x27;')}</dd>", page)
        self.assertNotIn('href="javascript', page.lower())

    def test_admin_pages_show_it_as_text(self):
        self.client.force_login(self.superuser)
        pages = [admin_url(type(r), "change", r.pk) for r in self.records.values()]
        pages += [admin_url(type(r), "changelist") for r in self.records.values()]
        pages += [admin_url(Place, "changelist") + "?q=evilton", admin_url(Citation, "change",
                                                                           Citation.objects.get().pk)]
        for path in pages:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertInert(response.content, path)

    def test_admin_history_shows_it_as_text(self):
        self.client.force_login(self.superuser)
        meeting = self.records["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        from tests.test_admin import form_data

        data = form_data(self.client.get(url))
        data["summary"] = SCRIPT
        self.assertEqual(self.client.post(url, data).status_code, 302)
        for path in (url, admin_url(Meeting, "history", meeting.pk)):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertContains(response, "→ &lt;script&gt;window.__pwned")
                self.assertInert(response.content, path)

    def test_csv_holds_the_text_exactly(self):
        for path in LISTS:
            with self.subTest(path=path):
                response = self.client.get(path + "?format=csv")
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
                text = b"".join(response.streaming_content).decode("utf-8-sig")
                cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
                self.assertTrue(any(SCRIPT in cell for cell in cells), path)
        rows = list(csv.DictReader(io.StringIO(
            b"".join(self.client.get("/meetings/?format=csv").streaming_content).decode("utf-8-sig"))))
        self.assertEqual(rows[0]["Summary"], BREAKOUT)

    def test_json_holds_the_text_exactly_and_no_markup(self):
        for path in LISTS:
            with self.subTest(path=path):
                response = self.client.get(path + "?format=json")
                self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
                body = b"".join(response.streaming_content)
                self.assertNotIn(b"<", body)
                self.assertIn(SCRIPT, json.dumps(json.loads(body), ensure_ascii=False))
        rows = json.loads(b"".join(self.client.get("/meetings/?format=json").streaming_content))["rows"]
        self.assertEqual(rows[0]["Summary"], BREAKOUT)
