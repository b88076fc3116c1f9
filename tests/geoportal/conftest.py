# Cross-cutting tests use the reports fixtures (catalogue, people, reports) as they are.
from tests.reports.conftest import _isolated, actor_of, cat, make_report, people  # noqa: F401
