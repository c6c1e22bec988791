"""The controlled hierarchy of subjects discussed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import Record, RecordQuerySet


class TopicQuerySet(RecordQuerySet):
    def subtree_ids(self, topics):
        """Ids of the given topics and of every topic below them.

        The hierarchy is small and controlled, so it is walked in memory.
        """
        children = {}
        for pk, parent_id in Topic.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = set(), [t.pk if isinstance(t, Topic) else t for t in topics]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.add(pk)
                todo.extend(children.get(pk, []))
        return found


class Topic(Record):
    """A subject discussed, in a small controlled hierarchy, e.g. Health care › Rehabilitation."""

    name = models.CharField(max_length=100, help_text="English name.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,  # moving subtopics is an editor's decision
        null=True,
        blank=True,
        related_name="children",
        help_text="The broader topic.",
    )
    description = models.TextField(blank=True)
    keywords = models.TextField(
        blank=True,
        help_text="Words that signal the topic in an article, in any language, separated by commas "
        "(havbruk, аквакультура, آبزی‌پروری); the desk proposes the topic where they occur.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="topic_not_own_parent",
                violation_error_message="A topic cannot be its own parent.",
            )
        ]

    def ancestors(self):
        node, chain = self.parent, []
        while node:
            chain.insert(0, node)
            node = node.parent
        return chain

    def search_parts(self):
        return super().search_parts() + [self.description, self.keywords]

    def clean(self):
        node = self.parent
        while node:
            if node.pk == self.pk:
                raise ValidationError({"parent": "A topic cannot lie below itself."})
            node = node.parent
