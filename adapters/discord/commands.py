"""The ``/news`` application-command group, each subcommand handed to the bot core as text.

Discord wants an answer within 3 seconds. When the core's handler answers within
``defer_after`` (1.5 s by default) the answer *is* the interaction response (one
request, type 4); only a slower answer is deferred first and sent as a followup
when the handler returns. Answers are ephemeral unless the core marks the reply
public (channel setting changes); a deferral guesses which from the subcommand
and is replaced when it guessed wrong. Commands in DMs get a pointer to use them
in a server channel, since subscriptions and digests belong to channels.
"""

from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands

from adapters.base import ChannelRef, CommandHandler, CommandRequest, Reply

from .config import TopicsProvider
from .embeds import MessagePart, reply_messages, to_embeds
from .reactions import PLATFORM

log = logging.getLogger(__name__)

CHOICES_MAX = 25
CHOICE_CHARS = 100

DM_ANSWER = (
    "newsbot works in server channels: subscriptions, digests and alerts belong to a channel. "
    "Run `/news help` in a channel of a server the bot is in, or ask a server admin to add it "
    "(`newsbot discord invite` prints the link)."
)
FAILURE_ANSWER = (
    "Something went wrong on our side while answering that; please try again in a minute."
)


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server or Manage Channels in this channel, as Discord computed it for the caller."""
    perms = interaction.permissions
    return bool(perms.manage_guild or perms.manage_channels or perms.administrator)


def command_request(interaction: discord.Interaction, text: str) -> CommandRequest:
    """The platform-neutral request for an interaction in a guild channel."""
    user = interaction.user
    return CommandRequest(
        channel=ChannelRef(PLATFORM, str(interaction.guild_id), str(interaction.channel_id)),
        user_id=str(user.id),
        text=" ".join(text.split()),
        user_name=getattr(user, "display_name", "") or user.name,
        is_admin=is_admin(interaction),
        event_id=f"discord:interaction:{interaction.id}",
    )


_CUSTOM_EMOJI = re.compile(r"^<a?:(\w+):(\d+)>$")


def typed_emoji(text: str) -> str:
    """A custom emoji typed into ``/news react`` (``<:name:id>``) as reactions record it (``name:id``),
    so the same emoji counts as one whether it was clicked or typed."""
    text = text.strip()
    match = _CUSTOM_EMOJI.match(text)
    return f"{match.group(1)}:{match.group(2)}" if match else text


def topic_choices(
    known: list[str], current: str, *, multi: bool = False
) -> list[app_commands.Choice[str]]:
    """Up to 25 known topics matching what is typed; with ``multi`` only the last word completes."""
    head, word = "", current
    if multi:
        match = re.match(r"^(.*[\s,])?([^\s,]*)$", current)
        if match:
            head, word = match.group(1) or "", match.group(2)
    needle = word.strip().lower()
    typed = {w.lower() for w in re.split(r"[\s,]+", head) if w}
    ranked = sorted(
        {t for t in known if needle in t.lower() and t.lower() not in typed},
        key=lambda t: (not t.lower().startswith(needle), t.lower()),
    )
    choices = []
    for topic in ranked:
        value = f"{head}{topic}"
        if len(value) > CHOICE_CHARS:
            continue
        choices.append(app_commands.Choice(name=value, value=value))
        if len(choices) == CHOICES_MAX:
            break
    return choices


class InteractionRunner:
    """Answers an interaction with the core's reply: directly when it is quick, else deferred."""

    def __init__(self, on_command: CommandHandler, *, defer_after: float = 1.5) -> None:
        self._on_command = on_command
        self._defer_after = defer_after
        self._running: set[asyncio.Future[Reply]] = set()  # asyncio keeps only weak references

    async def run(
        self, interaction: discord.Interaction, subcommand: str, text: str, *, public: bool = False
    ) -> None:
        """``public``: the core usually answers this for the whole channel (settings changes)."""
        if interaction.guild_id is None:
            await interaction.response.send_message(
                DM_ANSWER, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        deferred_ephemeral = not public
        if self._defer_after <= 0:  # configured to always acknowledge first
            await interaction.response.defer(ephemeral=deferred_ephemeral, thinking=True)
        answer = asyncio.ensure_future(self._reply(command_request(interaction, text), subcommand))
        self._running.add(answer)  # the core finishes its work even if answering Discord fails
        answer.add_done_callback(self._running.discard)
        try:
            if not interaction.response.is_done():
                done, _ = await asyncio.wait({answer}, timeout=self._defer_after)
                if answer in done:
                    await self.respond(interaction, answer.result())
                    return
                await interaction.response.defer(ephemeral=deferred_ephemeral, thinking=True)
            reply = await answer
        except asyncio.CancelledError:  # shutting down: stop the core's work with us
            answer.cancel()
            raise
        await self.follow_up(interaction, reply, deferred_ephemeral=deferred_ephemeral)

    async def _reply(self, request: CommandRequest, subcommand: str) -> Reply:
        try:
            return await self._on_command(request)
        except Exception:
            log.exception("command handler failed for /news %s", subcommand)
            return Reply(text=FAILURE_ANSWER, error=True)

    async def respond(self, interaction: discord.Interaction, reply: Reply) -> None:
        """The reply as the interaction response itself; parts beyond the first as followups."""
        first, *rest = reply_messages(reply.text, reply.stories, reply.share_hint)
        await interaction.response.send_message(
            content=first.content,
            embeds=to_embeds(first),
            ephemeral=reply.ephemeral,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        for part in rest:
            await self._send(interaction, part, ephemeral=reply.ephemeral)

    async def follow_up(
        self, interaction: discord.Interaction, reply: Reply, *, deferred_ephemeral: bool
    ) -> None:
        """Send ``reply``; fix up the deferral when its visibility differs from the reply's."""
        parts = reply_messages(reply.text, reply.stories, reply.share_hint)
        if reply.ephemeral != deferred_ephemeral:
            # the first followup would inherit the deferral's visibility; remove the
            # "thinking…" placeholder so every part is shown to exactly the right people
            await interaction.delete_original_response()
        for part in parts:
            await self._send(interaction, part, ephemeral=reply.ephemeral)

    @staticmethod
    async def _send(
        interaction: discord.Interaction, part: MessagePart, *, ephemeral: bool
    ) -> None:
        await interaction.followup.send(
            content=part.content or discord.utils.MISSING,
            embeds=to_embeds(part),
            ephemeral=ephemeral,
            allowed_mentions=discord.AllowedMentions.none(),
        )


class NewsGroup(app_commands.Group):
    """``/news …``: one subcommand per verb of the core's grammar."""

    def __init__(
        self, runner: InteractionRunner, topics_provider: TopicsProvider | None = None
    ) -> None:
        super().__init__(
            name="news", description="News stories, digests and alerts for this channel"
        )
        self._runner = runner
        self._topics_provider = topics_provider

    def _known_topics(self) -> list[str]:
        if self._topics_provider is None:
            return []
        try:
            return [str(t) for t in self._topics_provider()]
        except Exception:
            log.exception("topics provider failed; autocomplete shows nothing")
            return []

    async def _complete(self, current: str, *, multi: bool) -> list[app_commands.Choice[str]]:
        return topic_choices(self._known_topics(), current, multi=multi)

    # lookups ---------------------------------------------------------------------------

    @app_commands.command(
        name="topic", description="Top stories on a topic right now (only you see them)"
    )
    @app_commands.describe(query="A topic or keywords, e.g. ai or climate")
    async def topic(self, interaction: discord.Interaction, query: str) -> None:
        await self._runner.run(interaction, "topic", query)

    @topic.autocomplete("query")
    async def _topic_complete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(current, multi=False)

    @app_commands.command(
        name="share", description="Post a story you looked up to the whole channel"
    )
    @app_commands.describe(story="The story's ref, e.g. 3f9a1c (shown with each story)")
    async def share(self, interaction: discord.Interaction, story: str) -> None:
        await self._runner.run(interaction, "share", f"share {story}")

    # subscriptions -----------------------------------------------------------------------

    @app_commands.command(name="subscribe", description="Add topics to this channel's digests")
    @app_commands.describe(topics="One or more topics, separated by spaces or commas")
    async def subscribe(self, interaction: discord.Interaction, topics: str) -> None:
        await self._runner.run(interaction, "subscribe", f"subscribe {topics}", public=True)

    @subscribe.autocomplete("topics")
    async def _subscribe_complete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(current, multi=True)

    @app_commands.command(
        name="unsubscribe", description="Remove topics from this channel's digests"
    )
    @app_commands.describe(topics="One or more topics, separated by spaces or commas")
    async def unsubscribe(self, interaction: discord.Interaction, topics: str) -> None:
        await self._runner.run(interaction, "unsubscribe", f"unsubscribe {topics}", public=True)

    @unsubscribe.autocomplete("topics")
    async def _unsubscribe_complete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(current, multi=True)

    @app_commands.command(name="topics", description="This channel's topics")
    async def topics(self, interaction: discord.Interaction) -> None:
        await self._runner.run(interaction, "topics", "topics")

    # delivery ------------------------------------------------------------------------------

    @app_commands.command(name="schedule", description="Show or set this channel's digest schedule")
    @app_commands.describe(
        spec='e.g. "daily 09:00 Europe/Berlin", "weekdays 08:30", "off"; empty shows it'
    )
    async def schedule(self, interaction: discord.Interaction, spec: str = "") -> None:
        await self._runner.run(
            interaction, "schedule", f"schedule {spec}", public=bool(spec.strip())
        )

    @app_commands.command(name="alerts", description="Instant alerts for topics in this channel")
    @app_commands.describe(
        state="on or off; empty shows the current alerts", topics="Topics to alert on"
    )
    @app_commands.choices(
        state=[
            app_commands.Choice(name="on", value="on"),
            app_commands.Choice(name="off", value="off"),
        ]
    )
    async def alerts(
        self, interaction: discord.Interaction, state: str = "", topics: str = ""
    ) -> None:
        await self._runner.run(
            interaction, "alerts", f"alerts {state} {topics}", public=bool(state)
        )

    @alerts.autocomplete("topics")
    async def _alerts_complete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._complete(current, multi=True)

    @app_commands.command(name="digest", description="Post this channel's digest now")
    async def digest(self, interaction: discord.Interaction) -> None:
        await self._runner.run(interaction, "digest", "digest")

    # feeds ------------------------------------------------------------------------------------

    @app_commands.command(
        name="feed", description="This channel's RSS/Atom feeds: add, list, remove, pause, resume"
    )
    @app_commands.describe(
        action="What to do",
        target="add: the feed URL, then topics; remove/pause/resume: its number or URL",
    )
    @app_commands.choices(
        action=[
            app_commands.Choice(name=v, value=v)
            for v in ("add", "list", "remove", "pause", "resume")
        ]
    )
    async def feed(self, interaction: discord.Interaction, action: str, target: str = "") -> None:
        await self._runner.run(
            interaction, "feed", f"feed {action} {target}", public=action != "list"
        )

    @app_commands.command(name="filter", description="Words that decide which feed items post here")
    @app_commands.describe(
        action="What to do",
        words='add: include or exclude, then words or "a phrase"; remove: the filter\'s number',
    )
    @app_commands.choices(
        action=[app_commands.Choice(name=v, value=v) for v in ("add", "list", "remove")]
    )
    async def filter_(self, interaction: discord.Interaction, action: str, words: str = "") -> None:
        await self._runner.run(
            interaction, "filter", f"filter {action} {words}", public=action != "list"
        )

    # feedback and insight --------------------------------------------------------------------

    @app_commands.command(name="react", description="Rate a story by its ref, e.g. 3fa9c2 👍")
    @app_commands.describe(
        story="The story's ref (shown in its footer)", emoji="An emoji, e.g. 👍 or 👎"
    )
    async def react(self, interaction: discord.Interaction, story: str, emoji: str) -> None:
        await self._runner.run(interaction, "react", f"react {story} {typed_emoji(emoji)}")

    @app_commands.command(
        name="stats", description="What this channel liked and how it shapes its digests"
    )
    async def stats(self, interaction: discord.Interaction) -> None:
        await self._runner.run(interaction, "stats", "stats")

    @app_commands.command(name="why", description="Why this channel did or did not get something")
    async def why(self, interaction: discord.Interaction) -> None:
        await self._runner.run(interaction, "why", "why")

    @app_commands.command(name="help", description="How to use newsbot, with examples")
    async def help(self, interaction: discord.Interaction) -> None:
        await self._runner.run(interaction, "help", "help")
