"""One JSON object per log line, for log collectors reading stdout in production (DJANGO_LOG_FORMAT=json)."""

from __future__ import annotations

import datetime as dt
import json
import logging

# Attributes every LogRecord has; anything else was passed through ``extra=`` and is worth keeping.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            payload["method"] = getattr(request, "method", "")
            payload["path"] = request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and key != "request" and not key.startswith("_"):
                payload[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
