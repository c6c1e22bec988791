"""Drafts in the admin: new records start as drafts, reviewers publish them (partnerships/publishing.py).

- A record added here is a draft. A reviewer (who may publish) sees the box ticked and may untick
  it; an editor cannot publish, so the box is shown, not offered. Rows added on a record's page
  (its steps, outcomes, offices) are drafts when the record is, or when the editor cannot publish.
- Once published, a record stays published: the box is shown, not offered.
- A published record cannot be made to point at a draft (a new person as a participant of a
  published meeting): the form says which draft to publish first.
- "Publish" (an action on every list of records) publishes the chosen records with what they need;
  on the sources' list, with everything recorded from them.
"""

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.utils.text import capfirst

from ..models import InOffice, Record
from ..publishing import can_publish, publish

DRAFT_FIELDSET = ("Publishing", {"fields": ("draft",)})


def _will_be_public(form, cleaned):
    """Whether the form's row is seen by readers once saved: a published record, or a part of one."""
    instance = form.instance
    if isinstance(instance, Record):
        return not cleaned.get("draft", instance.draft if instance.pk else True)
    if isinstance(instance, InOffice):
        parent = cleaned.get(instance.part_of) or getattr(instance, instance.part_of, None)
        return parent is not None and parent.pk is not None and not parent.draft
    return False


class DraftLinksCheck(forms.BaseModelForm):
    """Refuses to point a published record (or a part of one) at a draft."""

    def clean(self):
        cleaned = super().clean()
        if not _will_be_public(self, cleaned):
            return cleaned
        for name, value in list(cleaned.items()):
            targets = value if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
            drafts = [t for t in targets if isinstance(t, Record) and t.draft]
            if drafts and name in self.fields:
                names = ", ".join(f"“{t}”" for t in drafts)
                self.add_error(
                    name,
                    f"{names} is a draft, and this record is published: publish the draft first "
                    "(select it in its list, action “Publish”), or choose a published one.",
                )
        return cleaned


def with_draft_check(form_class):
    if issubclass(form_class, DraftLinksCheck):
        return form_class
    checked = type(form_class.__name__, (DraftLinksCheck, form_class), {})
    checked.__module__ = form_class.__module__
    return checked


class DraftsAdminMixin:
    """Drafts on a record's admin: the box, new records as drafts, the Publish action, a filter."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if issubclass(self.model, Record) and not any("draft" in fs[1]["fields"] for fs in fieldsets):
            fieldsets.insert(0, DRAFT_FIELDSET)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if issubclass(self.model, Record) and (not can_publish(request.user) or (obj is not None and not obj.draft)):
            readonly += ("draft",)
        return readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if issubclass(self.model, Record):
            initial.setdefault("draft", True)
        return initial

    def get_list_display(self, request):
        columns = tuple(super().get_list_display(request))
        return (*columns, "draft") if issubclass(self.model, Record) and "draft" not in columns else columns

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        return ("draft", *filters) if issubclass(self.model, Record) else filters

    def save_model(self, request, obj, form, change):
        if isinstance(obj, Record) and not change and "draft" not in form.cleaned_data:
            obj.draft = True  # the box was not offered: an editor's new record waits for a reviewer
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        parent_draft = getattr(form.instance, "draft", False)
        for row_form in formset.forms:
            row = row_form.instance
            if isinstance(row, Record) and row.pk is None:
                row.draft = parent_draft or not can_publish(request.user)
        super().save_formset(request, form, formset, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if issubclass(self.model, Record) and can_publish(request.user):
            actions["publish_drafts"] = self.get_action("publish_drafts")
        return actions

    @admin.action(description="Publish, with the drafts they need (a source: with everything recorded from it)")
    def publish_drafts(self, request, queryset):
        published = publish(list(queryset), request)
        if not published:
            self.message_user(request, "Nothing to publish: the chosen records and what they need are published.")
            return
        self.message_user(request, f"Published {published_summary(published)}.", messages.SUCCESS)


def published_summary(records):
    """ "3 records (Meetings: 1, People: 2)": what a publishing published, for the editor's message."""
    counts = Counter(capfirst(type(record)._meta.verbose_name_plural) for record in records)
    kinds = ", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))
    return f"{len(records)} record{'s' if len(records) != 1 else ''} ({kinds})"
