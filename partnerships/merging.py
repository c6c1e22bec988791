"""Merging duplicate places into one, and undoing a merge.

Two records for one place arise when Wikipedia lists a city twice (Frankfurt,
Frankfurt am Main) or two imports spell it differently. Merging keeps one of
them, the *survivor*, and gives it everything that pointed at the others:

- partnerships. One with a third place moves to the survivor; if the survivor
  already has a partnership with that place, the two are joined: the moved
  one's status steps, meetings, delegations, outcomes, figures and citations
  go to the survivor's, and the emptied one is deleted. A partnership between
  two of the merged places would pair the survivor with itself: it is deleted,
  with what its deletion takes along (status steps, figures) and the links it
  empties (meetings, delegations, outcomes lose their partnership);
- every other row pointing at a merged place (meetings, delegations, offices,
  organisations, venues, figures, places lying within it, its redirects),
  found through the model's relations, so a relation added later moves too;
- names. A merged place's name and native name become PlaceNames of the
  survivor, its PlaceNames move (one the survivor has already is dropped);
- its citations, and the values the survivor lacks: coordinates, native name,
  GeoNames id, population, description, identifiers added later.

The merged places are then deleted, and each old slug keeps answering as a
PlaceRedirect to the survivor. All of it happens in one transaction, and a
preview is the same merge run and rolled back, so it shows exactly what
confirming does.

Every row the merge touches is kept whole (search text and many-to-many
links included) before and after, as one revision per row sharing a batch
(action "merged"). Undoing puts each row back: rows the merge deleted come
back with their ids, rows it created go, and the fields it changed get their
old values. Changes made since to fields the merge did not touch stay. If a
field the merge set has been changed since, or a row it changed is gone, the
undoing is refused and nothing changes.
"""

import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q
from django.db.models.deletion import Collector, ProtectedError
from django.utils.text import capfirst

from .history import derived_names, differences, save_revisions
from .models import (
    Citation,
    Delegation,
    NameKind,
    Partnership,
    Place,
    PlaceLevel,
    PlaceName,
    PlaceRedirect,
    Revision,
    RevisionAction,
    SourceKind,
)

SHOWN = 8  # rows named in a preview line; more are counted

# Values the survivor takes from a merged place when it has none; given together or not at all.
FILLED_TOGETHER = (("latitude", "longitude"), ("name_native", "native_language"))
# The place's identity, kept as the survivor has it; `parent` is filled in apart (see _fill_in).
NEVER_FILLED = {"id", "slug", "name", "level", "country", "parent", "search_text"}
# A partnership's identity: a partnership joined into another gives it only the values it lacks besides.
PARTNERSHIP_IDENTITY = {"id", "slug", "place_a", "place_b", "search_text"}


class MergeError(Exception):
    """A merge that cannot be made or undone; the message says why, for the editor."""


# ---------------------------------------------------------------------------
# Rows whole, as the serializers give them


def _row(obj):
    """The row as JSON holds it: every field (search text included), many-to-many links sorted."""
    fields = serializers.serialize("python", [obj])[0]["fields"]
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = sorted(value, key=str)
    return json.loads(json.dumps(fields, cls=DjangoJSONEncoder))


def _current(model, pk):
    obj = model._base_manager.filter(pk=pk).first()
    return _row(obj) if obj is not None else None


def _described(rows, what):
    """“3 meetings: A; B; C”, naming at most SHOWN of them."""
    rows = list(rows)
    names = "; ".join(f"“{r}”" for r in rows[:SHOWN])
    more = f" and {len(rows) - SHOWN} more" if len(rows) > SHOWN else ""
    return f"{len(rows)} {what}: {names}{more}"


def _plural(model, n):
    return model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural


