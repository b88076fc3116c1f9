"""Refuses control characters in the URL path and query string before any view runs, so
no view (or the database, which cannot store NUL) ever sees them. Bodies are checked by
the parsers in geoportal.parsers."""

from geoportal.errors import refuse
from geoportal.text import FORBIDDEN_IN_PATH, forbidden_character


class InputHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return refuse(request, 400, "invalid", problem)
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str | None:
        found = forbidden_character(request.path, FORBIDDEN_IN_PATH)
        if found:
            return f"The path holds a control character ({found})."
        for key, values in request.GET.lists():
            found = forbidden_character(key)
            if found:
                return f"A query parameter name holds a control character ({found})."
            for value in values:
                found = forbidden_character(value)
                if found:
                    return f"{key}: control characters are not allowed ({found})."
        return None


class QueryLanguageMiddleware:
    """`?lang=fr|ht|en` on a machine route (API, Open311...) chooses the language of the
    whole answer, error `detail`s included, over Accept-Language and the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        from geoportal.errors import is_machine

        lang = request.GET.get("lang", "")
        if lang in dict(settings.LANGUAGES) and is_machine(request):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)
