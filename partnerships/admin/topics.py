"""Topics, in their hierarchy."""

from django.contrib import admin

from ..models import Topic
from .base import EDITORIAL, RecordAdmin


@admin.register(Topic)
class TopicAdmin(RecordAdmin):
    list_display = ("name", "parent", "slug")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "description")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        ("Names", {"fields": ("name", "slug", "parent")}),
        ("Text", {"fields": ("description", "keywords")}),
        EDITORIAL,
    )
