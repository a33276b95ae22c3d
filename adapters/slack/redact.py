"""Keeps Slack request bodies out of the logs.

slack_bolt logs the whole body of a request whose signature it rejects, at INFO
("Invalid request signature detected (signature: …, timestamp: …, body: token=…&…
response_url=…)"): Slack's verification token, the response_url (which can post to the
channel for 30 minutes) and what people typed. A logging filter on the ``slack_bolt``
logger — bolt copies a base logger's filters onto every logger it makes for its
middleware — replaces such a body with its size, and masks token and response_url values
in any other bolt message, at every level.
"""

from __future__ import annotations

import logging
import re

_BODY = re.compile(r"(body: ).*?(\)?)$", re.S)
_FIELDS = re.compile(r"""((?:token|response_url)["']?\s*[=:]\s*["']?)[^&\s,'"}]+""", re.IGNORECASE)


def redact(message: str) -> str:
    """``message`` without request bodies, tokens or response URLs."""
    if "body: " in message:
        message = _BODY.sub(
            lambda m: f"{m.group(1)}[{len(m.group(0)) - 6} chars not logged]{m.group(2)}", message
        )
    return _FIELDS.sub(r"\1[redacted]", message)


class RedactRequestBodies(logging.Filter):
    """Rewrites a record's message through :func:`redact`; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactRequestBodies()


def install(logger: logging.Logger) -> logging.Logger:
    """Put the filter on ``logger`` (once) and on the bolt loggers made from it already."""
    for target in [logger, *_children(logger)]:
        if _FILTER not in target.filters:
            target.addFilter(_FILTER)
    return logger


def _children(logger: logging.Logger) -> list[logging.Logger]:
    prefix = logger.name + "."
    return [
        found
        for name, found in logging.Logger.manager.loggerDict.items()
        if name.startswith(prefix) and isinstance(found, logging.Logger)
    ]
