"""The record of how each configured source is doing, shared by the poller that fills it in
and the storage that keeps it across restarts (so storage never imports the poller)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FAILING_AFTER = 3  # consecutive failures before a source is reported as failing
STORE_FAILED = "could not store"  # how a store failure starts in SourceStatus.last_error


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """How one configured source is doing, for ``newsbot status`` and ``/news why``."""

    source: str
    kind: str  # folder | glob | file | feed
    last_scan: datetime | None = None
    last_ok: datetime | None = None
    failures: int = 0  # consecutive
    last_error: str | None = None
    next_attempt: datetime | None = None
    items: int = 0  # files watched or entries in the last feed

    @property
    def failing(self) -> bool:
        return self.failures >= FAILING_AFTER

    @property
    def storing_failed(self) -> bool:
        """New articles were read but could not be stored (they are retried): worth
        showing from the first time, unlike one failed fetch."""
        return (self.last_error or "").startswith(STORE_FAILED)