class Tracker:
    """Keeps every row a merge touches as it was before, in the order first touched.

    `touch` before changing or deleting a row; `created` after adding one.
    """

    def __init__(self):
        self.rows = {}  # (model, pk) -> (row before or None, repr)

    def touch(self, *objs):
        for obj in objs:
            key = (type(obj)._meta.concrete_model, obj.pk)
            if key not in self.rows:
                self.rows[key] = (_row(obj), str(obj)[:300])

    def created(self, obj):
        self.rows[(type(obj)._meta.concrete_model, obj.pk)] = (None, str(obj)[:300])

    def delete(self, obj):
        """Delete the row with what its deletion takes along, each touched first.

        Returns what else it deletes and what it unlinks, as (model, rows)
        pairs read before the deletion.
        """
        collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
        collector.collect([obj])
        taken, emptied = [], []
        for model, instances in collector.data.items():
            rows = [row for row in instances if row != obj and not row._meta.auto_created]
            taken.append((model, rows))
        for queryset in collector.fast_deletes:
            if not queryset.model._meta.auto_created:
                taken.append((queryset.model, list(queryset)))
        for (fk, _value), batches in collector.field_updates.items():
            for rows in batches:
                emptied.append((fk.model, list(rows)))
        for _model, rows in taken + emptied:
            self.touch(*rows)
        self.touch(obj)
        obj.delete()
        return [(m, rows) for m, rows in taken if rows], [(m, rows) for m, rows in emptied if rows]


# ---------------------------------------------------------------------------
# Choosing the survivor


def curated_ids(places):
    """Ids of the places that cite a passage of a document: curated by hand, not only imported."""
    return set(
        Place.objects.filter(pk__in=[p.pk for p in places], citations__source__kind=SourceKind.DOCUMENT)
        .values_list("pk", flat=True)
        .distinct()
    )


def default_survivor(places):
    """The place a merge keeps unless the editor chooses another.

    The one with the most partnerships (the one readers and sources know
    best); between equals the curated one (citing a document) over one only
    imported; then the oldest record.
    """
    places = list(places)
    counts = dict(
        Place.objects.filter(pk__in=[p.pk for p in places])
        .annotate(n=Count("partnerships_as_a", distinct=True) + Count("partnerships_as_b", distinct=True))
        .values_list("pk", "n")
    )
    curated = curated_ids(places)
    return min(places, key=lambda p: (-counts.get(p.pk, 0), p.pk not in curated, p.pk))


# ---------------------------------------------------------------------------
# Merging


@dataclass
class MergeReport:
    """What a merge does, as an editor reads it: sections of lines, and the problems that prevent it."""

    survivor: Place
    merged: list
    sections: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    revision: Revision | None = None

    def add(self, section, line):
        self.sections.setdefault(section, []).append(line)


class _Rollback(Exception):
    pass


def problems(survivor, merged):
    """Why these places cannot be merged into the survivor, if anything prevents it."""
    group = {survivor.pk, *(p.pk for p in merged)}
    found = []
    if not merged:
        found.append("Select at least two places to merge.")
    if survivor.parent_id in group:
        found.append(
            f"{survivor} lies within {survivor.parent}, which is being merged into it: a place cannot lie "
            "within itself. Keep the larger place, or change where this one lies first."
        )
    between = Delegation.objects.filter(origin__in=group, destination__in=group).order_by("slug")
    for delegation in between:
        found.append(
            f"Delegation “{delegation}” travelled from {delegation.origin} to {delegation.destination}, which "
            "would become one place: correct its origin or destination first."
        )
    return found


def merge_places(survivor, others, request=None, dry_run=False):
    """Merge the other places into the survivor; returns a MergeReport (its revision once saved).

    With `dry_run` the merge runs and is rolled back: the report is the preview.
    Raises MergeError if it cannot be made.
    """
    others = [p for p in others if p.pk != survivor.pk]
    using = router.db_for_write(Place)
    report = MergeReport(survivor=survivor, merged=others)
    try:
        with transaction.atomic(using=using):
            # Concurrent edits and merges of these places wait until this one has committed.
            ids = sorted([survivor.pk, *(p.pk for p in others)])
            locked = {p.pk: p for p in Place.objects.using(using).select_for_update().filter(pk__in=ids)}
            if len(locked) != len(ids):
                raise MergeError("One of the selected places no longer exists; select them again.")
            survivor, others = locked[survivor.pk], [locked[p.pk] for p in others]
            report.survivor, report.merged = survivor, others
            report.problems = problems(survivor, others)
            if report.problems:
                return report
            tracker = Tracker()
            tracker.touch(survivor, *others)
            _merge(survivor, others, tracker, report)
            _check(using)
            if dry_run:
                raise _Rollback
            report.revision = _save(request, survivor, others, tracker, report)
    except _Rollback:
        pass
    except (IntegrityError, ProtectedError) as error:
        raise MergeError(
            f"The places cannot be merged: the result would break a rule of the catalogue ({error})."
        ) from None
    return report


