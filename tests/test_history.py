"""Editors' history: every change kept (who, when, before and after), deleted records found and restored,
and a save over someone else's newer change refused."""

from django.contrib.auth.models import Group, User
from django.urls import reverse

from partnerships.models import Meeting, Outcome, Participant, Partnership, Revision
from tests.factories import editor
from tests.test_admin import AdminTestCase, admin_url, form_data, form_errors


class HistoryTestCase(AdminTestCase):
    def change(self, obj, **values):
        """Open the record's change page, change some fields, save; the response."""
        url = admin_url(type(obj), "change", obj.pk)
        data = form_data(self.client.get(url))
        data.update(values)
        return self.client.post(url, data)


class ChangesAreKeptTests(HistoryTestCase):
    def test_a_change_records_who_when_and_each_field_before_and_after(self):
        meeting = self.data["meeting"]
        response = self.change(meeting, title="Talks at the city hall of Murmansk", status="planned")
        self.assertEqual(response.status_code, 302, form_errors(response))
        revision = Revision.objects.get(object_id=str(meeting.pk), content_type__model="meeting")
        self.assertEqual((revision.action, revision.user, revision.user_name), ("changed", self.editor, "editor"))
        changes = {c["label"]: (c["before"], c["after"]) for c in revision.changes}
        self.assertEqual(
            changes,
            {
                "Title": ("Talks at Murmansk city hall", "Talks at the city hall of Murmansk"),
                "Status": ("held", "planned"),
            },
        )
        self.assertEqual(revision.before["title"], "Talks at Murmansk city hall")
        self.assertEqual(revision.after["title"], "Talks at the city hall of Murmansk")

    def test_the_change_shows_on_the_records_admin_page_and_its_history(self):
        meeting = self.data["meeting"]
        self.change(meeting, title="Talks at the city hall of Murmansk")
        for url in (admin_url(Meeting, "change", meeting.pk), admin_url(Meeting, "history", meeting.pk)):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Talks at Murmansk city hall → Talks at the city hall of Murmansk")
                self.assertContains(response, "editor")

    def test_saving_without_changes_records_nothing(self):
        response = self.change(self.data["meeting"])
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertFalse(Revision.objects.exists())

    def test_inline_rows_are_kept_on_their_parents_history(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        data = form_data(self.client.get(url))
        guest = meeting.participants.get(person=self.data["guest"])
        prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(guest.pk))
        data[f"{prefix}-note"] = "led the Harbin delegation"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        revision = Revision.objects.get(content_type__model="participant")
        self.assertEqual(revision.changes, [{"field": "note", "label": "Note", "before": "—",
                                             "after": "led the Harbin delegation"}])
        self.assertEqual(list(Revision.objects.of_record(Meeting, meeting.pk)), [revision])
        self.assertContains(self.client.get(url), "led the Harbin delegation")

    def test_an_added_record_is_kept_with_its_values(self):
        url = admin_url(Partnership, "add")
        data = form_data(self.client.get(url))
        data.update(place_a=self.data["murmansk"].parent_id, place_b=self.data["harbin"].pk, summary="Oblast and city")
        self.assertEqual(self.client.post(url, data).status_code, 302)
        revision = Revision.objects.get(action="added")
        self.assertIn({"field": "summary", "label": "Summary", "before": "—", "after": "Oblast and city"},
                      revision.changes)
        self.assertIn({"field": "place_b", "label": "Place b", "before": "—", "after": "Harbin"}, revision.changes)

    def test_many_to_many_changes_are_named(self):
        meeting = self.data["meeting"]
        response = self.change(meeting, topics=[str(self.data["health"].pk)])
        self.assertEqual(response.status_code, 302, form_errors(response))
        change = Revision.objects.get().changes
        self.assertEqual(change, [{"field": "topics", "label": "Topics", "before": "Health care; Rehabilitation",
                                   "after": "Health care"}])


