"""Background services the running bot starts next to its adapters (poller, scheduler…).

Each module here that defines ``async def run(app: bot.app.NewsBot) -> None`` is
started by ``NewsBot.run`` once storage is upgraded, sources ingested and adapters
started, and is cancelled on shutdown — so adding a service is adding one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from typing import Any

Service = Callable[[Any], Awaitable[None]]


def discover() -> dict[str, Service]:
    """name → ``run`` of every service module in this package."""
    found: dict[str, Service] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        run = getattr(module, "run", None)
        if callable(run):
            found[info.name] = run
    return found
