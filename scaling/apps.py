from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ScalingConfig(AppConfig):
    name = "scaling"
    verbose_name = "Caching and replicas"

    def ready(self):
        from .versioning import install_triggers

        # After every migrate (test databases included): new tables get their triggers too.
        post_migrate.connect(install_triggers, dispatch_uid="scaling.install_triggers")
