"""Phone numbers as one string each (E.164), so that one number cannot pass for two:
'3700-1122', '(509) 3700 1122', '00509 37001122' and '+509 37 00 11 22' are all
'+50937001122'. A number without a country code is Haitian (8 digits)."""

import re

from django.utils.translation import gettext as _

from reports.errors import Invalid

HAITI = "509"
SEPARATORS = re.compile(r"[\s.\-()/]")


def normalise(raw: str, *, field: str = "phone") -> str:
    """The E.164 form of `raw`, or Invalid naming the field."""
    text = SEPARATORS.sub("", (raw or "").strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = text[1:] if text.startswith("+") else text
    if not digits.isascii() or not digits.isdigit():
        raise Invalid(field, _("A phone number has digits only, such as +509 3700 1122."))
    if not text.startswith("+"):
        if len(digits) == 8:
            digits = HAITI + digits
        elif not (len(digits) == 11 and digits.startswith(HAITI)):
            raise Invalid(
                field, _("A Haitian number has 8 digits; give others with their country code.")
            )
    if digits.startswith(HAITI) and len(digits) != 11:
        raise Invalid(field, _("A Haitian number has 8 digits after +509."))
    if not 8 <= len(digits) <= 15 or digits[0] == "0":
        raise Invalid(field, _("This is not an international phone number (E.164)."))
    return "+" + digits


def ending(phone: str) -> str:
    """What a person is shown of their own number: its last two digits."""
    return phone[-2:]
