"""Two simultaneous retries with one Idempotency-Key, each in its own thread and database
connection (as two gunicorn threads): the second waits for the first and replays its
answer; the write happens once."""

import threading
import uuid

from django.db import connection, connections
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from geoportal.idempotency import idempotent
from geoportal.models import IdempotentRequest, RateCounter
from tests.geoportal.conftest import committed

ENTERED, RELEASE = threading.Event(), threading.Event()


class CountingView(APIView):
    """Writes one row per run; the first run waits inside its transaction until released."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @idempotent
    def post(self, request):
        counter, _ = RateCounter.objects.get_or_create(
            key=request.data["counter"], defaults={"count": 0, "expires_at": "2100-01-01T00:00Z"}
        )
        RateCounter.objects.filter(pk=counter.pk).update(count=counter.count + 1)
        if not ENTERED.is_set():
            ENTERED.set()
            assert RELEASE.wait(30)
        return Response({"run": counter.count + 1}, status=201)


def waiting_on_a_lock(backend_pids: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s) AND wait_event_type = 'Lock'",
            [backend_pids],
        )
        return cursor.fetchone()[0] > 0


def test_two_simultaneous_retries_make_one_row_and_one_write(db):
    counter, key = f"idempotency-test:{uuid.uuid4()}", str(uuid.uuid4())
    answers, pids = {}, []

    def client(name):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.append(cursor.fetchone()[0])
            request = APIRequestFactory().post(
                "/idem/", {"counter": counter}, format="json", HTTP_IDEMPOTENCY_KEY=key
            )
            response = CountingView.as_view()(request)
            response.render()
            answers[name] = (
                response.status_code,
                response.content,
                response.has_header("Idempotent-Replayed"),
            )
        finally:
            connections.close_all()

    first = threading.Thread(target=client, args=("first",))
    first.start()
    assert ENTERED.wait(30)
    second = threading.Thread(target=client, args=("second",))
    second.start()
    try:
        # The second blocks on the key's unique index until the first commits.
        for _ in range(3000):
            if len(pids) == 2 and waiting_on_a_lock(pids):
                break
            second.join(0.01)
        else:
            raise AssertionError("the second request never waited for the first")
        RELEASE.set()
        first.join(30)
        second.join(30)
        assert answers["first"] == (201, b'{"run":1}', False)
        assert answers["second"] == (201, b'{"run":1}', True)

        def rows():
            found["rows"] = IdempotentRequest.objects.filter(key=key).count()
            found["count"] = RateCounter.objects.get(key=counter).count

        found = {}
        committed(rows)
        assert found == {"rows": 1, "count": 1}
    finally:
        RELEASE.set()
        committed(lambda: IdempotentRequest.objects.filter(key=key).delete())
        committed(lambda: RateCounter.objects.filter(key=counter).delete())
