"""Reads from PostgreSQL replicas, writes to the primary.

A request reads from a replica only when nothing in it needs to read its
own writes: a GET or HEAD of a public page by a reader without a session
(`reads_from_replicas`). The admin, every POST, and anyone logged in (an
editor checking the page they just changed) read the primary; so does any
code outside a request (imports, management commands), and the rest of a
request once it has written. A replica is a few hundred milliseconds behind
at worst: a reader may see a change that long after an editor made it.
"""

import random
from contextvars import ContextVar

from django.conf import settings

# Whether reads in this context go to the primary: true unless a request says otherwise.
primary_only = ContextVar("primary_only", default=True)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def reads_from_replicas(request):
    """Whether this request may read from a replica (see the module's docstring)."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith("/admin/")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaRouter:
    """Django's database router: reads as `primary_only` says, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if primary_only.get() or not replicas:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        primary_only.set(True)  # the rest of the request reads what it wrote
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
