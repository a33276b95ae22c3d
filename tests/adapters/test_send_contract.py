"""What every adapter's ``send()`` must do, checked the same way on the console, Slack and
Discord (the bot's delivery code relies on exactly this, whatever the platform):

* a digest is a header (part 0, no story) then one message per story; the returned
  ``PostedMessage``s carry the channel, distinct message ids, story ids and part numbers;
* the same idempotency key again never shows anything twice and answers with the same ids;
* ``skip_parts`` are not posted again, and ``on_posted`` hears of each part as it lands;
* article text can never ping anyone (or, on the terminal, restyle itself);
* a story far beyond every platform limit still posts as one valid message.

Each platform runs against its fake (Slack's and Discord's real client libraries against
the servers in ``tests/fakes``; the console against an in-memory terminal); Discord runs
twice, as a bot and in delivery-only webhook mode, so all four ``send()``s are covered. Platform-only
behaviour (pacing, rate limits, history look-ups, embeds) stays in the per-adapter tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.base import Adapter, ChannelRef, PostedMessage
from adapters.console import ConsoleAdapter, ConsoleConfig
from adapters.console.render import PIPED_WIDTH
from adapters.discord import DiscordConfig, DiscordWebhookAdapter
from adapters.slack import SlackAdapter
from digests.models import Story
from tests import factories
from tests.adapters.discord.conftest import CHANNEL, GUILD, OTHER_CHANNEL, Recorder, connected
from tests.adapters.slack.helpers import Recorder as SlackRecorder
from tests.adapters.slack.helpers import socket_config
from tests.adapters.slack.test_blocks import check_limits
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import TEAM_ID, FakeSlack

HOSTILE = "@everyone @here <!channel> <!here> <@U123ABC> <@123> <@&456> [bold]loud[/bold]"


@dataclass
class Platform:
    """One adapter under test, its channel, and how to look at what its platform now shows."""

    adapter: Adapter
    channel: ChannelRef
    shown: Callable[[], list[str]]
    """Every message in the channel, oldest first, as one string each (text and structure)."""
    pings: Callable[[], list[str]]
    """Anything posted that would ping people (or, on the terminal, apply markup)."""
    limit_problems: Callable[[], list[str]]
    """Messages the platform would reject or cut (sizes, counts, widths)."""


# console ---------------------------------------------------------------------------------


async def _noop_command(request: object) -> Any:
    raise AssertionError("no commands in these tests")


async def _noop_reaction(event: object) -> None:
    return None


@contextlib.asynccontextmanager
async def console_platform() -> AsyncIterator[Platform]:
    out = io.StringIO()
    adapter = ConsoleAdapter(
        ConsoleConfig(channel="news", user="ann", input=io.StringIO(""), output=out),
        _noop_command,
        _noop_reaction,
    )

    def shown() -> list[str]:
        # on the terminal a digest header is one "━━ …" line; a story is a block of lines
        # ending at a blank line; each send is introduced by a "── posted to … ──" line
        messages: list[list[str]] = []
        current: list[str] = []
        for line in out.getvalue().splitlines():
            if line.startswith(("── posted to", "━━")) or not line.strip():
                if current:
                    messages.append(current)
                current = []
                if line.startswith("━━"):
                    messages.append([line])
            else:
                current.append(line)
        if current:
            messages.append(current)
        return ["\n".join(m) for m in messages]

    def pings() -> list[str]:
        text = out.getvalue()
        # markup in article text must show literally, never restyle the terminal
        return (
            ["[bold]loud[/bold] was applied"] if "loud" in text and "[bold]loud" not in text else []
        )

    def limit_problems() -> list[str]:
        return [
            f"line of {len(line)} > {PIPED_WIDTH} columns"
            for line in out.getvalue().splitlines()
            if len(line) > PIPED_WIDTH
        ]

    try:
        yield Platform(adapter, adapter.channel, shown, pings, limit_problems)
    finally:
        await adapter.aclose()


# Slack -----------------------------------------------------------------------------------

_SLACK_LIVE = re.compile(r"<[!@#]")


@contextlib.asynccontextmanager
async def slack_platform() -> AsyncIterator[Platform]:
    async with FakeSlack(rate_interval=0) as fake:
        rec = SlackRecorder()
        adapter = SlackAdapter(socket_config(fake), rec.on_command, rec.on_reaction)
        await adapter.start()

        def shown() -> list[str]:
            return [json.dumps([m.get("text"), m.get("blocks")]) for m in fake.posted("C1")]

        def pings() -> list[str]:
            found = []
            for sent in fake.calls_to("chat.postMessage"):
                payload = json.dumps({"text": sent.get("text"), "blocks": sent.get("blocks")})
                found += _SLACK_LIVE.findall(payload)
                if sent.get("link_names") not in (None, False, "0", "false", 0):
                    found.append("link_names on")
            return found

        def limit_problems() -> list[str]:
            problems = []
            for sent in fake.calls_to("chat.postMessage"):
                try:
                    check_limits(sent["blocks"])
                except AssertionError as exc:
                    problems.append(str(exc) or "a block over Slack's limits")
                if len(sent.get("text") or "") > 4000:
                    problems.append(f"fallback text {len(sent['text'])} > 4000")
            return problems

        try:
            yield Platform(
                adapter, ChannelRef("slack", TEAM_ID, "C1"), shown, pings, limit_problems
            )
        finally:
            await adapter.aclose()


# Discord ---------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def discord_platform() -> AsyncIterator[Platform]:
    async with FakeDiscord(guilds={GUILD: [CHANNEL, OTHER_CHANNEL]}, channel_window=0.1) as fake:
        async with connected(fake, Recorder()) as adapter:

            def shown() -> list[str]:
                return [
                    json.dumps([m.get("content"), m.get("embeds")])
                    for m in fake.channels[CHANNEL].messages
                ]

            def pings() -> list[str]:
                return [json.dumps(body)[:200] for body in fake.unsuppressed]

            def limit_problems() -> list[str]:
                return [f"{where}: {problems}" for where, problems in fake.violations]

            yield Platform(
                adapter,
                ChannelRef("discord", str(GUILD), str(CHANNEL)),
                shown,
                pings,
                limit_problems,
            )


@contextlib.asynccontextmanager
async def discord_webhook_platform() -> AsyncIterator[Platform]:
    """Delivery-only Discord (one channel webhook, no bot user, no nonce)."""
    async with FakeDiscord(guilds={GUILD: [CHANNEL, OTHER_CHANNEL]}, channel_window=0.1) as fake:
        url = fake.add_webhook(123456789012345678, "T" * 68, CHANNEL)
        recorder = Recorder()
        adapter = DiscordWebhookAdapter(
            DiscordConfig(webhook_url=url, api_url=fake.api_url),
            recorder.on_command,
            recorder.on_reaction,
        )
        await adapter.start()

        def shown() -> list[str]:
            return [
                json.dumps([m.get("content"), m.get("embeds")])
                for m in fake.channels[CHANNEL].messages
            ]

        try:
            yield Platform(
                adapter,
                ChannelRef("discord", "webhook", "123456789012345678"),
                shown,
                lambda: [json.dumps(body)[:200] for body in fake.unsuppressed],
                lambda: [f"{where}: {problems}" for where, problems in fake.violations],
            )
        finally:
            await adapter.aclose()


PLATFORMS = {
    "console": console_platform,
    "slack": slack_platform,
    "discord": discord_platform,
    "discord-webhook": discord_webhook_platform,
}


@pytest.fixture(params=sorted(PLATFORMS))
async def platform(request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    async with PLATFORMS[request.param]() as p:
        yield p


# the contract ----------------------------------------------------------------------------


def _story(n: int, **kw: Any) -> Story:
    primary = factories.article(
        f"contract{n:02d}story",
        kw.pop("title", f"Harbour ferry timetable change number {n}"),
        source="harbour.example",
    )
    return factories.story(primary, summary=f"The ferry now leaves at {n} o'clock.", **kw)


def _count(platform: Platform, needle: str) -> int:
    """How many messages in the channel show ``needle``."""
    return sum(needle in message for message in platform.shown())


async def test_a_digest_is_a_header_then_one_message_per_story(platform: Platform) -> None:
    stories = [_story(i) for i in range(1, 4)]
    digest = factories.digest(*stories, title="Morning harbour digest")
    posted = await platform.adapter.send(platform.channel, digest, idempotency_key="d1")
    assert [(p.part, p.story_id) for p in posted] == [
        (0, None),
        *((i, s.id) for i, s in enumerate(stories, start=1)),
    ]
    assert all(p.channel == platform.channel for p in posted)
    ids = [p.message_id for p in posted]
    assert all(ids) and len(set(ids)) == len(ids)
    assert _count(platform, "Morning harbour digest") >= 1
    for s in stories:
        assert _count(platform, s.title) >= 1, f"{s.title} not shown"


async def test_a_single_story_is_one_message_for_that_story(platform: Platform) -> None:
    story = _story(7)
    posted = await platform.adapter.send(platform.channel, story, idempotency_key="s7")
    assert [(p.part, p.story_id) for p in posted] == [(0, story.id)]
    assert posted[0].message_id


async def test_the_same_key_again_shows_nothing_twice_and_returns_the_same_ids(
    platform: Platform,
) -> None:
    digest = factories.digest(_story(1), _story(2), title="Evening harbour digest")
    first = await platform.adapter.send(platform.channel, digest, idempotency_key="retry-1")
    shown = len(platform.shown())
    again = await platform.adapter.send(platform.channel, digest, idempotency_key="retry-1")
    assert len(platform.shown()) == shown
    assert _count(platform, "Evening harbour digest") == 1
    assert [(p.part, p.message_id) for p in again] == [(p.part, p.message_id) for p in first]


async def test_skipped_parts_are_not_posted_and_each_part_is_reported_as_it_lands(
    platform: Platform,
) -> None:
    stories = [_story(i) for i in range(1, 4)]
    digest = factories.digest(*stories, title="Noon harbour digest")
    heard: list[PostedMessage] = []

    async def on_posted(message: PostedMessage) -> None:
        heard.append(message)

    posted = await platform.adapter.send(
        platform.channel,
        digest,
        idempotency_key="partial-1",
        skip_parts=frozenset({2}),
        on_posted=on_posted,
    )
    assert [p.part for p in posted] == [0, 1, 3]
    assert heard == posted
    assert _count(platform, stories[1].title) == 0
    assert _count(platform, stories[2].title) >= 1


async def test_article_text_pings_nobody(platform: Platform) -> None:
    hostile = _story(
        9,
        title=f"Ferry news {HOSTILE}",
        quotes=[factories.quote(f"Everyone aboard {HOSTILE}", "@everyone")],
    )
    hostile = factories.story(hostile.primary, summary=HOSTILE, quotes=hostile.quotes)
    await platform.adapter.send(platform.channel, hostile, idempotency_key="hostile")
    await platform.adapter.send(
        platform.channel, factories.digest(hostile, title=HOSTILE), idempotency_key="hostile-d"
    )
    assert platform.pings() == []
    assert _count(platform, "Ferry news") >= 1  # shown, just harmless


async def test_a_story_beyond_every_limit_still_posts_as_one_valid_message(
    platform: Platform,
) -> None:
    flood = "harbour " * 1200
    primary = factories.article(
        "huge00story",
        "Huge " + flood,
        source="harbour.example",
        url="https://harbour.example/" + "a" * 2500,
        image="https://harbour.example/i.png",
    )
    huge = factories.story(
        primary,
        *factories.rewrites(primary, 40),
        summary=flood * 3,
        quotes=[factories.quote(flood, "Ann " + "Lee" * 200) for _ in range(30)],
    )
    posted = await platform.adapter.send(platform.channel, huge, idempotency_key="huge")
    assert [p.story_id for p in posted] == [huge.id]
    assert len(platform.shown()) == 1
    assert platform.limit_problems() == []
