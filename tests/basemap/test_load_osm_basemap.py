import io

import mapbox_vector_tile
import pytest
from django.core.management import CommandError, call_command

from basemap.models import BasemapFeature

pytestmark = pytest.mark.django_db


def test_an_osm_extract_loads_roads_buildings_landmarks_water_and_places(osm_file):
    out = io.StringIO()
    call_command("load_osm_basemap", str(osm_file), stdout=out)
    rows = {(f.kind, f.category, f.name) for f in BasemapFeature.objects.all()}
    assert rows == {
        ("road", "residential", "Rue Tiremasse"),
        ("road", "primary", "Boulevard Jean-Jacques Dessalines"),
        ("road", "path", ""),
        ("building", "yes", ""),
        ("landmark", "place_of_worship", "Église Notre-Dame de Bel Air"),
        ("place", "neighbourhood", "Bel Air"),
        ("water", "water", ""),
    }
    assert "Loaded 7 basemap features from bel-air.osm" in out.getvalue()
    church = BasemapFeature.objects.get(kind="landmark")
    assert church.search_text == "eglise notre dame de bel air"
    assert church.geom.geom_type == "Point"
    assert BasemapFeature.objects.get(kind="building").geom.geom_type in ("Polygon", "MultiPolygon")
    # Loading again replaces, never adds.
    call_command("load_osm_basemap", str(osm_file), stdout=io.StringIO())
    assert BasemapFeature.objects.count() == 7


def test_a_broken_or_wrong_file_is_refused_and_the_basemap_is_kept(osm_file, tmp_path):
    call_command("load_osm_basemap", str(osm_file), stdout=io.StringIO())
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id='1' lat=")
    with pytest.raises(CommandError, match="broken.osm"):
        call_command("load_osm_basemap", str(broken), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"\.osm or \.osm\.pbf"):
        call_command("load_osm_basemap", str(tmp_path / "roads.geojson"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_osm_basemap", str(tmp_path / "missing.osm.pbf"))
    assert BasemapFeature.objects.count() == 7


def decode(content: bytes) -> list[dict]:
    return mapbox_vector_tile.decode(content)["basemap"]["features"]


def test_the_basemap_is_served_as_vector_tiles_with_more_detail_closer_in(client, osm_file):
    call_command("load_osm_basemap", str(osm_file), stdout=io.StringIO())
    # z16 and z11 tiles holding Bel Air (-72.339, 18.548).
    close = client.get("/tiles/basemap/16/19599/29330.pbf")
    assert close.status_code == 200
    kinds = {
        (f["properties"]["kind"], f["properties"].get("name", "")) for f in decode(close.content)
    }
    assert ("road", "Rue Tiremasse") in kinds
    assert ("building", "") in kinds and ("landmark", "Église Notre-Dame de Bel Air") in kinds
    far = client.get("/tiles/basemap/11/612/916.pbf")
    assert far.status_code == 200
    far_kinds = {(f["properties"]["kind"], f["properties"]["class"]) for f in decode(far.content)}
    assert ("road", "primary") in far_kinds
    assert not {k for k, _ in far_kinds} & {"building", "landmark"}
    assert ("road", "residential") not in far_kinds
    tilejson = client.get("/tiles/basemap.json").json()
    assert "OpenStreetMap" in tilejson["attribution"]
