# The schema fuzzer runs over the same catalogue, people and isolation as the reports tests.
from tests.reports.conftest import _isolated, cat, people  # noqa: F401
