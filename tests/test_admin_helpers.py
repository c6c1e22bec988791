"""The admin's helpers on small data of their own: default slugs, the conflict fingerprint, differences."""

import datetime

from django.forms import modelform_factory
from django.test import TestCase

from partnerships.admin.base import RecordForm, record_slug
from partnerships.history import differences, fingerprint, snapshot
from partnerships.models import Citation, Cited, Meeting, Office, Person, Place, Topic


def place(slug, name, **fields):
    return Place.objects.create(slug=slug, name=name, level="city", country="RU", **fields)


class RecordSlugTests(TestCase):
    def test_a_name_in_any_script_gives_a_latin_slug(self):
        self.assertEqual(record_slug(Place, ["Мурманск"]), "murmansk")
        self.assertEqual(record_slug(Place, ["Skjønnås", None, ""]), "skjonnas")

    def test_a_taken_slug_gets_the_next_free_number(self):
        place("murmansk", "Murmansk")
        place("murmansk-2", "Murmansk (the other one)")
        self.assertEqual(record_slug(Place, ["Murmansk"]), "murmansk-3")

    def test_the_record_itself_does_not_take_its_own_slug(self):
        murmansk = place("murmansk", "Murmansk")
        self.assertEqual(record_slug(Place, ["Murmansk"], exclude_pk=murmansk.pk), "murmansk")

    def test_slugs_that_merely_start_alike_do_not_count(self):
        place("murmansk-oblast", "Murmansk Oblast")
        self.assertEqual(record_slug(Place, ["Murmansk"]), "murmansk")

    def test_no_text_gives_no_slug(self):
        self.assertEqual(record_slug(Place, [None, "", "—"]), "")

    def test_a_long_name_leaves_room_for_the_number(self):
        slug = record_slug(Topic, ["word " * 60])
        self.assertLessEqual(len(slug) + len("-99"), Topic._meta.get_field("slug").max_length)
        Topic.objects.create(slug=slug, name="words")
        self.assertEqual(record_slug(Topic, ["word " * 60]), f"{slug}-2")


