# Hostile-input tests use the reports fixtures (real categories, teams, people).
from tests.reports.conftest import _isolated, actor_of, cat, make_report, people  # noqa: F401
