"""Merging duplicate places in the admin, their old addresses, and undoing a merge from the change history.

Murmansk has a duplicate, "Murmansk City", as a second import would make it:
with a partnership of its own with Harbin (to be joined with Murmansk's), one
with Tromsø (to move), one with Murmansk itself (to go), and everything else
that can point at a place.
"""

import html
import io
from decimal import Decimal

from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from partnerships.merging import default_survivor
from partnerships.models import (
    Citation,
    Delegation,
    Figure,
    Meeting,
    Office,
    Organisation,
    Outcome,
    Partnership,
    Place,
    PlaceName,
    PlaceRedirect,
    Revision,
    RevisionAction,
    Source,
    StatusStep,
    Venue,
)
from tests.factories import build_catalogue, day
from tests.test_admin import admin_url, form_data

CHANGELIST = admin_url(Place, "changelist")


def preview(response):
    """The merge page's preview and its buttons, as text."""
    page = html.unescape(response.content.decode())
    return page[page.index('<div class="module" id="merge-preview">'):page.rindex("</form>")]


def catalogue_dump(natural=False):
    """Every row of the catalogue, ids (or natural keys) and derived search text included; the history apart."""
    out = io.StringIO()
    options = {"natural_foreign": True, "natural_primary": True} if natural else {}
    call_command("dumpdata", "partnerships", exclude=["partnerships.revision"], indent=1, stdout=out, **options)
    return out.getvalue()


def build_duplicate(data):
    """Murmansk City, a duplicate of Murmansk with one of everything that can point at a place."""
    murmansk, harbin, citation = data["murmansk"], data["harbin"], data["citation"]
    dataset = Source.objects.create(slug="twin-towns-list", kind="dataset", title="Twin towns", language="en")
    row = Citation.objects.create(slug="twin-towns-row-7", source=dataset, passage="Murmansk City | Harbin")
    dup = Place.objects.create(
        slug="murmansk-gorod", name="Murmansk City", name_native="город Мурманск", native_language="ru",
        level="city", country="RU", geonames_id=524305, latitude=68.9792, longitude=33.0925,
        description="Imported from the twin towns list.",
    )
    dup.citations.add(row, citation)
    PlaceName.objects.create(place=dup, name="Murmansk", kind="variant")  # the survivor's own name: dropped
    PlaceName.objects.create(place=dup, name="Murmanskiy", kind="transliteration", language="ru")
    district = Place.objects.create(slug="leninsky-okrug", name="Leninsky okrug", level="municipality",
                                    country="RU", parent=dup)
    tromso = Place.objects.create(slug="tromso", name="Tromsø", level="city", country="NO")
    # Joined with Harbin–Murmansk.
    twin = Partnership.objects.create(slug="harbin-murmansk-gorod", place_a=dup, place_b=harbin,
                                      summary="Sister cities since 2016.")
    twin.citations.add(row)
    step = StatusStep.objects.create(
        slug="harbin-murmansk-gorod-twinning", partnership=twin, status="twinning",
        date_earliest=day("2016-09-10"), date_latest=day("2016-09-10"), date_precision="day",
    )
    step.citations.add(row)
    # Moved to Murmansk.
    north = Partnership.objects.create(slug="murmansk-gorod-tromso", place_a=tromso, place_b=dup)
    # Would pair Murmansk with itself.
    itself = Partnership.objects.create(slug="murmansk-murmansk-gorod", place_a=murmansk, place_b=dup)
    StatusStep.objects.create(slug="murmansk-itself-contact", partnership=itself, status="first_contact")
    organisation = Organisation.objects.create(slug="murmansk-port", name="Port of Murmansk", place=dup)
    venue = Venue.objects.create(slug="murmansk-port-terminal", name="Port terminal", place=dup,
                                 organisation=organisation)
    delegation = Delegation.objects.create(
        slug="gorod-to-harbin-2017", title="Murmansk delegation to Harbin", origin=dup, destination=harbin,
        partnership=twin,
    )
    meeting = Meeting.objects.create(slug="port-visit-2017", title="Port visit", place=dup, venue=venue,
                                     partnership=itself, delegation=delegation)
    Outcome.objects.create(slug="port-agreement", kind="agreement", title="Port agreement", partnership=twin,
                           meeting=meeting)
    Office.objects.create(slug="harbour-master", person=data["host"], title="Harbour master", place=dup)
    Figure.objects.create(slug="port-cargo", label="Cargo", value=Decimal("16000000.00"), place=dup)
    Figure.objects.create(slug="twin-exchanges", label="Exchanges", value=Decimal(3), partnership=twin)
    Figure.objects.create(slug="itself-figure", label="Contacts", value=Decimal(1), partnership=itself)
    PlaceRedirect.objects.create(old_slug="murmansk-gorod-old", place=dup)
    return {"dup": dup, "tromso": tromso, "district": district, "twin": twin, "north": north, "itself": itself,
            "meeting": meeting, "delegation": delegation}


class MergeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = cls.build()
        cls.editor = User.objects.create_user("editor", password="unused-in-tests", is_staff=True)
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    @classmethod
    def build(cls):
        """The catalogue the tests merge places of: one of everything, and a duplicate of Murmansk."""
        data = build_catalogue()
        data.update(build_duplicate(data))
        return data

    def setUp(self):
        self.client.force_login(self.editor)

    def post_action(self, places, **extra):
        """The changelist's action form, as the editor submits it with these places ticked."""
        data = {"action": "merge_places", "index": "0", "_selected_action": [str(p.pk) for p in places]}
        return self.client.post(CHANGELIST, data | extra)

    def post_page(self, places, survivor, **extra):
        """The merge page's form, as submitted: the places, the one to keep, the one whose preview was shown."""
        data = {"action": "merge_places", "_selected_action": [str(p.pk) for p in places],
                "survivor": str(survivor.pk), "previewed": str(survivor.pk)}
        return self.client.post(CHANGELIST, data | extra)

    def merge(self, places, survivor):
        response = self.post_page(places, survivor, confirm="Merge")
        self.assertEqual(response.status_code, 302, self.messages(response))
        # The merge's leading revision: the survivor's own, which names what was merged into it.
        return Revision.objects.filter(action=RevisionAction.MERGED, root_type=None).first()

    def undo(self, revision):
        return self.client.post(reverse("admin:partnerships_revision_undo_merge", args=[revision.pk]))

    def messages(self, response):
        return [str(m) for m in get_messages(response.wsgi_request)]


class PreviewTests(MergeTestCase):
    def test_the_action_shows_what_the_merge_does_and_changes_nothing(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        before = catalogue_dump()
        response = self.post_action([murmansk, dup])
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "admin/partnerships/place/merge_places.html")
        page = response.content.decode()
        self.assertIn("Merge into Murmansk City", page)  # the duplicate has more partnerships (3 to 2): proposed
        response = self.post_page([murmansk, dup], murmansk, preview="Show")
        page = preview(response)
        for line in [
            "Partnership “Murmansk City – Harbin” (harbin-murmansk-gorod) would become a second partnership of the "
            "same two places: it is joined into “Harbin – Murmansk” (harbin-murmansk), which takes 1 status step: "
            "“Murmansk City – Harbin: twinning / sister cities (10 September 2016)”; 1 delegation",
            "1 passage cited: “twin-towns-list: Murmansk City | Harbin”; its summary; then it is deleted.",
            "Partnership “Tromsø – Murmansk” (murmansk-gorod-tromso) moves to Murmansk.",
            "Partnership “Murmansk – Murmansk City” (murmansk-murmansk-gorod) is between two of the merged places",
            "it is deleted with 1 status step",
            "1 meeting loses its link to it: “Port visit”",
            "“Murmansk City”, the name of Murmansk City, becomes a name of Murmansk (variant spelling)",
            "“Murmanskiy” (transliteration) moves to Murmansk.",
            "“Murmansk” (variant spelling) of Murmansk City is dropped: Murmansk has this name already.",
            "Geonames id: 524305 (from Murmansk City).",
            "1 passage cited by a merged place is cited by Murmansk too",
            "Latitude and longitude of Murmansk City: 68.9792, 33.0925 (Murmansk has its own).",
            "1 delegation (origin): “Murmansk delegation to Harbin”",
            "1 place lying within: “Leninsky okrug”",
            "/cities/murmansk-gorod/ leads to Murmansk (/cities/murmansk/).",
            "Merge into Murmansk",
        ]:
            self.assertIn(line, page, line)
        self.assertEqual(catalogue_dump(), before)

    def test_the_proposed_place_has_the_most_partnerships_then_is_curated(self):
        murmansk, dup, harbin = self.data["murmansk"], self.data["dup"], self.data["harbin"]
        self.assertEqual(default_survivor([murmansk, dup]), dup)  # 3 partnerships against 2
        lone = Place.objects.create(slug="lonely-imported", name="Lonely", level="city", country="CN")
        # Harbin (citing the document) and an uncited place with no partnership each: curated first.
        Partnership.objects.involving(harbin).delete()
        self.assertEqual(default_survivor([lone, harbin]), harbin)


