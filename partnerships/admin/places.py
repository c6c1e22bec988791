"""Places, their other names and old addresses, organisations and venues; merging duplicate places."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from ..merging import MergeError, curated_ids, default_survivor, merge_places
from ..models import Organisation, Place, PlaceName, PlaceRedirect, Venue
from .base import EDITORIAL, CatalogueAdmin, RecordAdmin, country_filter
from .inlines import PlaceNameInline, PlaceRedirectInline, citations_inline


class MergeForm(forms.Form):
    """The place a merge keeps, among those selected."""

    survivor = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        error_messages={
            "required": "Choose the place to keep.",
            "invalid_choice": "Choose the place to keep among the places selected.",
        },
    )

    def __init__(self, *args, places, counts, curated, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.queryset = Place.objects.filter(pk__in=[p.pk for p in places]).order_by("name", "pk")

        def label(place):
            n = counts.get(place.pk, 0)
            origin = "curated" if place.pk in curated else "imported or uncited"
            return f"{place} ({place.slug}, {place.country.name or place.country}) — {n} partnership" \
                f"{'' if n == 1 else 's'}, {origin}"

        field.label_from_instance = label


@admin.register(Place)
class PlaceAdmin(RecordAdmin):
    list_display = ("name", "name_native", "level", "country", "parent", "population")
    list_filter = ("level", ("country", country_filter("country")))
    list_select_related = ("parent",)
    search_fields = ("name", "name_native", "slug", "names__name", "geonames_id__exact")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "native_language", "slug")}),
        (
            "Place",
            {"fields": ("level", "country", "parent", ("latitude", "longitude"), "geonames_id", "population")},
        ),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (PlaceNameInline, PlaceRedirectInline, citations_inline(Place))
    actions = ("merge_places",)

    def has_merge_permission(self, request):
        """Merging changes the place kept and deletes the others; undoing it adds them back."""
        return all(request.user.has_perm(f"partnerships.{action}_place") for action in ("add", "change", "delete"))

    @admin.action(description="Merge selected places into one…", permissions=["merge"])
    def merge_places(self, request, queryset):
        """The intermediate page: choose the place to keep, preview the merge, confirm it."""
        places = list(queryset.select_related(None).order_by("name", "pk"))
        if len(places) < 2:
            self.message_user(request, "Select two or more places to merge into one.", messages.ERROR)
            return None
        counts = dict(
            Place.objects.filter(pk__in=[p.pk for p in places])
            .annotate(n=Count("partnerships_as_a", distinct=True) + Count("partnerships_as_b", distinct=True))
            .values_list("pk", "n")
        )
        curated = curated_ids(places)
        default = default_survivor(places)
        chosen = "survivor" in request.POST or "confirm" in request.POST or "preview" in request.POST
        form = MergeForm(request.POST if chosen else None, initial={"survivor": default.pk},
                         places=places, counts=counts, curated=curated)
        survivor = form.cleaned_data["survivor"] if form.is_bound and form.is_valid() else default
        others = [p for p in places if p.pk != survivor.pk]
        # A confirmation counts only for the place whose preview the editor saw.
        previewed = request.POST.get("previewed") == str(survivor.pk)
        if "confirm" in request.POST and form.is_bound and form.is_valid() and previewed:
            try:
                report = merge_places(survivor, others, request)
            except MergeError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                if not report.problems:
                    revision = report.revision
                    url = reverse("admin:partnerships_revision_change", args=[revision.pk])
                    self.message_user(request, format_html(
                        "{} merged into “{}”. The merge is kept in the <a href=\"{}\">change history</a>, "
                        "where it can be undone.",
                        ", ".join(f"“{p}”" for p in others), survivor, url,
                    ), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:partnerships_place_change", args=[quote(survivor.pk)]))
        elif "confirm" in request.POST and form.is_bound and form.is_valid():
            self.message_user(request, "The place to keep changed: check what the merge does now, then confirm.",
                              messages.WARNING)
        try:
            report = merge_places(survivor, others, dry_run=True)
        except MergeError as error:
            report, problem = None, str(error)
        else:
            problem = None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge places",
            "opts": self.opts,
            "places": places,
            "form": form,
            "survivor": survivor,
            "default": default,
            "report": report,
            "problem": problem,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/partnerships/place/merge_places.html", context)


@admin.register(PlaceName)
class PlaceNameAdmin(CatalogueAdmin):
    list_display = ("name", "place", "kind", "language", "source")
    list_filter = ("kind",)
    list_select_related = ("place", "source")
    search_fields = ("name", "place__name", "place__name_native", "place__slug")
    autocomplete_fields = ("place", "source")
    fieldsets = (("Names", {"fields": ("name", "language", "kind")}), ("Place", {"fields": ("place",)}),
                 ("Sources", {"fields": ("source",)}))


@admin.register(PlaceRedirect)
class PlaceRedirectAdmin(CatalogueAdmin):
    """Old addresses of places: made by merges, or by hand after a slug changed."""

    list_display = ("old_slug", "place")
    list_select_related = ("place",)
    search_fields = ("old_slug", "place__name", "place__slug")
    autocomplete_fields = ("place",)
    fields = ("old_slug", "place")


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "name_native", "kind", "place")
    list_filter = ("kind", ("place__country", country_filter("country")))
    list_select_related = ("place",)
    search_fields = ("name", "name_native", "slug", "kind")
    autocomplete_fields = ("place",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "slug", "kind")}),
        ("Place", {"fields": ("place",)}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(Organisation),)


@admin.register(Venue)
class VenueAdmin(RecordAdmin):
    list_display = ("name", "name_native", "place", "organisation")
    list_filter = (("place__country", country_filter("country")),)
    list_select_related = ("place", "organisation")
    search_fields = ("name", "name_native", "slug", "place__name")
    autocomplete_fields = ("place", "organisation")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "name_native", "slug")}),
        ("Place", {"fields": ("place", "organisation")}),
        ("Text", {"fields": ("description",)}),
        EDITORIAL,
    )
    inlines = (citations_inline(Venue),)
