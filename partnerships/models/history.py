"""Editors' history, written by the admin (partnerships/history.py)."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RevisionAction(models.TextChoices):
    ADDED = "added", _("added")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    RESTORED = "restored", _("restored")
    MERGED = "merged", _("merged")  # places merged into one (partnerships/merging.py)
    UNMERGED = "unmerged", _("merge undone")
    PUBLISHED = "published", _("published")  # a draft made public (partnerships/publishing.py)


class RevisionQuerySet(models.QuerySet):
    def of_record(self, model, pk):
        """The record's own revisions and those of the rows edited on its admin page (its inlines)."""
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(model)
        return self.filter(Q(content_type=ct, object_id=str(pk)) | Q(root_type=ct, root_id=str(pk)))


class Revision(models.Model):
    """One change an editor made to one record through the admin: who, when, what, before and after.

    `before` and `after` hold the whole record as Django serializes it (its
    many-to-many links included), so a deleted record can be put back as it
    was; `changes` holds the fields that differ, readable, as the editor
    sees them. One save or delete writes one revision per row it touched,
    all sharing a `batch`. So does a merge of places (partnerships/merging.py),
    whose rows are kept whole, derived search text included, so that undoing
    it puts them back exactly; the undoing's own revisions name the merge's
    batch in `reverts`.
    """

    time = models.DateTimeField(auto_now_add=True, help_text="When the change was saved.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the history outlives the account; user_name keeps the name
        null=True,
        blank=True,
        related_name="catalogue_revisions",
    )
    user_name = models.CharField(max_length=150, blank=True, help_text="Username of the editor at the time.")
    action = models.CharField(max_length=10, choices=RevisionAction.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", help_text="The record's model."
    )
    object_id = models.CharField(max_length=64, help_text="The record's primary key.")
    object_repr = models.CharField(max_length=300, help_text="The record as it was named at the time.")
    root_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The record whose admin page the change was made on, when it was another one's (an inline).",
    )
    root_id = models.CharField(max_length=64, blank=True)
    batch = models.UUIDField(default=uuid.uuid4, help_text="Revisions written by one save or delete share this.")
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder, help_text="The record before.")
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder, help_text="The record after.")
    changes = models.JSONField(
        default=list, blank=True, encoder=DjangoJSONEncoder, help_text="Fields changed: label, before, after."
    )
    reverts = models.UUIDField(
        null=True, blank=True, help_text="For the undoing of a merge: the batch of the merge it undid."
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change history")
        ordering = ["-time", "-id"]
        indexes = [
            # A record's history page: its own revisions, newest first.
            models.Index(fields=["content_type", "object_id", "-time"], name="revision_record"),
            # ... and those of its inlines.
            models.Index(fields=["root_type", "root_id"], name="revision_root"),
            # Restoring a deletion: every row of its batch.
            models.Index(fields=["batch"], name="revision_batch"),
        ]

    def __str__(self):
        return f"{self.object_repr} {self.get_action_display()} by {self.user_name or 'someone'}"
