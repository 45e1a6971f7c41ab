"""Logging that never carries a diary token: request lines of /d/<token> are redacted."""

from __future__ import annotations

import logging
import re

TOKEN_PATH = re.compile(r"/d/[A-Za-z0-9_\-]+")


class RedactDiaryTokens(logging.Filter):
    """Replace the token in any logged /d/<token> path (werkzeug's request log, errors)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/d/" in message:
            record.msg = TOKEN_PATH.sub("/d/[redacted]", message)
            record.args = ()
        return True


def install(app) -> None:
    """Attach the filter to the loggers that see request paths."""
    redact = RedactDiaryTokens()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactDiaryTokens) for f in logger.filters):
            logger.addFilter(redact)
