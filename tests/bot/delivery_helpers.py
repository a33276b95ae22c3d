"""Shared by the delivery tests (and the crash-test driver): a clock, a recording adapter,
article files on disk, and a bot context on a temporary database."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from adapters.base import ChannelRef, DeliveryError, PostedMessage
from bot.catalog import Catalog
from bot.commands import CommandContext
from bot.outbox import Outbox
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.settings import load_settings
from bot.storage import Storage
from bot.storage.delivery_store import DeliveryStore
from digests.models import Digest, Story


class Clock:
    """An injected clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Post:
    channel: ChannelRef
    key: str
    title: str
    story_ids: tuple[str, ...]
    kind: str  # digest | story


@dataclass
class RecordingAdapter:
    """A platform that records what it was asked to post; can fail on demand.

    With ``log_path`` every post is also appended to a file and fsynced, so a test
    can count posts made by a process it killed.
    """

    name: str = "console"
    posts: list[Post] = field(default_factory=list)
    fail_with: list[DeliveryError] = field(default_factory=list)
    log_path: str | None = None
    calls: list[tuple[str, bool]] = field(default_factory=list)  # (key, first_attempt) per send

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...

    async def send(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = frozenset(),
        on_posted: object = None,
    ) -> list[PostedMessage]:
        # posts the whole content each time; the bot records its parts when send returns
        self.calls.append((idempotency_key, first_attempt))
        if self.fail_with:
            raise self.fail_with.pop(0)
        if isinstance(content, Digest):
            post = Post(
                channel,
                idempotency_key,
                content.title,
                tuple(s.id for s in content.stories),
                "digest",
            )
        else:
            post = Post(channel, idempotency_key, content.title, (content.id,), "story")
        self.posts.append(post)
        if self.log_path:
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, f"{channel}\t{idempotency_key}\n".encode())
                os.fsync(fd)
            finally:
                os.close(fd)
        n = len(self.posts)
        messages = [PostedMessage(channel, f"{n}-0")] if post.kind == "digest" else []
        messages += [
            PostedMessage(channel, f"{n}-{i + 1}", s) for i, s in enumerate(post.story_ids)
        ]
        return messages

    def to(self, channel: ChannelRef) -> list[Post]:
        return [p for p in self.posts if p.channel == channel]


def write_article(
    folder: Path,
    name: str,
    title: str,
    *,
    published: datetime,
    tags: Sequence[str] = ("AI",),
    url: str | None = None,
    body: str | None = None,
) -> Path:
    """A Markdown article with front matter, as ``digests.ingest.parse_file`` reads it."""
    url = url or f"https://{name.split('-')[0]}.example.com/{name}"
    body = body or f"{title}. This is the story body for {name}, with enough words to summarise."
    tag_lines = "".join(f"  - {t}\n" for t in tags)
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: {title}\ndate: '{published.isoformat()}'\ntags:\n{tag_lines}source: {url}\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


async def make_context(db_path: Path, clock: Clock, **settings: object) -> CommandContext:
    storage = Storage(f"sqlite+aiosqlite:///{db_path}")
    await storage.upgrade()
    s = load_settings(database_url=f"sqlite+aiosqlite:///{db_path}", newsbot_sources=[], **settings)

    class NoPublisher:
        async def publish(
            self,
            channel: ChannelRef,
            content: Digest | Story,
            *,
            key: str,
            first_attempt: bool = False,
        ) -> list[PostedMessage]:
            raise AssertionError("scheduled delivery goes through the outbox, not the publisher")

    return CommandContext(
        settings=s, storage=storage, catalog=Catalog(storage), publisher=NoPublisher(), clock=clock
    )


T0 = datetime(2026, 3, 2, 6, tzinfo=UTC)  # a Monday, 07:00 in Berlin


async def queue_digest(
    loop: DeliveryLoop, clock: Clock, channel: ChannelRef, slot: datetime
) -> str:
    """Subscribe ``channel`` to ai with a daily 09:00 UTC digest, move the clock to ``slot``
    and queue that digest (a header + 3 stories = 4 parts); returns its delivery key."""
    storage = loop.ctx.storage
    await storage.subscribe(channel, ["ai"])
    await DeliveryStore(storage).set_schedule(channel, "daily 09:00 UTC", since=clock.now)
    await loop.tick()
    clock.now = slot
    await loop.poll()
    queued, _ = await loop.queue_digests(clock.now)
    assert len(queued) == 1
    [d] = await loop.outbox.list()
    assert len(d.story_ids) == 3
    return d.key


def delivery_process(
    ctx: CommandContext, adapter: object, news: Path, clock: Clock, worker: str, **outbox: object
) -> DeliveryLoop:
    """One bot process watching ``news``: its own outbox worker id and adapter instance."""
    box = Outbox(ctx.storage, clock=clock, worker_id=worker, **outbox)  # type: ignore[arg-type]
    return DeliveryLoop(
        ctx,
        {"console": adapter},
        poller=Poller([str(news)], clock=clock, interval=60),
        outbox=box,  # type: ignore[dict-item]
    )
