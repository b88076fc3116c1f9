"""Every write endpoint × every role × own / other jurisdiction (and own / other team for
crews), generated from the URL conf: a new write endpoint without an entry here fails
`test_every_write_endpoint_has_an_entry`. The subject of each write is an object of Delmas
(its report, of the team roads-delmas; its layer); "delmas_*" people are at home there,
"pap_*" people are in another jurisdiction, people without a prefix are national."""

import json
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from analytics.services.rasters import raster_create
from communes.access import actor_for
from layers.models import AdminArea
from participation.models import (
    BudgetRound,
    Consultation,
    ConsultationQuestion,
    Proposal,
    ProposalComment,
)
from projects.models import FundingSource
from projects.services import project_create
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
WRITES = ("post", "put", "patch", "delete")
PEOPLE = [
    "anonymous", "citizen", "delmas_crew", "delmas_other_crew", "pap_crew",
    "delmas_supervisor", "pap_supervisor", "planner", "delmas_planner", "delmas_gis", "pap_gis",
    "gis", "delmas_admin", "pap_admin", "superuser",
]  # fmt: skip
# Who may, on a Delmas object. (PUBLIC: anyone, the endpoint has no role door; KEY: an
# Open311 API key is the door, and the key's account carries its rights into the services.)
PUBLIC, KEY = "public", "api key"
# SIGNED: the SMS gateways' webhooks; the door is the provider's signature or shared
# secret per gateway (tests/messaging/test_intake.py: forged 403), not a role.
SIGNED = "gateway signature"
MANAGERS = {"delmas_supervisor", "delmas_admin", "superuser"}
LAYER_EDITORS = {"delmas_gis", "gis", "delmas_admin", "superuser"}
ACCOUNTS = set(PEOPLE) - {"anonymous"}  # any person with an account
PROJECT_EDITORS = {"planner", "delmas_planner", "delmas_admin", "superuser"}
ANALYSTS = {"planner", "delmas_planner", "delmas_supervisor", "pap_supervisor", "delmas_admin",
            "pap_admin", "superuser"}  # fmt: skip
MATRIX = {
    ("feature-list", "post"): LAYER_EDITORS,
    ("feature-detail", "put"): LAYER_EDITORS,
    ("feature-detail", "patch"): LAYER_EDITORS,
    ("feature-detail", "delete"): LAYER_EDITORS,
    ("layer-import", "post"): LAYER_EDITORS,
    ("report-transition", "post"): MANAGERS | {"delmas_crew"},
    ("report-assign", "post"): MANAGERS,
    ("report-transfer", "post"): MANAGERS,
    ("report-merge", "post"): MANAGERS,
    ("report-moderate", "post"): MANAGERS,
    ("analytics-rasters", "post"): {"gis", "superuser"},  # rasters are national
    ("analytics-raster", "delete"): {"gis", "superuser"},
    ("analytics-within", "post"): ANALYSTS,  # a read with a long query
    ("project-list", "post"): PROJECT_EDITORS,
    ("project-detail", "patch"): PROJECT_EDITORS,
    ("project-transition", "post"): PROJECT_EDITORS,
    ("project-budget-lines", "post"): PROJECT_EDITORS,
    ("project-reports", "post"): PROJECT_EDITORS,
    ("project-procurements", "post"): PROJECT_EDITORS,
    ("project-updates", "post"): PROJECT_EDITORS,
    ("budget-rounds", "post"): PROJECT_EDITORS,
    ("budget-round-phase", "post"): PROJECT_EDITORS,
    ("budget-proposals", "post"): ACCOUNTS,
    ("budget-proposal-review", "post"): MANAGERS,
    ("budget-ballot", "post"): ACCOUNTS,
    ("budget-proposal-moderate", "post"): MANAGERS,
    ("budget-round", "patch"): PROJECT_EDITORS,  # participation.manage
    ("budget-proposal-comments", "post"): ACCOUNTS,
    ("budget-comment-moderate", "post"): MANAGERS,  # participation.review
    # A person proves their own phone number: any account (the limits per number and per
    # account, the code's expiry and tries: tests/participation/test_phone_verification.py).
    ("budget-phone-code", "post"): ACCOUNTS,
    ("budget-phone-verify", "post"): ACCOUNTS,
    ("consultations", "post"): PROJECT_EDITORS,  # consultation.create
    ("consultation", "patch"): PROJECT_EDITORS,  # consultation.edit
    ("consultation-open", "post"): PROJECT_EDITORS,
    ("consultation-close", "post"): PROJECT_EDITORS,
    ("consultation-responses", "post"): ACCOUNTS,
    ("report-list", "post"): PUBLIC,
    ("report-support", "post"): PUBLIC,
    ("report-follow", "post"): PUBLIC,
    ("area-follow", "post"): PUBLIC,
    ("unsubscribe", "delete"): PUBLIC,
    ("unsubscribe", "post"): PUBLIC,  # RFC 8058 one-click, by its token
    ("auth-token", "post"): PUBLIC,
    ("login", "post"): PUBLIC,
    ("login", "put"): PUBLIC,
    ("logout", "post"): PUBLIC,
    ("open311-requests", "post"): KEY,
    ("open311-updates", "post"): KEY,
    ("channels-twilio", "post"): SIGNED,
    ("channels-rapidpro", "post"): SIGNED,
    ("channels-pin", "post"): MANAGERS | {"delmas_crew"},
}


