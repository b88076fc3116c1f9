"""A labelled set of realistic SMS in Kreyòl and French (with and without accents, with
slips, numbers in words): (message, category code, a word of the place's name or None).
Used by tests/channels/test_labelled_set.py and bench/sms_intake.py."""

CATEGORY_PHRASES = {
    "pothole": [
        "gen yon gwo twou nan wout la {p}",
        "twou nan lari a {p}, machin pa ka pase",
        "wout la kraze nèt {p} gen twou toupatou",
        "il y a un gros trou sur la route a {p}",
        "nid de poule enorme {p} rue impraticable",
        "chaussée défoncée {p}, trou dangereux",
    ],
    "water-point-broken": [
        "pa gen dlo nan ponp lan {p} depi twa jou",
        "tiyo dlo a kase {p}, dlo ap koule",
        "fontèn nan pa bay dlo {p}",
        "pas d'eau a la fontaine {p} depuis 3 jours",
        "la pompe est en panne {p}",
        "robinet public casse {p} plus d'eau",
    ],
    "street-light": [
        "limyè lari a etenn {p} depi yon semèn",
        "poto limye a pa limen {p}, fènwa nèt",
        "lampadaire eteint {p} depuis lundi",
        "éclairage public en panne {p}",
        "lanp lari a pa mache {p}",
    ],
    "rubbish": [
        "fatra anpil {p}, yo pa ranmase l",
        "pil fatra devan mache a {p}",
        "fatras partout {p} sa pran sant",
        "ordures pas ramassées {p} depuis une semaine",
        "les déchets s'accumulent {p}",
    ],
    "blocked-drain": [
        "kanal la bouche {p}, dlo ap debòde",
        "kanal bouche nèt {p} lè lapli tonbe",
        "canal bouché {p}, inondation à chaque pluie",
        "l'égout déborde {p}",
        "ravine bouchée {p} risque d'inondation",
    ],
}
# (how it is written in the message, a word of the expected place's name)
PLACES = [
    ("Turgeau", "turgeau"), ("Tijo", None), ("Martissant", "martissant"),
    ("Delmas", "delmas"), ("Petion-Ville", "petion"), ("Pétion-Ville", "petion"),
    ("Kafou", "carrefour"), ("Carrefour", "carrefour"), ("okap", "cap"),
    ("Cap-Haïtien", "cap"), ("devan Lycée National De Carrefour-Feuilles", "lycee"),
    ("bò Ecole Mixte Emedh", "emedh"), ("Morne l'Hopital", "hopital"),
    ("lakay mwen", None), ("Tabarre", "tabarre"), ("Cite Soleil", "soleil"),
    ("Petit Anse", "petit anse"), ("Haut du Cap", "haut du cap"), ("Leogane", "leogane"),
    ("kwen ri a", None), ("Croix-des-Bouquets", "croix"), ("Jacmel", "jacmel"),
]  # fmt: skip


def labelled() -> list[tuple[str, str, str | None]]:
    """120 messages: every phrase, with places taken in turn."""
    rows = []
    i = 0
    for code, phrases in CATEGORY_PHRASES.items():
        for phrase in phrases:
            for _ in range(4 if len(phrases) < 6 else 5):
                written, expected = PLACES[i % len(PLACES)]
                rows.append((phrase.format(p=written), code, expected))
                i += 1
    return rows
