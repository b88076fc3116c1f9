# The reports catalogue over the real Haiti areas, as the reports tests use it.
from tests.reports.conftest import cat, make_report  # noqa: F401
