"""Log lines as JSON, one object per line, for log collectors (journald, Loki, ELK).

Each line has the time (UTC, ISO 8601), level, logger, message and the request id, plus
any `extra=` fields. A reporter's name, e-mail, phone and photo metadata never appear:
fields with those names are masked, and server paths are cut to file names
(`geoportal/redact.py`). LOG_FORMAT=text gives plain lines for a developer's terminal."""

import json
import logging
from datetime import UTC, datetime

from geoportal.redact import without_private

# Attributes every LogRecord has: the rest came from `extra=` and are written out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        request = line.pop("request", None)  # django.request: the method and path only
        if request is not None and hasattr(request, "path"):
            line["method"], line["path"] = request.method, request.path
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(without_private(line), default=str, ensure_ascii=False)
