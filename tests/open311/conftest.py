# The Open311 adapter is tested with the same fixtures as the reports it adapts.
from tests.reports.conftest import _isolated, actor_of, cat, make_report, people  # noqa: F401
