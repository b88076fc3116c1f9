from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import Point

from communes.selectors import default_jurisdiction
from layers.models import AdminArea
from reports.models import Category, Report

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def reports(haiti):
    pothole = Category.objects.create(code="t-pothole", name_fr="Nid-de-poule", name_ht="Twou")
    light = Category.objects.create(code="t-light", name_fr="Lampadaire", name_en="Light")
    commune = AdminArea.objects.get(pcode="HT0111")
    made = []

    def report(n, category, status, hours_to_fix=None, hidden=False, days=0):
        created = T0 + timedelta(days=days)
        resolved = created + timedelta(hours=hours_to_fix) if hours_to_fix is not None else None
        made.append(Report.objects.create(
            reference=f"26-T{n:05d}", token=f"t{n}", category=category, status=status,
            location=Point(-72.33, 18.54, srid=4326), commune=commune, hidden=hidden,
            created_at=created, resolved_at=resolved, jurisdiction=default_jurisdiction(),
        ))  # fmt: skip

    report(1, pothole, "resolved", hours_to_fix=10)
    report(2, pothole, "closed", hours_to_fix=30, days=8)
    report(3, pothole, "closed", hours_to_fix=50, days=8)
    report(4, pothole, "submitted", days=9)
    report(5, pothole, "in_progress", hidden=True)  # moderated: not in public figures
    report(6, light, "duplicate")  # merged: not counted
    report(7, light, "acknowledged", days=1)
    return made


def test_figures_per_category_count_open_and_fixed_and_the_median_time(client, reports):
    body = client.get("/stats/", {"lang": "ht", "area": "HT0111"}).json()
    rows = {row["code"]: row for row in body["by_category"] if row["code"].startswith("t-")}
    assert rows["t-pothole"] == {
        "code": "t-pothole", "name": "Twou", "reports": 4, "open": 1, "fixed": 3,
        "median_hours_to_fix": 30.0,
    }  # fmt: skip
    assert rows["t-light"]["name"] == "Lampadaire"  # no Kreyòl name: French
    assert (rows["t-light"]["reports"], rows["t-light"]["median_hours_to_fix"]) == (1, None)


def test_figures_over_time_by_week(client, reports):
    body = client.get(
        "/stats/", {"period": "week", "category": "t-pothole", "from": "2026-03-01"}
    ).json()
    assert body["over_time"] == [
        {"period": "2026-03-02", "reports": 1, "fixed": 1},
        {"period": "2026-03-09", "reports": 3, "fixed": 2},
    ]


def test_figures_refuse_bad_filters_with_a_message(client, reports):
    cases = {
        "period": ("day", "period"),
        "from": ("yesterday", "from: 'yesterday' is not a date"),
        "area": ("HT9999", "no area with P-code"),
        "category": ("nope", "no category"),
    }
    for name, (value, message) in cases.items():
        response = client.get("/stats/", {name: value})
        assert response.status_code == 400, name
        assert message in response.json()["detail"], name