class RecordFormSlugTests(TestCase):
    def test_a_blank_slug_is_made_from_the_name(self):
        place("harbin", "Harbin")
        PlaceForm = modelform_factory(Place, form=RecordForm, fields=["name", "slug", "level", "country"])
        form = PlaceForm({"name": "Harbin", "slug": "", "level": "city", "country": "CN"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["slug"], "harbin-2")

    def test_an_offices_slug_is_made_from_its_holder_and_title(self):
        person = Person.objects.create(slug="li-ming", name="Li Ming")
        OfficeForm = modelform_factory(Office, form=RecordForm, fields=["person", "title", "slug"])
        form = OfficeForm({"person": person.pk, "title": "Mayor of Harbin", "slug": ""})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["slug"], "li-ming-mayor-of-harbin")

    def test_a_slug_given_is_kept(self):
        PlaceForm = modelform_factory(Place, form=RecordForm, fields=["name", "slug", "level", "country"])
        form = PlaceForm({"name": "Harbin", "slug": "harbin-city", "level": "city", "country": "CN"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["slug"], "harbin-city")


class FingerprintTests(TestCase):
    def setUp(self):
        self.person = Person.objects.create(slug="li-ming", name="Li Ming")
        self.office = Office.objects.create(slug="li-ming-mayor", person=self.person, title="Mayor")
        self.related = [(Office, Office._meta.get_field("person"))]

    def current(self):
        return fingerprint(Person.objects.get(pk=self.person.pk), self.related)

    def test_it_stays_while_nothing_changes(self):
        self.assertEqual(self.current(), self.current())

    def test_it_changes_with_the_record(self):
        before = self.current()
        Person.objects.filter(pk=self.person.pk).update(honorific="Mr.")
        self.assertNotEqual(self.current(), before)

    def test_it_changes_with_a_related_row_added_changed_or_removed(self):
        seen = {self.current()}
        Office.objects.filter(pk=self.office.pk).update(title="Governor")
        seen.add(self.current())
        Office.objects.create(slug="li-ming-envoy", person=self.person, title="Envoy")
        seen.add(self.current())
        self.office.delete()
        seen.add(self.current())
        self.assertEqual(len(seen), 4)

    def test_it_ignores_the_recomputed_search_text(self):
        before = self.current()
        Person.objects.filter(pk=self.person.pk).update(search_text="something else")
        Office.objects.filter(pk=self.office.pk).update(search_text="something else")
        self.assertEqual(self.current(), before)

    def test_rows_of_other_records_do_not_count(self):
        before = self.current()
        other = Person.objects.create(slug="andrey-sysoev", name="Andrey Sysoev")
        Office.objects.create(slug="andrey-sysoev-governor", person=other, title="Governor")
        self.assertEqual(self.current(), before)


class DifferencesTests(TestCase):
    def test_each_changed_field_with_its_label_before_and_after(self):
        before = {"title": "Talks", "kind": "meeting", "summary": "", "date_earliest": None}
        after = {"title": "Talks at the city hall", "kind": "visit", "summary": None, "date_earliest": None}
        self.assertEqual(
            differences(Meeting, before, after),
            [
                {"field": "title", "label": "Title", "before": "Talks", "after": "Talks at the city hall"},
                # A choice reads as its label, not its stored value.
                {"field": "kind", "label": "Kind", "before": "meeting", "after": "visit / guided tour"},
            ],
        )

    def test_an_addition_and_a_deletion_compare_with_nothing(self):
        changes = differences(Meeting, None, {"title": "Talks", "summary": ""})
        self.assertEqual(changes, [{"field": "title", "label": "Title", "before": "—", "after": "Talks"}])
        changes = differences(Meeting, {"title": "Talks"}, None)
        self.assertEqual(changes, [{"field": "title", "label": "Title", "before": "Talks", "after": "—"}])

    def test_related_rows_read_by_name_and_a_missing_one_says_so(self):
        murmansk = place("murmansk", "Murmansk")
        changes = differences(Meeting, {"place": None}, {"place": murmansk.pk})
        self.assertEqual(changes[0]["after"], "Murmansk")
        changes = differences(Meeting, {"place": murmansk.pk + 100}, {"place": murmansk.pk})
        self.assertEqual(changes[0]["before"], f"#{murmansk.pk + 100} (no longer exists)")

    def test_many_to_many_links_in_another_order_are_no_change(self):
        a, b = Topic.objects.create(slug="trade", name="Trade"), Topic.objects.create(slug="culture", name="Culture")
        self.assertEqual(differences(Meeting, {"topics": [a.pk, b.pk]}, {"topics": [b.pk, a.pk]}), [])
        changes = differences(Meeting, {"topics": [a.pk]}, {"topics": [b.pk, a.pk]})
        self.assertEqual(changes[0]["after"], "Culture; Trade")

    def test_snapshots_of_a_saved_record_and_its_change(self):
        meeting = Meeting.objects.create(
            slug="talks",
            title="Talks",
            date_earliest=datetime.date(2014, 3, 1),
            date_latest=datetime.date(2014, 3, 31),
            date_precision="month",
        )
        before = snapshot(meeting)
        self.assertNotIn("search_text", before)
        meeting.date_precision, meeting.date_latest = "day", datetime.date(2014, 3, 1)
        meeting.save()
        changes = {c["field"]: (c["before"], c["after"]) for c in differences(Meeting, before, snapshot(meeting))}
        self.assertEqual(changes, {"date_latest": ("2014-03-31", "2014-03-01"), "date_precision": ("month", "day")})


class CitingRelationsTests(TestCase):
    def test_every_model_citing_a_passage_is_named_once(self):
        relations = Citation.citing_relations()
        citing = [m for m in Cited.__subclasses__() for m in [m, *m.__subclasses__()] if not m._meta.abstract]
        self.assertEqual(sorted(relations), sorted({f"{m._meta.model_name}_set" for m in citing}))
        self.assertEqual(relations[:2], ["place_set", "organisation_set"])
        self.assertEqual(len(relations), 13)
