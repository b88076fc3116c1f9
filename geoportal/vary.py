"""Responses that do not depend on the language drop `Vary: Accept-Language`, which
LocaleMiddleware adds to everything: with it a shared cache keeps one copy of each tile
per browser language, i.e. caches nothing useful."""

from django.utils.cache import cc_delim_re

LANGUAGE_NEUTRAL = ("/tiles/", "/static/")


class LanguageNeutralVaryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(LANGUAGE_NEUTRAL) and response.has_header("Vary"):
            kept = [
                v for v in cc_delim_re.split(response["Vary"]) if v.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
