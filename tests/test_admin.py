"""The editors' admin: who may see what, forms that save and explain themselves, constant query counts."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Meeting, Organisation, Partnership, Person, Place, Revision, Source
from tests.factories import build_catalogue, editor


def catalogue_models():
    """The models editors curate (the change history, Revision, is written by the admin itself)."""
    return [m for m in admin.site._registry if m._meta.app_label == "partnerships" and m is not Revision]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response):
    """What a browser posts back, unchanged, from an admin add or change page (inlines included)."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value, key = form[name].value(), form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "" if value is None else str(value)
    return data


def form_errors(response):
    """Every error on an admin form page, to make a failed save readable."""
    if not response.context or "adminform" not in response.context:
        return f"status {response.status_code}"
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.errors, inline.formset.non_form_errors()]
    return [e for e in errors if e]


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = build_catalogue()
        cls.editor = editor()
        cls.reader = User.objects.create_user("reader")

    def setUp(self):
        self.client.force_login(self.editor)


class EditorsGroupTests(AdminTestCase):
    def test_every_catalogue_model_is_registered(self):
        self.assertEqual(set(catalogue_models()) | {Revision}, set(apps.get_app_config("partnerships").get_models()))

    def test_editors_group_has_exactly_the_catalogue_permissions(self):
        expected = {
            f"{action}_{model._meta.model_name}"
            for model in catalogue_models()
            for action in ("add", "change", "delete", "view")
        } | {"view_revision"}  # the change history: read only
        group = Group.objects.get(name="Editors")
        granted = set(group.permissions.values_list("content_type__app_label", "codename"))
        self.assertEqual(granted, {("partnerships", codename) for codename in expected})
        # Beyond them: the history's add, change and delete, and publishing, which only Reviewers hold.
        self.assertEqual(Permission.objects.filter(content_type__app_label="partnerships").count(), len(expected) + 4)
        self.assertFalse(group.permissions.filter(codename="publish_records").exists())

    def test_reviewers_may_do_what_editors_do_and_publish(self):
        editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
        reviewers = set(Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True))
        self.assertEqual(reviewers, editors | {"publish_records"})


