"""What Komin answers by SMS, in Kreyòl, French and English. Short: one SMS is 160
characters (70 with accents outside GSM-7), so the menus are numbered and terse."""

TEXTS = {
    "ask_category": {
        "ht": "Ki pwoblèm nan? Reponn ak yon nimewo: {menu}. 0 pou anile.",
        "fr": "Quel problème ? Répondez par un numéro : {menu}. 0 pour annuler.",
        "en": "What is the problem? Reply with a number: {menu}. 0 to cancel.",
    },
    "ask_place": {
        "ht": "Ki kote? Bay non katye a, lekòl la oswa komin nan.",
        "fr": "Où ? Donnez le nom du quartier, de l'école ou de la commune.",
        "en": "Where? Give the name of the area, the school or the commune.",
    },
    "choose_place": {
        "ht": "Ki kote egzakteman? {menu}. Oswa ekri yon lòt non.",
        "fr": "Où exactement ? {menu}. Ou écrivez un autre nom.",
        "en": "Where exactly? {menu}. Or write another name.",
    },
    "ask_description": {
        "ht": "Dekri pwoblèm nan an kèk mo.",
        "fr": "Décrivez le problème en quelques mots.",
        "en": "Describe the problem in a few words.",
    },
    "confirm": {
        "ht": "{category}, {place}. 1 pou voye, 2 pou voye epi resevwa nouvèl pa SMS, 0 pou anile.",
        "fr": "{category}, {place}. 1 pour envoyer, 2 pour envoyer et suivre par SMS, "
        "0 pour annuler.",
        "en": "{category}, {place}. 1 to send, 2 to send and get news by SMS, 0 to cancel.",
    },
    "filed": {
        "ht": "Mèsi! Siyalman {ref} resevwa. Swiv li: {url}",
        "fr": "Merci ! Signalement {ref} reçu. Suivi : {url}",
        "en": "Thank you! Report {ref} received. Follow it: {url}",
    },
    "filed_duplicate": {
        "ht": " Gen {n} lòt siyalman konsa tou pre.",
        "fr": " {n} autre(s) signalement(s) semblable(s) à proximité.",
        "en": " {n} similar report(s) nearby.",
    },
    "following": {
        "ht": " N ap voye nouvèl pa SMS. STOP pou sispann.",
        "fr": " Nous enverrons les nouvelles par SMS. STOP pour arrêter.",
        "en": " We will send news by SMS. STOP to stop.",
    },
    "cancelled": {
        "ht": "Anile. Ekri nou ankò lè ou vle.",
        "fr": "Annulé. Écrivez-nous quand vous voulez.",
        "en": "Cancelled. Write to us any time.",
    },
    "refused": {
        "ht": "Nou pa t ka anrejistre l: {detail}",
        "fr": "Impossible d'enregistrer : {detail}",
        "en": "Could not file it: {detail}",
    },
    "status": {
        "ht": "Siyalman {ref} ({category}): {status}.",
        "fr": "Signalement {ref} ({category}) : {status}.",
        "en": "Report {ref} ({category}): {status}.",
    },
    "restarted": {
        "ht": "Ou ka voye mesaj ankò. Ki pwoblèm nan?",
        "fr": "Vous pouvez de nouveau écrire. Quel problème ?",
        "en": "You can write again. What is the problem?",
    },
}


def reply(key: str, language: str, **values) -> str:
    forms = TEXTS[key]
    return (forms.get(language) or forms["ht"]).format(**values)


def name_of(obj, language: str) -> str:
    return getattr(obj, f"name_{language}", "") or obj.name_fr
