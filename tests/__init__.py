"""The test suite.

Property-based tests run few examples on a developer's machine and the full count in CI, which sets
HYPOTHESIS_PROFILE=ci. The profile is loaded here, before any test module builds its settings from it.
"""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200)
settings.register_profile("dev", max_examples=25)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
