"""``/news`` and ``/news help``: every subcommand with its usage, plus examples."""

from __future__ import annotations

from adapters.base import CommandRequest, Reply

from .context import CommandContext
from .registry import REGISTRY, command, fallback_command


@command("help", usage="/news help", summary="this list", order=99)
async def help_(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    cmds = sorted(REGISTRY.values(), key=lambda c: (c.order, c.name))
    lookup = fallback_command()
    lines = ["newsbot: news digests, key quotes and alerts. Commands:"]
    if lookup is not None:
        lines.append(f"  `{lookup.usage}` — {lookup.summary}")
    for cmd in cmds:
        lock = (
            " (channel admins)"
            if cmd.changes_settings and ctx.settings.newsbot_settings_by == "admins"
            else ""
        )
        lines.append(f"  `{cmd.usage}` — {cmd.summary}{lock}")
    examples = [e for c in ([lookup] if lookup else []) + cmds for e in c.examples[:1]]
    if examples:
        lines.append("Examples: " + "  ".join(f"`{e}`" for e in examples[:6]))
    return Reply(text="\n".join(lines))
