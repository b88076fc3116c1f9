"""Demo data of the reports app: the Haitian service catalogue, teams, routing rules and a
few dozen reports in Port-au-Prince and Cap-Haïtien in varied states. Idempotent."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communes.access import Actor, R
from communes.models import Jurisdiction
from layers.models import AdminArea, Layer
from layers.selectors.areas import area_by_pcode
from reports.demo_catalogue import CATEGORIES, ROUTING, TEAM_JURISDICTIONS, TEAMS
from reports.errors import Invalid
from reports.models import Category, Question, Report, RoutingRule, Team
from reports.services.reports import Contact, report_create, report_support
from reports.services.workflow import report_merge, report_transition
from reports.workflow import Status

# Bounding boxes on land in each city (lon_min, lon_max, lat_min, lat_max).
CITIES = {
    "Port-au-Prince": (-72.345, -72.285, 18.515, 18.555),
    "Cap-Haïtien": (-72.215, -72.197, 19.742, 19.765),
}
# Paths through the workflow, applied by a supervisor, then (resolved) by the reporter.
PATHS = [
    [],
    [Status.ACKNOWLEDGED],
    [Status.ACKNOWLEDGED, Status.IN_PROGRESS],
    [Status.IN_PROGRESS, Status.RESOLVED],
    [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED],
    [Status.NOT_RESPONSIBLE],
    [Status.IN_PROGRESS, Status.RESOLVED, Status.REOPENED],
]
NOTES = {
    Status.ACKNOWLEDGED: "Signalement reçu, une équipe est prévue.",
    Status.IN_PROGRESS: "L'équipe est sur place.",
    Status.RESOLVED: "Réparé.",
    Status.CLOSED: "Clôturé.",
    Status.NOT_RESPONSIBLE: "Relève d'un autre service (transmis).",
    Status.REOPENED: "Le problème est revenu.",
}
DEMO_COUNT = 36
CREW_TEAMS = {
    # Every team that routing can choose has someone to see its tickets.
    "crew": ["roads_pap", "triage", "water", "lights"],
    "pap-crew": ["roads_pap", "clean_pap"],
    "delmas-crew": ["delmas"],
    "cap-crew": ["cap"],
}


def load(*, stdout, accounts: bool = True) -> None:
    """The catalogue, teams and routing always; the fictional reports (with made-up
    contacts, handled by the demo supervisor) only with the demo accounts."""
    with transaction.atomic():
        categories = load_catalogue()
        teams = load_teams()
        load_routing(teams)
    if not accounts:
        return
    if Report.objects.filter(source="demo").exists():
        return
    if not AdminArea.objects.filter(level="departement").exists():
        stdout.write("reports: boundaries are not loaded; demo reports skipped")
        return
    made = load_reports(categories)
    stdout.write(f"reports: {len(categories)} categories, {len(teams)} teams, {made} demo reports")


def load_catalogue() -> list[Category]:
    categories = []
    for spec in CATEGORIES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "questions", "layer_slug")}
        fields["layer"] = Layer.objects.filter(slug=spec.get("layer_slug") or "").first()
        category, _ = Category.objects.update_or_create(code=spec["code"], defaults=fields)
        for order, (code, kind, required, fr, ht, en, values) in enumerate(spec["questions"], 1):
            Question.objects.update_or_create(
                category=category,
                code=code,
                defaults=dict(
                    datatype=kind,
                    required=required,
                    order=order,
                    text_fr=fr,
                    text_ht=ht,
                    text_en=en,
                    values=values,
                ),
            )
        categories.append(category)
    return categories


def load_teams() -> dict[str, Team]:
    User = get_user_model()
    where = {j.slug: j for j in Jurisdiction.objects.all()}
    teams = {}
    for key, name in TEAMS.items():
        slug = TEAM_JURISDICTIONS.get(key)
        teams[key], _ = Team.objects.update_or_create(
            name=name, defaults={"jurisdiction": where.get(slug) if slug else None}
        )
    # The national demo crew member works in Port-au-Prince's roads team and the triage
    # team; each town hall's crew account in its own team.
    for username, keys in CREW_TEAMS.items():
        crew = User.objects.filter(username=username).first()
        for key in keys if crew else ():
            teams[key].members.add(crew)
    return teams


def load_routing(teams: dict[str, Team]) -> None:
    where = {j.slug: j for j in Jurisdiction.objects.all()}
    for slug, code, pcode, team in ROUTING:
        category = Category.objects.get(code=code) if code else None
        area = area_by_pcode(pcode) if pcode else None
        if (pcode and area is None) or (slug and slug not in where):
            continue
        RoutingRule.objects.update_or_create(
            jurisdiction=where[slug] if slug else None,
            category=category,
            area=area,
            defaults={"team": teams[team]},
        )


def _answers(category: Category, rng: random.Random) -> dict:
    answers = {}
    for q in category.questions.all():
        if q.datatype == "singlevaluelist":
            answers[q.code] = rng.choice(q.values)["key"]
        elif q.datatype == "multivaluelist":
            answers[q.code] = [rng.choice(q.values)["key"]]
        elif q.datatype == "number" and rng.random() < 0.5:
            answers[q.code] = rng.randint(5, 200)
    return answers


def load_reports(categories: list[Category]) -> int:
    # Seeded for reproducible demo data, not for secrets.
    rng = random.Random(4)  # nosec B311
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    staff = Actor(
        user=supervisor,
        role=R.SUPERVISOR,
        grants=frozenset({(None, R.SUPERVISOR)}),
        label="supervisor",
    )
    now = timezone.now()
    made = 0
    for index in range(DEMO_COUNT * 2):
        if made >= DEMO_COUNT:
            break
        xmin, xmax, ymin, ymax = CITIES["Port-au-Prince" if index % 3 else "Cap-Haïtien"]
        category = categories[index % len(categories)]
        created = now - timedelta(days=rng.uniform(0.5, 60))
        try:
            with transaction.atomic():
                report = report_create(
                    category=category,
                    lon=round(rng.uniform(xmin, xmax), 6),
                    lat=round(rng.uniform(ymin, ymax), 6),
                    description=f"Signalement de démonstration n° {made + 1}.",
                    answers=_answers(category, rng),
                    contact=Contact(name=f"Démo {made + 1}", phone="+509 0000 0000"),
                    source="demo",
                    now=created,
                ).report
        except Invalid:  # fell in the sea: draw again
            continue
        when = created
        for status in PATHS[made % len(PATHS)]:
            when += timedelta(hours=rng.uniform(2, 48))
            report_transition(
                report_id=report.pk,
                actor=staff,
                status=status,
                version=None,
                public_note=NOTES[status],
                now=min(when, now),
            )
        made += 1
    _supports_and_duplicates(rng, staff)
    return made


def _supports_and_duplicates(rng: random.Random, staff: Actor) -> None:
    """Some "me too"s, and two duplicates filed next to open reports then merged."""
    open_reports = list(
        Report.objects.filter(source="demo", status=Status.SUBMITTED).order_by("created_at")
    )
    for report in open_reports:
        for n in range(rng.randint(0, 6)):
            report_support(report=report, fingerprint=f"demo:{report.pk}:{n}")
    for original in open_reports[:2]:
        with transaction.atomic():
            copy = report_create(
                category=original.category,
                lon=original.location.x + 0.0001,
                lat=original.location.y,
                description="Même problème, signalé une seconde fois.",
                answers=original.answers,
                source="demo",
                now=original.created_at + timedelta(hours=3),
            ).report
            report_merge(report_id=copy.pk, into_id=original.pk, actor=staff, version=None)
