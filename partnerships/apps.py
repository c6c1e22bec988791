from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self):
        from .triggers import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="partnerships.triggers")