def _check(using):
    try:
        connections[using].check_constraints()
    except IntegrityError as error:
        raise MergeError(f"The places cannot be merged: a record would point at nothing ({error}).") from None


def _merge(survivor, others, tracker, report):
    group = {survivor.pk, *(p.pk for p in others)}
    other_ids = [p.pk for p in others]
    names = ", ".join(f"{p} ({p.slug})" for p in others)
    report.add("Places", f"{names} {'is' if len(others) == 1 else 'are'} merged into {survivor} ({survivor.slug}).")

    _partnerships(survivor, other_ids, group, tracker, report)
    _move_references(survivor, other_ids, tracker, report)
    fills = _fill_in(survivor, others, group, report)
    _names(survivor, others, fills, tracker, report)

    links = Place.citations.through.objects
    own = links.filter(place=survivor).values("citation_id")
    cited = Citation.objects.filter(pk__in=links.filter(place__in=other_ids).values("citation_id")).exclude(pk__in=own)
    if cited:
        what = "passage cited by a merged place is" if len(cited) == 1 else "passages cited by the merged places are"
        report.add("Sources cited", _described(cited, f"{what} cited by {survivor} too"))
        survivor.citations.add(*cited)

    for place in others:
        tracker.delete(place)
        tracker.created(PlaceRedirect.objects.create(old_slug=place.slug, place=survivor))
        report.add("Addresses", f"/cities/{place.slug}/ leads to {survivor} (/cities/{survivor.slug}/).")

    if fills:
        # After the deletion: the survivor may take over a unique value (a GeoNames id) of a place merged away.
        Place.objects.filter(pk=survivor.pk).update(**fills)
    survivor.refresh_from_db()
    survivor.refresh_search_text()
    for key in list(tracker.rows):
        model, pk = key
        if model is Partnership:
            moved = Partnership.objects.filter(pk=pk).first()
            if moved is not None:
                moved.refresh_search_text()  # it names its places


def _partnerships(survivor, other_ids, group, tracker, report):
    by_partner = {}  # the other side's id -> the survivor's partnership with it
    for p in Partnership.objects.involving(survivor).select_related("place_a", "place_b"):
        by_partner[p.place_b_id if p.place_a_id == survivor.pk else p.place_a_id] = p
    touching = (
        Partnership.objects.filter(Q(place_a__in=other_ids) | Q(place_b__in=other_ids))
        .select_related("place_a", "place_b")
        .order_by("pk")
    )
    for p in touching:
        if p.place_a_id in group and p.place_b_id in group:
            label = f"“{p}” ({p.slug})"
            taken, emptied = tracker.delete(p)
            taken = [_described(rows, _plural(model, len(rows))) for model, rows in taken]
            emptied = [
                _described(rows, f"{_plural(model, len(rows))} {'loses its' if len(rows) == 1 else 'lose their'} "
                                 "link to it")
                for model, rows in emptied
            ]
            detail = "; ".join(taken + emptied)
            report.add(
                "Partnerships",
                f"Partnership {label} is between two of the merged places and would pair {survivor} with "
                f"itself: it is deleted{' with ' + detail if detail else ''}. Undoing the merge brings it back.",
            )
            continue
        side = "place_a" if p.place_a_id in group else "place_b"
        partner_id = p.place_b_id if side == "place_a" else p.place_a_id
        keeper = by_partner.get(partner_id)
        if keeper is None:
            tracker.touch(p)
            setattr(p, side, survivor)
            Partnership.objects.filter(pk=p.pk).update(**{side: survivor})
            by_partner[partner_id] = p
            report.add("Partnerships", f"Partnership “{p}” ({p.slug}) moves to {survivor}.")
        else:
            _join(p, keeper, tracker, report)


