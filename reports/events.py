"""What the system records in a report's history, as a code and its parameters, rendered
in the reader's language at read time: no English or internal wording is stored."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ASSIGNED = "assigned"
UNASSIGNED = "unassigned"
DUPLICATE_OF = "duplicate_of"
MERGED_HERE = "merged_here"
TRANSFERRED = "transferred"

TEXTS = {
    ASSIGNED: _("Assigned to %(team)s."),
    UNASSIGNED: _("Unassigned."),
    DUPLICATE_OF: _("Duplicate of %(reference)s."),
    MERGED_HERE: _("%(reference)s merged into this report."),
    TRANSFERRED: _("Transferred from %(from)s to %(to)s."),
}


def names(obj) -> dict:
    """An object's names in every language, for parameters rendered later."""
    return {lang: getattr(obj, f"name_{lang}", "") or obj.name_fr for lang in ("fr", "ht", "en")}


def render(event: str, params: dict, lang: str) -> str:
    """The sentence for `event` in `lang`; parameters that are {lang: name} dicts are
    read in that language."""
    text = TEXTS.get(event)
    if text is None:
        return ""
    values = {
        key: value.get(lang) or value.get("fr", "") if isinstance(value, dict) else value
        for key, value in params.items()
    }
    with translation.override(lang):
        return str(text) % values
