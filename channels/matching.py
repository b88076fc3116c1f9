"""Category from the message's words: each category's keywords (Kreyòl, French,
English) and names, folded, one slip tolerated in words of four letters or more."""

from dataclasses import dataclass

from channels.text import close, words
from reports.models import Category

IGNORED = {"nan", "pa", "ki", "de", "la", "le", "du", "des", "en", "et", "a", "ou", "sou"}


@dataclass(frozen=True)
class Guess:
    category: Category | None
    candidates: list[Category]


def _terms(text: str) -> set[str]:
    return {w for w in words(text) if w not in IGNORED and len(w) >= 3}


def terms_of(category: Category) -> tuple[set[str], set[str]]:
    """(keywords, words of its names): a keyword weighs more than a name's word, which
    is often general ("lari" in "Limyè lari ki pa limen")."""
    keywords = _terms(category.keywords.replace(";", ","))
    names = _terms(" ".join([category.name_fr, category.name_ht, category.name_en]))
    return keywords, names - keywords


def guess_category(text: str, categories: list[Category]) -> Guess:
    """The one category whose terms the message names most; none when no term is named
    or two categories tie (the menu then asks)."""
    tokens = [w for w in words(text) if len(w) >= 3]
    scores = []
    for category in categories:
        keywords, names = terms_of(category)
        exact = sum(1 for t in tokens if t in keywords)
        fuzzy = sum(1 for t in tokens if t not in keywords and any(close(t, k) for k in keywords))
        score = exact * 3 + fuzzy * 2 + sum(1 for t in tokens if t in names)
        if score:
            scores.append((score, category))
    scores.sort(key=lambda pair: -pair[0])
    if not scores:
        return Guess(None, [])
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        best = scores[0][0]
        return Guess(None, [c for s, c in scores if s == best])
    return Guess(scores[0][1], [scores[0][1]])
