"""/api/schema/: the OpenAPI document, built once per process, version and language (a
module of its own: geoportal.schema is DRF's schema class, loaded while DRF's views are)."""

import threading

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class CachedSchemaView(SpectacularAPIView):
    """/api/schema/: the OpenAPI document, built once per process, version and language.

    It is made from the code alone (every operation, public: the same for everyone), and
    drf-spectacular built it anew on every request: 0.5 to 0.9 s of CPU each time, so a
    few anonymous clients asking for it in a loop would take a server's workers. Only the
    rendering (YAML or JSON) is done per request."""

    _built: dict[tuple, dict] = {}
    _lock = threading.Lock()

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, translation.get_language())
        schema = self._built.get(key)
        if schema is None:
            with self._lock:  # one build at a time: the first requests do not all build it
                schema = self._built.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    self._built[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
