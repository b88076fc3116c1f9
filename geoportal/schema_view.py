"""/api/schema/: the OpenAPI document, built once per process, version and language (a
module of its own: geoportal.schema is DRF's schema class, loaded while DRF's views are)."""

import threading

from django.conf import settings
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


def _site_language(language: str | None) -> str:
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


class _KeptRendering(Response):
    """The document's answer, rendered once per format (YAML took ~65 ms, JSON ~25)."""

    kept: dict[tuple, tuple[str, bytes]] = {}

    def __init__(self, *args, key: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    @property
    def rendered_content(self):
        key = (*self.key, self.accepted_media_type)
        found = self.kept.get(key)
        if found is None:
            body = super().rendered_content  # sets Content-Type as well
            found = self.kept[key] = (self["Content-Type"], body)
        self["Content-Type"] = found[0]
        return found[1]


class CachedSchemaView(SpectacularAPIView):
    """/api/schema/: the OpenAPI document, built once per process, version and language.

    It is made from the code alone (every operation, public: the same for everyone), and
    drf-spectacular built it anew on every request: 0.5 to 0.9 s of CPU each time, so a
    few anonymous clients asking for it in a loop would take a server's workers. Its
    rendering (YAML or JSON) is kept too."""

    _built: dict[tuple, dict] = {}
    _lock = threading.Lock()

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        # One of the site's languages: `?lang=` is anyone's to write, and each new value
        # would otherwise be a new build and a new document kept.
        language = _site_language(translation.get_language())
        key = (version, language)
        schema = self._built.get(key)
        if schema is None:
            with self._lock, translation.override(language):  # one build at a time
                schema = self._built.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    self._built[key] = schema
        filename = self._get_filename(request, version)
        return _KeptRendering(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
            key=key,
        )

    @classmethod
    def forget(cls) -> None:
        """Build and render again on the next request (tests)."""
        cls._built.clear()
        _KeptRendering.kept.clear()
