"""Middleware: which database a request reads, and the HTTP validators and page cache of public responses."""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from . import exports
from .routers import primary_only, reads_from_replicas
from .versioning import current_version


class ReplicaReadsMiddleware:
    """Lets a reader's request read from replicas, while it runs and while its response streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = reads_from_replicas(request)
        token = primary_only.set(not replicas)
        try:
            response = self.get_response(request)
        finally:
            primary_only.reset(token)
        if replicas and response.streaming:
            response.streaming_content = self.streamed(response.streaming_content)
        return response

    @staticmethod
    def streamed(content):
        """An export reads its rows as it streams, after the view has returned: from replicas too."""
        token = primary_only.set(False)
        try:
            yield from content
        finally:
            primary_only.reset(token)


class CatalogueCacheMiddleware:
    """Validators from the catalogue's version on public responses; 304 when unchanged; a page cache.

    Browsers revalidate every time (max-age=0: a 304 costs one indexed read
    of the version row), while a shared cache may serve a page for
    SHARED_CACHE_SECONDS before it asks again. Responses for anyone with a
    session (editors), the admin, errors and responses setting cookies are
    marked private and carry no validator.

    Rendered public pages are also kept in the "pages" cache under the
    catalogue's version: a page asked for again before anything changed is
    served from memory, and a write, which moves the version on, retires
    every page at once. A streamed export is written to a file in
    EXPORT_CACHE_DIR as it streams, and once complete the same export is
    served from that file, at the speed of the disk; files of earlier
    versions are removed as new ones are written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.public(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        number, stamp, changed_at = current_version()
        etag = f'W/"{number}-{stamp & 0xFFFFFFFFFFFF:x}"'
        last_modified = int(changed_at.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            key = self.page_key(request, etag)
            response = exports.served(caches["pages"].get(key))
            if response is None:
                response = self.get_response(request)
                if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
                    return response
                if response.streaming:
                    exports.keep(response, key, etag)
                elif len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
                    caches["pages"].set(key, response)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SHARED_CACHE_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def public(request):
        return (
            reads_from_replicas(request)
            and not request.path.startswith(settings.UNCACHED_PATHS)
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def page_key(request, etag):
        """A page's key: the catalogue's version, the URL, and what else chooses its bytes."""
        gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        language = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        text = "\n".join([etag, request.method, request.get_full_path(), str(gzip), language])
        return "page:" + hashlib.sha256(text.encode()).hexdigest()
