from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Holds the `generate_catalogue` and `bench` commands; it has no models."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
