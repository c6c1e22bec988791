"""Middleware: which database a request reads, and the HTTP validators and page cache of public responses."""

import hashlib
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from . import exports
from .routers import primary_only, reads_from_replicas
from .versioning import current_version


def respond_within(var, value, get_response, request):
    """The response, with the context variable `var` set to `value` while the view runs and while the
    response streams (an export reads its rows as it streams, after the view has returned)."""
    token = var.set(value)
    try:
        response = get_response(request)
    finally:
        var.reset(token)
    if response.streaming:
        response.streaming_content = _streamed_within(var, value, response.streaming_content)
    return response


def _streamed_within(var, value, content):
    token = var.set(value)
    try:
        yield from content
    finally:
        var.reset(token)


class ReplicaReadsMiddleware:
    """Lets a reader's request read from replicas, while it runs and while its response streams."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return respond_within(primary_only, not reads_from_replicas(request), self.get_response, request)


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
    versions are removed as new ones are written. Readers asking at once
    for a page not yet kept wait for the one thread rendering it
    (`Rendering`).
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
            response, cacheable = self.cached_or_rendered(request, self.page_key(request, etag), etag)
            if not cacheable:  # an error, or a response that says how it is cached itself
                return response
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.SHARED_CACHE_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    def cached_or_rendered(self, request, key, etag):
        """(response, whether it may be cached): the page from the cache; or rendered (by one thread of the
        process at a time: `Rendering`) and kept."""
        response = exports.served(caches["pages"].get(key))
        if response is not None:
            return response, True
        with RENDERING.turn(key) as turn:
            if turn.waited:  # the thread that had the turn may have kept it meanwhile
                response = exports.served(caches["pages"].get(key))
                if response is not None:
                    return response, True
            response = self.get_response(request)
            if response.status_code != 200 or response.cookies or response.has_header("Cache-Control"):
                return response, False
            if response.streaming:
                exports.keep(response, key, etag)
                turn.hold_until_streamed(response)
            elif len(response.content) <= settings.PAGE_CACHE_MAX_BYTES:
                caches["pages"].set(key, response)
        return response, True

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



class Turn:
    """One thread's turn at rendering a key (see `Rendering`); `waited` says whether another had it first."""

    def __init__(self, waited=False, release=None):
        self.waited, self._release, self.deferred = waited, release, False

    def hold_until_streamed(self, response):
        """Keep the turn while an export streams to its file: the next reader then gets the file."""
        if self._release:
            self.deferred = True
            response.streaming_content = ReleasedWhenDone(response.streaming_content, self.release)

    def release(self):
        release, self._release = self._release, None
        if release:
            release()


class ReleasedWhenDone:
    """A response's content that calls `done` when streamed to the end, or closed unread."""

    def __init__(self, content, done):
        self.content, self.done = content, done

    def __iter__(self):
        try:
            yield from self.content
        finally:
            self.done()

    def close(self):  # Django closes a response's content when the response is closed
        self.done()


class Rendering:
    """Within one web process, one thread at a time renders a given page or export.

    When a page is not in the cache (after a start, or after the catalogue
    changed) and many readers ask for it at once, the first renders it and
    the others wait, then are served from the cache: not all doing the same
    work at once while everyone else queues behind them. A waiter gives up
    after WAIT seconds and renders it itself. With no page cache
    (DJANGO_PAGE_CACHE_ENTRIES=0) nothing is shared, and nobody waits.
    """

    WAIT = 10.0

    def __init__(self):
        self.guard = threading.Lock()
        self.entries = {}  # key: [lock, how many threads hold it or wait for it]

    @contextmanager
    def turn(self, key):
        if isinstance(caches["pages"], DummyCache):
            yield Turn()
            return
        with self.guard:
            entry = self.entries.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        waited = not entry[0].acquire(blocking=False)
        held = not waited or entry[0].acquire(timeout=self.WAIT)
        turn = Turn(waited, lambda: self.leave(key, entry, held))
        try:
            yield turn
        finally:
            if not turn.deferred:
                turn.release()

    def leave(self, key, entry, held):
        with self.guard:
            if held:
                entry[0].release()
            entry[1] -= 1
            if not entry[1]:
                del self.entries[key]


RENDERING = Rendering()
