"""Editors' history and editing conflicts, for every record edited in the admin.

One `Revision` model (content type, object id, name, user, action, the whole
record before and after, the fields that changed) is written from the admin's
own hooks — save_model/save_related, save_formset, delete_model and
delete_queryset — by one mixin that every catalogue admin inherits. This is
the smaller design: one table and one migration, where django-simple-history
would add a historical table per model (seventeen of them) and write on every
save, imports included. What an editor changes is what the issue asks to keep.

- A change, an addition or a deletion writes one revision per row it touched
  (inline rows included, rows a deletion cascades to included), sharing a batch.
- The record's admin page lists its latest revisions (who, when, each field
  before → after); its History page lists them all.
- Deleted records are found under "Change history" (filter: deleted) and are
  put back, with the rows their deletion took along, by the Restore button.
- Conflicts: the change form carries a fingerprint of the record (and of its
  inline rows) as the editor loaded it; a save whose fingerprint no longer
  matches the database is refused with a message saying who changed it.
"""

import hashlib
import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.db.models.deletion import Collector
from django.forms.models import _get_foreign_key
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from .models import Revision, RevisionAction

DERIVED = {"search_text"}  # recomputed on every save; not an editor's change
RECENT = 10  # revisions shown on a record's change page


# ---------------------------------------------------------------------------
# Snapshots and differences


def snapshot(obj):
    """The row as Django serializes it: every field, foreign keys and many-to-many links by primary key."""
    fields = json.loads(serializers.serialize("json", [obj]))[0]["fields"]
    for name in DERIVED:
        fields.pop(name, None)
    return fields


def _readable(field, value):
    if value in (None, "", []):
        return "—"
    if field.many_to_many:
        return "; ".join(str(o) for o in field.related_model._default_manager.filter(pk__in=value)) or "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value} (no longer exists)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def differences(model, before, after):
    """The fields whose values differ, as [{field, label, before, after}] an editor can read."""
    before, after = before or {}, after or {}
    rows = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if isinstance(old, list) and isinstance(new, list):
            old, new = sorted(old, key=str), sorted(new, key=str)
        if old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        field = model._meta.get_field(name)
        rows.append(
            {
                "field": name,
                "label": capfirst(field.verbose_name),
                "before": _readable(field, old),
                "after": _readable(field, new),
            }
        )
    return rows


def make_revision(action, obj, before, after, root=None, changes=None):
    """An unsaved revision of a row (without its user and batch); None for a change that changed nothing.

    `root` is the record whose admin page the change was made on, as an instance or (model, pk).
    """
    if changes is None:
        changes = differences(type(obj), before, after)
    if action == RevisionAction.CHANGED and not changes:
        return None
    root_model, root_pk = root if isinstance(root, tuple) else (type(root), root.pk) if root else (None, None)
    return Revision(
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        root_type=ContentType.objects.get_for_model(root_model) if root_model else None,
        root_id=str(root_pk) if root_model else "",
        before=before,
        after=after,
        changes=changes,
    )


