"""The test runner: Django's, with the page cache and the lists' in-memory index off.

Tests read what each response rendered (`response.context`) and count the
queries each page makes; a page served from the cache would render nothing
and query nothing. The page cache itself is tested with it switched on
(tests/test_caching.py).
"""

from django.test.runner import DiscoverRunner
from django.test.utils import override_settings

NO_PAGE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


class CatalogueTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs):
        super().setup_test_environment(**kwargs)
        self.no_page_cache = override_settings(CACHES=NO_PAGE_CACHE, LIST_INDEX="off")
        self.no_page_cache.enable()

    def teardown_test_environment(self, **kwargs):
        self.no_page_cache.disable()
        super().teardown_test_environment(**kwargs)
