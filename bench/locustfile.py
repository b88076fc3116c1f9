"""Mixed traffic for bench/load.py (Locust, in its own virtualenv; no Django here).

Citizens browse tiles and public GeoJSON and file reports, some with a photo; crews list
their tickets and comment on one (with its version, as the crew page does: a comment on a
ticket changed since it was read is answered 409, counted on a row of its own); planners run
analyses. Tokens for the staff come from bench/load.py (KOMIN_BENCH_CREW_TOKEN,
KOMIN_BENCH_PLANNER_TOKEN). Requests are named by route so figures group per route."""

import math
import os
import random

from locust import HttpUser, between, task

PAP = (-72.3388, 18.5392)
# A small JPEG made by bench/load.py: the upload path (decode, re-encode, strip metadata).
with open(os.environ["KOMIN_BENCH_PHOTO"], "rb") as _file:
    PHOTO = _file.read()


def tile(z: int, lon: float, lat: float) -> str:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return f"{z}/{x}/{y}"


def note_answered(reference: str) -> None:
    """The reference of an accepted report, for bench/load.py to match against the rows."""
    with open(os.environ["KOMIN_BENCH_ANSWERED"], "a") as answered:
        answered.write(reference + "\n")


class Citizen(HttpUser):
    weight = 8
    wait_time = between(0.5, 2)

    @task(10)
    def browse_tiles(self):
        lon = PAP[0] + random.uniform(-0.05, 0.05)
        lat = PAP[1] + random.uniform(-0.05, 0.05)
        for source in ("areas-section", "schools", "reports"):
            self.client.get(f"/tiles/{source}/{tile(14, lon, lat)}.pbf", name=f"tile {source}")

    @task(3)
    def map_reports(self):
        self.client.get(
            "/api/v1/reports/geojson/?bbox=-72.36,18.52,-72.30,18.56", name="reports geojson"
        )

    @task(2)
    def file_report(self):
        body = {
            "category": os.environ.get("KOMIN_BENCH_CATEGORY", "pothole"),
            # East of the bay: on land, inside the service territory.
            "lon": random.uniform(-72.335, -72.30),
            "lat": random.uniform(18.52, 18.55),
            "description": "load bench",
        }
        answers = os.environ.get("KOMIN_BENCH_ANSWERS")
        if random.random() < 0.3:
            data = {**body, "lon": str(body["lon"]), "lat": str(body["lat"])}
            if answers:
                data["answers"] = answers
            answer = self.client.post(
                "/api/v1/reports/",
                data=data,
                files={"photos": ("p.jpg", PHOTO, "image/jpeg")},
                name="report with photo",
            )
        else:
            import json

            if answers:
                body["answers"] = json.loads(answers)
            answer = self.client.post("/api/v1/reports/", json=body, name="report")
        if answer.ok:
            note_answered(answer.json()["reference"])


class Crew(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['KOMIN_BENCH_CREW_TOKEN']}"

    @task
    def move_a_ticket(self):
        listed = self.client.get("/api/v1/reports/?work=true&page_size=20", name="crew tickets")
        results = listed.json().get("results", []) if listed.ok else []
        if not results:
            return
        ref = random.choice(results)["reference"]
        one = self.client.get(f"/api/v1/reports/{ref}/", name="crew ticket")
        if not one.ok:
            return
        with self.client.post(
            f"/api/v1/reports/{ref}/transition/",
            json={"version": one.json()["version"], "internal_note": "on our way"},
            name="crew comment",
            catch_response=True,
        ) as answer:
            if answer.status_code == 409:
                # The simulated crews share one account and 20 tickets: two of them often
                # write the same ticket within a second, and the later one is told the
                # ticket changed since it read it (the crew page shows that conflict to
                # resolve). That answer is the service working; it gets a row of its own.
                answer.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name="crew comment: 409 conflict",
                    response_time=answer.elapsed.total_seconds() * 1000,
                    response_length=len(answer.content or b""),
                    exception=None,
                    context={},
                )


class Planner(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['KOMIN_BENCH_PLANNER_TOKEN']}"

    @task
    def analyse(self):
        level = random.choice(["commune", "section"])
        self.client.get(f"/api/v1/analytics/rates/?level={level}", name=f"rates {level}")