class EditorAccessTests(AdminTestCase):
    def test_site_header(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Partnerships catalogue — editors")

    def test_editor_sees_every_changelist(self):
        for model in catalogue_models():
            with self.subTest(model=model._meta.model_name):
                self.assertEqual(self.client.get(admin_url(model, "changelist")).status_code, 200)

    def test_editor_sees_every_add_page(self):
        for model in catalogue_models():
            with self.subTest(model=model._meta.model_name):
                self.assertEqual(self.client.get(admin_url(model, "add")).status_code, 200)

    def test_editor_sees_every_change_page(self):
        for model in catalogue_models():
            with self.subTest(model=model._meta.model_name):
                obj = model._default_manager.first()
                self.assertIsNotNone(obj, "the test data lacks a row of this model")
                self.assertEqual(self.client.get(admin_url(model, "change", obj.pk)).status_code, 200)

    def test_editor_can_save_every_change_form(self):
        for model in catalogue_models():
            with self.subTest(model=model._meta.model_name):
                obj = model._default_manager.first()
                url = admin_url(model, "change", obj.pk)
                data = form_data(self.client.get(url))
                if "notes" in data:
                    data["notes"] = "Checked against the source."
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 302, form_errors(response))
                if "notes" in data:
                    obj.refresh_from_db()
                    self.assertEqual(obj.notes, "Checked against the source.")

    def test_editor_can_save_a_change_with_inlines(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        data = form_data(self.client.get(url))
        data["title"] = "Talks at the city hall of Murmansk"
        participant = meeting.participants.get(person=self.data["guest"])
        prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(participant.pk))
        data[f"{prefix}-note"] = "led the Harbin delegation"
        response = self.client.post(url, data)
        self.assertRedirects(response, admin_url(Meeting, "changelist"))
        meeting.refresh_from_db()
        participant.refresh_from_db()
        self.assertEqual(meeting.title, "Talks at the city hall of Murmansk")
        self.assertEqual(participant.note, "led the Harbin delegation")
        self.assertEqual(meeting.participants.count(), 2)
        self.assertEqual(meeting.citations.count(), 1)
        self.assertIn("murmansk", meeting.search_text)

    def test_blank_slug_is_made_from_the_name(self):
        url = admin_url(Place, "add")
        data = form_data(self.client.get(url))
        data.update(name="Murmansk", name_native="Мурманск", level="city", country="RU", slug="")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertTrue(Place.objects.filter(slug="murmansk-2", name="Murmansk").exists())

        url = admin_url(Partnership, "add")
        data = form_data(self.client.get(url))
        data.update(place_a=self.data["murmansk"].parent_id, place_b=self.data["harbin"].pk, slug="")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertTrue(Partnership.objects.filter(slug="murmansk-oblast-harbin").exists())

    def test_blank_slug_in_an_inline_is_made_from_its_parent(self):
        partnership = self.data["partnership"]
        url = admin_url(Partnership, "change", partnership.pk)
        data = form_data(self.client.get(url))
        n = int(data["steps-TOTAL_FORMS"])
        data.update(
            {
                "steps-TOTAL_FORMS": str(n + 1),
                f"steps-{n}-status": "twinning",
                f"steps-{n}-date_earliest": "2016-09-09",
                f"steps-{n}-date_latest": "2016-09-11",
                f"steps-{n}-date_precision": "days",
                f"steps-{n}-date_text": "planned for 9–11 September 2016",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        step = partnership.steps.get(status="twinning")
        self.assertEqual(step.slug, "harbin-murmansk-twinning-2016")
        self.assertEqual(step.date_display, "planned for 9–11 September 2016")

    def test_editor_may_not_touch_users_or_groups(self):
        urls = [
            reverse(name)
            for name in ("admin:auth_user_changelist", "admin:auth_user_add", "admin:auth_group_changelist",
                         "admin:auth_group_add")
        ]
        urls.append(reverse("admin:auth_user_change", args=[self.editor.pk]))
        for url in urls:
            with self.subTest(url=url), self.assertLogs("django.request", "WARNING"):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertNotContains(self.client.get(reverse("admin:index")), reverse("admin:auth_user_changelist"))

    def test_non_staff_user_is_sent_to_login(self):
        self.client.force_login(self.reader)
        for model in (Place, Meeting):
            url = admin_url(model, "changelist")
            self.assertRedirects(self.client.get(url), f"{reverse('admin:login')}?next={url}")

    def test_anonymous_visitor_is_sent_to_login(self):
        self.client.logout()
        url = admin_url(Partnership, "add")
        self.assertRedirects(self.client.get(url), f"{reverse('admin:login')}?next={url}")


class SearchTests(AdminTestCase):
    def search(self, model, term):
        response = self.client.get(admin_url(model, "changelist"), {"q": term})
        self.assertEqual(response.status_code, 200)
        return list(response.context["cl"].result_list)

    def test_changelist_search_in_any_script(self):
        murmansk = self.data["murmansk"]
        for term in ("Мурманск", "murmansk", "MURMANSK", "Murmnask"):
            with self.subTest(term=term):
                self.assertIn(murmansk, self.search(Place, term))
        self.assertEqual(self.search(Place, "哈尔滨"), [self.data["harbin"]])
        self.assertEqual(self.search(Person, "Сысоев"), [self.data["host"]])
        # Folded search: a query without its letters' accents, or in Latin letters for a Cyrillic name.
        tromso = Place.objects.create(slug="tromso", name="Tromsø", level="city", country="NO")
        self.assertEqual(self.search(Place, "tromso"), [tromso])
        self.assertEqual(self.search(Organisation, "administratsiya goroda"), list(Organisation.objects.all()))

    def test_search_finds_partnership_by_either_place(self):
        self.assertEqual(self.search(Partnership, "Мурманск"), [self.data["partnership"]])
        self.assertEqual(self.search(Partnership, "harbin murmansk"), [self.data["partnership"]])

    def test_every_autocomplete_answers(self):
        """Every autocomplete field of every admin and inline finds rows by a word of their names."""
        checked = 0
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label != "partnerships":
                continue
            inlines = [inline(model, admin.site) for inline in model_admin.inlines]
            for owner in [model_admin, *inlines]:
                for field_name in owner.autocomplete_fields:
                    with self.subTest(model=owner.model._meta.model_name, field=field_name):
                        response = self.client.get(
                            reverse("admin:autocomplete"),
                            {
                                "app_label": owner.model._meta.app_label,
                                "model_name": owner.model._meta.model_name,
                                "field_name": field_name,
                                "term": "",
                            },
                        )
                        self.assertEqual(response.status_code, 200)
                        self.assertTrue(response.json()["results"])
                        checked += 1
        self.assertGreater(checked, 40)

    def test_autocomplete_finds_places_by_native_name(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {"app_label": "partnerships", "model_name": "partnership", "field_name": "place_a", "term": "Мурманск"},
        )
        self.assertEqual(
            {r["text"] for r in response.json()["results"]}, {"Murmansk", "Murmansk Oblast"}
        )


class ValidationTests(AdminTestCase):
    def post_add(self, model, **values):
        url = admin_url(model, "add")
        data = form_data(self.client.get(url))
        data.update({k: str(v) for k, v in values.items()})
        return self.client.post(url, data)

    def test_partnership_of_a_place_with_itself_is_refused(self):
        murmansk = self.data["murmansk"]
        response = self.post_add(Partnership, place_a=murmansk.pk, place_b=murmansk.pk, slug="murmansk-murmansk")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A place cannot be in partnership with itself.")
        self.assertFalse(Partnership.objects.filter(slug="murmansk-murmansk").exists())

    def test_same_pair_in_reverse_order_is_refused(self):
        response = self.post_add(
            Partnership, place_a=self.data["murmansk"].pk, place_b=self.data["harbin"].pk, slug="murmansk-harbin"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "These two places already have a partnership: harbin-murmansk.")
        self.assertEqual(Partnership.objects.count(), 1)

    def test_latest_day_before_earliest_day_is_refused(self):
        response = self.post_add(
            Meeting, title="Return visit", slug="return-visit", date_earliest="2016-05-25",
            date_latest="2016-05-23", date_precision="days",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The latest day cannot come before the earliest day.")
        self.assertFalse(Meeting.objects.filter(slug="return-visit").exists())

    def test_date_error_in_an_inline_is_shown_on_its_row(self):
        partnership = self.data["partnership"]
        url = admin_url(Partnership, "change", partnership.pk)
        data = form_data(self.client.get(url))
        data.update({"steps-0-date_earliest": "2016-09-30", "steps-0-date_latest": "2016-09-01"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The latest day cannot come before the earliest day.")

    def test_citation_must_quote_its_source(self):
        url = admin_url(Source, "add")
        data = form_data(self.client.get(url))
        data.update(
            {
                "title": "A short note", "language": "en", "text": "Harbin and Murmansk met.",
                "citations-TOTAL_FORMS": "1", "citations-0-passage": "Harbin and Murmansk signed.",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The passage must be quoted exactly as it stands in the source")
        self.assertFalse(Source.objects.filter(title="A short note").exists())


class QueryCountTests(AdminTestCase):
    def changelist_queries(self):
        counts = {}
        for model in catalogue_models():
            url = admin_url(model, "changelist")
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            counts[model._meta.model_name] = len(queries)
        return counts

    def test_changelist_queries_do_not_grow_with_rows(self):
        self.changelist_queries()  # warm caches such as content types
        few = self.changelist_queries()
        for n in range(4):
            build_catalogue(f"more{n}")
        many = self.changelist_queries()
        for name, count in few.items():
            with self.subTest(model=name):
                self.assertEqual(many[name], count)
