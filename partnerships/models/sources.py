"""Sources (documents and datasets) and the citations that quote them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Cited, FuzzyDated, FuzzyDateQuerySet, Record, catalogue_manager


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("document (article, report, letter)")
    DATASET = "dataset", _("dataset (a table imported row by row)")


class Source(Record, FuzzyDated):
    """A document the catalogue is curated from, with its full original text, or an imported dataset.

    The date is the source's publication date when it gives one. A dataset
    keeps no full text: its citations quote the rows they come from.
    """

    kind = models.CharField(
        max_length=10, choices=SourceKind.choices, default=SourceKind.DOCUMENT, help_text="Document or dataset."
    )

    title = models.CharField(max_length=300, help_text="Title in the source's own language and script.")
    title_english = models.CharField(max_length=300, blank=True, help_text="The title rendered in English.")
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it, when the document says so."
    )
    language = models.CharField(
        max_length=12, help_text="Language of the original text as a BCP 47 code: no, en, fa, ru, ..."
    )
    url = models.URLField(blank=True, max_length=500, help_text="Where the document was published, if known.")
    file_name = models.CharField(
        max_length=200, blank=True, help_text="File the text was curated from, e.g. in shared/seeds/."
    )
    licence = models.CharField(
        max_length=300, blank=True, help_text='Licence and attribution, e.g. "CC BY 4.0, GeoNames".'
    )
    text = models.TextField(blank=True, help_text="The full original text, unaltered (documents only).")

    objects = catalogue_manager(FuzzyDateQuerySet)

    class Meta(FuzzyDated.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["slug"]
        # Held by the Reviewers group (migration 0014), and by no editor otherwise.
        permissions = [("publish_records", "Can publish drafts")]
        indexes = [
            # /sources/ sorted by title (its default), a page at a time.
            models.Index(fields=["title", "id"], name="source_title"),
            # /sources/?language=ru and the meetings' source-language filter.
            models.Index(fields=["language"], name="source_language"),
        ]
        constraints = FuzzyDated.Meta.constraints + [
            models.CheckConstraint(
                condition=~Q(kind=SourceKind.DOCUMENT) | ~Q(text=""),
                name="source_document_has_text",
                violation_error_message="A document needs its full original text.",
            )
        ]

    def search_parts(self):
        return super().search_parts() + [self.title_english, self.publisher, self.text]

    def clean(self):
        self.clean_date()
        if self.kind == SourceKind.DOCUMENT and not self.text.strip():
            raise ValidationError({"text": "A document needs its full original text; paste it unaltered."})


class Citation(Record):
    """A passage of a source, in its own language, with an English rendering."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # a citation without its source proves nothing
        related_name="citations",
        help_text="The document quoted.",
    )
    passage = models.TextField(help_text="The passage exactly as the source writes it.")
    passage_english = models.TextField(blank=True, help_text="The passage rendered in English.")
    locator = models.CharField(
        max_length=100, blank=True, help_text='Where in the source: "line 1234", "paragraph 3".'
    )

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source", "slug"]

    def __str__(self):
        return f"{self.source.slug}: {self.passage[:60]}"

    @classmethod
    def citing_relations(cls):
        """Names of the reverse accessors ("place_set", "meeting_set", ...) to the records citing a citation.

        One for every concrete Cited model, in the order the models are
        declared (the order the app registry holds them in).
        """
        return [
            rel.get_accessor_name()
            for rel in cls._meta.related_objects
            if rel.many_to_many and rel.field.name == "citations" and issubclass(rel.related_model, Cited)
        ]

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.slug}"

    @property
    def language(self):
        return self.source.language

    def search_parts(self):
        return [self.slug, self.passage, self.passage_english]

    def clean(self):
        documented = self.source_id and self.source.kind == SourceKind.DOCUMENT
        if documented and self.passage and self.passage.strip() not in self.source.text:
            raise ValidationError({"passage": "The passage must be quoted exactly as it stands in the source's text."})
