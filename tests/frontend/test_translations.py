"""Every visible string exists in French, Kreyòl and English."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("fr", "ht", "en")
DOMAINS = ("django", "djangojs")


def entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (header left out); fuzzy entries count as missing."""
    found = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if not msgid or not msgstr:
            continue
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if key:
            value = "".join(re.findall(r'"(.*)"', msgstr.group(1)))
            found[key] = "" if "#, fuzzy" in block else value
    return found


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_no_string_is_left_untranslated(lang, domain):
    catalogue = entries(ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po")
    assert len(catalogue) > 50
    missing = [msgid for msgid, msgstr in catalogue.items() if not msgstr]
    assert not missing, f"{lang}/{domain}: {missing}"


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_survive_translation(lang):
    for domain in DOMAINS:
        for msgid, msgstr in entries(
            ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
        ).items():
            wanted = sorted(re.findall(r"%\(\w+\)s", msgid))
            assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == wanted, (lang, msgid)


def test_the_catalogues_hold_every_string_of_the_templates_and_scripts():
    """Catches a string added to a page without running makemessages."""
    django = entries(ROOT / "locale" / "ht" / "LC_MESSAGES" / "django.po")
    js = entries(ROOT / "locale" / "ht" / "LC_MESSAGES" / "djangojs.po")
    frontend = ROOT / "frontend"
    for template in frontend.glob("templates/**/*.html"):
        for text in re.findall(r'{% translate "((?:[^"\\]|\\.)*)"', template.read_text()):
            assert text in django, f"{template.name}: {text!r}"
        for text in re.findall(r"{% translate '((?:[^'\\]|\\.)*)'", template.read_text()):
            assert text.replace('"', '\\"') in django, f"{template.name}: {text!r}"
    for script in frontend.glob("static/frontend/js/*.js"):
        for text in re.findall(r'gettext\("((?:[^"\\]|\\.)*)"\)', script.read_text()):
            assert text in js, f"{script.name}: {text!r}"
