"""Reading a short message: folding (accents, case), numbers written in words, the
language it is written in, and the few keywords that steer a conversation."""

import re
import unicodedata
from difflib import SequenceMatcher

from frontend.text import fold

MAX_CHARS = 1600  # Twilio's own cap for one (concatenated) message

NUMBER_WORDS = {
    "en": 1, "youn": 1, "un": 1, "une": 1, "one": 1, "premye": 1, "premier": 1,
    "de": 2, "deux": 2, "two": 2, "twa": 3, "trois": 3, "three": 3, "kat": 4, "quatre": 4,
    "four": 4, "senk": 5, "cinq": 5, "five": 5, "sis": 6, "six": 6, "set": 7, "sept": 7,
    "seven": 7, "uit": 8, "huit": 8, "eight": 8, "nef": 9, "neuf": 9, "nine": 9,
    "dis": 10, "dix": 10, "ten": 10, "zewo": 0, "zero": 0,
}  # fmt: skip
STOP_WORDS = {"stop", "arret", "arrete", "anile", "stopall", "unsubscribe", "cancel", "end"}
START_WORDS = {"start", "komanse", "demarrer", "unstop"}
YES = {"1", "wi", "oui", "yes", "ok", "dako", "daccord", "d accord"}
ENGLISH = {"english", "en anglais", "angle", "anglais", "in english"}
HT_MARKERS = {
    "nan", "gen", "pa", "ki", "mwen", "nou", "yo", "li", "yon", "depi", "jou", "kote",
    "toupre", "devan", "wout", "dlo", "fatra", "genyen", "kounye", "tanpri", "mesi", "lari",
    "ap", "te", "bo", "lekol", "ponp", "twou", "limye", "kanal", "bouche", "anpil", "sa",
    "gwo", "machin", "moun", "lan", "konn", "fe", "pou", "sou", "dwat", "kwen", "katye",
}  # fmt: skip
FR_MARKERS = {
    "le", "les", "des", "une", "il", "est", "pas", "du", "depuis", "dans", "rue", "eau",
    "pres", "devant", "sur", "merci", "bonjour", "je", "nous", "au", "aux", "pour", "trou",
    "route", "ecole", "pompe", "ordures", "lumiere", "qui", "ne", "plus", "jours", "quartier",
    "cote", "avec", "eclairage", "lampadaire", "egout", "bouche", "coin", "ya",
}  # fmt: skip
# Words shared by the two languages count for neither.
SHARED = HT_MARKERS & FR_MARKERS


def clean(text: str) -> str:
    """The message as we keep it: control characters out, at most MAX_CHARS."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return text.strip()[:MAX_CHARS]


def words(text: str) -> list[str]:
    return fold(text).split()


def number(text: str) -> int | None:
    """'2', ' 2. ', 'de', 'twa' -> the number; anything longer -> None."""
    folded = fold(text)
    if re.fullmatch(r"\d{1,2}", folded):
        return int(folded)
    return NUMBER_WORDS.get(folded)


def language(text: str, default: str) -> str:
    tokens = set(words(text))
    ht = len((tokens & HT_MARKERS) - SHARED)
    fr = len((tokens & FR_MARKERS) - SHARED)
    if ht > fr:
        return "ht"
    if fr > ht:
        return "fr"
    return default


def is_stop(text: str) -> str | None:
    folded = fold(text)
    return folded if folded in STOP_WORDS else None


def similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def close(word: str, term: str) -> bool:
    """Equal, or one slip away for words long enough to tell apart."""
    if word == term:
        return True
    if min(len(word), len(term)) < 4 or abs(len(word) - len(term)) > 2:
        return False
    return similar(word, term) >= (0.8 if len(term) >= 6 else 0.75)
