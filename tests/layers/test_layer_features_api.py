"""The layers API: GeoJSON pages built in PostGIS, filters, staff edits."""

import pytest
from django.contrib.gis.geos import Point, Polygon

from communes.models import Membership
from layers.models import Feature, Layer
from layers.services.features import feature_create

pytestmark = pytest.mark.django_db

SCHOOLS = "/api/v1/layers/schools/features/"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("ingenieur", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="gis_editor")
    return user


@pytest.fixture
def pumps(haiti):
    layer = Layer.objects.create(
        slug="pumps",
        title="Pumps",
        schema=[{"name": "name", "type": "string"}, {"name": "depth", "type": "number"}],
    )
    feature_create(layer=layer, geom=Point(-72.34, 18.54, srid=4326), attributes={"name": "A"})
    return Layer.objects.get(pk=layer.pk)


def test_layer_list_shows_public_layers_with_links(haiti, api):
    body = api.get("/api/v1/layers/").json()
    slugs = {layer["slug"]: layer for layer in body["layers"]}
    assert {"schools", "water-points"} <= set(slugs)
    assert slugs["schools"]["attribution"] == "© OpenStreetMap contributors"
    assert slugs["schools"]["links"]["tiles"].endswith("/tiles/schools/{z}/{x}/{y}.pbf")


def test_features_page_is_geojson_with_next_link_and_cap(haiti, api):
    response = api.get(SCHOOLS, {"limit": 100}, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = __import__("json").loads(b"".join(response.streaming_content))
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == 100 and len(body["features"]) == 100
    assert body["numberMatched"] == 263  # a small layer: counted on every page
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert "offset=100" in rels["next"]
    assert api.get(SCHOOLS, {"limit": 10001}).status_code == 400


def streamed(response) -> dict:
    return __import__("json").loads(b"".join(response.streaming_content))


def test_last_page_has_number_matched_and_no_next(haiti, api):
    body = streamed(api.get(SCHOOLS, {"limit": 100, "offset": 200}))
    assert body["numberReturned"] == 63 and body["numberMatched"] == 263
    assert "next" not in {link["rel"] for link in body["links"]}


def test_bbox_and_attribute_filters(haiti, api):
    box = (-72.35, 18.52, -72.33, 18.54)
    expected = Feature.objects.filter(
        layer__slug="schools", geom__intersects=Polygon.from_bbox(box)
    ).count()
    body = streamed(api.get(SCHOOLS, {"bbox": ",".join(map(str, box)), "limit": 1000}))
    assert 0 < len(body["features"]) == expected
    colleges = streamed(api.get(SCHOOLS, {"amenity": "college", "limit": 1000}))
    assert colleges["features"]
    assert {f["properties"]["amenity"] for f in colleges["features"]} == {"college"}


def test_unknown_parameter_and_bad_bbox_are_400_naming_them(haiti, api):
    assert "colour" in api.get(SCHOOLS, {"colour": "red"}).json()["detail"]
    assert "bbox" in api.get(SCHOOLS, {"bbox": "1,2,3"}).json()["detail"]
    assert api.get("/api/v1/layers/nope/features/").status_code == 404


def test_staff_creates_a_feature_with_area_and_version_bump(pumps, api, staff):
    api.force_authenticate(staff)
    body = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [-72.2014, 19.7592]},
        "properties": {"name": "Kiosk", "depth": "12.5", "condition": "working"},
    }
    response = api.post("/api/v1/layers/pumps/features/", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["properties"]["area"].startswith("HT0311")
    assert created["properties"]["depth"] == 12.5
    assert created["properties"]["condition"] == "working"
    assert Layer.objects.get(slug="pumps").version == pumps.version + 1


@pytest.mark.parametrize(
    ("geometry", "properties", "message"),
    [
        ({"type": "Point", "coordinates": [200, 18]}, {}, "out of range"),
        ({"type": "Point", "coordinates": "x"}, {}, "geometry"),
        (
            {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
            {},
            "cannot go into a layer of Point",
        ),
        ({"type": "Point", "coordinates": [-72.3, 18.5]}, {"colour": "red"}, "unknown attribute"),
        ({"type": "Point", "coordinates": [-72.3, 18.5]}, {"depth": "deep"}, "not a valid number"),
    ],
)
def test_bad_features_are_400_naming_the_problem(pumps, api, staff, geometry, properties, message):
    api.force_authenticate(staff)
    body = {"type": "Feature", "geometry": geometry, "properties": properties}
    response = api.post("/api/v1/layers/pumps/features/", body, format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Layer.objects.get(slug="pumps").version == pumps.version


def test_anonymous_cannot_write(pumps, api):
    feature = pumps.features.first()
    body = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-72.3, 18.5]}}
    assert api.post("/api/v1/layers/pumps/features/", body, format="json").status_code in (401, 403)
    url = f"/api/v1/layers/pumps/features/{feature.pk}/"
    assert api.delete(url).status_code in (401, 403)


def test_staff_patches_and_deletes(pumps, api, staff):
    api.force_authenticate(staff)
    feature = pumps.features.first()
    url = f"/api/v1/layers/pumps/features/{feature.pk}/"
    patch = {"type": "Feature", "properties": {"depth": 4}}
    response = api.patch(url, patch, format="json")
    assert response.status_code == 200
    assert response.json()["properties"] == {
        **response.json()["properties"],
        "name": "A",
        "depth": 4,
    }
    assert api.delete(url).status_code == 204
    assert not Feature.objects.filter(pk=feature.pk).exists()
    assert Layer.objects.get(slug="pumps").version == pumps.version + 2
    assert api.get(url).status_code == 404
