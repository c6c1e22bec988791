"""Editors' history: snapshots of rows, their differences, deletions with their cascades, restores.

One `Revision` model (content type, object id, name, user, action, the whole
record before and after, the fields that changed) holds every change an
editor makes. The admin writes it (partnerships/admin/history.py: one mixin
every catalogue admin inherits, and the read-only history with its Restore
button); this module is what it is written with, free of the admin so it can
be used and tested on its own.

- A change, an addition or a deletion writes one revision per row it touched
  (inline rows included, rows a deletion cascades to included), sharing a batch.
- Each revision lists its fields before → after, readable by an editor.
- A deletion is put back, with the rows it took along and the links it
  emptied, in one transaction.
- A record's fingerprint (with the rows its inlines edit) tells whether it
  changed since an editor opened it.

Why not a library. django-reversion records what is saved inside a revision
block; a deletion is recovered from each row's last saved version, one row at
a time, so rows that a deletion cascaded to (or that were loaded or imported,
never saved in a revision) do not come back with their record, and the links
a deletion set to NULL stay empty. It shows a version as the old form, with no
field-by-field before → after (django-reversion-compare is one more package
for that), and it does not detect that someone else saved the record since it
was opened. django-simple-history adds a historical table per model
(seventeen tables and migrations) and writes on every save, the importers'
tens of thousands included unless each is switched off; it does record the
deletion of cascaded rows, and `diff_against()` gives field differences in
code, but it ties no deletion to its cascades, offers no restore of a
deleted record in the admin, and has no conflict check either. Either one
would also replace the `Revision` rows every test reads. What we keep instead
is one table, one migration and about 500 lines with the admin's part,
docstrings included, all of them tested.
"""

import hashlib
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.db.models.deletion import Collector
from django.utils.text import capfirst

from .models import Revision, RevisionAction

DERIVED = {"search_text", "updated_at"}  # set on every save; not an editor's change


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
    The rows are found by Django's deletion Collector, as the admin's delete confirmation finds
    them; its `data`, `fast_deletes` and `field_updates` are read as Django 5.2 fills them.
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
    """A deletion that cannot be put back; the message says why, for the editor."""


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
# Edit conflicts


def fingerprint(obj, related=()):
    """A hash of the row, and of the rows pointing at it, as they are in the database now.

    `related` holds (model, foreign key) pairs: the rows of each model whose
    foreign key is `obj` (an admin's inline rows). Their own columns count,
    not their many-to-many links, which an inline does not edit. One query
    per pair.
    """
    parts = [snapshot(obj)]
    for model, fk in related:
        columns = [f.attname for f in model._meta.concrete_fields if f.name not in DERIVED]
        rows = model._default_manager.filter(**{fk.name: obj}).order_by("pk").values_list(*columns)
        parts.append([model._meta.label, list(rows)])
    return hashlib.sha256(json.dumps(parts, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def conflict_message(model, pk):
    """What an editor is told when their save would overwrite a newer change, and by whom."""
    latest = Revision.objects.of_record(model, pk).first()
    who = f"by {latest.user_name or 'someone'} at {latest.time:%Y-%m-%d %H:%M} UTC" if latest else "elsewhere"
    return (
        f"This {model._meta.verbose_name} was changed {who} after you opened it, so your changes were not "
        "saved: they would have overwritten that change. Open the record again to see the current version "
        "(your edits are still in this form to copy from), then make your changes once more."
    )
