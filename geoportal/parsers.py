"""DRF body parsers with Komin's input rules (geoportal.text): every JSON, form and
multipart body of every API view passes through one of these."""

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from geoportal.text import TextError, check_data, check_text, loads


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads(stream.read().decode(encoding), name="JSON body")
        except UnicodeDecodeError:
            raise ParseError(f"JSON body: not valid {encoding}.") from None
        except TextError as exc:
            raise ParseError(str(exc)) from None


def _check_form(data, files=None) -> None:
    try:
        for key, values in data.lists():
            check_text(key, name="field name")
            for value in values:
                if isinstance(value, str):
                    check_text(value, name=key)
        for key, uploads in files.lists() if files is not None else ():
            for upload in uploads:
                check_text(upload.name or "", name=f"{key}: file name")
    except TextError as exc:
        raise ParseError(str(exc)) from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check_form(result.data, result.files)
        return result


__all__ = ["FormParser", "JSONParser", "MultiPartParser", "check_data"]
