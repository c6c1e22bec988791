"""Streamed exports kept as files under the catalogue's version, and served from them.

An export (a list's CSV or JSON, a feed of every row) is written to a file
in EXPORT_CACHE_DIR while it streams to its first reader; only when it has
streamed to the end is the file moved into place and its headers noted in
the "pages" cache, so a reader who stops half-way leaves nothing behind.
The next reader of the same export, before anything changes, gets the file
(a FileResponse: the bytes read from disk, memory flat). Files whose
version is not the current one are removed when a new one is kept.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import FileResponse

KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def enabled():
    return bool(settings.EXPORT_CACHE_DIR) and not isinstance(caches["pages"], DummyCache)


def served(entry):
    """The response a "pages" cache entry holds: a page, or the file of a kept export (None if gone)."""
    if not isinstance(entry, dict):
        return entry
    try:
        handle = open(entry["file"], "rb")  # noqa: SIM115 -- FileResponse closes it
    except FileNotFoundError:
        return None
    response = FileResponse(handle)
    for name, value in entry["headers"].items():
        response.headers[name] = value
    return response


def keep(response, key, etag):
    """Write a streaming response to a file as it streams; note the file once it streamed to the end."""
    if not enabled():
        return
    directory = Path(settings.EXPORT_CACHE_DIR)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only disk: the export streams as it would without keeping
        return
    version = etag.strip('W/"')
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    response.streaming_content = _written(response.streaming_content, directory, key, version, headers)


def _written(content, directory, key, version, headers):
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
    complete = False
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in content:
                file.write(chunk)
                yield chunk
        final = directory / f"{version}-{key.removeprefix('page:')}"
        os.replace(temporary, final)
        complete = True
        caches["pages"].set(key, {"file": str(final), "headers": headers})
        _remove_other_versions(directory, version)
    finally:
        if not complete and os.path.exists(temporary):
            os.remove(temporary)


def _remove_other_versions(directory, version):
    for path in directory.iterdir():
        if not path.name.startswith((f"{version}-", ".partial-")):
            path.unlink(missing_ok=True)
