import pytest

pytestmark = pytest.mark.django_db

LOOKUP = "/api/v1/areas/lookup/"


def codes(response):
    return {area["level"]: area["pcode"] for area in response.json()["areas"]}


def test_port_au_prince_centre_is_in_commune_ht0111_of_ouest(haiti, api):
    response = api.get(LOOKUP, {"lat": 18.5392, "lon": -72.3364})
    assert response.status_code == 200
    found = codes(response)
    assert found["commune"] == "HT0111"
    assert found["departement"] == "HT01"
    assert found["arrondissement"] == "HT011"
    assert found["section"].startswith("HT0111")


def test_cap_haitien_is_in_departement_nord(haiti, api):
    found = codes(api.get(LOOKUP, {"lat": 19.7592, "lon": -72.2014}))
    assert found["departement"] == "HT03"
    assert found["commune"] == "HT0311"


@pytest.mark.parametrize(
    ("lat", "lon", "commune"),
    [
        # Either side of the Port-au-Prince / Delmas border, 300 m apart.
        (18.5470, -72.3290, "HT0111"),
        (18.5470, -72.3000, "HT0112"),
    ],
)
def test_points_near_a_shared_border_fall_on_the_right_side(haiti, api, lat, lon, commune):
    assert codes(api.get(LOOKUP, {"lat": lat, "lon": lon}))["commune"] == commune


def test_point_in_the_sea_is_404_with_a_message(haiti, api):
    response = api.get(LOOKUP, {"lat": 17.0, "lon": -73.0})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "outside every area" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"lon": -72.3}, "lat"),
        ({"lat": 18.5}, "lon"),
        ({"lat": "abc", "lon": -72.3}, "lat"),
        ({"lat": 91, "lon": -72.3}, "lat"),
        ({"lat": 18.5, "lon": -181}, "lon"),
        ({"lat": "nan", "lon": -72.3}, "lat"),
    ],
)
def test_bad_coordinates_are_400_naming_the_parameter(haiti, api, params, name):
    response = api.get(LOOKUP, params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert name in body["fields"]
