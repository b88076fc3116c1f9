"""OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over the public layers and
the boundary levels, so that QGIS and GDAL's OAPIF driver can read them directly."""
