"""Text folding for search: 'Cap-Haïtien' and 'cap haitien' must meet."""

import re
import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9|]+", " ", plain).strip()
