"""Demo projects: SAMPLE DATA, fictional projects in Port-au-Prince and Cap-Haïtien
(titles start with "[Exemple]", `sample` is set, and every page shows it), with budget
lines in HTG and USD, procurements and a timeline. The funding sources are always
loaded (a catalogue); the fictional projects only in development, with the accounts.
Idempotent: a project already there is left as it is."""

from datetime import date
from decimal import Decimal as D

from django.db import transaction
from django.utils import timezone

from communes.access import Actor
from communes.models import Jurisdiction
from projects.models import FundingSource, Project, ProjectUpdate
from projects.services import budget_line_save, procurement_save, project_create
from reports.models import Report
from reports.workflow import OPEN, Role

SOURCES = [
    ("commune", "Budget communal", "commune"),
    ("fgdct", "Fonds de gestion et de développement des collectivités territoriales", "government"),
    ("mtptc", "Ministère des Travaux publics (MTPTC)", "government"),
    ("bid", "Banque interaméricaine de développement (BID)", "donor"),
]
# Near enough for "reports along the road" (geographic DWithin takes degrees).
METRES_PER_DEGREE = 111_320
SYSTEM = Actor(user=None, role=Role.ADMINISTRATOR, superuser=True, label="demo")
RATE_2025, RATE_2026 = (D("131.2500"), date(2025, 1, 15)), (D("131.0800"), date(2026, 1, 15))


def _line(*coords):
    return {"type": "LineString", "coordinates": [list(c) for c in coords]}


PROJECTS = [
    {
        "slug": "exemple-rue-capois",
        "town": "port-au-prince",
        "sector": "roads",
        "title_fr": "[Exemple] Réhabilitation de la rue Capois",
        "title_ht": "[Egzanp] Reyabilitasyon ri Kapwa",
        "title_en": "[Sample] Rebuilding rue Capois",
        "description_fr": "Chaussée, trottoirs et caniveaux sur 1,3 km. Données d'exemple.",
        "geometry": _line((-72.3391, 18.5468), (-72.3383, 18.5410), (-72.3372, 18.5352)),
        "status": "in_progress",
        "percent": 45,
        "contractor": "Konstriksyon Lakay SA (fictif)",
        "service": "Service des travaux publics",
        "lines": [
            (2025, "commune", "HTG", "18500000.00", "18500000.00", "9200000.00", None),
            (2025, "bid", "USD", "150000.00", "150000.00", "61000.00", RATE_2025),
            (2026, "bid", "USD", "90000.00", "0.00", "0.00", RATE_2026),
        ],
        "procurement": ("Travaux de voirie, rue Capois", "2350000.00"),
        "reports_within_m": 300,
    },
    {
        "slug": "exemple-canal-bois-de-chene",
        "town": "port-au-prince",
        "sector": "drainage",
        "title_fr": "[Exemple] Curage du canal de Bois-de-Chêne",
        "title_ht": "[Egzanp] Netwaye kanal Bwadchèn",
        "title_en": "[Sample] Clearing the Bois-de-Chêne canal",
        "description_fr": "Curage avant la saison des pluies. Données d'exemple.",
        "geometry": _line((-72.3215, 18.5318), (-72.3290, 18.5380), (-72.3345, 18.5440)),
        "status": "completed",
        "percent": 100,
        "contractor": "Brigade communale",
        "service": "Service de l'assainissement",
        "lines": [(2025, "fgdct", "HTG", "6400000.00", "6400000.00", "6150000.00", None)],
        "procurement": None,
        "reports_within_m": 0,
    },
    {
        "slug": "exemple-kiosques-martissant",
        "town": "port-au-prince",
        "sector": "water",
        "title_fr": "[Exemple] Trois kiosques d'eau à Martissant",
        "title_ht": "[Egzanp] Twa kyòs dlo nan Matisan",
        "title_en": "[Sample] Three water kiosks in Martissant",
        "description_fr": "Kiosques raccordés au réseau de la DINEPA. Données d'exemple.",
        "geometry": {
            "type": "MultiPoint",
            "coordinates": [[-72.3620, 18.5290], [-72.3575, 18.5305], [-72.3540, 18.5322]],
        },  # fmt: skip
        "status": "tendering",
        "percent": 0,
        "contractor": "",
        "service": "Service de l'eau",
        "lines": [(2026, "mtptc", "HTG", "4800000.00", "0.00", "0.00", None)],
        "procurement": ("Construction de trois kiosques", None),
        "reports_within_m": 0,
    },
    {
        "slug": "exemple-marche-cap",
        "town": "cap-haitien",
        "sector": "markets",
        "title_fr": "[Exemple] Toiture du marché Cluny",
        "title_ht": "[Egzanp] Do kay mache Klini",
        "title_en": "[Sample] Roof of the Cluny market",
        "description_fr": "Nouvelle toiture et gouttières. Données d'exemple.",
        "geometry": {"type": "Point", "coordinates": [-72.2030, 19.7585]},
        "status": "planned",
        "percent": 0,
        "contractor": "",
        "service": "Service des marchés",
        "lines": [(2026, "commune", "HTG", "3200000.00", "0.00", "0.00", None)],
        "procurement": None,
        "reports_within_m": 0,
    },
    {
        "slug": "exemple-eclairage-boulevard-cap",
        "town": "cap-haitien",
        "sector": "lighting",
        "title_fr": "[Exemple] Éclairage solaire du boulevard",
        "title_ht": "[Egzanp] Limyè solè sou bilva a",
        "title_en": "[Sample] Solar lighting on the boulevard",
        "description_fr": "Quarante lampadaires solaires. Données d'exemple.",
        "geometry": _line((-72.1990, 19.7640), (-72.2040, 19.7672), (-72.2080, 19.7700)),
        "status": "in_progress",
        "percent": 70,
        "contractor": "Limyè Nò SARL (fictif)",
        "service": "Service de l'éclairage public",
        "lines": [(2025, "bid", "USD", "64000.00", "64000.00", "41000.00", RATE_2025)],
        "procurement": ("Fourniture et pose de 40 lampadaires", "8400000.00"),
        "reports_within_m": 0,
    },
]


