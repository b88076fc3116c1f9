"""A town hall's public pages are its own: its reports, figures and areas, its logo (a
checked image, served) and its languages; the national map lists the town halls."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def png(width=40, height=20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 83, 45)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def filed(towns, file_report):
    return [file_report(where=w) for w in (f.DELMAS, f.DELMAS, f.PAP, f.CAP)]


def test_a_checked_logo_is_served_and_shown_on_the_towns_pages(towns, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    delmas = towns.j["delmas"]
    delmas.logo = SimpleUploadedFile("delmas.png", png(), content_type="image/png")
    delmas.full_clean()
    delmas.save()
    response = client.get("/c/delmas/logo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    assert 'src="/c/delmas/logo/"' in client.get("/c/delmas/").content.decode()
    assert client.get("/c/cap-haitien/logo/").status_code == 404  # none uploaded


@pytest.mark.parametrize(
    ("name", "content", "complaint"),
    [
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "not a readable image"),
        ("logo.gif", None, "GIF"),
        ("big.png", png(2000, 10), "1024 pixels"),
    ],
)  # fmt: skip
def test_a_logo_that_is_not_a_small_png_jpeg_or_webp_is_refused(towns, name, content, complaint):
    if content is None:
        out = io.BytesIO()
        Image.new("P", (10, 10)).save(out, "GIF")
        content = out.getvalue()
    delmas = towns.j["delmas"]
    delmas.logo = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as refused:
        delmas.full_clean()
    assert complaint in str(refused.value)


def test_a_town_hall_offers_its_own_languages(towns, client):
    towns.j["cap"].languages = ["fr", "ht"]
    towns.j["cap"].save()
    page = client.get("/c/cap-haitien/").content.decode()
    assert 'value="fr"' in page and 'value="ht"' in page and 'value="en"' not in page
    assert 'value="en"' in client.get("/").content.decode()


def test_the_national_map_links_every_town_halls_page(towns, client):
    page = client.get("/").content.decode()
    for slug in ("port-au-prince", "delmas", "cap-haitien"):
        assert f'href="/c/{slug}/"' in page
    assert 'class="town-halls"' not in client.get("/c/delmas/").content.decode()


def test_a_towns_reports_and_figures_are_its_own(towns, filed, client, settings):
    settings.KOMIN_RATE_ANON_READS = ""
    geojson = client.get("/api/v1/reports/geojson/", {"jurisdiction": "delmas"}).json()
    assert {feat["id"] for feat in geojson["features"]} == {r.reference for r in filed[:2]}
    stats = client.get("/stats/", {"jurisdiction": "delmas"}).json()
    assert sum(row["reports"] for row in stats["by_category"]) == 2
    assert sum(row["reports"] for row in client.get("/stats/").json()["by_category"]) == 4
    rates = client.get(
        "/api/v1/analytics/public/rates/", {"level": "commune", "jurisdiction": "delmas"}
    ).json()
    assert [(x["properties"]["pcode"], x["properties"]["reports"]) for x in rates["features"]] == [
        ("HT0112", 2)
    ]
    assert client.get("/stats/", {"jurisdiction": "nowhere"}).status_code == 400
    outside = client.get(
        "/api/v1/analytics/public/rates/", {"jurisdiction": "delmas", "area": "HT0311"}
    )
    assert outside.status_code == 400 and "HT0311" in outside.json()["detail"]
