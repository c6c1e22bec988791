"""The editors' desk through HTTP: paste an article, see what is recognised, accept, save records with citations.

The articles here are test material written for these tests, not news: they are never loaded into the
catalogue.
"""

import datetime

from django.contrib.auth.models import Group, User
from django.urls import reverse

from partnerships.admin.desk import PlaceField
from partnerships.desk import annotate, similar_people
from partnerships.models import (
    DelegationMember,
    DeskDraft,
    Meeting,
    Person,
    Place,
    PlaceName,
    Revision,
    Source,
    Topic,
)
from tests.base import CatalogueTestCase

# Test material, written for these tests (not a real article).
NORWEGIAN = (
    "Besøk fra Harbin i Narvik\n\n"
    "Fredag 12.3.2021 tok ordfører Rune Edvardsen imot en delegasjon fra Harbin i Narviks rådhus. "
    "Partene diskuterte havbruk og høyere utdanning. Havnedirektør Kari Nordmann la fram planene: "
    "havna skal håndtere 5 millioner tonn i året. Et nytt møte er planlagt i løpet av første halvår 2022."
)
PASSAGE = "Fredag 12.3.2021 tok ordfører Rune Edvardsen imot en delegasjon fra Harbin i Narviks rådhus."


def desk_data(response):
    """What a browser posts back, unchanged, from a desk page: the form and every formset."""
    desk = response.context["desk"]
    every = [desk.form]
    for formset in desk.formsets:
        every += [formset.management_form, *formset.forms]
    data = {}
    for form in every:
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            if isinstance(field, PlaceField):
                data[f"{key}_0"], data[f"{key}_1"] = (form.data.get(f"{key}_{i}", "") for i in (0, 1))
                continue
            value = form[name].value()
            if value is None and getattr(field.widget, "allow_multiple_selected", False):
                continue  # nothing ticked: a browser sends nothing
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif hasattr(value, "pk"):
                data[key] = str(value.pk)
            else:
                data[key] = "" if value is None else str(value)
    return data


