"""The demo service catalogue for Haitian municipalities (fr / ht / en)."""


def _v(key, fr, ht, en):
    return {"key": key, "name_fr": fr, "name_ht": ht, "name_en": en}


YES_NO = [_v("yes", "Oui", "Wi", "Yes"), _v("no", "Non", "Non", "No")]

CATEGORIES = [
    {
        "code": "water-point-broken",
        "name_fr": "Point d'eau en panne",
        "name_ht": "Pwen dlo ki pa mache",
        "name_en": "Broken water point",
        "group": "Eau et assainissement",
        "description": "Kiosque, fontaine ou forage public qui ne donne plus d'eau.",
        "keywords": "eau, dlo, water, fontaine, kiosque, forage, pompe, ponp, tiyo, robinet, pwi, puits, tuyau",
        "department": "DINEPA / CTE",
        "layer_slug": "water-points",
        "duplicate_radius_m": 30,
        "sla_hours": 72,
        "questions": [
            (
                "water_flowing",
                "singlevaluelist",
                True,
                "L'eau coule-t-elle ?",
                "Èske dlo a koule?",
                "Is water flowing?",
                [
                    _v("none", "Pas du tout", "Ditou", "Not at all"),
                    _v("little", "Un peu", "Yon ti kras", "A little"),
                    _v("leaking", "Fuite", "Li koule pèdi", "Leaking"),
                ],
            ),
            (
                "people_affected",
                "number",
                False,
                "Combien de familles en dépendent ?",
                "Konbyen fanmi ki depann de li?",
                "How many families depend on it?",
                [],
            ),
            ("since", "datetime", False, "Depuis quand ?", "Depi kilè?", "Since when?", []),
        ],
    },
    {
        "code": "pothole",
        "name_fr": "Nid-de-poule",
        "name_ht": "Twou nan wout",
        "name_en": "Pothole",
        "group": "Voirie",
        "description": "Trou ou affaissement de la chaussée.",
        "keywords": "route, wout, road, trou, twou, chaussée, asfalt, goudron, pothole",
        "department": "Mairie — voirie",
        "duplicate_radius_m": 25,
        "sla_hours": 240,
        "questions": [
            (
                "size",
                "singlevaluelist",
                True,
                "Taille du trou",
                "Gwosè twou a",
                "Size of the hole",
                [
                    _v("small", "Petit (moins d'un pied)", "Piti", "Small"),
                    _v("medium", "Moyen", "Mwayen", "Medium"),
                    _v("large", "Grand (bloque la route)", "Gwo", "Large (blocks the road)"),
                ],
            ),
            (
                "main_road",
                "singlevaluelist",
                False,
                "Sur une route principale ?",
                "Sou yon gran wout?",
                "On a main road?",
                YES_NO,
            ),
        ],
    },
    {
        "code": "street-light",
        "name_fr": "Éclairage public en panne",
        "name_ht": "Limyè lari ki pa limen",
        "name_en": "Street light out",
        "group": "Éclairage",
        "description": "Lampadaire éteint, qui clignote ou reste allumé le jour.",
        "keywords": "lumière, limyè, light, lampadaire, poteau, poto, limen, etenn, éteint, fènwa, éclairage, lanp",
        "department": "EDH / Mairie",
        "duplicate_radius_m": 20,
        "sla_hours": 120,
        "questions": [
            (
                "problem",
                "singlevaluelist",
                True,
                "Quel problème ?",
                "Ki pwoblèm?",
                "What is wrong?",
                [
                    _v("off", "Éteint", "Etenn", "Off"),
                    _v("flickering", "Clignote", "Ap tenyen limen", "Flickering"),
                    _v("day", "Allumé le jour", "Limen lajounen", "On during the day"),
                    _v("pole", "Poteau endommagé", "Poto a kase", "Damaged pole"),
                ],
            ),
            (
                "pole_number",
                "string",
                False,
                "Numéro du poteau",
                "Nimewo poto a",
                "Pole number",
                [],
            ),
        ],
    },
    {
        "code": "rubbish",
        "name_fr": "Dépôt d'ordures",
        "name_ht": "Fatra ki pa ranmase",
        "name_en": "Uncollected rubbish",
        "group": "Propreté",
        "description": "Ordures non ramassées, dépôt sauvage.",
        "keywords": "fatra, ordures, rubbish, déchets, garbage, poubelle, ranmase, sal, pil, dechè",
        "department": "SMCRS / Mairie",
        "duplicate_radius_m": 50,
        "sla_hours": 96,
        "questions": [
            (
                "kind",
                "multivaluelist",
                True,
                "Quels déchets ?",
                "Ki kalite fatra?",
                "What waste?",
                [
                    _v("household", "Ménagers", "Fatra lakay", "Household"),
                    _v("construction", "Gravats", "Debri konstriksyon", "Construction"),
                    _v("animal", "Animal mort", "Bèt mouri", "Dead animal"),
                    _v("medical", "Médicaux", "Fatra medikal", "Medical"),
                ],
            ),
            (
                "volume",
                "singlevaluelist",
                False,
                "Quelle quantité ?",
                "Ki kantite?",
                "How much?",
                [
                    _v("bag", "Quelques sacs", "Kèk sache", "A few bags"),
                    _v("pile", "Un tas", "Yon pil", "A pile"),
                    _v("truck", "Un camion ou plus", "Yon kamyon oswa plis", "A truckload or more"),
                ],
            ),
        ],
    },
    {
        "code": "blocked-drain",
        "name_fr": "Canal ou ravine bouché",
        "name_ht": "Kanal bouche",
        "name_en": "Blocked drain or ravine",
        "group": "Eau et assainissement",
        "description": "Canal, caniveau ou ravine obstrué : risque d'inondation.",
        "keywords": "canal, kanal, drain, ravine, inondation, flood, égout, egou, rigòl, bouché, debòde, inonde",
        "department": "Mairie — assainissement",
        "duplicate_radius_m": 60,
        "sla_hours": 48,
        "questions": [
            (
                "flooding",
                "singlevaluelist",
                True,
                "Y a-t-il une inondation ?",
                "Èske gen inondasyon?",
                "Is there flooding?",
                YES_NO,
            ),
            ("details", "text", False, "Précisions", "Plis detay", "Details", []),
        ],
    },
]

TEAMS = {
    "triage": "Centre d'appels Komin (tri)",
    "water": "DINEPA — Ouest",
    "roads_pap": "Voirie Port-au-Prince",
    "lights": "Éclairage public",
    "clean_pap": "Propreté Port-au-Prince",
    "cap": "Travaux publics Cap-Haïtien",
    "delmas": "Travaux publics Delmas",
}
# The jurisdiction (slug) of each team; the others are national.
TEAM_JURISDICTIONS = {
    "roads_pap": "port-au-prince",
    "clean_pap": "port-au-prince",
    "cap": "cap-haitien",
    "delmas": "delmas",
}
# (jurisdiction slug or None for national, category code or None, area P-code or None,
# team key): a rule of the report's jurisdiction wins, then the most specific one.
ROUTING = [
    (None, None, None, "triage"),
    (None, "water-point-broken", None, "water"),
    (None, "pothole", "HT01", "roads_pap"),
    (None, "street-light", None, "lights"),
    (None, "rubbish", "HT01", "clean_pap"),
    (None, "blocked-drain", "HT01", "roads_pap"),
    (None, None, "HT03", "cap"),
    (None, "street-light", "HT03", "cap"),
    (None, "water-point-broken", "HT03", "cap"),
    ("delmas", None, None, "delmas"),
    ("cap-haitien", None, None, "cap"),
]
