"""The editors' desk: paste an article, review what the catalogue recognises in it, build its records, save.

/admin/partnerships/desk/ takes an article (text, language, publication date
as written, address, publisher) and keeps it as a DeskDraft. Its page shows
the article annotated (partnerships/desk.py): places, people, dates, topics
and candidate figures, each marked in the text and listed with what it
would be. Beside it, one form builds the records: the source and its
citations (a passage selected in the article, with an English rendering), a
delegation, a meeting with its topics, its participants (people found in
the article, or new people once the closest existing ones have been
declined), outcomes and figures. Every proposal is only an offer: a person
takes part, a topic is tagged, a figure is kept only when the editor ticks
it, and any value can be corrected first.

"Keep for later" stores the form as it stands in the draft; "Save to the
catalogue" writes the source and every record in one transaction and
records them in the change history as one batch in the editor's name. They
are drafts (partnerships/publishing.py): readers see none of them until a
reviewer publishes the source with everything recorded from it, with the
button the saved article's page shows them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..dates import DateNotUnderstood, parse_date, try_parse_date
from ..desk import annotate, annotated_html, describe, similar_people
from ..history import make_revision, save_revisions, snapshot
from ..models import (
    Citation,
    Delegation,
    DelegationMember,
    DeskDraft,
    Figure,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Office,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    Participant,
    Partnership,
    Person,
    Place,
    PlaceName,
    Record,
    RevisionAction,
    Role,
    Side,
    Source,
    Topic,
)
from ..publishing import can_publish, drafts_needed, publish
from ..text import fold
from .base import SLUG_PARTS, record_slug
from .publishing import published_summary

PERMISSIONS = ("partnerships.add_deskdraft", "partnerships.add_source", "partnerships.add_meeting")
CITES = [
    ("delegation", "the delegation"),
    ("meeting", "the meeting"),
    ("participants", "its participants"),
    ("outcomes", "the outcomes"),
    ("figures", "the figures"),
]


# ---------------------------------------------------------------------------
# Forms


class ArticleForm(forms.ModelForm):
    """The article as pasted: its text and what is known of its publication."""

    class Meta:
        model = DeskDraft
        fields = ("title", "language", "date_written", "url", "publisher", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 16, "dir": "auto"}), "title": forms.TextInput(
            attrs={"dir": "auto", "size": 80})}
        labels = {"date_written": "Publication date as written"}

    def clean_text(self):
        # Browsers send a textarea's line breaks as CR LF, and the page shows them as LF: one form
        # for both, so positions counted in the page are positions in the text kept.
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_date_written(self):
        written = self.cleaned_data["date_written"]
        if written:
            try:
                parse_date(written, self.data.get("language", ""))
            except DateNotUnderstood as error:
                raise ValidationError(str(error)) from None
        return written


def _place_choices(places):
    return [("", "—")] + [(p.slug, f"{p.name} ({p.get_level_display()}, {p.country.name})") for p in places]


def find_place(text):
    """A place by slug, name, native name or other name (folded); None when none or several match."""
    text = (text or "").strip()
    if not text:
        return None
    place = Place.objects.filter(slug=text).first()
    if place:
        return place
    folded = fold(text)
    ids = {p.pk for p in Place.objects.filter(name__iexact=text) | Place.objects.filter(name_native__iexact=text)}
    ids |= set(PlaceName.objects.filter(name__iexact=text).values_list("place_id", flat=True))
    if not ids:
        ids = {pk for pk, name in Place.objects.filter(search_text__contains=folded).values_list("pk", "name")
               if fold(name) == folded}
    return Place.objects.get(pk=ids.pop()) if len(ids) == 1 else None


class PlaceWidget(forms.MultiWidget):
    """A select of the places found, and a box for any other."""

    def decompress(self, value):
        return [getattr(value, "slug", value) or "", ""]


class PlaceField(forms.MultiValueField):
    """A place found in the article, or any other typed by slug or name."""

    def __init__(self, places, **kwargs):
        fields = (forms.ChoiceField(choices=_place_choices(places), required=False), forms.CharField(required=False))
        widget = PlaceWidget([
            forms.Select(choices=_place_choices(places)),
            forms.TextInput(attrs={"placeholder": "or another: slug or name", "size": 22}),
        ])
        super().__init__(fields, widget=widget, require_all_fields=False, required=False, **kwargs)

    def compress(self, values):
        chosen, typed = [*(values or []), "", ""][:2]
        if typed:
            place = find_place(typed)
            if place is None:
                raise ValidationError(f"No single place in the catalogue is called “{typed}”: give its slug.")
            return place
        return Place.objects.filter(slug=chosen).first() if chosen else None


class DateAsWrittenField(forms.CharField):
    """A date typed as written; kept as text, read when saved."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=100, widget=forms.TextInput(
            attrs={"list": "desk-dates", "size": 30, "dir": "auto"}), **kwargs)


