"""Decoding a photo is bounded before any pixel is decoded: per photo, per request and per
byte of file (decompression bombs); JPEGs are decoded at the reduced scale we keep."""

import pytest
from PIL import ImageFile
from rest_framework.authtoken.models import Token

from open311.keys import api_key_create
from reports.models import Report, ReportPhoto
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"
BOMB = f.png_bomb(6320)  # 155 kB, 160 MB once decoded (the reviewer's file)


class DecodedSizes(list):
    forbid = None


@pytest.fixture
def decoded(monkeypatch):
    """Records the size of every image decoded; `forbid()` makes any decoding fail."""
    sizes = DecodedSizes()
    original = ImageFile.ImageFile.load
    state = {"forbidden": False}

    def load(self):
        if state["forbidden"] and self.tile:
            raise AssertionError(f"decoded a {self.size} image before checking its budget")
        if self.tile:
            sizes.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    sizes.forbid = lambda: state.update(forbidden=True)
    return sizes


def post_report(api, *photos):
    data = {
        "category": "pothole",
        "lon": str(f.PAP[0]),
        "lat": str(f.PAP[1]),
        "answers": '{"size": "large"}',
        "photos": list(photos),
    }
    return api.post(URL, data, format="multipart")


def test_the_bomb_png_is_refused_from_its_header(api, cat, decoded):
    assert len(BOMB) < 200_000
    decoded.forbid()
    response = post_report(api, f.upload(BOMB, "bomb.png", "image/png"))
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert "152 MB to decode" in detail and "limit is 48 MB a photo" in detail
    assert not Report.objects.exists()


def test_photos_each_within_budget_are_refused_together_over_the_request_budget(
    api, cat, settings, decoded
):
    settings.KOMIN_PHOTO_FREE_DECODE_BYTES = 64 * 1024 * 1024  # test the request budget alone
    one = f.png_bomb(3000)  # 36 MB decoded each: five make 180 MB
    decoded.forbid()
    response = post_report(api, *[f.upload(one, f"p{i}.png", "image/png") for i in range(5)])
    assert response.status_code == 400
    assert "limit for one request is 96 MB" in response.json()["detail"]


def test_a_small_file_that_expands_too_much_is_a_decompression_bomb(api, cat, decoded):
    decoded.forbid()
    response = post_report(api, f.upload(f.png_bomb(2500), "flat.png", "image/png"))
    assert response.status_code == 400
    assert "decompression bomb" in response.json()["detail"]


def test_an_ordinary_png_within_the_budgets_is_accepted(api, cat, decoded):
    response = post_report(api, f.upload(f.png_bytes((1200, 900)), "ok.png", "image/png"))
    assert response.status_code == 201, response.content
    assert decoded == [(1200, 900)]
    assert ReportPhoto.objects.get().width == 1200


@pytest.mark.parametrize("progressive", [False, True])
def test_a_jpeg_is_decoded_at_the_reduced_scale_it_is_kept_at(
    api, cat, settings, decoded, progressive
):
    settings.KOMIN_PHOTO_MAX_SIDE = 256
    response = post_report(api, f.upload(f.jpeg_bytes((2048, 1536), progressive)))
    assert response.status_code == 201, response.content
    assert decoded == [(256, 192)]  # libjpeg at 1/8 scale, not 2048 x 1536
    photo = ReportPhoto.objects.get()
    assert (photo.width, photo.height) == (256, 192)


def test_a_progressive_jpeg_counts_its_full_size_coefficients(api, cat, settings, decoded):
    settings.KOMIN_PHOTO_MAX_SIDE = 256
    settings.KOMIN_PHOTO_MAX_DECODE_BYTES = 4 * 1024 * 1024
    baseline = post_report(api, f.upload(f.jpeg_bytes((2048, 1536))))
    assert baseline.status_code == 201
    decoded.forbid()
    progressive = post_report(api, f.upload(f.jpeg_bytes((2048, 1536), progressive=True)))
    assert progressive.status_code == 400
    assert "to decode" in progressive.json()["detail"]


def test_open311_media_goes_through_the_same_budget(api, cat, decoded):
    key = api_key_create(name="test app")[1]
    decoded.forbid()
    response = api.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "pothole",
            "lat": f.PAP[1],
            "long": f.PAP[0],
            "attribute[size]": "large",
            "media": f.upload(BOMB, "bomb.png", "image/png"),
        },
    )
    assert response.status_code == 400
    assert "to decode" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_a_transition_photo_goes_through_the_same_budget(api, make_report, people, decoded):
    report = make_report()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['crew']).key}")
    decoded.forbid()
    response = api.post(
        f"{URL}{report.reference}/transition/",
        {"status": "acknowledged", "version": report.version, "photo": f.upload(BOMB, "b.png")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "to decode" in response.json()["detail"]
    report.refresh_from_db()
    assert report.status == "submitted"