class DeletedRecordsTests(HistoryTestCase):
    def delete(self, obj):
        response = self.client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)

    def test_a_deleted_record_is_found_with_what_went_with_it_and_restored(self):
        signing = Meeting.objects.get(slug="gulf-stream-signing-2016")
        meeting = self.data["meeting"]
        self.delete(meeting)
        self.delete(signing)  # the planned outcome's "leads to" is emptied
        self.assertFalse(Meeting.objects.filter(pk=meeting.pk).exists())
        self.assertIsNone(Outcome.objects.get(slug="twinning-planned").meeting)

        # Found again: the Meeting changelist links to its deleted records, searchable by name.
        changelist = self.client.get(admin_url(Meeting, "changelist"))
        self.assertContains(changelist, "Deleted meetings")
        found = self.client.get(changelist.context["deleted_url"] + "&q=Murmansk+city+hall")
        self.assertEqual([r.object_repr for r in found.context["cl"].result_list], ["Talks at Murmansk city hall"])

        deletion = found.context["cl"].result_list[0]
        page = self.client.get(admin_url(Revision, "change", deletion.pk))
        self.assertContains(page, "Restore this meeting")
        self.assertEqual(Revision.objects.filter(batch=deletion.batch, action="deleted").count(), 3)  # + participants

        response = self.client.post(reverse("admin:partnerships_revision_restore", args=[deletion.pk]))
        self.assertRedirects(response, admin_url(Meeting, "change", meeting.pk))
        restored = Meeting.objects.get(pk=meeting.pk)
        self.assertEqual(restored.title, "Talks at Murmansk city hall")
        self.assertEqual({t.slug for t in restored.topics.all()}, {"health-care", "rehabilitation"})
        self.assertEqual(restored.participants.count(), 2)
        self.assertEqual(restored.citations.count(), 1)
        self.assertEqual(restored.participants.get(side="host").citations.count(), 1)
        self.assertEqual(Outcome.objects.get(slug="twinning-planned").meeting, restored)  # link put back
        self.assertIn("murmansk", restored.search_text)
        self.assertTrue(Revision.objects.filter(action="restored", object_id=str(meeting.pk)).exists())
        self.assertNotContains(self.client.get(admin_url(Revision, "change", deletion.pk)), "Restore this meeting")

    def test_a_row_deleted_in_an_inline_comes_back_alone(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        data = form_data(self.client.get(url))
        guest = meeting.participants.get(person=self.data["guest"])
        prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(guest.pk))
        data[f"{prefix}-DELETE"] = "on"
        data["delegation"] = ""  # the same save also unlinks the delegation
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, form_errors(response))
        deletion = Revision.objects.get(action="deleted")
        self.assertEqual((deletion.object_id, deletion.root_id), (str(guest.pk), str(meeting.pk)))
        self.assertContains(self.client.get(url), "Deleted participant")

        self.client.post(reverse("admin:partnerships_revision_restore", args=[deletion.pk]))
        self.assertTrue(Participant.objects.filter(pk=guest.pk, note=guest.note).exists())
        meeting.refresh_from_db()
        self.assertIsNone(meeting.delegation)  # the editor's other change stands

    def test_restoring_over_a_taken_slug_explains_itself(self):
        partnership = self.data["partnership"]
        topic = self.data["health"].children.get()
        self.delete(topic)
        deletion = Revision.objects.get(action="deleted")
        self.data["health"].children.create(slug=topic.slug, name="Rehabilitation again")
        response = self.client.post(reverse("admin:partnerships_revision_restore", args=[deletion.pk]), follow=True)
        self.assertContains(response, "cannot be put back: its slug or another unique value is now taken")
        self.assertEqual(partnership.pk, Partnership.objects.get().pk)

    def test_bulk_deletion_is_kept_too(self):
        ids = [str(p.pk) for p in Participant.objects.all()]
        response = self.client.post(
            admin_url(Participant, "changelist"), {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Participant.objects.exists())
        self.assertEqual(sorted(Revision.objects.filter(action="deleted").values_list("object_id", flat=True)),
                         sorted(ids))

    def test_nobody_writes_the_history_by_hand(self):
        self.delete(self.data["health"].children.get())
        revision = Revision.objects.get()
        superuser = User.objects.create_superuser("root")
        for user in (self.editor, superuser):
            self.client.force_login(user)
            with self.subTest(user=user.username), self.assertLogs("django.request", "WARNING"):
                self.assertEqual(self.client.get(admin_url(Revision, "add")).status_code, 403)
                response = self.client.post(admin_url(Revision, "delete", revision.pk), {"post": "yes"})
                self.assertEqual(response.status_code, 403)
            self.assertTrue(Revision.objects.filter(pk=revision.pk).exists())

    def test_restore_needs_a_post_and_the_right_to_add(self):
        self.delete(self.data["health"].children.get())
        revision = Revision.objects.get()
        url = reverse("admin:partnerships_revision_restore", args=[revision.pk])
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.client.get(url).status_code, 405)
        viewer = User.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(*Group.objects.get(name="Editors").permissions.filter(codename__startswith="view"))
        self.client.force_login(viewer)
        self.assertNotContains(self.client.get(admin_url(Revision, "change", revision.pk)), "Restore this")
        with self.assertLogs("django.request", "WARNING"):
            self.assertEqual(self.client.post(url).status_code, 403)


class EditingConflictTests(HistoryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = editor("other-editor")

    def test_the_later_save_of_a_stale_form_is_refused_and_says_why(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        mine = form_data(self.client.get(url))
        self.client.force_login(self.other)
        theirs = form_data(self.client.get(url))

        theirs["title"] = "Talks with the Harbin delegation"
        self.assertEqual(self.client.post(url, theirs).status_code, 302)

        self.client.force_login(self.editor)
        mine["title"] = "Talks at the city hall of Murmansk"
        response = self.client.post(url, mine)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This meeting was changed by other-editor at")
        self.assertContains(response, "your changes were not saved")
        meeting.refresh_from_db()
        self.assertEqual(meeting.title, "Talks with the Harbin delegation")

        # Reopened, the record saves.
        fresh = form_data(self.client.get(url))
        fresh["title"] = "Talks at the city hall of Murmansk"
        self.assertEqual(self.client.post(url, fresh).status_code, 302)
        meeting.refresh_from_db()
        self.assertEqual(meeting.title, "Talks at the city hall of Murmansk")

    def test_a_change_to_an_inline_row_elsewhere_is_a_conflict_too(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        mine = form_data(self.client.get(url))
        guest = meeting.participants.get(person=self.data["guest"])
        self.client.force_login(self.other)
        response = self.change(guest, note="interpreted by Li Na")
        self.assertEqual(response.status_code, 302, form_errors(response))

        self.client.force_login(self.editor)
        mine["summary"] = "Health care and rehabilitation."
        response = self.client.post(url, mine)
        self.assertContains(response, "was changed")
        guest.refresh_from_db()
        self.assertEqual(guest.note, "interpreted by Li Na")

    def test_a_change_made_outside_the_admin_is_a_conflict(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        mine = form_data(self.client.get(url))
        Meeting.objects.filter(pk=meeting.pk).update(summary="Set by an import.")
        response = self.client.post(url, {**mine, "title": "Talks"})
        self.assertContains(response, "This meeting was changed elsewhere after you opened it")

    def test_a_form_without_its_version_is_refused(self):
        meeting = self.data["meeting"]
        url = admin_url(Meeting, "change", meeting.pk)
        data = form_data(self.client.get(url))
        del data["loaded_fingerprint"]
        self.assertContains(self.client.post(url, data), "your changes were not saved")
