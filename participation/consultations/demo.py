"""Demo consultation: SAMPLE DATA, a fictional consultation of Port-au-Prince over its
sections, open for two months from loading, anonymous, marked "[Exemple]", with a few
fictional answers (no one's: they carry no has-answered marker). Idempotent."""

from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from communes.models import Jurisdiction
from layers.models import AdminArea
from participation.consultations.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
)

TITLE = "[Exemple] Priorités de votre quartier 2026"
PRIORITIES = [("water", "Eau potable", "Dlo potab", "Drinking water"),
              ("roads", "Routes", "Wout", "Roads"),
              ("lights", "Éclairage", "Limyè", "Street lights"),
              ("waste", "Déchets", "Fatra", "Waste")]  # fmt: skip
QUESTIONS = [
    ("priority", "singlevaluelist", True, ("Votre priorité pour 2026 ?", "Ki priyorite ou pou 2026?",
     "Your priority for 2026?")),
    ("minutes", "number", False, ("Minutes à pied jusqu'au point d'eau le plus proche",
     "Konbyen minit a pye pou rive kote dlo ki pi pre a", "Minutes on foot to the nearest water point")),
    ("where", "point", False, ("Où faut-il agir en premier ?", "Ki kote pou nou aji anvan?",
     "Where should work start?")),
    ("idea", "text", False, ("Une idée pour le quartier ?", "Yon ide pou katye a?",
     "An idea for the neighbourhood?")),
]  # fmt: skip
# (section, priority, minutes, point, idea)
ANSWERS = [
    ("HT0111-01", "water", 15, (-72.3230, 18.5370), "Une fontaine près de l'école"),
    ("HT0111-01", "lights", 5, None, ""),
    ("HT0111-01", "water", 25, None, ""),
    ("HT0111-02", "roads", 10, (-72.3372, 18.5141), "Réparer la route de Bourdon"),
    ("HT0111-02", "roads", 40, None, ""),
    ("HT0111-03", "waste", 20, None, "Plus de ramassage au marché"),
    ("HT0111-03", "water", 30, None, ""),
]  # fmt: skip


def load(*, stdout) -> None:
    made = _consultation()
    stdout.write(f"Sample consultation (fictional, marked [Exemple]): {int(made)} new.")


@transaction.atomic
def _consultation() -> bool:
    town = Jurisdiction.objects.filter(slug="port-au-prince").first()
    if town is None or Consultation.objects.filter(sample=True, title_fr=TITLE).exists():
        return False
    areas = {a.pcode: a for a in AdminArea.objects.filter(
        parent_pcode__in=town.pcodes, level="section").order_by("pcode", "generation_id")}  # fmt: skip
    if not areas:
        return False
    now = timezone.now()
    consultation = Consultation.objects.create(
        jurisdiction=town, sample=True, anonymous=True, public_text=True, title_fr=TITLE,
        title_ht="[Egzanp] Priyorite katye w 2026", title_en="[Sample] Your neighbourhood's priorities 2026",
        description_fr="Consultation fictive : dites à la mairie ce qui compte pour votre section.",
        description_ht="Konsiltasyon fiktif: di meri a sa ki enpòtan pou seksyon w.",
        description_en="A fictional consultation: tell the town hall what matters in your section.",
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=60),
    )  # fmt: skip
    consultation.areas.set(areas.values())
    questions = {}
    for order, (code, datatype, required, (fr, ht, en)) in enumerate(QUESTIONS, start=1):
        values = [{"key": k, "name_fr": f, "name_ht": h, "name_en": e} for k, f, h, e in PRIORITIES]
        questions[code] = ConsultationQuestion.objects.create(
            consultation=consultation, code=code, datatype=datatype, required=required,
            order=order, label_fr=fr, label_ht=ht, label_en=en,
            values=values if datatype == "singlevaluelist" else [],
            min_value=0 if datatype == "number" else None,
            max_value=600 if datatype == "number" else None,
        )  # fmt: skip
    for pcode, priority, minutes, where, idea in ANSWERS:
        if pcode not in areas:
            continue
        response = ConsultationResponse.objects.create(
            consultation=consultation, area=areas[pcode], submitted_on=now.date()
        )
        rows = [ConsultationAnswer(question=questions["priority"], choices=[priority]),
                ConsultationAnswer(question=questions["minutes"], number=minutes)]  # fmt: skip
        if where:
            rows.append(
                ConsultationAnswer(question=questions["where"], point=Point(*where, srid=4326))
            )
        if idea:
            rows.append(ConsultationAnswer(question=questions["idea"], text=idea))
        for row in rows:
            row.response = response
        ConsultationAnswer.objects.bulk_create(rows)
    return True
