"""Per-channel pacing: Slack allows about one message per second per channel.

Each channel has its own lock and "next allowed" time, so one busy channel
never slows another; channels are served concurrently. The clock and sleep are
injected so tests run on virtual time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


class ChannelPacer:
    """Hands out one send turn at a time per channel, ``interval`` seconds apart."""

    def __init__(
        self, interval: float, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ):
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._slots: dict[str, _Slot] = {}

    def _slot(self, channel: str) -> _Slot:
        slot = self._slots.get(channel)
        if slot is None:
            slot = self._slots[channel] = _Slot()
        return slot

    def lock(self, channel: str) -> asyncio.Lock:
        """Held for a whole delivery so its messages stay in order."""
        return self._slot(channel).lock

    async def wait_turn(self, channel: str) -> None:
        """Sleep until this channel may post again."""
        delay = self._slot(channel).next_at - self.clock()
        if delay > 0:
            await self.sleep(delay)

    def sent(self, channel: str) -> None:
        """A post just came back: the next may go ``interval`` from now.

        Counting from the answer rather than from sending keeps the gap as Slack
        sees it (on arrival) at least ``interval`` even when requests are delayed
        unevenly on the way, at the price of one round trip per message.
        """
        slot = self._slot(channel)
        slot.next_at = max(slot.next_at, self.clock() + self.interval)

    def push_back(self, channel: str, seconds: float) -> None:
        """Slack said 429: nobody posts to this channel for ``seconds``."""
        slot = self._slot(channel)
        slot.next_at = max(slot.next_at, self.clock() + seconds)
