"""Who may go where: readers the public site, Editors the catalogue in the admin, superusers the accounts.

Each role is tried against each area of the admin: the index, every catalogue model's pages, the change
history, users and groups, and the failed-login records.
"""

from django.contrib.auth.models import Group, User
from django.test import TestCase
from django.urls import reverse

from partnerships.models import Meeting, Place, Revision
from tests.factories import build_catalogue, editor
from tests.test_admin import admin_url, catalogue_models

PUBLIC = ["/", "/cities/", "/meetings/", "/meetings/?format=csv", "/partnerships/?format=json", "/search/?q=harbin",
          "/healthz"]
LOGIN = reverse("admin:login")


def areas(data):
    """Every admin area as (name, URL)."""
    meeting = data["meeting"]
    found = [("index", reverse("admin:index"))]
    for model in catalogue_models():
        found.append((f"{model._meta.model_name} list", admin_url(model, "changelist")))
    found += [
        ("meeting add", admin_url(Meeting, "add")),
        ("meeting change", admin_url(Meeting, "change", meeting.pk)),
        ("meeting delete", admin_url(Meeting, "delete", meeting.pk)),
        ("meeting history", admin_url(Meeting, "history", meeting.pk)),
        ("change history", admin_url(Revision, "changelist")),
        ("users", reverse("admin:auth_user_changelist")),
        ("user add", reverse("admin:auth_user_add")),
        ("groups", reverse("admin:auth_group_changelist")),
        ("failed logins", reverse("admin:axes_accessattempt_changelist")),
    ]
    return found


class RoleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = build_catalogue()
        editors = Group.objects.get(name="Editors")
        cls.reader = User.objects.create_user("reader")
        cls.staff = User.objects.create_user("staff-only", is_staff=True)
        cls.editor = editor()
        cls.not_staff_editor = User.objects.create_user("lapsed-editor")
        cls.not_staff_editor.groups.add(editors)
        cls.superuser = User.objects.create_superuser("root")

    def status(self, url):
        response = self.client.get(url)
        if response.status_code == 302:
            self.assertTrue(response["Location"].startswith(LOGIN), response["Location"])
            return "login"
        return response.status_code

    def check_areas(self, expected):
        for name, url in areas(self.data):
            with self.subTest(area=name), self.assertNoLogs("django.request", "ERROR"):
                if expected(name) == 403:
                    with self.assertLogs("django.request", "WARNING"):
                        self.assertEqual(self.status(url), 403)
                else:
                    self.assertEqual(self.status(url), expected(name))

    def test_everyone_reads_the_public_site(self):
        for user in (None, self.reader, self.editor, self.superuser):
            self.client.logout()
            if user:
                self.client.force_login(user)
            for url in PUBLIC:
                with self.subTest(user=getattr(user, "username", "anonymous"), url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_anonymous_visitors_are_sent_to_the_login_everywhere_in_the_admin(self):
        self.check_areas(lambda name: "login")

    def test_signed_in_readers_and_editors_without_staff_status_are_sent_to_the_login(self):
        for user in (self.reader, self.not_staff_editor):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.check_areas(lambda name: "login")

    def test_staff_without_a_group_see_an_empty_admin(self):
        self.client.force_login(self.staff)
        self.check_areas(lambda name: 200 if name == "index" else 403)
        self.assertContains(self.client.get(reverse("admin:index")), "You don’t have permission to view or edit")

    def test_editors_curate_the_catalogue_and_read_its_history_but_not_accounts(self):
        self.client.force_login(self.editor)
        self.check_areas(lambda name: 403 if name in {"users", "user add", "groups", "failed logins"} else 200)

    def test_editors_cannot_make_themselves_superusers(self):
        self.client.force_login(self.editor)
        url = reverse("admin:auth_user_change", args=[self.editor.pk])
        with self.assertLogs("django.request", "WARNING"):
            response = self.client.post(url, {"username": "editor", "is_staff": "on", "is_superuser": "on"})
        self.assertEqual(response.status_code, 403)
        self.editor.refresh_from_db()
        self.assertFalse(self.editor.is_superuser)

    def test_editors_cannot_change_a_record_through_a_get(self):
        self.client.force_login(self.editor)
        place = self.data["murmansk"]
        self.client.get(admin_url(Place, "delete", place.pk))
        self.assertTrue(Place.objects.filter(pk=place.pk).exists())

    def test_superusers_manage_everything(self):
        self.client.force_login(self.superuser)
        self.check_areas(lambda name: 200)
        response = self.client.post(
            reverse("admin:auth_user_add"),
            {"username": "new-editor", "password1": "a long and unusual pass", "password2": "a long and unusual pass",
             "usable_password": "true"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(User.objects.filter(username="new-editor").exists())