class DeskTestCase(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = User.objects.create_user("editor", password="unused-in-tests", is_staff=True)
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def paste(self, text=NORWEGIAN, **fields):
        article = {"title": text.splitlines()[0], "language": "no", "date_written": "12.3.2021", "url": "",
                   "publisher": "Narvik kommune", "text": text, **fields}
        response = self.client.post(reverse("desk"), article)
        self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
        return response["Location"]

    def person_row(self, data, slug):
        person = Person.objects.get(slug=slug)
        return next(k.removesuffix("-person") for k, v in data.items() if k.endswith("-person") and v == str(person.pk))


class AnnotationTests(DeskTestCase):
    def test_the_article_comes_back_annotated(self):
        page = self.client.get(self.paste())
        self.assertEqual(page.status_code, 200)
        finds = {(f.kind, f.written) for f in page.context["desk"].finds}
        for expected in [("place", "Harbin"), ("place", "Narviks"), ("person", "Rune Edvardsen"),
                         ("date", "12.3.2021"), ("date", "første halvår 2022"),
                         ("topic", "havbruk"), ("topic", "høyere utdanning"), ("figure", "5 millioner tonn")]:
            self.assertIn(expected, finds)
        self.assertContains(page, '<mark class="desk-place"')
        self.assertContains(page, "Narvik (municipality, Norway)")
        self.assertContains(page, "Mayor of Narvik")  # a person found comes with the offices held
        self.assertContains(page, "5,000,000 tonnes")

    def test_places_in_any_script_and_inflection(self):
        finds = annotate("Делегация Мурманска в Мурманске; استانداران ساری، رشت و گیلان; Narviks ordfører.", "ru")
        found = {(f.written, f.candidates[0].slug) for f in finds if f.kind == "place"}
        self.assertLessEqual({("Мурманска", "murmansk"), ("Мурманске", "murmansk"), ("رشت", "rasht"),
                              ("گیلان", "gilan"), ("Narviks", "narvik")}, found)

    def test_the_names_are_read_again_when_they_change(self):
        self.assertFalse([f for f in annotate("Визит в Нарвик", "ru") if f.kind == "place"])
        PlaceName.objects.create(place=Place.objects.get(slug="narvik"), name="Нарвик", language="ru")
        self.assertEqual([f.candidates[0].slug for f in annotate("Визит в Нарвик", "ru") if f.kind == "place"],
                         ["narvik"])

    def test_a_persian_article_is_dated_in_its_calendar(self):
        text = "دیدار استاندار گیلان در رشت (۱۸ فروردین ماه ۱۴۰۲)"
        dates = [f.value for f in annotate(text, "fa") if f.kind == "date"]
        self.assertEqual([(d.earliest, d.calendar) for d in dates], [(datetime.date(2023, 4, 7), "solar_hijri")])

    def test_the_closest_people_are_found_in_any_script(self):
        self.assertEqual(similar_people("Igor Babuschkin")[0][1].slug, "igor-babushkin")
        self.assertEqual(similar_people("Игорь Бабушкин")[0][1].slug, "igor-babushkin")
        self.assertEqual(similar_people("Nobody Whatsoever"), [])


class DeskSavingTests(DeskTestCase):
    def filled(self, url):
        page = self.client.get(url)
        data = desk_data(page)
        row = self.person_row(data, "rune-edvardsen")
        data.update({
            "title_english": "Visit from Harbin in Narvik",
            "make_delegation": "on", "delegation_title": "Harbin delegation to Narvik, March 2021",
            "origin_1": "harbin", "destination_0": "narvik", "delegation_date": "12.3.2021",
            "make_meeting": "on", "meeting_title": "Harbin delegation at Narvik town hall",
            "meeting_place_0": "narvik", "meeting_date": "12.3.2021",
            "topics": [str(Topic.objects.get(slug=slug).pk) for slug in ("aquaculture", "higher-education")],
            "meeting_summary": "The mayor received a delegation from Harbin.",
            f"{row}-take_part": "on", f"{row}-side": "host", f"{row}-role": "leader",
            "new-0-name": "Kari Nordmann", "new-0-office": "Port director", "new-0-office_original": "Havnedirektør",
            "new-0-side": "host", "new-0-role": "presenter", "new-0-not_these": "on",
            "outcome-0-kind": "follow_up", "outcome-0-status": "planned", "outcome-0-title": "A new meeting",
            "outcome-0-date": "i løpet av første halvår 2022",
            "figure-0-keep": "on", "figure-0-label": "Planned annual cargo of the port", "figure-0-place_0": "narvik",
            "citation-0-passage": PASSAGE, "citation-0-passage_english":
                "On Friday 12.3.2021 Mayor Rune Edvardsen received a delegation from Harbin at Narvik town hall.",
            "citation-0-cites": ["meeting", "delegation", "participants"],
            "save": "Save to the catalogue",
        })
        return data

    def test_paste_annotate_accept_save(self):
        url = self.paste()
        response = self.client.post(url, self.filled(url), follow=True)
        self.assertContains(response, "Saved to the catalogue")
        source = Source.objects.get(title="Besøk fra Harbin i Narvik")
        self.assertEqual((source.date_earliest, source.language, source.publisher),
                         (datetime.date(2021, 3, 12), "no", "Narvik kommune"))
        meeting = Meeting.objects.get(title="Harbin delegation at Narvik town hall")
        self.assertEqual((meeting.place.slug, meeting.date_display, meeting.date_original),
                         ("narvik", "12 March 2021", "12.3.2021"))
        self.assertEqual({t.slug for t in meeting.topics.all()}, {"aquaculture", "higher-education"})
        self.assertEqual(meeting.partnership, None)  # Harbin and Narvik have none
        self.assertEqual(meeting.delegation.origin.slug, "harbin")
        people = {(p.person.name, p.side, p.role, p.office.title if p.office else None)
                  for p in meeting.participants.select_related("person", "office")}
        self.assertEqual(people, {("Rune Edvardsen", "host", "leader", "Mayor of Narvik"),
                                  ("Kari Nordmann", "host", "presenter", "Port director")})
        self.assertFalse(DelegationMember.objects.filter(delegation=meeting.delegation).exists())  # hosts only
        citation = source.citations.get()
        self.assertEqual(citation.passage, PASSAGE)
        start = NORWEGIAN.index(PASSAGE)
        self.assertEqual(citation.locator, f"characters {start}–{start + len(PASSAGE)}")
        self.assertEqual(list(meeting.citations.all()), [citation])
        self.assertEqual(meeting.participants.filter(citations=citation).count(), 2)
        outcome = meeting.outcomes.get()
        self.assertEqual((outcome.status, outcome.date_display), ("planned", "first half of 2022"))
        figure = meeting.figures.get()
        self.assertEqual((figure.value, figure.unit, figure.as_written), (5000000, "tonnes", "5 millioner tonn"))
        # One batch of the change history, in the editor's name.
        revisions = Revision.objects.filter(root_id=str(source.pk), action="added")
        self.assertEqual({r.user_name for r in revisions}, {"editor"})
        self.assertEqual(revisions.values("batch").distinct().count(), 1)
        self.assertIn(("meeting", str(meeting.pk)), {(r.content_type.model, r.object_id) for r in revisions})
        self.assertEqual(DeskDraft.objects.get().source, source)
        public = self.client.get(meeting.get_absolute_url())
        self.assertContains(public, "Kari Nordmann")
        self.assertContains(public, "Rune Edvardsen")

    def test_nothing_is_made_without_the_editors_say(self):
        url = self.paste()
        data = desk_data(self.client.get(url))
        data["save"] = "Save to the catalogue"
        before = {m: m.objects.count() for m in (Meeting, Person, Topic)}
        self.client.post(url, data)
        self.assertEqual({m: m.objects.count() for m in before}, before)
        self.assertEqual(Source.objects.filter(title="Besøk fra Harbin i Narvik").count(), 1)  # only the source

    def test_a_new_person_close_to_one_known_is_refused_until_declined(self):
        url = self.paste()
        data = {**self.filled(url), "new-0-name": "Rune Edvardson", "new-0-not_these": ""}
        response = self.client.post(url, data)
        self.assertContains(response, "Already in the catalogue, and close: Rune Edvardsen")
        self.assertFalse(Source.objects.filter(title="Besøk fra Harbin i Narvik").exists())

    def test_a_passage_not_in_the_article_is_refused_and_nothing_saved(self):
        url = self.paste()
        data = {**self.filled(url), "citation-0-passage": "Words the article never wrote."}
        response = self.client.post(url, data)
        self.assertContains(response, "this passage is not in it")
        self.assertFalse(Meeting.objects.filter(title="Harbin delegation at Narvik town hall").exists())

    def test_an_unreadable_date_saves_nothing(self):
        url = self.paste()
        data = {**self.filled(url), "meeting_date": "some Friday"}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Nothing was saved")
        self.assertFalse(Source.objects.filter(title="Besøk fra Harbin i Narvik").exists())

    def test_a_draft_is_kept_and_resumed(self):
        url = self.paste()
        data = {**self.filled(url), "keep": "Keep for later"}
        del data["save"]
        self.client.post(url, data)
        self.assertFalse(Meeting.objects.filter(title="Harbin delegation at Narvik town hall").exists())
        start = self.client.get(reverse("desk"))
        self.assertContains(start, "Besøk fra Harbin i Narvik")
        resumed = self.client.get(url)
        self.assertContains(resumed, 'value="Harbin delegation at Narvik town hall"')
        self.assertNotContains(resumed, "errorlist")
        response = self.client.post(url, {**desk_data(resumed), "save": "Save"}, follow=True)
        self.assertContains(response, "Saved to the catalogue")

    def test_the_desk_is_linked_from_the_admin_index_and_closed_to_others(self):
        self.assertContains(self.client.get(reverse("admin:index")), reverse("desk"))
        staff = User.objects.create_user("staff-only", password="unused-in-tests", is_staff=True)
        self.client.force_login(staff)
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.client.get(reverse("desk")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("desk")).status_code, 302)

    def test_an_unreadable_publication_date_is_refused_with_an_example(self):
        response = self.client.post(reverse("desk"), {"title": "x", "language": "no", "text": "x",
                                                      "date_written": "snart"})
        self.assertContains(response, "Could not read “snart” as a date")
