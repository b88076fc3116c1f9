"""Photos are content-checked and re-encoded (no EXIF); no contact detail ever leaks."""

from io import BytesIO

import mapbox_vector_tile
import pytest
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from reports.models import Report, ReportPhoto
from reports.selectors.tiles import reports_tile
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"
SECRETS = [
    f.CONTACT["name"].encode(),
    f.CONTACT["email"].encode(),
    f.CONTACT["phone"].encode(),
    b"SecretCam",
    b"Komin-test-software",
]


def post_with_photos(api, *files, **extra):
    data = {
        "category": "pothole",
        "lon": str(f.PAP[0]),
        "lat": str(f.PAP[1]),
        "answers": '{"size": "large"}',
    }
    data.update(extra)
    data["photos"] = list(files)
    return api.post(URL, data, format="multipart")


def test_a_jpeg_with_exif_gps_is_stored_without_any_metadata(api, cat):
    response = post_with_photos(api, f.upload(f.jpeg_with_gps()), **f.CONTACT)
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get()
    for stored in (photo.image, photo.thumbnail):
        data = stored.open("rb").read()
        image = Image.open(BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info
        assert b"SecretCam" not in data and b"Exif" not in data
    served = api.get(response.json()["photos"][0]["url"])
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert b"Exif" not in body and body.startswith(b"\xff\xd8")
    thumb = api.get(response.json()["photos"][0]["thumbnail_url"])
    assert Image.open(BytesIO(b"".join(thumb.streaming_content))).size == (64, 48)


def test_png_and_webp_are_accepted_and_become_jpeg(api, cat):
    webp = BytesIO()
    Image.new("RGB", (30, 20), "blue").save(webp, "WEBP")
    response = post_with_photos(
        api,
        f.upload(f.png_bytes(), "a.png", "image/png"),
        f.upload(webp.getvalue(), "b.webp", "image/webp"),
    )
    assert response.status_code == 201, response.content
    assert ReportPhoto.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?php echo 'hi'; ?>", "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\x00" * 100, "not a JPEG, PNG or WebP"),
        (f.jpeg_with_gps()[:300], "broken image"),
        (b"", "photos"),  # DRF refuses an empty file before our checks
    ],
)
def test_bad_files_are_refused_whatever_their_name_and_nothing_is_written(api, cat, data, message):
    response = post_with_photos(api, f.upload(data, "holiday.jpg"))
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_size_pixel_and_count_limits(api, cat, settings):
    settings.KOMIN_PHOTO_MAX_BYTES = 500
    assert (
        "limit is 500 bytes"
        in post_with_photos(api, f.upload(f.jpeg_with_gps((300, 300)))).json()["detail"]
    )
    settings.KOMIN_PHOTO_MAX_BYTES = 10**6
    settings.KOMIN_PHOTO_MAX_PIXELS = 100
    assert (
        "pixels" in post_with_photos(api, f.upload(f.png_bytes((20, 20)), "a.png")).json()["detail"]
    )
    settings.KOMIN_PHOTO_MAX_PIXELS = 10**7
    settings.KOMIN_REPORT_MAX_PHOTOS = 1
    two = post_with_photos(api, f.upload(f.png_bytes(), "a.png"), f.upload(f.png_bytes(), "b.png"))
    assert two.status_code == 400 and "At most 1 photos" in two.json()["detail"]


def test_an_oversized_request_is_413(api, cat, settings):
    settings.KOMIN_REPORT_MAX_REQUEST_BYTES = 1000
    response = post_with_photos(api, f.upload(f.jpeg_with_gps((200, 200))))
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_a_hidden_photo_is_gone_for_the_public_but_not_for_supervisors(api, cat, people):
    reference = post_with_photos(api, f.upload(f.jpeg_with_gps())).json()["reference"]
    photo = ReportPhoto.objects.get()
    supervisor = Token.objects.create(user=people["supervisor"]).key
    api.credentials(HTTP_AUTHORIZATION=f"Token {supervisor}")
    moderated = api.post(
        f"{URL}{reference}/moderate/",
        {"hidden": True, "reason": "visage", "photo": photo.pk},
        format="json",
    )
    assert moderated.status_code == 200
    assert api.get(f"{URL}photos/{photo.pk}/").status_code == 200
    api.credentials()
    assert api.get(f"{URL}photos/{photo.pk}/").status_code == 404
    assert api.get(f"{URL}{reference}/").json()["photos"] == []