def write_endpoints() -> set[tuple[str, str]]:
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if not str(pattern.pattern).startswith("admin/"):  # the admin: tests below
                    walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "cls", None) or getattr(
                pattern.callback, "view_class", None
            )
            for method in WRITES if view else ():
                if hasattr(view, method):
                    found.add((pattern.name, method))

    walk(get_resolver().url_patterns)
    return found


def test_every_write_endpoint_has_an_entry():
    assert write_endpoints() == set(MATRIX)


def _feature(xy=f.DELMAS):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(xy)},
            "properties": {"name": "B"}}  # fmt: skip


def _geojson_file():
    doc = {"type": "FeatureCollection", "features": [_feature()]}
    return SimpleUploadedFile("d.geojson", json.dumps(doc).encode(), "application/geo+json")


def _raster_file():
    path = Path(settings.KOMIN_DATA_DIR) / "rasters" / "slope.tif"
    return SimpleUploadedFile("slope.tif", path.read_bytes(), "image/tiff")


@pytest.fixture
def subject(towns, file_report, settings, tmp_path):
    settings.KOMIN_RASTER_DIR = tmp_path / "rasters"
    layer = towns.layers["delmas"]
    raster = raster_create(source=Path(settings.KOMIN_DATA_DIR) / "rasters" / "slope.tif",
                           title="Slope", slug="slope")  # fmt: skip
    FundingSource.objects.create(code="commune", name="Budget communal", kind="commune")
    report = file_report(where=f.DELMAS)
    project = project_create(
        actor=actor_for(towns.people.superuser),
        jurisdiction=towns.j["delmas"],
        slug="canal",
        geometry={"type": "Point", "coordinates": list(f.DELMAS)},
        title_fr="Canal",
        sector="drainage",
    )
    proposing = BudgetRound.objects.create(slug="pb-open", jurisdiction=towns.j["delmas"],
                                           title_fr="PB", amount=1000)  # fmt: skip
    voting = BudgetRound.objects.create(slug="pb-vote", jurisdiction=towns.j["delmas"],
                                        title_fr="PB", amount=1000, phase="voting")  # fmt: skip
    idea = Proposal.objects.create(round=proposing, title="Lamp", estimated_cost=100)
    remark = ProposalComment.objects.create(proposal=idea, body="Bonne idée")
    choice = Proposal.objects.create(
        round=voting, title="Tap", estimated_cost=100, status="accepted"
    )
    now = timezone.now()
    consultation = Consultation.objects.create(jurisdiction=towns.j["delmas"], title_fr="C",
                                               opens_at=now - timedelta(days=1),
                                               closes_at=now + timedelta(days=1))  # fmt: skip
    consultation.areas.set(AdminArea.objects.filter(pcode="HT0112-01"))
    ConsultationQuestion.objects.create(consultation=consultation, code="q", datatype="text",
                                        label_fr="Q")  # fmt: skip
    return SimpleNamespace(
        consultation=consultation,
        delmas_section=consultation.areas.first(),
        proposing=proposing,
        voting=voting,
        idea=idea,
        remark=remark,
        choice=choice,
        report=report,
        project=project,
        other=file_report(where=f.DELMAS),
        layer=layer,
        feature=layer.features.first(),
        raster=raster,
        towns=towns,
    )


