"""The default Open311 list (1,000 requests) with and without the boundaries of each
report's three areas loaded, on the demo database (`make demo` first). Prints medians.

The 1,000 reports are copies of the demo reports made inside a transaction that is rolled
back: nothing is left behind. Usage: .venv/bin/python bench/open311_list.py [rounds]"""

import os
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from reports.models import Report  # noqa: E402
from reports.selectors import reports as selectors  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def copies(n: int) -> None:
    demo = list(Report.objects.filter(hidden=False)[:50])
    if not demo:
        sys.exit("No demo reports: run `make demo` first.")
    Report.objects.bulk_create(
        Report(**{
            **{f.attname: getattr(demo[i % len(demo)], f.attname) for f in Report._meta.concrete_fields
               if f.attname != "id"},
            "reference": f"BN-{i:06d}", "token": f"bench-{i}",
        })
        for i in range(n)
    )  # fmt: skip


def median_ms(client: Client) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get("/open311/v2/requests.json", {"start_date": "2000-01-01"})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and len(response.json()) == 1000
    return statistics.median(times)


def main() -> None:
    client = Client(HTTP_ACCEPT_ENCODING="identity", HTTP_HOST="localhost")
    with transaction.atomic():
        copies(1000)
        deferred = median_ms(client)
        kept = selectors.AREA_GEOMETRIES
        selectors.AREA_GEOMETRIES = []  # what the list loaded before
        try:
            full = median_ms(client)
        finally:
            selectors.AREA_GEOMETRIES = kept
        transaction.set_rollback(True)
    print(f"Open311 list of 1,000 requests, median of {ROUNDS} (ms)")
    print(f"  area boundaries loaded   {full:8.0f}")
    print(f"  area boundaries deferred {deferred:8.0f}   ({full / deferred:.1f}x faster)")


if __name__ == "__main__":
    main()