def test_no_contact_detail_token_or_exif_in_any_public_response(api, cat, people):
    created = post_with_photos(api, f.upload(f.jpeg_with_gps()), **f.CONTACT)
    body = created.json()
    reference, token = body["reference"], body["token"]
    for secret in SECRETS:
        assert secret not in created.content
    report = Report.objects.get(reference=reference)
    public = [
        api.get(URL),
        api.get(f"{URL}{reference}/"),
        api.get(f"{URL}{reference}/history/"),
        api.get(f"{URL}nearby/", {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1]}),
        api.get(f"/open311/v2/requests/{reference}.json", {"extensions": "true"}),
        api.get(f"/open311/v2/requests/{reference}.xml", {"extensions": "true"}),
        api.get("/open311/v2/requests.json"),
        api.get("/open311/v2/servicerequestupdates.xml"),
        api.get(f"{URL}geojson/"),
    ]
    for response in public:
        assert response.status_code == 200
        for secret in [*SECRETS, token.encode()]:
            assert secret not in response.content, (response.wsgi_request.path, secret)
    tile = reports_tile(16, *_tile_of(report.location.x, report.location.y, 16))
    for secret in [*SECRETS, token.encode()]:
        assert secret not in tile
    # Staff of the team do see the contact.
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['crew']).key}")
    assert api.get(f"{URL}{reference}/").json()["staff"]["contact"]["email"] == f.CONTACT["email"]
    # Planners work on the figures, not on people.
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['planner']).key}")
    assert f.CONTACT["email"].encode() not in api.get(f"{URL}{reference}/").content


def _tile_of(lon, lat, z):
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_reports_tile_has_public_attributes_and_leaves_hidden_reports_out(cat, make_report):
    shown = make_report()
    hidden = make_report(where=(f.PAP[0] + 0.0005, f.PAP[1]))
    Report.objects.filter(pk=hidden.pk).update(hidden=True)
    x, y = _tile_of(*f.PAP, 14)
    decoded = mapbox_vector_tile.decode(reports_tile(14, x, y))
    features = decoded["reports"]["features"]
    assert [feat["properties"]["reference"] for feat in features] == [shown.reference]
    props = features[0]["properties"]
    assert set(props) == {
        "reference",
        "status",
        "status_group",
        "category",
        "created_at",
        "support_count",
    }
    assert (props["status"], props["status_group"], props["category"]) == (
        "submitted",
        "open",
        "pothole",
    )
    assert reports_tile(14, 0, 0) == b""
    with pytest.raises(ValueError):
        reports_tile(3, 9, 0)


def test_a_failed_submission_leaves_no_photo_file_behind(api, cat, settings, monkeypatch):
    from reports.services import notify

    def broken(update):
        raise RuntimeError("simulated failure after the photos were written")

    monkeypatch.setattr(notify, "schedule", broken)
    with pytest.raises(RuntimeError):
        post_with_photos(api, f.upload(f.jpeg_with_gps()))
    assert not Report.objects.exists()
    media = settings.MEDIA_ROOT / "reports" / "photos"
    assert not media.exists() or list(media.iterdir()) == []


def test_reports_are_served_by_the_shared_tile_endpoint_with_a_changing_etag(
    client, cat, make_report
):
    report = make_report()
    x, y = _tile_of(*f.PAP, 14)
    url = f"/tiles/reports/14/{x}/{y}.pbf"
    first = client.get(url)
    assert first.status_code == 200
    features = mapbox_vector_tile.decode(first.content)["reports"]["features"]
    assert [feat["properties"]["reference"] for feat in features] == [report.reference]
    assert f.CONTACT["email"].encode() not in first.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Report.objects.filter(pk=report.pk).update(hidden=True, updated_at=timezone.now())
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 204  # the only report is hidden now: an empty tile
    tilejson = client.get("/tiles/reports.json").json()
    assert tilejson["minzoom"] == 10
    assert tilejson["tiles"][0].split("?")[0].endswith("/tiles/reports/{z}/{x}/{y}.pbf")