def _join(dropped, keeper, tracker, report):
    """Move everything of one partnership to another of the same two places, then delete the emptied one."""
    label = f"“{dropped}” ({dropped.slug})"
    moved = []
    for rel in Partnership._meta.related_objects:
        if not rel.one_to_many:
            continue
        rows = list(rel.related_model._base_manager.filter(**{rel.field.name: dropped}).order_by("pk"))
        if rows:
            tracker.touch(*rows)
            rel.related_model._base_manager.filter(pk__in=[r.pk for r in rows]).update(**{rel.field.name: keeper})
            moved.append(_described(rows, _plural(rel.related_model, len(rows))))
    tracker.touch(keeper)
    cited = dropped.citations.exclude(pk__in=keeper.citations.values("pk"))
    if cited:
        moved.append(_described(cited, "passage cited" if len(cited) == 1 else "passages cited"))
        keeper.citations.add(*cited)
    # The values the keeper lacks (summary, notes, identifiers added later), as it is now: an earlier join
    # may have filled some.
    current = Partnership.objects.get(pk=keeper.pk)
    filled = {
        f.attname: getattr(dropped, f.attname)
        for f in Partnership._meta.concrete_fields
        if f.name not in PARTNERSHIP_IDENTITY
        and getattr(current, f.attname) in (None, "")
        and getattr(dropped, f.attname) not in (None, "")
    }
    if filled:
        moved.append(f"its {' and '.join(str(Partnership._meta.get_field(n).verbose_name) for n in filled)}")
    tracker.delete(dropped)
    if filled:
        # After the deletion: the keeper may take over a unique value of the partnership joined into it.
        Partnership.objects.filter(pk=keeper.pk).update(**filled)
    report.add(
        "Partnerships",
        f"Partnership {label} would become a second partnership of the same two places: it is joined into "
        f"“{keeper}” ({keeper.slug}), which takes {'; '.join(moved) or 'nothing (it has nothing of its own)'}; "
        "then it is deleted.",
    )


def _move_references(survivor, other_ids, tracker, report):
    """Point every other row that points at a merged place at the survivor instead."""
    for rel in Place._meta.related_objects:
        model, fk = rel.related_model, rel.field
        if model in (Partnership, PlaceName):
            continue  # moved by their own rules
        if rel.many_to_many:
            accessor = fk.name
            rows = list(model._base_manager.filter(**{f"{accessor}__in": other_ids}).distinct().order_by("pk"))
            for row in rows:
                tracker.touch(row)
                getattr(row, accessor).remove(*other_ids)
                getattr(row, accessor).add(survivor)
        elif rel.one_to_many:
            rows = list(model._base_manager.filter(**{f"{fk.name}__in": other_ids}).order_by("pk"))
            tracker.touch(*rows)
            model._base_manager.filter(pk__in=[r.pk for r in rows]).update(**{fk.name: survivor})
        else:
            raise MergeError(f"{capfirst(model._meta.verbose_name_plural)} cannot be merged: one per place.")
        if rows:
            what = _plural(model, len(rows))
            if model is Place:
                what = "places lying within" if len(rows) > 1 else "place lying within"
            elif len([r for r in Place._meta.related_objects if r.related_model is model]) > 1:
                what = f"{what} ({fk.verbose_name})"
            report.add(f"Moved to {survivor}", _described(rows, what))


def _fill_in(survivor, others, group, report):
    """The values the survivor lacks and a merged place has: {field: value}, the first merged place's first."""
    def blank(obj, names):
        return all(getattr(obj, n) in (None, "") for n in names)

    together = {n for pair in FILLED_TOGETHER for n in pair}
    groups = list(FILLED_TOGETHER) + [
        (f.attname,) for f in Place._meta.concrete_fields
        if f.name not in NEVER_FILLED and f.attname not in together and not f.primary_key
    ]
    fills = {}
    for names in groups:
        labels = " and ".join(str(Place._meta.get_field(n).verbose_name) for n in names)
        giver = next((p for p in others if not blank(p, names)), None)
        if giver is None:
            continue
        if blank(survivor, names):
            for n in names:
                fills[n] = getattr(giver, n)
            shown = ", ".join(str(getattr(giver, n)) for n in names)
            report.add("Filled in", f"{capfirst(labels)}: {_short(shown)} (from {giver}).")
        else:
            for p in others:
                if not blank(p, names) and [getattr(p, n) for n in names] != [getattr(survivor, n) for n in names]:
                    shown = ", ".join(str(getattr(p, n)) for n in names)
                    report.add("Not kept", f"{capfirst(labels)} of {p}: {_short(shown)} ({survivor} has its own).")
    if survivor.parent_id is None and survivor.level != PlaceLevel.COUNTRY:
        giver = next((p for p in others if p.parent_id and p.parent_id not in group), None)
        if giver is not None:
            fills["parent_id"] = giver.parent_id
            report.add("Filled in", f"Lies within: {giver.parent} (from {giver}).")
    return fills


