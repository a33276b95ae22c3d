"""The console adapter: a terminal chat that speaks the same protocol as Slack and Discord.

An interactive terminal gets a line editor (:mod:`adapters.console.editor`: history,
Tab completion) on the event loop, and whatever the bot posts meanwhile is printed
above the prompt. Piped input is read on a daemon thread (so a blocked ``readline``
never holds up shutdown), one command per line until end of input, after which
:meth:`wait_closed` returns — that is how ``newsbot console`` exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import sys
import threading
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.text import Text

from adapters.base import (
    NO_PARTS,
    ChannelRef,
    CommandHandler,
    CommandRequest,
    PostedHandler,
    PostedMessage,
    ReactionEvent,
    ReactionHandler,
)
from digests.models import Digest, Story

from .config import ConsoleConfig
from .lines import CommandLine, Quit, ReactionLine, Unknown, parse_line
from .render import PIPED_WIDTH, output_console
from .view import print_digest_header, print_reply, print_story

if TYPE_CHECKING:
    from .editor import LineEditor

log = logging.getLogger(__name__)
_EOF = object()

PostedLookup = Callable[[ChannelRef, str], Awaitable[Sequence[PostedMessage]]]
"""``(channel, ref)`` → messages the bot posted there showing a story whose id starts with ``ref``."""


class ConsoleAdapter:
    """``Adapter`` for the terminal; platform name ``console``."""

    name = "console"

    def __init__(
        self,
        config: ConsoleConfig,
        on_command: CommandHandler,
        on_reaction: ReactionHandler,
        *,
        find_posted: PostedLookup | None = None,
        editor: LineEditor | None = None,
    ) -> None:
        """``find_posted`` lets ``+:emoji: <ref>`` reach stories posted in earlier sessions
        (the bot passes its record of posted messages); without it only this session's.
        ``editor`` reads the lines instead of the input stream (made for a terminal)."""
        self.config = config
        self.find_posted = find_posted
        self.on_command = on_command
        self.on_reaction = on_reaction
        self.channel = ChannelRef("console", config.workspace, config.channel)
        self._input: TextIO = config.input or sys.stdin
        output: TextIO = config.output or sys.stdout
        self._editor = editor
        self.interactive = editor is not None or bool(_isatty(self._input) and _isatty(output))
        options = {"highlight": False, "emoji": False, "markup": False, "soft_wrap": False}
        if self.interactive and config.output is None:
            # no fixed file: rich writes to whatever sys.stdout is at the time, which is
            # prompt_toolkit's proxy while the prompt is up (output lands above it)
            self.console = Console(width=config.width, **options)  # type: ignore[arg-type]
        else:
            # piped output: fixed width and no trailing spaces (see render.output_console)
            self.console = output_console(
                output,
                width=config.width or (None if self.interactive else PIPED_WIDTH),
                **options,
            )
        # message ids must not repeat across sessions: the bot maps them back to stories
        self._session = uuid.uuid4().hex[:8]
        self._ids = itertools.count(1)
        self._sent: dict[str, dict[int, PostedMessage]] = {}  # idempotency key → part → message
        self._story_messages: dict[tuple[ChannelRef, str], str] = {}  # (channel, story id) → msg
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._done = asyncio.Event()
        self._closed = False

    # Adapter protocol ----------------------------------------------------------------

    async def start(self) -> None:
        if self.interactive:
            if self._editor is None:
                self._editor = self._make_editor()
            self._task = asyncio.create_task(self._edit(), name="console-adapter")
        else:
            loop = asyncio.get_running_loop()
            threading.Thread(
                target=self._read_lines, args=(loop,), name="console-stdin", daemon=True
            ).start()
            self._task = asyncio.create_task(self._run(), name="console-adapter")
        if self.interactive:
            self.console.print(
                Text(
                    f"newsbot console · #{self.config.channel} as {self.config.user} · "
                    "type /news help, +:thumbsup: <ref> to react, quit to leave",
                    style="dim",
                )
            )

    async def send(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = NO_PARTS,
        on_posted: PostedHandler | None = None,
    ) -> list[PostedMessage]:
        """Print a digest (header, then each story) or one story; a part already printed
        under this key (this session) or in ``skip_parts`` is not printed again.

        ``first_attempt`` changes nothing here: the terminal has no history to search.
        """
        done = self._sent.setdefault(idempotency_key, {})
        stories: tuple[Story, ...] = content.stories if isinstance(content, Digest) else (content,)
        parts: list[Story | None] = [None, *stories] if isinstance(content, Digest) else [content]
        todo = [i for i in range(len(parts)) if i not in skip_parts]
        if any(i not in done for i in todo):
            where = f"#{channel.channel}" + ("" if channel == self.channel else f" ({channel})")
            self.console.print(Text(f"── posted to {where} ──", style="dim"))
        posted: list[PostedMessage] = []
        for part in todo:
            message = done.get(part)
            if message is None:
                story = parts[part]
                if story is None:
                    assert isinstance(content, Digest)
                    print_digest_header(self.console, content)
                    message = PostedMessage(channel, self._next_id(), None, part)
                else:
                    print_story(self.console, story)
                    message = PostedMessage(channel, self._next_id(), story.id, part)
                    self._story_messages[(channel, story.id)] = message.message_id
                done[part] = message
                if on_posted is not None:
                    await on_posted(message)
            posted.append(message)
        return posted

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._done.set()

    async def wait_closed(self) -> None:
        """Returns when the input ends (EOF or ``quit``) or the adapter is closed."""
        await self._done.wait()

    # input ---------------------------------------------------------------------------

    def _next_id(self) -> str:
        return f"console-{self._session}-{next(self._ids)}"

    def _read_lines(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            for line in iter(self._input.readline, ""):
                loop.call_soon_threadsafe(self._queue.put_nowait, line)
        except (OSError, ValueError):  # stream closed under us
            pass
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(self._queue.put_nowait, _EOF)

    def _make_editor(self) -> LineEditor:
        from .editor import LineEditor  # only terminals pay for importing prompt_toolkit

        return LineEditor(
            usages=self.config.usages, topics=self.config.topics, history=self.config.history
        )

    async def _run(self) -> None:
        """Piped input: one line at a time from the reader thread, until end of input."""
        try:
            while True:
                item = await self._queue.get()
                if item is _EOF or not await self._line(str(item)):
                    break
        finally:
            self._done.set()

    async def _edit(self) -> None:
        """A terminal: read with the line editor; output printed meanwhile goes above it."""
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.patch_stdout import patch_stdout

        assert self._editor is not None
        prompt = FormattedText([("bold", f"#{self.config.channel} › ")])
        with contextlib.ExitStack() as stack:
            if self.config.output is None:  # our output is the real stdout: keep it above
                stack.enter_context(patch_stdout(raw=True))
            try:
                while (line := await self._editor.read(prompt)) is not None:
                    if not await self._line(line):
                        break
            finally:
                self._done.set()

    async def _line(self, line: str) -> bool:
        """Handle one line; False when it asks to quit."""
        parsed = parse_line(line)
        if isinstance(parsed, Quit):
            return False
        try:
            await self._handle(parsed)
        except Exception:  # one bad line must not end the session
            log.exception("console: failed to handle %r", line)
            self.console.print(Text("newsbot › something went wrong; see the log", style="red"))
        return True

    async def _handle(self, parsed: object) -> None:
        if parsed is None:
            return
        if isinstance(parsed, CommandLine):
            request = CommandRequest(
                channel=self.channel,
                user_id=self.config.user,
                user_name=self.config.user,
                text=parsed.text,
                is_admin=self.config.is_admin,
            )
            print_reply(self.console, await self.on_command(request))
        elif isinstance(parsed, ReactionLine):
            await self._react(parsed)
        elif isinstance(parsed, Unknown):
            self.console.print(
                Text(
                    "Type /news help for commands, or +:thumbsup: <ref> / -:thumbsup: <ref> to react.",
                    style="dim",
                )
            )

    async def _react(self, line: ReactionLine) -> None:
        matches = await self._posted_story(line.ref)
        if len(matches) != 1:
            problem = (
                "no story posted here has" if not matches else "more than one posted story matches"
            )
            self.console.print(
                Text(
                    f"newsbot › {problem} ref {line.ref!r}; use the ref shown with the story, or /news react <ref> <emoji>",
                    style="red",
                )
            )
            return
        ((story_id, message_id),) = matches.items()
        await self.on_reaction(
            ReactionEvent(
                channel=self.channel,
                message_id=message_id,
                user_id=self.config.user,
                emoji=line.emoji,
                added=line.added,
                event_id=f"console-{uuid.uuid4().hex}",
            )
        )
        verb = "added" if line.added else "removed"
        self.console.print(
            Text(f"newsbot › reaction :{line.emoji}: {verb} on [{story_id[:6]}]", style="green")
        )

    async def _posted_story(self, ref: str) -> dict[str, str]:
        """story id → a message showing it in this channel, for stories whose id starts with ``ref``."""
        ref = ref.strip().lower()
        found = {
            sid: mid
            for (ch, sid), mid in self._story_messages.items()
            if ch == self.channel and sid.lower().startswith(ref)
        }
        if self.find_posted is not None and ref:
            for message in await self.find_posted(self.channel, ref):
                if message.story_id and message.story_id not in found:
                    found[message.story_id] = message.message_id
        return found


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
