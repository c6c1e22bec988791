"""The change history in the admin: every change kept as it is saved, conflicts refused, deleted records restored.

`HistoryAdminMixin`, inherited by every catalogue admin, writes a Revision
(partnerships/history.py) from the admin's own hooks — save_model and
save_related, save_formset, delete_model and delete_queryset — so what is
kept is exactly what editors change, not what importers load. A record's
change page lists its latest revisions (who, when, each field before →
after) and its History page all of them. Its change form carries the
record's fingerprint as the editor loaded it; a save whose fingerprint no
longer matches the database is refused, naming who changed it meanwhile.

`RevisionAdmin` is the history itself, read-only: deleted records are found
under "Change history" (filter: deleted) and put back, with the rows their
deletion took along, by the Restore button; a merge of places (filter:
merged) is undone by its Undo button (partnerships/merging.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from ..history import (
    RestoreError,
    conflict_message,
    fingerprint,
    make_revision,
    prepare_deletion,
    restore,
    save_revisions,
    snapshot,
)
from ..merging import MergeError, undo_merge, undoing_of
from ..models import Revision, RevisionAction

RECENT = 10  # revisions shown on a record's change page


# ---------------------------------------------------------------------------
# Writing revisions and refusing conflicts


class HistoryAdminMixin:
    """Writes a Revision for every change made through this admin, and refuses to overwrite a newer version."""

    object_history_template = "admin/partnerships/object_history.html"

    # -- conflicts ---------------------------------------------------------

    def fingerprint(self, request, obj):
        """The record's fingerprint with the rows its inlines edit, as they are in the database now."""
        # An inline formset's `fk` is the foreign key its rows point at the record by; fields=None
        # spares laying out the inline's fields, which the fingerprint does not need.
        inlines = self.get_inline_instances(request, obj)
        return fingerprint(obj, [(i.model, i.get_formset(request, obj, fields=None).fk) for i in inlines])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not (change and obj is not None and obj.pk):
            return form
        current = self.fingerprint(request, obj)
        model, pk = type(obj), obj.pk

        class ConflictCheckedForm(form):
            loaded_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, initial=current)

            def clean(self):
                cleaned = super().clean()
                if self.cleaned_data.get("loaded_fingerprint") != current:
                    raise ValidationError(conflict_message(model, pk), code="conflict")
                return cleaned

        ConflictCheckedForm.__name__ = form.__name__
        return ConflictCheckedForm

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        using = router.db_for_write(self.model)
        if obj is not None and request.method == "POST" and connections[using].in_atomic_block:
            # Two saves of one record at once: the second waits here until the first has committed,
            # then reads the record afresh and so sees the first one's change.
            list(self.model._default_manager.using(using).select_for_update().filter(pk=obj.pk).values_list("pk"))
            obj = super().get_object(request, object_id, from_field)
        return obj

    # -- writing revisions -------------------------------------------------

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        request._revisions = {"record": obj, "before": before, "rows": []}

    def save_formset(self, request, form, formset, change):
        pending = getattr(request, "_revisions", None)
        if formset.model._meta.auto_created or pending is None:
            # Many-to-many links (sources cited) are part of the record's own before and after.
            return super().save_formset(request, form, formset, change)
        root = pending["record"]
        # The formset is valid by now, so it knows which of its saved rows are marked for deletion.
        deleted = [f.instance.pk for f in formset.deleted_forms if f.instance.pk]
        changed = [f.instance.pk for f in formset.initial_forms if f.instance.pk and f.has_changed()]
        rows_before = formset.model._default_manager.filter(pk__in=deleted + changed)
        before = {row.pk: (row, snapshot(row)) for row in rows_before}  # as stored, not as the form has it
        rows = [make_revision(RevisionAction.DELETED, before[pk][0], before[pk][1], None, root) for pk in deleted]
        super().save_formset(request, form, formset, change)
        rows += [make_revision(RevisionAction.ADDED, row, None, snapshot(row), root) for row in formset.new_objects]
        for row, _ in formset.changed_objects:
            rows.append(make_revision(RevisionAction.CHANGED, row, before[row.pk][1], snapshot(row), root))
        pending["rows"] += rows

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = request._revisions
        fresh = type(pending["record"])._default_manager.get(pk=pending["record"].pk)
        action = RevisionAction.CHANGED if change else RevisionAction.ADDED
        own = make_revision(action, fresh, pending["before"], snapshot(fresh))
        save_revisions(request, [own, *pending["rows"]])

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(type(obj))):
            revisions = prepare_deletion(obj)
            super().delete_model(request, obj)
            save_revisions(request, revisions)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in queryset:
                revisions = prepare_deletion(obj)
                obj.delete()
                save_revisions(request, revisions)

    # -- showing them ------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revisions = Revision.objects.of_record(self.model, unquote(object_id)).select_related("content_type")[:RECENT]
        extra = {"revisions": revisions, "revisions_more_url": reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[object_id])}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def history_view(self, request, object_id, extra_context=None):
        revisions = Revision.objects.of_record(self.model, unquote(object_id)).select_related("content_type")
        return super().history_view(request, object_id, {"revisions": revisions, **(extra_context or {})})

    def changelist_view(self, request, extra_context=None):
        ct = ContentType.objects.get_for_model(self.model)
        deleted_url = reverse("admin:partnerships_revision_changelist") + (
            f"?action__exact=deleted&content_type__id__exact={ct.pk}"
        )
        return super().changelist_view(request, {"deleted_url": deleted_url, **(extra_context or {})})