def _short(text, length=80):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _names(survivor, others, fills, tracker, report):
    """The merged places' names become the survivor's: their own as PlaceNames, their PlaceNames moved."""
    native = fills.get("name_native", survivor.name_native)
    known = {survivor.name, native} | set(survivor.names.values_list("name", flat=True))
    for place in others:
        for name in place.names.order_by("pk"):
            if name.name in known:
                tracker.delete(name)
                report.add("Names", f"“{name}” ({name.get_kind_display()}) of {place} is dropped: "
                                    f"{survivor} has this name already.")
            else:
                tracker.touch(name)
                PlaceName.objects.filter(pk=name.pk).update(place=survivor)
                known.add(name.name)
                report.add("Names", f"“{name}” ({name.get_kind_display()}) moves to {survivor}.")
        for value, kind, language in (
            (place.name, NameKind.VARIANT, ""),
            (place.name_native, NameKind.NATIVE, place.native_language),
        ):
            if value and value not in known:
                known.add(value)
                tracker.created(PlaceName.objects.create(place=survivor, name=value, kind=kind, language=language))
                report.add("Names", f"“{value}”, the name of {place}, becomes a name of {survivor} "
                                    f"({NameKind(kind).label}).")


def _readable(model, row):
    """A whole row without its derived fields, as `differences` compares them."""
    return {k: v for k, v in row.items() if k not in derived_names(model)} if row is not None else None


def _save(request, survivor, others, tracker, report):
    """One revision per row touched, sharing a batch; the survivor's first, naming what was merged into it."""
    revisions = []
    place_type = ContentType.objects.get_for_model(Place)
    for (model, pk), (before, repr_) in tracker.rows.items():
        after = _current(model, pk)
        if before == after:
            continue
        is_survivor = model is Place and pk == survivor.pk
        changes = differences(model, _readable(model, before), _readable(model, after))
        if is_survivor:
            merged = "; ".join(f"{p} ({p.slug})" for p in others)
            changes.insert(0, {"field": "merged", "label": "Places merged into it", "before": "—", "after": merged})
        revisions.append(
            Revision(
                action=RevisionAction.MERGED,
                content_type=ContentType.objects.get_for_model(model),
                object_id=str(pk),
                object_repr=str(survivor)[:300] if is_survivor else repr_,
                root_type=None if is_survivor else place_type,
                root_id="" if is_survivor else str(survivor.pk),
                before=before,
                after=after,
                changes=changes,
            )
        )
    revisions.sort(key=lambda r: r.root_type is not None)  # the survivor's revision leads the batch
    save_revisions(request, revisions)
    return revisions[0]


# ---------------------------------------------------------------------------
# Undoing


def merge_batch(revision):
    """The revisions of the merge a revision belongs to, in the order they were written."""
    return list(
        Revision.objects.filter(batch=revision.batch, action=RevisionAction.MERGED)
        .select_related("content_type")
        .order_by("id")
    )


def undoing_of(revision):
    """The revision that undid this merge, if one did."""
    return Revision.objects.filter(reverts=revision.batch).order_by("id").first()


def _changed_fields(rev):
    """The fields the merge changed in a row it kept (derived ones apart: the database keeps them)."""
    derived = derived_names(rev.content_type.model_class())
    return [name for name in rev.after if name not in derived and rev.before.get(name) != rev.after.get(name)]


def _since(model, pk, after):
    """“since, by NAME at TIME” of the latest change to a row after the merge `after`, for the editor."""
    latest = (
        Revision.objects.of_record(model, pk).filter(time__gt=after.time).exclude(batch=after.batch)
        .order_by("-time", "-id").first()
    )
    if latest is None:
        return "since"
    who = latest.user_name or "someone"
    return f"since, by {who} at {latest.time:%Y-%m-%d %H:%M} UTC ({latest.get_action_display()})"


