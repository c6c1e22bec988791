"""Sources and the passages cited from them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..listing import count_per_row
from ..models import Citation, Source, SourceKind
from .base import EDITORIAL, CitationForm, FuzzyDateAdminMixin, FuzzyDatedAdmin, RecordAdmin, excerpt
from .inlines import CitationInline


@admin.register(Source)
class SourceAdmin(FuzzyDatedAdmin):
    list_display = ("title", "title_english", "kind", "language", "publisher", "date", "citation_count")
    list_filter = ("kind", "language", "date_calendar")
    search_fields = ("slug", "title", "title_english", "publisher", "file_name", "url")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = FuzzyDatedAdmin.readonly_fields + ("citation_list",)
    fieldsets = (
        ("Names", {"fields": ("title", "title_english", "slug", "kind")}),
        ("Publication", {"fields": ("language", "publisher", "url", "file_name", "licence")}),
        FuzzyDateAdminMixin.date_fieldset,
        ("Text", {"fields": ("text",)}),
        ("Citations", {"fields": ("citation_list",)}),
        EDITORIAL,
    )
    inlines = (CitationInline,)

    def get_inlines(self, request, obj):
        # A dataset is cited row by row (tens of thousands of citations): listed, not inlined.
        if obj is not None and obj.kind == SourceKind.DATASET:
            return ()
        return super().get_inlines(request, obj)

    @admin.display(description="citations")
    def citation_list(self, obj):
        if not obj or not obj.pk:
            return "—"
        url = reverse("admin:partnerships_citation_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{} citations of this source</a>', url, obj.citations.count())

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=count_per_row(Citation, "source"))

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


@admin.register(Citation)
class CitationAdmin(RecordAdmin):
    form = CitationForm
    list_display = ("slug", "source", "locator", "language", "passage_excerpt", "english_excerpt")
    list_filter = ("source__kind", "source__language")
    search_fields = ("slug", "passage", "passage_english", "source__title", "source__slug")
    autocomplete_fields = ("source",)
    readonly_fields = ("search_text", "cited_by")
    fieldsets = (
        ("Source", {"fields": ("source", "locator", "slug")}),
        ("Text", {"fields": ("passage", "passage_english")}),
        ("Sources", {"fields": ("cited_by",)}),
        EDITORIAL,
    )

    @admin.display(description="language", ordering="source__language")
    def language(self, obj):
        return obj.source.language

    @admin.display(description="passage")
    def passage_excerpt(self, obj):
        return excerpt(obj.passage)

    @admin.display(description="in English")
    def english_excerpt(self, obj):
        return excerpt(obj.passage_english)

    @admin.display(description="cited by")
    def cited_by(self, obj):
        if not obj.pk:
            return ""
        records = [record for name in Citation.citing_relations() for record in getattr(obj, name).all()]
        return format_html_join(", ", "{} “{}”", ((r._meta.verbose_name, r) for r in records)) or "—"
