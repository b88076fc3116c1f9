"""The place of a new report runs as the PL/pgSQL function reports_place, made from the
SQL files at every migrate (reports/sql_functions.py): the function is the files' query,
making it again is harmless, and its generic-plan setting stays inside its call."""

import pytest
from django.db import connection, transaction

from reports.services.reports import place, place_sql
from reports.sql_functions import as_function_body, install
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def function_source(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
        rows = cursor.fetchall()
    assert len(rows) == 1, f"{len(rows)} functions named {name}"
    return rows[0][0]


def test_a_named_parameter_becomes_the_function_argument_and_a_doubled_percent_one():
    sql = "WHERE a = %(lon)s AND b LIKE 'x%%' AND c = %(in_lat)s"
    assert as_function_body(sql) == "WHERE a = in_lon AND b LIKE 'x%' AND c = in_in_lat"


def test_the_function_holds_the_query_of_the_files_and_can_be_made_again(cat):
    assert as_function_body(place_sql()) in function_source("reports_place")
    install()  # what every migrate does: drop and make again, one function still
    assert as_function_body(place_sql()) in function_source("reports_place")
    found = place(category=cat["pothole"], lon=f.DELMAS[0], lat=f.DELMAS[1])
    assert found.areas["commune"].name_fr == "Delmas" and found.team.name == "roads-delmas"


def test_the_place_leaves_the_transaction_settings_as_they_were(cat):
    with transaction.atomic(), connection.cursor() as cursor:
        found = place(category=cat["pothole"], lon=f.CAP[0], lat=f.CAP[1])
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
    assert found.jurisdiction.pk is not None and found.team.name == "cap"
