from tests.communes.conftest import _quick_passwords, file_report, towns  # noqa: F401
from tests.messaging.conftest import provider  # noqa: F401
from tests.reports.conftest import _isolated, cat  # noqa: F401
