# ruff: noqa: UP031, UP032 -- Python 2: run by the 2011 client library
"""codeforamerica's `open311` 1.1 client (Python 2) against a live Komin. Prints the
service request id it posted and read back; fails on any mismatch. Kept Python 2 valid."""

import sys

from open311 import Open311

endpoint, key, ids_file = sys.argv[1], sys.argv[2], sys.argv[3]
for fmt in ("xml", "json"):
    client = Open311(endpoint=endpoint, api_key=key, format=fmt, jurisdiction="komin.ht")
    if fmt == "xml":
        services = client.service_list()
    else:
        services = client.call_api("services.json", jurisdiction_id="komin.ht")
    codes = [s["service_code"] for s in services]
    assert "pothole" in codes, codes
    definition = client.service_definition("pothole")
    fields = {
        "service_code": "pothole",
        "lat": "18.5392",
        "long": "-72.3364",
        "description": "Open311 1.1 client ({})".format(fmt),
        "first_name": "Jean",
        "last_name": "Client",
        "email": "jean.client@example.org",
        "attribute[size]": "large",
    }
    posted = client.post_service_request(**fields)
    created = posted["service_requests"]["request"] if fmt == "xml" else posted[0]
    request_id, token = created["service_request_id"], created["token"]
    back = client.get_service_request(request_id)
    back = back["service_requests"]["request"] if fmt == "xml" else back[0]
    assert back["service_request_id"] == request_id and back["service_code"] == "pothole", back
    assert "jean.client" not in str(back), "contact details leaked"
    if fmt == "xml":  # the library's list and token helpers assume the XML shape
        assert client.request_id_from_token(token)["service_request_id"] == request_id
        listed = client.service_requests(service_request_id=request_id)
        assert listed["service_request_id"] == request_id, listed
    print(
        "open311-1.1 {}: {} services, definition ok, posted and read back {}".format(
            fmt, len(codes), request_id
        )
    )
    sys.stdout.flush()
    with open(ids_file, "a") as out:
        out.write(request_id + "\n")
