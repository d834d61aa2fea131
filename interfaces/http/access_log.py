"""The access log, with no personal data in it: paths without query strings, and anything
shaped like a resident ID masked. Bodies are never logged."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

_RESIDENT_ID = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{10}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """`/v1/x/310101196101050014?q=…` → `/v1/x/3101**********0014`."""
    path = text.split("?", 1)[0]
    return _RESIDENT_ID.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", path)


class WithoutPersonalData(logging.Filter):
    """Rewrites uvicorn's access-log arguments (client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the access log filtered."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"personal_data": {"()": WithoutPersonalData}}
    config["handlers"]["access"]["filters"] = ["personal_data"]
    return config
