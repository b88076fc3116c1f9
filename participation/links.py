"""Where a town hall's residents take part now: its consultations and budget rounds, for
the links of the commune's page and of the participation pages."""

from django.utils import timezone

from participation.consultations.models import Consultation
from participation.models import BudgetRound

SHOWN = 5


def participation_links(jurisdiction, lang: str, *, leave_out: str = "") -> list[dict]:
    if jurisdiction is None:
        return []
    now = timezone.now()
    links = [
        {"title": c.title(lang), "url": f"/consultations/{c.pk}/",
         "open": c.opens_at <= now < c.closes_at}
        for c in Consultation.objects.filter(jurisdiction=jurisdiction)[:SHOWN]
    ] + [
        {"title": getattr(r, f"title_{lang}", "") or r.title_fr, "url": f"/budget/{r.slug}/",
         "open": r.phase in ("proposals", "voting")}
        for r in BudgetRound.objects.filter(jurisdiction=jurisdiction)[:SHOWN]
    ]  # fmt: skip
    return [link for link in links if link["url"] != leave_out]