def save_revisions(request, revisions):
    """Save revisions as one batch, in order, in the name of the request's user."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    batch = uuid.uuid4()
    for rev in revisions:
        if rev is not None:
            rev.user = user if signed_in else None
            rev.user_name = user.get_username() if signed_in else ""
            rev.batch = batch
            rev.save()


# ---------------------------------------------------------------------------
# Deleting and restoring


def prepare_deletion(obj):
    """Before a delete: revisions of every row it removes (cascades included) and of every link it empties.

    Taken while the rows still exist; rows come in the order they can be put back: parents first.
    """
    root = (type(obj), obj.pk)
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    collector.sort()  # deletion order: children first
    rows = [row for _, instances in reversed(collector.data.items()) for row in instances]
    rows += [row for queryset in collector.fast_deletes for row in queryset]
    # Many-to-many links (sources cited) live in their records' snapshots and come back with them.
    rows = [row for row in rows if not row._meta.auto_created]
    revisions = [make_revision(RevisionAction.DELETED, row, snapshot(row), None, root) for row in rows]
    emptied = []  # rows whose link to a deleted row is set to NULL
    for (field, _value), batches in collector.field_updates.items():
        for rows_updated in batches:
            for row in rows_updated:
                before = snapshot(row)
                after = {**before, field.name: None}
                emptied.append(make_revision(RevisionAction.CHANGED, row, before, after, root))
    return revisions + emptied


class RestoreError(Exception):
    pass


def restore(request, deletion):
    """Put back the rows a deletion removed, and the links it emptied, as they were. Returns the restored record."""
    batch = list(Revision.objects.filter(batch=deletion.batch).select_related("content_type").order_by("id"))
    using = router.db_for_write(Revision)
    restored = []
    with transaction.atomic(using=using):
        for rev in batch:
            model = rev.content_type.model_class()
            if rev.action == RevisionAction.DELETED:
                if model._default_manager.filter(pk=rev.object_id).exists():
                    raise RestoreError(f"{capfirst(model._meta.verbose_name)} “{rev.object_repr}” exists already.")
                data = {"model": model._meta.label_lower, "pk": rev.object_id, "fields": rev.before}
                try:
                    with transaction.atomic(using=using):
                        for deserialized in serializers.deserialize("python", [data]):
                            deserialized.save()
                            restored.append(deserialized.object)
                except IntegrityError as error:
                    raise RestoreError(
                        f"{capfirst(model._meta.verbose_name)} “{rev.object_repr}” cannot be put back: "
                        f"its slug or another unique value is now taken by another record ({error})."
                    ) from None
            elif rev.action == RevisionAction.CHANGED:
                # Put back a link the deletion emptied: one that pointed at a row restored here and is
                # still empty (an editor's own change in the same save is left alone).
                row = model._default_manager.filter(pk=rev.object_id).first()
                back = {(type(o)._meta.label, str(o.pk)) for o in restored}
                fields = [model._meta.get_field(c["field"]) for c in rev.changes]
                emptied = [
                    f for f in fields
                    if row is not None and f.many_to_one and getattr(row, f.attname) is None
                    and (f.related_model._meta.label, str(rev.before.get(f.name))) in back
                ]
                for field in emptied:
                    setattr(row, field.attname, rev.before[field.name])
                if emptied:
                    row.save(update_fields=[f.name for f in emptied])
        try:
            connections[using].check_constraints()
        except IntegrityError:
            raise RestoreError(
                f"“{deletion.object_repr}” refers to a record that no longer exists; restore that one first."
            ) from None
        fresh = [type(obj)._default_manager.get(pk=obj.pk) for obj in restored]
        root = (type(fresh[0]), fresh[0].pk) if fresh else None
        save_revisions(request, [make_revision(RevisionAction.RESTORED, o, None, snapshot(o), root) for o in fresh])
    return fresh[0] if fresh else None


# ---------------------------------------------------------------------------
# The admin mixin


def conflict_message(model, pk):
    latest = Revision.objects.of_record(model, pk).first()
    who = f"by {latest.user_name or 'someone'} at {latest.time:%Y-%m-%d %H:%M} UTC" if latest else "elsewhere"
    return (
        f"This {model._meta.verbose_name} was changed {who} after you opened it, so your changes were not "
        "saved: they would have overwritten that change. Open the record again to see the current version "
        "(your edits are still in this form to copy from), then make your changes once more."
    )


class HistoryAdminMixin:
    """Writes a Revision for every change made through this admin, and refuses to overwrite a newer version."""

    object_history_template = "admin/partnerships/object_history.html"

    # -- conflicts ---------------------------------------------------------

    def fingerprint(self, request, obj):
        """A hash of the record and of the rows its inlines edit, as they are in the database now."""
        parts = [snapshot(obj)]
        for inline in self.get_inline_instances(request, obj):
            # The inline rows' own columns, one query per inline (their many-to-many links are not
            # edited in an inline form).
            fk = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            columns = [f.attname for f in inline.model._meta.concrete_fields if f.name not in DERIVED]
            rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk").values_list(*columns)
            parts.append([inline.model._meta.label, list(rows)])
        return hashlib.sha256(json.dumps(parts, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()

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
        deleted = [f.instance.pk for f in formset.initial_forms if formset._should_delete_form(f) and f.instance.pk]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        extra = {}
        if revision is not None and self.restorable(request, revision):
            extra["restore_url"] = reverse("admin:partnerships_revision_restore", args=[revision.pk])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "<int:pk>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="partnerships_revision_restore",
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
