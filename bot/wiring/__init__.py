"""Which adapters to run, built from settings: the only place that knows every platform.

Each platform has a module here (``console.py``, ``slack.py``, ``discord.py``) with
``build(settings, on_command, on_reaction) -> Adapter | None`` (None: not configured).
Modules are imported lazily, so a missing SDK or module only affects that platform.
"""

from __future__ import annotations

import importlib
import logging

from adapters.base import Adapter, CommandHandler, ReactionHandler
from bot.settings import Settings

log = logging.getLogger(__name__)
KNOWN = ("console", "slack", "discord")


class WiringError(Exception):
    """No adapter could be started; the message says what to configure."""


def build_adapters(
    settings: Settings, on_command: CommandHandler, on_reaction: ReactionHandler
) -> list[Adapter]:
    """Adapters for ``settings.adapters``; unavailable ones are skipped with a warning."""
    adapters: list[Adapter] = []
    skipped: list[str] = []
    for name in dict.fromkeys(settings.adapters):
        if name not in KNOWN:
            raise WiringError(
                f"NEWSBOT_ADAPTERS: unknown adapter {name!r}; choose from {', '.join(KNOWN)} or auto"
            )
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ImportError as exc:
            skipped.append(f"{name} (not available in this install: {exc})")
            log.warning("skipping the %s adapter: not available in this install (%s)", name, exc)
            continue
        adapter = module.build(settings, on_command, on_reaction)
        if adapter is None:
            skipped.append(f"{name} (not configured)")
            log.warning("skipping the %s adapter: not configured", name)
            continue
        adapters.append(adapter)
    if not adapters:
        raise WiringError(
            "no adapter could be started: "
            + "; ".join(skipped)
            + ". Set NEWSBOT_ADAPTERS=console for the terminal, or configure Slack/Discord tokens."
        )
    return adapters