class MergeTests(MergeTestCase):
    def test_confirming_merges_in_one_go(self):
        d = self.data
        murmansk, dup = d["murmansk"], d["dup"]
        revision = self.merge([murmansk, dup], murmansk)
        self.assertFalse(Place.objects.filter(pk=dup.pk).exists())
        murmansk.refresh_from_db()
        self.assertEqual(murmansk.geonames_id, 524305)  # it had none
        self.assertEqual((murmansk.latitude, murmansk.longitude), (68.97, 33.08))  # its own kept
        self.assertEqual(murmansk.description, "Imported from the twin towns list.")
        names = dict(murmansk.names.values_list("name", "kind"))
        self.assertEqual(names, {"Murmnask": "misspelling", "Murmanskiy": "transliteration",
                                 "Murmansk City": "variant", "город Мурманск": "native"})
        self.assertIn("murmanskiy", murmansk.search_text)
        # Joined: the duplicate's partnership with Harbin gave everything to Murmansk's and went.
        joined = d["partnership"]
        self.assertFalse(Partnership.objects.filter(pk=d["twin"].pk).exists())
        self.assertEqual(set(joined.steps.values_list("slug", flat=True)),
                         {"harbin-murmansk-protocol-2015", "harbin-murmansk-gorod-twinning"})
        self.assertEqual(Partnership.objects.get(pk=joined.pk).status, "twinning")
        self.assertTrue(joined.delegations.filter(slug="gorod-to-harbin-2017").exists())
        self.assertTrue(joined.outcomes.filter(slug="port-agreement").exists())
        self.assertTrue(joined.figures.filter(slug="twin-exchanges").exists())
        self.assertTrue(joined.citations.filter(slug="twin-towns-row-7").exists())
        joined.refresh_from_db()
        self.assertEqual(joined.summary, "Sister cities since 2016.")  # it had none
        # Moved, and the one with itself gone with its step and figure; its meeting kept, unlinked.
        self.assertEqual(Partnership.objects.get(pk=d["north"].pk).place_b, murmansk)
        self.assertIn("murmansk", Partnership.objects.get(pk=d["north"].pk).search_text)
        self.assertFalse(Partnership.objects.filter(pk=d["itself"].pk).exists())
        self.assertFalse(StatusStep.objects.filter(slug="murmansk-itself-contact").exists())
        self.assertFalse(Figure.objects.filter(slug="itself-figure").exists())
        meeting = Meeting.objects.get(pk=d["meeting"].pk)
        self.assertEqual((meeting.place, meeting.partnership), (murmansk, None))
        # Everything else that pointed at the duplicate.
        self.assertEqual(Delegation.objects.get(pk=d["delegation"].pk).origin, murmansk)
        self.assertEqual(Venue.objects.get(slug="murmansk-port-terminal").place, murmansk)
        self.assertEqual(Organisation.objects.get(slug="murmansk-port").place, murmansk)
        self.assertEqual(Office.objects.get(slug="harbour-master").place, murmansk)
        self.assertEqual(Figure.objects.get(slug="port-cargo").place, murmansk)
        self.assertEqual(Place.objects.get(slug="leninsky-okrug").parent, murmansk)
        self.assertTrue(murmansk.citations.filter(slug="twin-towns-row-7").exists())
        self.assertEqual(set(murmansk.redirects.values_list("old_slug", flat=True)),
                         {"murmansk-city", "murmansk-gorod", "murmansk-gorod-old"})
        # Kept in the history: who, what, and every row touched, all in one batch.
        self.assertEqual(revision.user, self.editor)
        self.assertEqual(revision.changes[0]["after"], "Murmansk City (murmansk-gorod)")
        batch = Revision.objects.filter(batch=revision.batch)
        self.assertTrue(batch.filter(object_repr="Murmansk City", after__isnull=True).exists())
        self.assertEqual(set(batch.values_list("action", flat=True)), {"merged"})

    def test_the_old_address_redirects_for_good(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        self.merge([murmansk, dup], murmansk)
        self.client.logout()
        for old in ("murmansk-gorod", "murmansk-gorod-old"):
            response = self.client.get(f"/cities/{old}/?tab=meetings")
            self.assertEqual(response.status_code, 301)
            self.assertEqual(response["Location"], "/cities/murmansk/?tab=meetings")
        self.assertEqual(self.client.get("/cities/murmansk/").status_code, 200)
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.client.get("/cities/no-such-place/").status_code, 404)

    def test_three_places_sharing_a_partner_end_with_one_partnership(self):
        d = self.data
        murmansk, dup, tromso = d["murmansk"], d["dup"], d["tromso"]
        third = Place.objects.create(slug="murmansk-3", name="Murmansk (3)", level="city", country="RU")
        other = Partnership.objects.create(slug="murmansk-3-tromso", place_a=third, place_b=tromso)
        revision = self.merge([murmansk, dup, third], murmansk)
        self.assertIsNotNone(revision)
        self.assertEqual(list(Partnership.objects.between(murmansk, tromso).values_list("slug", flat=True)),
                         ["murmansk-gorod-tromso"])
        self.assertFalse(Partnership.objects.filter(pk=other.pk).exists())


