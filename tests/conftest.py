"""Shared fixtures. Every test that touches data runs on the real PostGIS database."""

import io

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="session")
def haiti(django_db_setup, django_db_blocker):
    """Haiti's COD-AB boundaries (with derived arrondissements) and 2019 population, loaded
    once per test database through the same code as the demo (idempotent)."""
    from layers.demo import load
    from tests.layers.boundary_release import drop_leftover_test_generations

    with django_db_blocker.unblock():
        drop_leftover_test_generations()
        load(stdout=io.StringIO())


@pytest.fixture
def api():
    return APIClient()
