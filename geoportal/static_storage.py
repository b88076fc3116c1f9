"""Static files with hashed names for production: every file gets a content hash in its
name (cached for a year by the browser, `immutable`), gzip and brotli copies, and the ES
module imports between our scripts (`import … from "./core.js";`) rewritten to the
hashed names by Django's manifest storage, so a changed module changes every importer's
name too.

Our own files (`frontend/`, `geoportal/`) must reference only files that exist, or
`collectstatic` fails. In npm packages a reference to a file left out of the tarball
(Leaflet's sources, a source map) is left as written."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

STRICT_PREFIXES = ("frontend/", "geoportal/")


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    # Import rewriting for our own modules only: its multi-line patterns crawl through
    # megabytes of npm bundles (and the bundles import nothing by relative path).
    _js_module_import_aggregation_patterns = (
        "frontend/*.js",
        ManifestStaticFilesStorage._js_module_import_aggregation_patterns[1],
    )

    def url_converter(self, name, hashed_files, template=None):
        converter = super().url_converter(name, hashed_files, template)
        if name.startswith(STRICT_PREFIXES):
            return converter

        def lenient(matchobj):
            try:
                return converter(matchobj)
            except ValueError:
                return matchobj["matched"]

        return lenient
