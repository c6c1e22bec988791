from django.apps import AppConfig


class BuildsConfig(AppConfig):
    name = "partnerships.builds"
    label = "builds"
    verbose_name = "catalogue builds"
    default_auto_field = "django.db.models.BigAutoField"
