"""The texts of Komin's e-mails in French, Kreyòl and English."""

TEXTS = {
    "status": {
        "fr": "Le signalement {ref} ({category}) est maintenant : {status}.",
        "ht": "Siyalman {ref} ({category}) kounye a : {status}.",
        "en": "Report {ref} ({category}) is now: {status}.",
    },
    "details": {"fr": "Détails : {url}", "ht": "Detay : {url}", "en": "Details: {url}"},
    "stop": {
        "fr": "Ne plus suivre : {url}",
        "ht": "Pou pa swiv li ankò : {url}",
        "en": "Stop following: {url}",
    },
    "confirm_subject": {
        "fr": "[Komin] Confirmez : suivre {what}",
        "ht": "[Komin] Konfime : swiv {what}",
        "en": "[Komin] Confirm: follow {what}",
    },
    "confirm_body": {
        "fr": "Quelqu'un a demandé à Komin d'envoyer à cette adresse les nouvelles de {what}.\n\n"
        "Pour confirmer, ouvrez : {url}\n\nSi ce n'était pas vous, ignorez ce message.",
        "ht": "Yon moun mande Komin voye nouvèl {what} nan adrès sa a.\n\n"
        "Pou konfime, louvri : {url}\n\nSi se pa ou, pa okipe mesaj sa a.",
        "en": "Someone asked Komin to send news of {what} to this address.\n\n"
        "To confirm, open: {url}\n\nIf it was not you, ignore this message.",
    },
    "report": {"fr": "du signalement {ref}", "ht": "siyalman {ref}", "en": "report {ref}"},
    "area": {
        "fr": "des signalements de {name}",
        "ht": "siyalman {name}",
        "en": "the reports of {name}",
    },
}


def text(key: str, language: str, **values) -> str:
    forms = TEXTS[key]
    return (forms.get(language) or forms["fr"]).format(**values)