class UndoTests(MergeTestCase):
    def test_undoing_gives_back_the_catalogue_byte_for_byte(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        before = catalogue_dump()
        revision = self.merge([murmansk, dup], murmansk)
        self.assertNotEqual(catalogue_dump(), before)
        page = self.client.get(admin_url(Revision, "change", revision.pk))
        self.assertContains(page, "Undo this merge")
        response = self.undo(revision)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], admin_url(Place, "change", dup.pk))
        self.assertIn("The merge is undone: “Murmansk City” is back", self.messages(response)[0])
        self.assertEqual(catalogue_dump(), before)
        self.assertEqual(self.client.get("/cities/murmansk-gorod/").status_code, 200)
        undone = Revision.objects.filter(action=RevisionAction.UNMERGED, reverts=revision.batch)
        self.assertEqual(undone.count(), Revision.objects.filter(batch=revision.batch).count())
        self.assertEqual(undone.first().user, self.editor)
        # Once only.
        self.assertNotContains(self.client.get(admin_url(Revision, "change", revision.pk)), "Undo this merge")
        response = self.undo(revision)
        self.assertIn("This merge was undone already, by editor", self.messages(response)[0])
        self.assertEqual(catalogue_dump(), before)

    def test_later_changes_elsewhere_stay(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        revision = self.merge([murmansk, dup], murmansk)
        Place.objects.filter(pk=murmansk.pk).update(population=300000)  # a field the merge left alone
        PlaceName.objects.create(place=murmansk, name="Murman", kind="variant")
        self.assertEqual(self.undo(revision).status_code, 302)
        murmansk.refresh_from_db()
        self.assertEqual((murmansk.population, murmansk.geonames_id), (300000, None))
        self.assertEqual(Place.objects.get(pk=dup.pk).geonames_id, 524305)
        self.assertTrue(murmansk.names.filter(name="Murman").exists())

    def test_undoing_is_refused_if_what_the_merge_set_changed_since(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        revision = self.merge([murmansk, dup], murmansk)
        url = admin_url(Place, "change", murmansk.pk)
        data = form_data(self.client.get(url))
        data["geonames_id"] = "524304"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        during = catalogue_dump()
        response = self.undo(revision)
        self.assertRedirects(response, admin_url(Revision, "change", revision.pk))
        message = self.messages(response)[-1]
        self.assertIn("This merge cannot be undone: Place “Murmansk” has been changed since, by editor", message)
        self.assertIn("geonames id", message)
        self.assertIn("nothing was changed", message)
        self.assertEqual(catalogue_dump(), during)

    def test_a_later_merge_is_undone_first(self):
        d = self.data
        murmansk, dup, tromso = d["murmansk"], d["dup"], d["tromso"]
        before = catalogue_dump()
        first = self.merge([murmansk, dup], murmansk)
        second = self.merge([tromso, murmansk], tromso)
        self.assertEqual(Place.objects.get(pk=tromso.pk).parent.slug, "murmansk-oblast")  # it lay nowhere
        response = self.undo(first)
        message = self.messages(response)[-1]
        self.assertIn("This merge cannot be undone: Place “Murmansk” has been deleted since, by editor", message)
        self.assertIn("(merged)", message)
        self.assertEqual(self.undo(second).status_code, 302)
        self.assertEqual(self.undo(first).status_code, 302)
        self.assertEqual(catalogue_dump(), before)


class CuratedCatalogueTests(MergeTestCase):
    @classmethod
    def build(cls):
        call_command("load_catalogue", verbosity=0)
        return {}

    def test_three_curated_places_merged_and_split_again_byte_for_byte(self):
        murmansk, narvik, astrakhan = (Place.objects.get(slug=s) for s in ("murmansk", "narvik", "astrakhan-oblast"))
        before, natural = catalogue_dump(), catalogue_dump(natural=True)
        revision = self.merge([murmansk, narvik, astrakhan], murmansk)
        self.assertEqual(Partnership.objects.involving(murmansk).count(), 3)
        self.assertEqual(self.client.get("/cities/narvik/").status_code, 301)
        self.assertEqual(self.client.get("/cities/murmansk/").status_code, 200)
        self.assertEqual(self.undo(revision).status_code, 302)
        self.assertEqual(catalogue_dump(), before)
        self.assertEqual(catalogue_dump(natural=True), natural)
        self.assertEqual(self.client.get("/cities/narvik/").status_code, 200)

    def test_undoing_is_refused_when_a_merged_slug_was_given_to_another_place(self):
        rasht, anzali = Place.objects.get(slug="rasht"), Place.objects.get(slug="bandar-anzali")
        revision = self.merge([rasht, anzali], rasht)
        newcomer = Place.objects.create(slug="bandar-anzali", name="Bandar Anzali", level="city", country="IR")
        during = catalogue_dump()
        response = self.undo(revision)
        self.assertIn("a merged place's slug or another unique value is now taken", self.messages(response)[-1])
        self.assertEqual(catalogue_dump(), during)
        self.assertEqual(self.client.get("/cities/bandar-anzali/").context["place"], newcomer)


class BadInputTests(MergeTestCase):
    def test_one_place_is_not_a_merge(self):
        before = catalogue_dump()
        response = self.post_action([self.data["murmansk"]])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.messages(response), ["Select two or more places to merge into one."])
        self.assertEqual(catalogue_dump(), before)

    def test_the_place_kept_must_be_one_of_those_selected(self):
        murmansk, dup, harbin = self.data["murmansk"], self.data["dup"], self.data["harbin"]
        before = catalogue_dump()
        response = self.post_page([murmansk, dup], harbin, confirm="Merge")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose the place to keep among the places selected.")
        response = self.client.post(CHANGELIST, {"action": "merge_places", "survivor": "not-a-number",
                                                 "_selected_action": [murmansk.pk, dup.pk], "confirm": "Merge"})
        self.assertContains(response, "Choose the place to keep among the places selected.")
        self.assertEqual(catalogue_dump(), before)

    def test_a_confirmation_counts_for_the_place_previewed(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        before = catalogue_dump()
        response = self.post_page([murmansk, dup], murmansk, confirm="Merge", previewed=str(dup.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The place to keep changed")
        self.assertEqual(catalogue_dump(), before)

    def test_a_delegation_between_the_places_stops_the_merge(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        Delegation.objects.create(slug="across-town", title="Across town", origin=dup, destination=murmansk)
        before = catalogue_dump()
        response = self.post_page([murmansk, dup], murmansk, preview="Show")
        self.assertContains(response, "Delegation “Across town” travelled from Murmansk City to Murmansk")
        self.assertNotContains(response, 'name="confirm"')
        response = self.post_page([murmansk, dup], murmansk, confirm="Merge")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(catalogue_dump(), before)

    def test_a_place_is_not_merged_with_the_place_it_lies_in(self):
        murmansk = self.data["murmansk"]
        oblast = Place.objects.get(slug="murmansk-oblast")
        response = self.post_page([murmansk, oblast], murmansk, preview="Show")
        self.assertContains(response, "Murmansk lies within Murmansk Oblast, which is being merged into it")
        self.assertNotContains(response, 'name="confirm"')

    def test_an_undo_through_a_get_changes_nothing(self):
        revision = self.merge([self.data["murmansk"], self.data["dup"]], self.data["murmansk"])
        url = reverse("admin:partnerships_revision_undo_merge", args=[revision.pk])
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.client.get(url).status_code, 405)
        self.assertFalse(Place.objects.filter(slug="murmansk-gorod").exists())


class PermissionTests(MergeTestCase):
    def test_anonymous_and_readers_are_sent_to_the_login(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        revision = self.merge([murmansk, dup], murmansk)
        reader = User.objects.create_user("reader", password="unused-in-tests")
        for user in (None, reader):
            self.client.logout()
            if user:
                self.client.force_login(user)
            self.assertEqual(self.post_page([murmansk, Place.objects.get(slug="harbin")], murmansk,
                                            confirm="Merge").status_code, 302)
            response = self.undo(revision)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("admin:login")))
        self.assertTrue(Place.objects.filter(slug="harbin").exists())
        self.assertFalse(Place.objects.filter(slug="murmansk-gorod").exists())

    def test_staff_who_may_not_delete_places_cannot_merge_or_undo(self):
        murmansk, dup = self.data["murmansk"], self.data["dup"]
        revision = self.merge([murmansk, dup], murmansk)
        clerks = Group.objects.create(name="Clerks")
        clerks.permissions.set(Permission.objects.filter(
            content_type__app_label="partnerships", codename__in=["view_place", "change_place", "view_revision"]
        ))
        clerk = User.objects.create_user("clerk", password="unused-in-tests", is_staff=True)
        clerk.groups.add(clerks)
        self.client.force_login(clerk)
        response = self.client.get(CHANGELIST)
        self.assertNotContains(response, "merge_places")
        harbin = Place.objects.get(slug="harbin")
        before = catalogue_dump()
        response = self.post_action([murmansk, harbin])
        self.assertIn(response.status_code, (200, 302))  # the changelist, without the action
        self.assertEqual(catalogue_dump(), before)
        self.assertNotContains(self.client.get(admin_url(Revision, "change", revision.pk)), "Undo this merge")
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.undo(revision).status_code, 403)
        self.assertEqual(catalogue_dump(), before)
