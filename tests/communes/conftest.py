"""Three town halls over the real Haiti boundaries: Port-au-Prince (HT0111), Delmas
(HT0112) and Cap-Haïtien (HT0311), each with its team, layer and staff, plus national
staff. Real PostGIS, real services."""

from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point

from communes.models import Jurisdiction
from layers.models import Layer
from layers.services.features import feature_create
from reports.models import RoutingRule, Team
from reports.services.reports import Contact, report_create
from tests.reports import factories as f
from tests.reports.conftest import _isolated, cat  # noqa: F401  (shared fixtures)

TOWNS = {"pap": ("port-au-prince", "HT0111"), "delmas": ("delmas", "HT0112"),
         "cap": ("cap-haitien", "HT0311")}  # fmt: skip


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Fifteen accounts per test: PBKDF2 would spend most of the suite hashing passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def towns(cat):  # noqa: F811
    """Jurisdictions, their teams and local routing rules; a layer in Delmas and a
    national one; one account per role and place (attribute access: `towns.people.x`)."""
    j = {
        key: Jurisdiction.objects.create(
            slug=slug, name_fr=slug.title(), pcodes=[pcode], open311_id=f"{slug}.komin.ht"
        )
        for key, (slug, pcode) in TOWNS.items()
    }
    teams = cat["teams"]
    for key, town in (("roads-pap", "pap"), ("roads-delmas", "delmas"), ("cap", "cap")):
        Team.objects.filter(pk=teams[key].pk).update(jurisdiction=j[town])
        teams[key].refresh_from_db()
    delmas_lights = Team.objects.create(name="lights-delmas", jurisdiction=j["delmas"])
    RoutingRule.objects.create(jurisdiction=j["delmas"], team=teams["roads-delmas"])
    RoutingRule.objects.create(jurisdiction=j["cap"], team=teams["cap"])
    people = SimpleNamespace(
        citizen=f.user("citizen", "citizen"),
        delmas_crew=f.user("delmas_crew", "crew", [teams["roads-delmas"]], jurisdiction=j["delmas"]),
        delmas_other_crew=f.user("delmas_other_crew", "crew", [delmas_lights], jurisdiction=j["delmas"]),
        pap_crew=f.user("pap_crew", "crew", [teams["roads-pap"]], jurisdiction=j["pap"]),
        delmas_supervisor=f.user("delmas_supervisor", "supervisor", jurisdiction=j["delmas"]),
        pap_supervisor=f.user("pap_supervisor", "supervisor", jurisdiction=j["pap"]),
        cap_supervisor=f.user("cap_supervisor", "supervisor", jurisdiction=j["cap"]),
        planner=f.user("planner", "planner"),
        delmas_planner=f.user("delmas_planner", "planner", jurisdiction=j["delmas"]),
        delmas_gis=f.user("delmas_gis", "gis_editor", jurisdiction=j["delmas"]),
        pap_gis=f.user("pap_gis", "gis_editor", jurisdiction=j["pap"]),
        gis=f.user("gis", "gis_editor"),
        delmas_admin=f.user("delmas_admin", "administrator", jurisdiction=j["delmas"]),
        pap_admin=f.user("pap_admin", "administrator", jurisdiction=j["pap"]),
        superuser=f.user("root", superuser=True),
    )  # fmt: skip
    layers = {}
    for key, jurisdiction, where in (
        ("delmas", j["delmas"], f.DELMAS),
        ("national", None, f.PAP),
    ):
        layer = Layer.objects.create(
            slug=f"drains-{key}",
            title=f"Drains {key}",
            jurisdiction=jurisdiction,
            schema=[{"name": "name", "type": "string"}],
        )
        feature_create(layer=layer, geom=Point(*where, srid=4326), attributes={"name": "A"})
        layers[key] = layer
    return SimpleNamespace(j=j, teams={**teams, "lights-delmas": delmas_lights}, people=people,
                           layers=layers, cat=cat)  # fmt: skip


@pytest.fixture
def file_report(towns):
    def make(where=f.DELMAS, category="pothole", **kwargs):
        kwargs.setdefault("answers", {"size": "large"} if category == "pothole" else {})
        return report_create(
            category=towns.cat[category],
            lon=where[0],
            lat=where[1],
            description="Twou",
            contact=Contact(**f.CONTACT),
            **kwargs,
        ).report

    return make
