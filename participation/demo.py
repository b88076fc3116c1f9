"""Demo budget rounds: SAMPLE DATA, fictional rounds in Port-au-Prince (voting, with four
accepted proposals) and Cap-Haïtien (proposals open), titles starting with "[Exemple]";
and a fictional consultation in Port-au-Prince (participation.consultations.demo).
Only in development, with the accounts. Idempotent."""

from decimal import Decimal

from django.contrib.gis.geos import Point
from django.db import transaction

from communes.models import Jurisdiction
from participation.consultations import demo as consultations_demo
from participation.models import BudgetRound, Proposal

ROUNDS = [
    ("exemple-budget-participatif-pap-2026", "port-au-prince", "voting", "5000000.00", [
        ("Éclairage solaire de la place Sainte-Anne", "1800000.00", (-72.3446, 18.5412)),
        ("Réparation des bancs du Champ-de-Mars", "650000.00", (-72.3386, 18.5440)),
        ("Fontaine publique à Bas-Peu-de-Chose", "2200000.00", (-72.3300, 18.5380)),
        ("Poubelles au marché Salomon", "900000.00", (-72.3420, 18.5470)),
    ]),
    ("exemple-budget-participatif-cap-2026", "cap-haitien", "proposals", "3000000.00", [
        ("Trottoirs de la rue 24", "1200000.00", (-72.2010, 19.7600)),
    ]),
]  # fmt: skip


def load(*, stdout, accounts: bool = True) -> None:
    if not accounts:
        return
    made = sum(_round(*spec) for spec in ROUNDS)
    stdout.write(f"Sample budget rounds (fictional, marked [Exemple]): {made} new.")
    consultations_demo.load(stdout=stdout)


@transaction.atomic
def _round(slug, town, phase, amount, proposals) -> bool:
    jurisdiction = Jurisdiction.objects.filter(slug=town).first()
    if jurisdiction is None or BudgetRound.objects.filter(slug=slug).exists():
        return False
    budget_round = BudgetRound.objects.create(
        slug=slug, jurisdiction=jurisdiction, phase=phase, amount=Decimal(amount), sample=True,
        title_fr="[Exemple] Budget participatif 2026", title_ht="[Egzanp] Bidjè patisipatif 2026",
        title_en="[Sample] Participatory budget 2026",
    )  # fmt: skip
    for title, cost, (lon, lat) in proposals:
        Proposal.objects.create(
            round=budget_round, title=title, estimated_cost=Decimal(cost),
            location=Point(lon, lat, srid=4326),
            status="accepted" if phase == "voting" else "submitted",
        )  # fmt: skip
    return True