# ---------------------------------------------------------------------------
# The history itself, read-only, with deleted records to restore


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "action", "record_type", "object_repr", "changed_fields")
    list_filter = ("action", ("content_type", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("content_type",)
    search_fields = ("object_repr", "user_name", "=object_id")
    date_hierarchy = "time"
    list_per_page = 50
    fields = ("time", "user_name", "action", "record_type", "record", "change_table")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="record type", ordering="content_type__model")
    def record_type(self, obj):
        model = obj.content_type.model_class()
        return capfirst(model._meta.verbose_name) if model else obj.content_type.model

    @admin.display(description="fields changed")
    def changed_fields(self, obj):
        return ", ".join(c["label"] for c in obj.changes)

    @admin.display(description="record")
    def record(self, obj):
        model = obj.content_type.model_class()
        if model and model._default_manager.filter(pk=obj.object_id).exists():
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[quote(obj.object_id)])
            return format_html('<a href="{}">{}</a>', url, obj.object_repr)
        return f"{obj.object_repr} (no longer exists)"

    @admin.display(description="changes")
    def change_table(self, obj):
        if not obj.changes:
            return "—"
        rows = format_html_join(
            "", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            ((c["label"], c["before"], c["after"]) for c in obj.changes),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>field</th><th scope='col'>before</th><th scope='col'>after</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def restorable(self, request, revision):
        """Whether the Restore button is offered: a deletion whose record is gone, and the right to add it."""
        if revision.action != RevisionAction.DELETED:
            return False
        model = revision.content_type.model_class()
        if model is None or model._default_manager.filter(pk=revision.object_id).exists():
            return False
        return request.user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")

    def may_undo_merge(self, request):
        """Undoing a merge adds the merged places back, and changes and deletes what the merge made."""
        return all(request.user.has_perm(f"partnerships.{action}_place") for action in ("add", "change", "delete"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        extra = {}
        if revision is not None and self.restorable(request, revision):
            extra["restore_url"] = reverse("admin:partnerships_revision_restore", args=[revision.pk])
        if revision is not None and revision.action == RevisionAction.MERGED:
            extra["merge_undone"] = undoing_of(revision)
            if extra["merge_undone"] is None and self.may_undo_merge(request):
                extra["undo_merge_url"] = reverse("admin:partnerships_revision_undo_merge", args=[revision.pk])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "<int:pk>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="partnerships_revision_restore",
            ),
            path(
                "<int:pk>/undo-merge/",
                self.admin_site.admin_view(self.undo_merge_view),
                name="partnerships_revision_undo_merge",
            ),
            *super().get_urls(),
        ]

    def restore_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = get_object_or_404(Revision.objects.select_related("content_type"), pk=pk)
        if not self.has_view_permission(request, revision) or not self.restorable(request, revision):
            raise PermissionDenied
        try:
            obj = restore(request, revision)
        except RestoreError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:partnerships_revision_change", args=[revision.pk]))
        opts = obj._meta
        messages.success(request, f"{capfirst(opts.verbose_name)} “{obj}” is back, as it was before it was deleted.")
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]))

    def undo_merge_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        revision = get_object_or_404(Revision.objects.select_related("content_type"), pk=pk)
        if not self.has_view_permission(request, revision) or not self.may_undo_merge(request):
            raise PermissionDenied
        try:
            places = undo_merge(request, revision)
        except MergeError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:partnerships_revision_change", args=[revision.pk]))
        names = ", ".join(f"“{p}”" for p in places)
        messages.success(request, f"The merge is undone: {names} {'is' if len(places) == 1 else 'are'} back, "
                                  "and everything the merge moved is where it was.")
        target = places[0] if places else None
        if target is None:
            return HttpResponseRedirect(reverse("admin:partnerships_revision_change", args=[revision.pk]))
        return HttpResponseRedirect(reverse("admin:partnerships_place_change", args=[quote(target.pk)]))