REQUESTS = {
    ("feature-list", "post"): lambda s: (f"/api/v1/layers/{s.layer.slug}/features/", _feature(), "json"),
    ("feature-detail", "put"): lambda s: (f"/api/v1/layers/{s.layer.slug}/features/{s.feature.pk}/", _feature(), "json"),
    ("feature-detail", "patch"): lambda s: (f"/api/v1/layers/{s.layer.slug}/features/{s.feature.pk}/", {"type": "Feature", "properties": {"name": "C"}}, "json"),
    ("feature-detail", "delete"): lambda s: (f"/api/v1/layers/{s.layer.slug}/features/{s.feature.pk}/", None, "json"),
    ("layer-import", "post"): lambda s: (f"/api/v1/layers/{s.layer.slug}/import/", {"file": _geojson_file(), "replace": "true", "dry_run": "true"}, "multipart"),
    ("report-transition", "post"): lambda s: (f"/api/v1/reports/{s.report.reference}/transition/", {"status": "acknowledged", "version": 1}, "json"),
    ("report-assign", "post"): lambda s: (f"/api/v1/reports/{s.report.reference}/assign/", {"team": s.towns.teams["roads-delmas"].pk, "priority": 3, "version": 1}, "json"),
    ("report-transfer", "post"): lambda s: (f"/api/v1/reports/{s.report.reference}/transfer/", {"jurisdiction": "cap-haitien", "version": 1}, "json"),
    ("report-merge", "post"): lambda s: (f"/api/v1/reports/{s.report.reference}/merge/", {"into": s.other.reference, "version": 1}, "json"),
    ("report-moderate", "post"): lambda s: (f"/api/v1/reports/{s.report.reference}/moderate/", {"hidden": True, "reason": "abuse"}, "json"),
    ("analytics-rasters", "post"): lambda s: ("/api/v1/analytics/rasters/", {"file": _raster_file(), "title": "Slope 2", "slug": "slope-2"}, "multipart"),
    ("analytics-raster", "delete"): lambda s: (f"/api/v1/analytics/rasters/{s.raster.slug}/", None, "json"),
    ("channels-pin", "post"): lambda s: (f"/api/v1/channels/reports/{s.report.reference}/pin/", {"lon": f.DELMAS[0] + 0.001, "lat": f.DELMAS[1]}, "json"),
    ("project-list", "post"): lambda s: ("/api/v1/projects/", {"slug": "route", "jurisdiction": "delmas", "title_fr": "Route", "sector": "roads", "geometry": {"type": "Point", "coordinates": list(f.DELMAS)}}, "json"),
    ("project-detail", "patch"): lambda s: (f"/api/v1/projects/{s.project.slug}/", {"contractor": "X"}, "json"),
    ("project-transition", "post"): lambda s: (f"/api/v1/projects/{s.project.slug}/transition/", {"status": "tendering"}, "json"),
    ("project-budget-lines", "post"): lambda s: (f"/api/v1/projects/{s.project.slug}/budget-lines/", {"year": 2026, "funding_source": "commune", "planned": "100.00"}, "json"),
    ("project-reports", "post"): lambda s: (f"/api/v1/projects/{s.project.slug}/reports/", {"reports": [s.report.reference]}, "json"),
    ("project-procurements", "post"): lambda s: (f"/api/v1/projects/{s.project.slug}/procurements/", {"title": "Travaux"}, "json"),
    ("project-updates", "post"): lambda s: (f"/api/v1/projects/{s.project.slug}/updates/", {"text": "Début"}, "multipart"),
    ("budget-rounds", "post"): lambda s: ("/api/v1/participation/rounds/", {"slug": "pb-2", "jurisdiction": "delmas", "title_fr": "PB", "amount": "5000.00"}, "json"),
    ("budget-round-phase", "post"): lambda s: (f"/api/v1/participation/rounds/{s.proposing.slug}/phase/", {"phase": "review"}, "json"),
    ("budget-proposals", "post"): lambda s: (f"/api/v1/participation/rounds/{s.proposing.slug}/proposals/", {"title": "Bench", "estimated_cost": "50.00"}, "json"),
    ("budget-proposal-review", "post"): lambda s: (f"/api/v1/participation/proposals/{s.idea.pk}/review/", {"decision": "accepted"}, "json"),
    ("budget-proposal-moderate", "post"): lambda s: (f"/api/v1/participation/proposals/{s.idea.pk}/moderate/", {"hidden": True, "reason": "Insulte"}, "json"),
    ("budget-ballot", "post"): lambda s: (f"/api/v1/participation/rounds/{s.voting.slug}/ballot/", {"proposals": [s.choice.pk]}, "json"),
    ("budget-round", "patch"): lambda s: (f"/api/v1/participation/rounds/{s.proposing.slug}/", {"title_en": "PB"}, "json"),
    ("budget-proposal-comments", "post"): lambda s: (f"/api/v1/participation/proposals/{s.idea.pk}/comments/", {"body": "Oui, ici."}, "json"),
    ("budget-comment-moderate", "post"): lambda s: (f"/api/v1/participation/comments/{s.remark.pk}/moderate/", {"hidden": True, "reason": "Insulte"}, "json"),
    ("consultations", "post"): lambda s: ("/api/v1/participation/consultations/", {"jurisdiction": "delmas", "title_fr": "C2", "areas": [s.delmas_section.pk], "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z", "questions": [{"code": "q", "datatype": "text", "label_fr": "Q"}]}, "json"),
    ("consultation", "patch"): lambda s: (f"/api/v1/participation/consultations/{s.consultation.pk}/", {"title_en": "C"}, "json"),
    ("consultation-open", "post"): lambda s: (f"/api/v1/participation/consultations/{s.consultation.pk}/open/", {}, "json"),
    ("consultation-close", "post"): lambda s: (f"/api/v1/participation/consultations/{s.consultation.pk}/close/", {}, "json"),
    ("consultation-responses", "post"): lambda s: (f"/api/v1/participation/consultations/{s.consultation.pk}/responses/", {"answers": {"q": "Oui"}, "area": s.delmas_section.pk}, "json"),
    ("analytics-within", "post"): lambda s: ("/api/v1/analytics/within/", {"geometry": {"type": "Polygon", "coordinates": [[[-72.31, 18.54], [-72.29, 18.54], [-72.29, 18.56], [-72.31, 18.54]]]}}, "json"),
}  # fmt: skip


