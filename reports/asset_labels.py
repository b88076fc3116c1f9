"""What an asset is called in the "Which one is it?" list: its name, else its type in the
reader's language (the water point types of the Cap-Haïtien inventory are in English)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TYPE_LABELS = {
    "Borehole or tubewell": _("Borehole or tubewell"),
    "Piped into public tap / standpipe / basin": _("Public tap, standpipe or basin"),
    "Piped into dwelling": _("Piped into a dwelling"),
    "Unprotected dug well": _("Unprotected dug well"),
    "Protected dug well": _("Protected dug well"),
    "Unprotected spring": _("Unprotected spring"),
    "Protected spring": _("Protected spring"),
    "Water kiosk": _("Water kiosk"),
    "Rainwater": _("Rainwater"),
    "Surface water": _("Surface water"),
    "Bottled water": _("Bottled water"),
    "Other": _("Other water point"),
}
NAME_KEYS = ("name_{lang}", "name")


def asset_label(attributes: dict, lang: str) -> str:
    for key in NAME_KEYS:
        name = attributes.get(key.format(lang=lang))
        if name:
            return str(name)
    kind = str(attributes.get("type") or "").strip()
    with translation.override(lang):
        if kind in TYPE_LABELS:
            return str(TYPE_LABELS[kind])
        return kind or str(_("Water point"))
