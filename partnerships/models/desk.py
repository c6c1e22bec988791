"""Articles on the editors' desk: kept between sittings until they are saved into the catalogue."""

from django.conf import settings
from django.db import models


class DeskDraft(models.Model):
    """An article pasted on the desk and the editor's choices so far; resumed where it was left.

    The article itself (text, language, date, address, publisher) is kept in
    columns; the choices (what was accepted, corrected or rejected, the
    passages chosen for citations, the records being built) are the desk
    form's own fields, kept as JSON, so a draft is resumed exactly as it was
    left. Once saved, `source` points to the Source it became.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_drafts",
        help_text="The editor who put the article on the desk.",
    )
    title = models.CharField(max_length=300, help_text="The article's title, in its own language.")
    text = models.TextField(help_text="The article's full text, as pasted.")
    language = models.CharField(max_length=12, help_text="BCP 47 code of the article's language: no, en, fa, ru, ...")
    date_written = models.CharField(
        max_length=100, blank=True, help_text="The publication date as the article writes it, e.g. 29.8.2019."
    )
    url = models.URLField(max_length=500, blank=True, help_text="Where the article was published.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Who published it.")
    choices = models.JSONField(
        default=dict, blank=True, help_text="The desk form's fields as the editor left them."
    )
    source = models.ForeignKey(
        "Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_drafts",
        help_text="The source this article was saved as, once saved.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        verbose_name = "article on the desk"
        verbose_name_plural = "articles on the desk"

    def __str__(self):
        return self.title