@pytest.mark.parametrize("endpoint", sorted(REQUESTS), ids=lambda e: f"{e[0]}:{e[1]}")
def test_write_endpoint_allows_exactly_the_roles_of_the_matrix(subject, api, endpoint):
    allowed = MATRIX[endpoint]
    outcome = {}
    for name in PEOPLE:
        user = None if name == "anonymous" else getattr(subject.towns.people, name)
        api.force_authenticate(user)
        url, data, fmt = REQUESTS[endpoint](subject)
        with transaction.atomic():  # each try starts from the same state
            response = getattr(api, endpoint[1])(url, data, format=fmt)
            transaction.set_rollback(True)
        outcome[name] = response.status_code
    wrong = {
        name: code
        for name, code in outcome.items()
        if (name in allowed) != (200 <= code < 300)
        or (name not in allowed and code not in (401, 403, 404))
    }
    assert not wrong, f"{endpoint}: allowed {sorted(allowed)}; got {outcome}"


def test_public_writes_have_no_role_door(subject, api):
    """Filing, supporting, following need no role (they have throttles and the services'
    own checks); nobody gets 401/403 for lack of one."""
    ref = subject.report.reference
    for url, data in [
        ("/api/v1/reports/", {}),
        (f"/api/v1/reports/{ref}/support/", {}),
        (f"/api/v1/reports/{ref}/follow/", {}),
        ("/api/v1/reports/subscriptions/", {}),
    ]:
        assert api.post(url, data, format="json").status_code not in (401, 403), url


ADMIN_LOGIN = {"delmas_supervisor", "pap_supervisor", "delmas_gis", "pap_gis", "gis",
               "delmas_admin", "pap_admin", "superuser"}  # fmt: skip


def test_admin_door_and_report_rows_per_role(subject, client):
    """Who may log into the admin, and who sees the Delmas report's page there: its
    jurisdiction's supervisors and administrators (crews and planners work in the app)."""
    sees_report = {"delmas_supervisor", "delmas_admin", "superuser"}
    url = f"/admin/reports/report/{subject.report.pk}/change/"
    for name in PEOPLE[1:]:
        user = getattr(subject.towns.people, name)
        user.is_staff = True  # the old door; it no longer matters
        user.save()
        client.force_login(user)
        assert (client.get("/admin/").status_code == 200) == (name in ADMIN_LOGIN), name
        page = client.get(url)
        assert (page.status_code == 200) == (name in sees_report), (name, page.status_code)
        if page.status_code == 200:
            assert subject.report.token not in page.content.decode()


def test_gateway_and_webhook_configuration_is_for_the_jurisdictions_administrators(subject):
    """POLICY "gateway.edit" / "webhook.edit": administrators of the jurisdiction only."""
    from communes.access import can
    from messaging.models import Gateway
    from webhooks.models import Endpoint

    delmas = subject.towns.j["delmas"]
    gateway = Gateway(kind="twilio", jurisdiction=delmas, number="+1", auth_token="t")
    endpoint = Endpoint(jurisdiction=delmas, url="https://example.org/hook")
    allowed = {"delmas_admin", "superuser"}
    for name in PEOPLE[1:]:
        user = getattr(subject.towns.people, name)
        assert can(user, "gateway.edit", gateway) == (name in allowed), name
        assert can(user, "webhook.edit", endpoint) == (name in allowed), name
