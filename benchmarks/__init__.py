"""Benchmark and synthetic-data tooling for the catalogue: not part of the site itself.

`manage.py generate_catalogue` fills a database with a large deterministic
catalogue; `manage.py bench` times the site's pages on one (`make bench`).
"""
