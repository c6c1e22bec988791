"""Drafts and publishing: who sees a draft, and publishing one with everything it needs.

What an editor adds in the admin or on the desk starts as a draft (`Record.draft`): editors see it,
on the public pages too, marked as a draft; readers do not, anywhere. The catalogue's default
manager leaves drafts out of every query made while `drafts_hidden` is set (models/base.py), and
`DraftsMiddleware` sets it for every request of someone who is not an editor. Outside requests
(imports, commands, the shell) drafts are there, except where a command publishes files for
readers and says otherwise (`hiding_drafts`).

Publishing is one step and one transaction: a source with everything recorded from it (the drafts
that cite its passages), or any records, each with what it needs to be seen — the drafts it points
at (a new place, a new person) and its parts (a meeting's participants' people, a partnership's
steps) — so that a published record never points at a draft. Publishing is for reviewers: users
with the `publish_records` permission (the Reviewers group). It is not undone by unticking a box:
a published record is taken back by deleting it (the history can restore it).
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import CASCADE

from scaling.middleware import respond_within

from .history import make_revision, save_revisions, snapshot
from .models import Citation, Record, RevisionAction, Source, drafts_hidden

PUBLISH_PERMISSION = "partnerships.publish_records"


def sees_drafts(user):
    """Editors (staff) see drafts; readers do not."""
    return bool(user and user.is_active and user.is_staff)


def can_publish(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


@contextmanager
def hiding_drafts():
    """Queries in this block see what readers see: for files made for readers outside a request."""
    token = drafts_hidden.set(True)
    try:
        yield
    finally:
        drafts_hidden.reset(token)


class DraftsMiddleware:
    """Hides drafts from readers' requests, while the view runs and while its response streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hidden = not sees_drafts(getattr(request, "user", None))
        return respond_within(drafts_hidden, hidden, self.get_response, request)


# ---------------------------------------------------------------------------
# What publishing takes along


def _pointed_at(obj):
    """The records `obj` points at: its foreign keys' and its many-to-many fields' targets."""
    for field in obj._meta.concrete_fields:
        if field.is_relation and issubclass(field.related_model, Record):
            target = getattr(obj, field.name)
            if target is not None:
                yield target
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if issubclass(field.related_model, Record):
                yield from getattr(obj, field.name).filter(draft=True)


def _parts(obj):
    """The rows that belong to `obj` (deleted with it): a meeting's participants, a partnership's steps."""
    for rel in obj._meta.related_objects:
        if rel.one_to_many and rel.on_delete is CASCADE:
            rows = rel.related_model._base_manager.filter(**{rel.field.name: obj})
            if issubclass(rel.related_model, Record):
                rows = rows.filter(draft=True)
            yield from rows


def _recorded_from(source):
    """What cites a passage of `source`, and its citations: where publishing a source starts from."""
    citations = list(Citation._base_manager.filter(source=source))
    yield from citations
    for rel in Citation._meta.related_objects:
        if rel.many_to_many and rel.field.name == "citations":
            rows = rel.related_model._base_manager.filter(citations__in=citations)
            if issubclass(rel.related_model, Record):
                rows = rows.filter(draft=True)
            yield from rows.distinct()


def drafts_needed(records):
    """The drafts to publish with `records`: those of them that are drafts, what they need, and, for
    a source, everything recorded from it; in a stable order (by model, then id)."""
    found, seen, queue = {}, set(), list(records)
    for record in records:
        if isinstance(record, Source):
            queue.extend(_recorded_from(record))
    while queue:
        obj = queue.pop()
        key = (type(obj), obj.pk)
        if key in seen:
            continue
        seen.add(key)
        if isinstance(obj, Record):
            if not obj.draft:
                continue  # a published record's own links were checked when it was published
            found[key] = obj
        queue.extend(_pointed_at(obj))
        queue.extend(_parts(obj))
    return sorted(found.values(), key=lambda r: (type(r)._meta.label, r.pk))


@transaction.atomic
def publish(records, request=None):
    """Publish the drafts `records` need (`drafts_needed`), recorded in the history; returns them."""
    drafts = drafts_needed(records)
    revisions = []
    for obj in drafts:
        before = snapshot(obj)
        obj.draft = False
        obj.save(update_fields=["draft", "updated_at"])
        revisions.append(make_revision(RevisionAction.PUBLISHED, obj, before, snapshot(obj)))
    save_revisions(request, revisions)
    return drafts