def load(*, stdout, accounts: bool = True) -> None:
    for code, name, kind in SOURCES:
        FundingSource.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
    if not accounts:
        return
    made = sum(_project(spec) for spec in PROJECTS)
    stdout.write(f"Sample projects (fictional, marked [Exemple]): {made} new.")


@transaction.atomic
def _project(spec: dict) -> bool:
    jurisdiction = Jurisdiction.objects.filter(slug=spec["town"]).first()
    if jurisdiction is None or Project.objects.filter(slug=spec["slug"]).exists():
        return False
    project = project_create(
        actor=SYSTEM,
        jurisdiction=jurisdiction,
        slug=spec["slug"],
        geometry=spec["geometry"],
        sample=True,
        sector=spec["sector"],
        **{k: spec[k] for k in ("title_fr", "title_ht", "title_en", "description_fr")},
        contractor=spec["contractor"],
        responsible_service=spec["service"],
        planned_start=date(2025, 3, 1),
        planned_end=date(2026, 6, 30),
    )
    for year, source, currency, planned, committed, spent, rate in spec["lines"]:
        budget_line_save(
            actor=SYSTEM, project_id=project.pk, year=year, funding_source=source,
            currency=currency, planned=D(planned), committed=D(committed), spent=D(spent),
            exchange_rate=rate[0] if rate else None, rate_date=rate[1] if rate else None,
        )  # fmt: skip
    if spec["procurement"]:
        title, value = spec["procurement"]
        awarded = value is not None
        procurement_save(
            actor=SYSTEM, project_id=project.pk, title=title,
            tender_status="complete" if awarded else "active",
            tender_start=date(2025, 1, 10), tender_end=date(2025, 2, 10),
            supplier_name=spec["contractor"] if awarded else "",
            award_date=date(2025, 2, 25) if awarded else None,
            award_value=D(value) if awarded else None,
            contract_status="active" if awarded else "",
            contract_signed=date(2025, 3, 1) if awarded else None,
            contract_value=D(value) if awarded else None,
        )  # fmt: skip
    Project.objects.filter(pk=project.pk).update(
        status=spec["status"],
        percent_complete=spec["percent"],
        actual_start=date(2025, 3, 10) if spec["status"] in ("in_progress", "completed") else None,
        actual_end=date(2025, 5, 30) if spec["status"] == "completed" else None,
    )
    ProjectUpdate.objects.create(
        project=project,
        text="Exemple : point d'avancement fictif.",
        status=spec["status"],
        percent_complete=spec["percent"],
        created_at=timezone.now(),
    )
    if spec["reports_within_m"]:
        near = Report.objects.filter(
            jurisdiction=jurisdiction,
            hidden=False,
            status__in=OPEN,
            location__dwithin=(project.geom, spec["reports_within_m"] / METRES_PER_DEGREE),
        )
        project.reports.set(near[:20])
    return True
