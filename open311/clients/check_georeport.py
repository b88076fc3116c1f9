"""The `georeport` 0.3.1 client (Python 3) against a live Komin: lists services, reads a
definition, lists requests and reads back the ones posted by the other client."""

import sys

from georeport import GeoReport

endpoint, ids_file = sys.argv[1], sys.argv[2]
posted = [line.strip() for line in open(ids_file) if line.strip()]
for fmt in ("json", "xml"):
    client = GeoReport(endpoint, jurisdiction="komin.ht", output_format=fmt)
    services = client.get_service_list()
    assert "pothole" in [s["service_code"] for s in services], services
    definition = client.get_service_definition("pothole")
    assert definition["service_code"] == "pothole", definition
    listed = client.get_service_requests(service_request_id=",".join(posted))
    listed = listed if isinstance(listed, list) else [listed]
    assert {r["service_request_id"] for r in listed} == set(posted), listed
    one = client.get_service_request(posted[0])
    assert one["service_request_id"] == posted[0] and one["status"] == "open", one
    print(f"georeport {fmt}: {len(services)} services, read back {', '.join(posted)}")
