"""Background services the running bot starts next to its adapters (poller, scheduler…).

Each module here that defines ``async def run(app: ServiceHost) -> None`` is started by
``NewsBot.run`` once storage is upgraded, sources ingested and adapters started, and is
cancelled on shutdown — so adding a service is adding one file. A service sees the bot only
through :class:`ServiceHost`, so it can import what it needs at module level without an import
cycle through ``bot.app``, and a test can run it against a small stand-in.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from adapters.base import Adapter
from bot.commands.context import CommandContext
from bot.settings import Settings


class ServiceHost(Protocol):
    """What a background service may use of the running bot (``bot.app.NewsBot`` is one)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def ctx(self) -> CommandContext:
        """Storage, catalog, publisher and clock, as command handlers get them."""
        ...

    @property
    def adapters(self) -> Sequence[Adapter]:
        """The adapters that started, by the time services run."""
        ...


Service = Callable[[ServiceHost], Awaitable[None]]


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