def undo_merge(request, revision):
    """Put the catalogue back as it was before the merge. Returns the places merged away, back again.

    Raises MergeError, changing nothing, if the merge was undone already or
    something it did has been changed since.
    """
    batch = merge_batch(revision)
    if not batch:
        raise MergeError("This change is not a merge of places.")
    done = undoing_of(revision)
    if done is not None:
        raise MergeError(
            f"This merge was undone already, by {done.user_name or 'someone'} at {done.time:%Y-%m-%d %H:%M} UTC."
        )
    using = router.db_for_write(Revision)
    with transaction.atomic(using=using):
        lead = batch[0]
        list(Place.objects.using(using).select_for_update().filter(pk=lead.object_id).values_list("pk"))
        current, conflicts = {}, []
        for rev in batch:
            model = rev.content_type.model_class()
            now = current[rev.pk] = _current(model, rev.object_id)
            what = f"{capfirst(model._meta.verbose_name)} “{rev.object_repr}”"
            if rev.after is None and now is not None:
                conflicts.append(f"{what} exists again")
            elif rev.before is not None and rev.after is not None:
                if now is None:
                    conflicts.append(f"{what} has been deleted {_since(model, rev.object_id, lead)}")
                    continue
                fields = [f for f in _changed_fields(rev) if now.get(f) != rev.after.get(f)]
                if fields:
                    labels = ", ".join(str(model._meta.get_field(f).verbose_name) for f in fields)
                    conflicts.append(f"{what} has been changed {_since(model, rev.object_id, lead)}: {labels}")
        if conflicts:
            shown = "; ".join(conflicts[:5]) + (f"; and {len(conflicts) - 5} more" if len(conflicts) > 5 else "")
            raise MergeError(
                f"This merge cannot be undone: {shown}. Undoing it would overwrite those changes, so nothing "
                "was changed. Undo the later changes first (a later merge, say), or correct the records by hand."
            )
        try:
            _apply_undo(batch, current, using)
        except IntegrityError as error:
            raise MergeError(
                f"This merge cannot be undone: a merged place's slug or another unique value is now taken by "
                f"another record ({error}). Nothing was changed."
            ) from None
        revisions, restored = [], []
        for rev in batch:
            model = rev.content_type.model_class()
            after = _current(model, rev.object_id)
            if model is Place and rev.after is None:
                restored.append(model._default_manager.get(pk=rev.object_id))
            undone = Revision(
                action=RevisionAction.UNMERGED,
                content_type=rev.content_type,
                object_id=rev.object_id,
                object_repr=rev.object_repr,
                root_type=rev.root_type,
                root_id=rev.root_id,
                before=current[rev.pk],
                after=after,
                changes=differences(model, _readable(model, current[rev.pk]), _readable(model, after)),
                reverts=rev.batch,
            )
            revisions.append(undone)
        save_revisions(request, revisions)
    return restored


def _deserialize_save(model, pk, fields, existing=False):
    """Write a row from its serialized fields; an existing row keeps its derived columns, which the
    database keeps from other rows (a partnership's status from its steps) and which a snapshot taken
    before other rows were put back would set wrong."""
    data = {"model": model._meta.label_lower, "pk": pk, "fields": fields}
    for deserialized in serializers.deserialize("python", [data]):
        if existing:
            derived = derived_names(model)
            columns = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in derived]
            deserialized.save(update_fields=columns)
        else:
            deserialized.save()


def _apply_undo(batch, current, using):
    """Rows the merge added go, rows it deleted come back, rows it changed get their old values.

    The order keeps unique values free when they are taken back, and puts
    places back before the rows whose search text names them: first the
    places the merge changed (the survivor gives back what it took over),
    then the rows it deleted (the merged places first, as they were touched
    first), then the other rows it changed.
    """
    def restore_changed(rev):
        fields = {**current[rev.pk], **{f: rev.before.get(f) for f in _changed_fields(rev)}}
        _deserialize_save(rev.content_type.model_class(), rev.object_id, fields, existing=True)

    kept = [rev for rev in batch if rev.before is not None and rev.after is not None]
    with transaction.atomic(using=using):
        for rev in reversed(batch):
            if rev.before is None:
                rev.content_type.model_class()._base_manager.filter(pk=rev.object_id).delete()
        for rev in kept:
            if rev.content_type.model_class() is Place:
                restore_changed(rev)
        for rev in batch:
            if rev.after is None:
                _deserialize_save(rev.content_type.model_class(), rev.object_id, rev.before)
        for rev in kept:
            if rev.content_type.model_class() is not Place:
                restore_changed(rev)
        # The search text last: saving above rewrote it from rows put back one at a time.
        for rev in batch:
            model = rev.content_type.model_class()
            if rev.before is None or "search_text" not in rev.before:
                continue
            untouched = rev.after is None or current[rev.pk].get("search_text") == rev.after.get("search_text")
            if untouched:
                model._base_manager.filter(pk=rev.object_id).update(search_text=rev.before["search_text"])
            else:
                model._base_manager.get(pk=rev.object_id).refresh_search_text()
        connections[using].check_constraints()
