"""Compression of what the machines read, and static files served precompressed.

Dynamic responses (API JSON, GeoJSON, OGC API, vector tiles, Open311) are gzipped when
the client accepts it, streamed ones chunk by chunk, with `Vary: Accept-Encoding`. HTML
pages are left alone (their CSRF tokens and compression together invite BREACH), and so
are writes (their answers can hold a tracking token) and bodies already compressed."""

import os

from django.middleware.gzip import GZipMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

from geoportal.errors import MACHINE_PREFIXES
from geoportal.http_cache import GZIP_SUFFIX

COMPRESSED_TYPES = ("image/", "application/zip", "application/gzip", "video/", "audio/")


class MachineGZipMiddleware(GZipMiddleware):
    """A strong ETag stays strong: the gzipped body is another representation, so it gets
    its own tag (`"<tag>-gzip"`, geoportal/http_cache.py) where Django would weaken it."""

    def process_response(self, request, response):
        if request.method not in ("GET", "HEAD") or not _is_machine(request.path):
            return response
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES + ("text/event-stream",)):
            return response
        tag = response.get("ETag", "")
        response = super().process_response(request, response)
        if tag.startswith('"') and response.get("Content-Encoding") == "gzip":
            response["ETag"] = tag[:-1] + GZIP_SUFFIX + '"'
        return response


def _is_machine(path: str) -> bool:
    return path.startswith(MACHINE_PREFIXES) or path == "/ogc"


class CollectedFirstWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise also serves files straight from the app and npm folders (finders), and
    those entries used to replace the collected copies, losing their `.gz`/`.br`
    siblings: every static file went out uncompressed. A collected copy now wins unless
    its source changed after `collectstatic`.

    Files with a content hash in their name (production's manifest storage) are cached
    for a year (`max-age=31536000, immutable`)."""

    FOREVER = 365 * 24 * 3600

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if url in self.files and self.static_root and not _inside(path, self.static_root):
            collected = os.path.join(self.static_root, url[len(self.static_prefix) :])
            try:
                if os.stat(collected).st_mtime >= os.stat(path).st_mtime:
                    return
            except OSError:
                pass
        super().add_file_to_dictionary(url, path, stat_cache=stat_cache)


def _inside(path: str, root) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(root) + os.sep)
