"""Shared fixtures. Every test that touches data runs on the real PostGIS database."""

import io

import pytest
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def data_files():
    """Every catalogued data file in KOMIN_DATA_DIR (copied from the mirror when missing),
    so that tests reading a file directly find it; one that cannot be fetched is reported
    and left to fail the tests that need it."""
    import warnings

    from layers.datasets import DatasetError, all_datasets

    for dataset in all_datasets().values():
        try:
            dataset.verify()
        except DatasetError as exc:
            warnings.warn(str(exc), stacklevel=1)


@pytest.fixture(scope="session")
def haiti(django_db_setup, django_db_blocker):
    """Haiti's COD-AB boundaries (with derived arrondissements) and 2019 population, loaded
    once per test database through the same code as the demo (idempotent)."""
    from layers.demo import load

    with django_db_blocker.unblock():
        load(stdout=io.StringIO())


@pytest.fixture
def api():
    return APIClient()
