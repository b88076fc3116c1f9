"""Schemathesis over every operation of our OpenAPI schema, as every role: no 5xx, no
status code the schema does not declare, no response that violates its schema.

Bounded: a few derandomised examples per operation and role (KOMIN_FUZZ_EXAMPLES, default
2), each in a savepoint rolled back after it, so that every example starts from the same
data; one test collects every failure and names them all."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from geoportal.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("KOMIN_FUZZ_EXAMPLES", "2"))
ROLES = ["anonymous", "citizen", "crew", "supervisor", "planner", "administrator"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Only Hypothesis' generated examples (bounded above); no separate coverage or examples phase.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}}}
)


@pytest.fixture
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document, config=CONFIG)


@pytest.fixture
def credentials(people):
    tokens = {role: Token.objects.get_or_create(user=people[role])[0].key for role in people}
    return {role: {"Authorization": f"Token {tokens[role]}"} if role in tokens else {}
            for role in ROLES}  # fmt: skip


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through Django's WSGI handler in the test's own transaction: like
    Django's test client, keep the end of a request from closing the connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def fuzz(operation, headers: dict) -> str | None:
    """The first failure of the operation with these credentials, or None."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        with transaction.atomic():
            # The WSGI transport does not decompress: ask for plain bodies.
            response = case.call(
                app=application, headers={**headers, "Accept-Encoding": "identity"}
            )
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a failure group of the checks, or the call raised
        return f"{type(exc).__name__}: {exc}"[:3000]
    return None


def test_every_operation_as_every_role(schema, credentials, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    failures = []
    for operation in operations:
        for role in ROLES:
            found = fuzz(operation, credentials[role])
            if found:
                failures.append(f"--- {operation.label} as {role}\n{found}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
