"""Shared pieces of the consultation tests: a consultation of Port-au-Prince over its
three sections (real boundaries), with one question of each datatype."""

from datetime import timedelta

from django.utils import timezone

from communes.access import actor_for
from layers.models import AdminArea
from participation.consultations.services import consultation_create

COLOURS = [{"key": k, "name_fr": k.title(), "name_ht": k, "name_en": k}
           for k in ("red", "green", "blue")]  # fmt: skip
QUESTIONS = [
    {"code": "priority", "datatype": "singlevaluelist", "label_fr": "Priorité", "required": True,
     "values": [{"key": k, "name_fr": k.title()} for k in ("water", "roads", "lights")]},
    {"code": "colours", "datatype": "multivaluelist", "label_fr": "Couleurs", "values": COLOURS},
    {"code": "age", "datatype": "number", "label_fr": "Âge", "min_value": 10, "max_value": 120},
    {"code": "idea", "datatype": "text", "label_fr": "Idée"},
    {"code": "where", "datatype": "point", "label_fr": "Où ?"},
]  # fmt: skip


def sections(pcode: str = "HT0111") -> list[AdminArea]:
    return list(AdminArea.objects.filter(parent_pcode=pcode, level="section").order_by("pcode"))


def inside(area: AdminArea) -> dict:
    point = area.geom.point_on_surface
    return {"lon": point.x, "lat": point.y}


def make_consultation(towns, *, opened: bool = True, **fields):
    now = timezone.now()
    start = now - timedelta(days=1) if opened else now + timedelta(days=1)
    fields.setdefault("anonymous", False)
    return consultation_create(
        actor=actor_for(towns.people.superuser), jurisdiction=towns.j["pap"],
        areas=[a.pk for a in sections()], questions=[dict(q) for q in QUESTIONS],
        opens_at=start, closes_at=start + timedelta(days=10), title_fr="Consultation",
        **fields,
    )  # fmt: skip


def answer(api, user, consultation, answers, area=None):
    api.force_authenticate(user)
    body = {"answers": answers, **({"area": area} if area else {})}
    return api.post(f"/api/v1/participation/consultations/{consultation.pk}/responses/", body,
                    format="json")  # fmt: skip
