import pytest

# A few streets of Bel Air (Port-au-Prince), a building, a landmark, a pond and the
# neighbourhood itself, as OpenStreetMap XML.
OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="komin-tests">
  <node id="1" lat="18.5480" lon="-72.3400" version="1"/>
  <node id="2" lat="18.5480" lon="-72.3380" version="1"/>
  <node id="3" lat="18.5470" lon="-72.3380" version="1"/>
  <node id="4" lat="18.5490" lon="-72.3380" version="1"/>
  <node id="5" lat="18.5475" lon="-72.3395" version="1"/>
  <node id="6" lat="18.5475" lon="-72.3392" version="1"/>
  <node id="7" lat="18.5473" lon="-72.3392" version="1"/>
  <node id="8" lat="18.5473" lon="-72.3395" version="1"/>
  <node id="9" lat="18.5485" lon="-72.3390" version="1">
    <tag k="amenity" v="place_of_worship"/>
    <tag k="name" v="Église Notre-Dame de Bel Air"/>
  </node>
  <node id="10" lat="18.5482" lon="-72.3392" version="1">
    <tag k="place" v="neighbourhood"/>
    <tag k="name" v="Bel Air"/>
  </node>
  <node id="11" lat="18.5460" lon="-72.3410" version="1"/>
  <node id="12" lat="18.5460" lon="-72.3405" version="1"/>
  <node id="13" lat="18.5456" lon="-72.3405" version="1"/>
  <node id="14" lat="18.5600" lon="-72.3400" version="1"/>
  <way id="100" version="1">
    <nd ref="1"/><nd ref="2"/>
    <tag k="highway" v="residential"/>
    <tag k="name" v="Rue Tiremasse"/>
  </way>
  <way id="101" version="1">
    <nd ref="3"/><nd ref="2"/><nd ref="4"/>
    <tag k="highway" v="primary"/>
    <tag k="name" v="Boulevard Jean-Jacques Dessalines"/>
  </way>
  <way id="102" version="1">
    <nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/>
    <tag k="building" v="yes"/>
  </way>
  <way id="103" version="1">
    <nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="11"/>
    <tag k="natural" v="water"/>
  </way>
  <way id="104" version="1">
    <nd ref="1"/><nd ref="14"/>
    <tag k="highway" v="path"/>
  </way>
</osm>
"""


@pytest.fixture
def osm_file(tmp_path):
    path = tmp_path / "bel-air.osm"
    path.write_text(OSM, encoding="utf-8")
    return path
