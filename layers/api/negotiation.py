"""GeoJSON views answer `application/geo+json` whatever the Accept header says (GIS
clients ask for geo+json, which DRF's JSON renderer would refuse with a 406)."""

from rest_framework.negotiation import BaseContentNegotiation


class GeoJSONNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        sent = (request.content_type or "").split(";")[0].strip()
        sent = "application/json" if sent == "application/geo+json" else sent
        for parser in parsers:
            if parser.media_type.split(";")[0] == sent:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)
