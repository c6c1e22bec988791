"""The controlled hierarchy of subjects discussed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import Record, RecordQuerySet, catalogue_manager


def subtrees(nodes):
    """{node: the ids of it and of every node below it} of a hierarchy given as (id, parent id) pairs."""
    children = {}
    ids = []
    for pk, parent in nodes:
        ids.append(pk)
        children.setdefault(parent, []).append(pk)
    trees = {}
    for pk in ids:
        found, todo = set(), [pk]
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(children.get(node, []))
        trees[pk] = found
    return trees


class TopicQuerySet(RecordQuerySet):
    def subtree_ids(self, topics):
        """Ids of the given topics and of every topic below them.

        The hierarchy is small and controlled, so it is walked in memory.
        """
        trees = subtrees(Topic.objects.values_list("pk", "parent_id"))
        ids = [t.pk if isinstance(t, Topic) else t for t in topics]
        return set().union(*(trees.get(pk, {pk}) for pk in ids))


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

    objects = catalogue_manager(TopicQuerySet)

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
