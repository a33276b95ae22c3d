"""Long blocking work (reading thousands of files, building every story) off the event loop
in a *daemon* thread, so that SIGTERM stops the bot at once.

``asyncio.to_thread`` runs on the default executor, which ``asyncio.run`` joins on the
way out: a start-up ingest of a large archive would then delay a stop by as long as it
has left to run. A daemon thread is abandoned when the process ends; the awaiting task
is cancelled like any other.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_daemon_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a new daemon thread; its result or exception."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # the awaiting task was cancelled meanwhile
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def work() -> None:
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the awaiting task
            _call_soon(loop, settle, None, exc)
        else:
            _call_soon(loop, settle, result, None)

    threading.Thread(
        target=work, name=f"newsbot-{getattr(fn, '__name__', 'work')}", daemon=True
    ).start()
    return await future


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:  # the loop closed: the bot has stopped, nobody waits for this
        pass