class DeskForm(forms.Form):
    """The records to make of the article; what the article proposes fills the choices."""

    title_english = forms.CharField(required=False, max_length=300, label="Title in English")

    make_delegation = forms.BooleanField(required=False, label="Record a delegation")
    delegation_title = forms.CharField(required=False, max_length=200, label="Title")
    delegation_date = DateAsWrittenField(label="Date as written")
    delegation_purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Purpose")

    make_meeting = forms.BooleanField(required=False, label="Record a meeting")
    meeting_title = forms.CharField(required=False, max_length=200, label="Title")
    meeting_kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.MEETING, label="Kind")
    meeting_status = forms.ChoiceField(choices=MeetingStatus.choices, initial=MeetingStatus.HELD, label="Status")
    meeting_date = DateAsWrittenField(label="Date as written")
    meeting_summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Summary")

    def __init__(self, *args, places=(), topics=(), partnerships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"] = PlaceField(places, label="From")
        self.fields["destination"] = PlaceField(places, label="To")
        self.fields["meeting_place"] = PlaceField(places, label="Place")
        proposed = {t.pk for t in topics}
        others = Topic.objects.exclude(pk__in=proposed).order_by("name")
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
            label="Topics (those found in the article first)",
        )
        self.fields["topics"].choices = [(t.pk, f"{t.name} ✓ found") for t in topics] + [(t.pk, t.name) for t in others]
        self.fields["partnership"] = forms.ModelChoiceField(
            queryset=Partnership.objects.filter(pk__in=[p.pk for p in partnerships]), required=False,
            label="Partnership", help_text="Left empty, the partnership between the delegation's two places, if any.",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("make_delegation"):
            for name in ("delegation_title", "origin", "destination"):
                if not cleaned.get(name):
                    self.add_error(name, "A delegation needs this.")
            if cleaned.get("origin") and cleaned.get("origin") == cleaned.get("destination"):
                self.add_error("destination", "A delegation travels: its origin and destination differ.")
        if cleaned.get("make_meeting") and not cleaned.get("meeting_title"):
            self.add_error("meeting_title", "A meeting needs a title.")
        return cleaned


class ExistingPersonForm(forms.Form):
    """A person of the catalogue found in the article: taking part or not, on which side, in which office."""

    person = forms.ModelChoiceField(queryset=Person.objects.all(), widget=forms.HiddenInput)
    take_part = forms.BooleanField(required=False, label="took part")
    side = forms.ChoiceField(choices=Side.choices, initial=Side.HOST)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PARTICIPANT)
    office = forms.ModelChoiceField(queryset=Office.objects.all(), required=False)
    new_office = forms.CharField(required=False, max_length=200, label="or a new office",
                                 widget=forms.TextInput(attrs={"size": 24}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person_id = self.initial.get("person") or self.data.get(self.add_prefix("person"))
        person = Person.objects.filter(pk=person_id).prefetch_related("offices").first() if person_id else None
        self.person_record = person
        self.fields["office"].queryset = person.offices.all() if person else Office.objects.none()
        self.fields["office"].label_from_instance = lambda office: office.title


class NewPersonForm(forms.Form):
    """A person the catalogue does not know yet; made only once the closest existing people are declined."""

    name = forms.CharField(required=False, max_length=200, label="Name (Latin script)")
    name_native = forms.CharField(required=False, max_length=200, label="as written", widget=forms.TextInput(
        attrs={"dir": "auto"}))
    office = forms.CharField(required=False, max_length=200, label="Office (English)")
    office_original = forms.CharField(required=False, max_length=200, label="Office as written",
                                      widget=forms.TextInput(attrs={"dir": "auto"}))
    side = forms.ChoiceField(choices=Side.choices, initial=Side.HOST)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.PARTICIPANT)
    not_these = forms.BooleanField(required=False, label="none of the people shown: a new person")
    existing = forms.ModelChoiceField(
        queryset=Person.objects.all(), to_field_name="slug", required=False, label="or one of them (slug)",
        widget=forms.TextInput(attrs={"size": 18}),
        error_messages={"invalid_choice": "No person in the catalogue has this slug."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("existing"):
            return cleaned  # a person the catalogue knows, not found in the article by name
        name = cleaned.get("name") or cleaned.get("name_native")
        if (cleaned.get("name_native") or cleaned.get("office")) and not cleaned.get("name"):
            self.add_error("name", "Give the name in Latin script.")
        if name and not cleaned.get("not_these"):
            closest = similar_people(cleaned.get("name")) + similar_people(cleaned.get("name_native") or "")
            if closest:
                self.closest = [person for _, person in closest]
                names = "; ".join(f"{p.name}" + (f" ({p.name_native})" if p.name_native else "") for p in self.closest)
                raise ValidationError(
                    f"Already in the catalogue, and close: {names}. If it is one of them, give their slug "
                    f"({', '.join(p.slug for p in self.closest)}); if not, tick “none of the people shown”."
                )
        return cleaned


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—")] + OutcomeKind.choices, required=False)
    status = forms.ChoiceField(choices=OutcomeStatus.choices, initial=OutcomeStatus.DONE)
    title = forms.CharField(required=False, max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    date = DateAsWrittenField(label="Date as written")
    made_by = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["made_by"].queryset = Person.objects.filter(pk__in=[p.pk for p in people])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("kind"):
            self.add_error("kind", "Say what kind of outcome it is.")
        return cleaned


class FigureForm(forms.Form):
    keep = forms.BooleanField(required=False, label="keep")
    label = forms.CharField(required=False, max_length=200)
    value = forms.DecimalField(required=False, max_digits=20, decimal_places=2)
    unit = forms.CharField(required=False, max_length=40)
    as_written = forms.CharField(required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"}))

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"] = PlaceField(places, label="Describes")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep"):
            for name in ("label", "value", "place"):
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, "A figure kept needs this.")
        return cleaned


class CitationForm(forms.Form):
    passage = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto",
                                                                         "class": "desk-passage"}))
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput(attrs={"class": "desk-start"}))
    passage_english = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                      label="In English")
    cites = forms.MultipleChoiceField(choices=CITES, required=False, widget=forms.CheckboxSelectMultiple,
                                      initial=["meeting"])

    def __init__(self, *args, article="", **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article

    def clean(self):
        cleaned = super().clean()
        passage = (cleaned.get("passage") or "").strip()
        if not passage:
            return cleaned
        start = cleaned.get("start")
        if start is None or self.article[start:start + len(passage)] != passage:
            start = self.article.find(passage)
        if start < 0:
            self.add_error("passage", "A citation quotes the article exactly: this passage is not in it.")
        cleaned["passage"], cleaned["start"] = passage, start
        if not cleaned.get("passage_english"):
            self.add_error("passage_english", "Write the passage in English.")
        return cleaned


ExistingPeople = forms.formset_factory(ExistingPersonForm, extra=0)
NewPeople = forms.formset_factory(NewPersonForm, extra=2)
Outcomes = forms.formset_factory(OutcomeForm, extra=2)
Figures = forms.formset_factory(FigureForm, extra=1)
Citations = forms.formset_factory(CitationForm, extra=3)


# ---------------------------------------------------------------------------
# The desk of one article


class Desk:
    """An article's annotations and the bound forms that build its records."""

    def __init__(self, draft, data=None):
        self.draft = draft
        self.reference = self.publication_date()
        self.finds = annotate(draft.text, draft.language, self.reference.earliest if self.reference else None)
        self.places = _unique(c for f in self.finds if f.kind == "place" for c in f.candidates)
        self.people = _unique(c for f in self.finds if f.kind == "person" for c in f.candidates)
        self.topics = _unique(c for f in self.finds if f.kind == "topic" for c in f.candidates)
        self.dates = [f for f in self.finds if f.kind == "date"]
        figures = [f for f in self.finds if f.kind == "figure"]
        partnerships = Partnership.objects.filter(place_a__in=self.places, place_b__in=self.places)
        first_date = self.dates[0].written if self.dates else ""
        kw = {"data": data} if data is not None else {}
        self.form = DeskForm(
            **kw, places=self.places, topics=self.topics, partnerships=partnerships,
            initial={"delegation_date": first_date, "meeting_date": first_date},
        )
        self.existing = ExistingPeople(**kw, prefix="person", initial=[
            {"person": p.pk, "office": next(iter(p.offices.all()), None)} for p in self.people
        ])
        self.new_people = NewPeople(**kw, prefix="new")
        self.outcomes = Outcomes(**kw, prefix="outcome", form_kwargs={"people": self.people})
        self.figures = Figures(**kw, prefix="figure", form_kwargs={"places": self.places}, initial=[
            {"value": f.value[0], "unit": f.value[1], "as_written": f.written} for f in figures
        ])
        self.citations = Citations(**kw, prefix="citation", form_kwargs={"article": draft.text})
        self.formsets = (self.existing, self.new_people, self.outcomes, self.figures, self.citations)

    def publication_date(self):
        return try_parse_date(self.draft.date_written, self.draft.language) if self.draft.date_written else None

    def is_valid(self):
        return all([self.form.is_valid(), *(f.is_valid() for f in self.formsets)])

    def proposals(self):
        """The finds grouped for the margin: (heading, [(find, description)])."""
        groups = {"place": "Places", "person": "People", "date": "Dates", "topic": "Topics", "figure": "Figures"}
        seen, out = set(), {kind: [] for kind in groups}
        for found in self.finds:
            key = (found.kind, found.written.lower())
            if key not in seen:
                seen.add(key)
                out[found.kind].append((found, describe(found)))
        return [(groups[kind], items) for kind, items in out.items() if items]


def _unique(records):
    seen, out = set(), []
    for record in records:
        if record.pk not in seen:
            seen.add(record.pk)
            out.append(record)
    return out


# ---------------------------------------------------------------------------
# Saving


class Builder:
    """Makes the records, remembering each for the change history."""

    def __init__(self, language, reference):
        self.language, self.reference, self.made = language, reference, []

    def date(self, written):
        if not written:
            return {}
        fields = parse_date(written, self.language, self.reference).fields()
        return fields

    def slug(self, model, **parts):
        return record_slug(model, SLUG_PARTS[model](parts)) or record_slug(model, [model._meta.model_name])

    def create(self, model, **fields):
        if "slug" in [f.name for f in model._meta.fields] and not fields.get("slug"):
            fields["slug"] = self.slug(model, **fields)
        if issubclass(model, Record):
            fields["draft"] = True  # readers see it once a reviewer publishes the source
        obj = model(**fields)
        obj.full_clean(exclude=["search_text"])
        obj.save()
        self.made.append(obj)
        return obj


def save_to_catalogue(request, desk):
    """Write the source and every record the editor chose, in one transaction, as one batch of the history."""
    draft, form = desk.draft, desk.form.cleaned_data
    reference = desk.reference.earliest if desk.reference else None
    build = Builder(draft.language, reference)
    with transaction.atomic():
        source = build.create(
            Source, title=draft.title, title_english=form["title_english"], language=draft.language,
            url=draft.url, publisher=draft.publisher, text=draft.text, **build.date(draft.date_written),
        )
        cited = {key: [] for key, _ in CITES}
        delegation = meeting = None
        partnership = form.get("partnership")
        if not partnership and form.get("origin") and form.get("destination"):
            partnership = Partnership.objects.between(form["origin"], form["destination"]).first()
        if form["make_delegation"]:
            delegation = build.create(
                Delegation, title=form["delegation_title"], origin=form["origin"], destination=form["destination"],
                partnership=partnership, purpose=form["delegation_purpose"], **build.date(form["delegation_date"]),
            )
            cited["delegation"].append(delegation)
        if form["make_meeting"]:
            meeting = build.create(
                Meeting, title=form["meeting_title"], kind=form["meeting_kind"], status=form["meeting_status"],
                place=form.get("meeting_place"), delegation=delegation, partnership=partnership,
                summary=form["meeting_summary"], **build.date(form["meeting_date"]),
            )
            meeting.topics.set(form["topics"])
            cited["meeting"].append(meeting)
        when = build.date(form["meeting_date"] or form["delegation_date"])
        taking_part = []
        for row in desk.existing.cleaned_data:
            if row.get("take_part"):
                office = row.get("office")
                if row.get("new_office"):
                    office = build.create(Office, person=row["person"], title=row["new_office"], **when)
                taking_part.append((row["person"], office, row["side"], row["role"]))
        for row in desk.new_people.cleaned_data:
            if row.get("existing"):
                person, office = row["existing"], None
                if row.get("office"):
                    office = build.create(Office, person=person, title=row["office"],
                                          title_original=row["office_original"], **when)
                taking_part.append((person, office, row["side"], row["role"]))
            elif row.get("name"):
                person = build.create(Person, name=row["name"], name_native=row["name_native"])
                office = None
                if row.get("office"):
                    office = build.create(Office, person=person, title=row["office"],
                                          title_original=row["office_original"], **when)
                taking_part.append((person, office, row["side"], row["role"]))
        for person, office, side, role in taking_part:
            if meeting:
                cited["participants"].append(build.create(
                    Participant, meeting=meeting, person=person, office=office, side=side, role=role))
            if delegation and side == Side.GUEST:
                member_role = Role.LEADER if role == Role.LEADER else Role.MEMBER
                cited["participants"].append(build.create(
                    DelegationMember, delegation=delegation, person=person, office=office, role=member_role))
        for row in desk.outcomes.cleaned_data:
            if row.get("title"):
                cited["outcomes"].append(build.create(
                    Outcome, kind=row["kind"], status=row["status"], title=row["title"],
                    description=row["description"], meeting=meeting, partnership=partnership,
                    made_by=row.get("made_by"), **build.date(row["date"]),
                ))
        for row in desk.figures.cleaned_data:
            if row.get("keep"):
                cited["figures"].append(build.create(
                    Figure, label=row["label"], value=row["value"], unit=row["unit"], as_written=row["as_written"],
                    place=row["place"], partnership=partnership, meeting=meeting,
                ))
        for row in desk.citations.cleaned_data:
            if row.get("passage"):
                start = row["start"]
                citation = build.create(
                    Citation, source=source, passage=row["passage"], passage_english=row["passage_english"],
                    locator=f"characters {start}–{start + len(row['passage'])}",
                )
                for key in row["cites"]:
                    for record in cited[key]:
                        record.citations.add(citation)
        # Snapshots after the links are made, so each revision holds its topics and citations.
        fresh = [type(o)._default_manager.get(pk=o.pk) for o in build.made]
        save_revisions(request, [make_revision(RevisionAction.ADDED, o, None, snapshot(o), source) for o in fresh])
        draft.source = source
        draft.choices = _stored(request.POST)
        draft.save()
    return source, meeting, delegation, build.made


def _stored(post):
    """The posted form as JSON: every field's values, the CSRF token and the buttons left out."""
    return {k: post.getlist(k) for k in post if k not in ("csrfmiddlewaretoken", "keep", "save")}


def _restored(choices):
    data = QueryDict(mutable=True)
    for key, values in (choices or {}).items():
        data.setlist(key, values)
    return data


# ---------------------------------------------------------------------------
# Views


def _check(request):
    if not request.user.has_perms(PERMISSIONS):
        raise PermissionDenied


def desk_view(request):
    """The desk's first page: paste an article, or resume one left on the desk."""
    _check(request)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        draft.user = request.user
        draft.save()
        return HttpResponseRedirect(reverse("desk-draft", args=[draft.pk]))
    context = {
        **admin.site.each_context(request),
        "title": "The desk: enter an article",
        "form": form,
        "drafts": DeskDraft.objects.filter(source__isnull=True).select_related("user")[:50],
    }
    return TemplateResponse(request, "admin/partnerships/desk/start.html", context)


def draft_view(request, pk):
    """One article on the desk: its annotations and the form that builds its records."""
    _check(request)
    draft = get_object_or_404(DeskDraft.objects.select_related("source"), pk=pk)
    if request.method == "POST" and "publish" in request.POST and draft.source_id:
        if not can_publish(request.user):
            raise PermissionDenied
        published = publish([draft.source], request)
        messages.success(request, f"Published {published_summary(published)} from “{draft.source.title}”.")
        return HttpResponseRedirect(reverse("desk-draft", args=[draft.pk]))
    submitted = request.method == "POST" and draft.source_id is None
    if submitted:
        desk = Desk(draft, request.POST)
        if "keep" in request.POST:
            draft.choices = _stored(request.POST)
            draft.save()
            messages.success(request, "Kept on the desk: resume it from the desk's first page.")
            return HttpResponseRedirect(reverse("desk-draft", args=[draft.pk]))
        if desk.is_valid():
            try:
                source, meeting, delegation, made = save_to_catalogue(request, desk)
            except (ValidationError, DateNotUnderstood) as error:
                messages.error(request, f"Nothing was saved: {'; '.join(_messages(error))}")
            else:
                messages.success(request, f"Saved {len(made)} records from “{source.title}”.")
                return HttpResponseRedirect(reverse("desk-draft", args=[draft.pk]))
    else:
        desk = Desk(draft, _restored(draft.choices) if draft.choices else None)
    context = {
        **admin.site.each_context(request),
        "title": f"The desk: {draft.title}",
        "draft": draft,
        "desk": desk,
        "article": annotated_html(draft.text, desk.finds),
        "show_errors": submitted,
        "rtl": draft.language in ("fa", "ar", "he", "ur"),
    }
    if draft.source_id:
        source = draft.source
        context["saved"] = {
            "source": source,
            "drafts": drafts_needed([source]),
            "can_publish": can_publish(request.user),
            "meetings": Meeting.objects.filter(citations__source=source).distinct(),
            "delegations": Delegation.objects.filter(citations__source=source).distinct(),
        }
    return TemplateResponse(request, "admin/partnerships/desk/draft.html", context)


def _messages(error):
    if isinstance(error, ValidationError):
        return [f"{k}: {', '.join(v)}" for k, v in error.message_dict.items()] if hasattr(
            error, "error_dict") else error.messages
    return [str(error)]


urlpatterns = [
    path("", admin.site.admin_view(desk_view), name="desk"),
    path("<int:pk>/", admin.site.admin_view(draft_view), name="desk-draft"),
]


@admin.register(DeskDraft)
class DeskDraftAdmin(admin.ModelAdmin):
    """Articles on the desk, to resume or discard; they are worked on at /admin/partnerships/desk/."""

    list_display = ("title", "language", "user", "updated", "source", "open_on_desk")
    list_filter = ("language",)
    search_fields = ("title", "text")
    fields = ("title", "language", "date_written", "url", "publisher", "text", "user", "source", "updated",
              "open_on_desk")
    readonly_fields = ("user", "source", "updated", "open_on_desk")

    @admin.display(description="desk")
    def open_on_desk(self, obj):
        from django.utils.html import format_html

        if not obj or not obj.pk:
            return ""
        return format_html('<a href="{}">Open on the desk</a>', reverse("desk-draft", args=[obj.pk]))
