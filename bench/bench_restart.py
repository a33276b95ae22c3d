"""Benchmark: first answer after a cold start and after a warm restart with nothing changed.

Target (issue 10): warm restart with 12k articles answers within 3 s and within 20 % of
the cold start.

Data: ``--articles`` distinct articles derived from the real corpus by sentence
recombination (``bench/corpus_gen.py``), written as Markdown files with front matter to
a temporary folder (``NEWSBOT_SOURCES``), SQLite database beside it.

Each start runs ``NewsBot.run`` with one adapter whose ``start`` is the moment the bot
can answer (adapters start only once it can); the adapter asks a ``/news ai`` question
at once, then stops the bot. Cold = empty database (sources read, stories built, before
answering). Warm = the same folder and database again (stories read from the database;
the sources are re-read in the background and the stop cancels that).

    .venv/bin/python bench/bench_restart.py [--articles 12000] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import ChannelRef, CommandRequest
from bench.corpus_gen import derived_articles


class _Probe:
    """An adapter that records when the bot started it and asks one question."""

    name = "probe"

    def __init__(self, bot: object, t0: float) -> None:
        self.bot = bot
        self.t0 = t0
        self.started = 0.0
        self.answered = 0.0

    async def start(self) -> None:
        self.started = time.perf_counter() - self.t0
        request = CommandRequest(
            channel=ChannelRef("console", "local", "bench"), user_id="bench", text="ai"
        )
        await self.bot.handle_command(request)  # type: ignore[attr-defined]
        self.answered = time.perf_counter() - self.t0
        self.bot.stop()  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        return None

    async def send(self, *args: object, **kwargs: object) -> list[object]:
        return []


def write_folder(folder: Path, n: int, seed: int) -> None:
    folder.mkdir()
    for a in derived_articles(n, seed=seed):
        tags = "".join(f"\n  - '{t}'" for t in a.tags) or " []"
        title = a.title.replace("'", "''")
        (folder / f"{a.id}.md").write_text(
            f"---\ntitle: '{title}'\ndate: '{a.published.isoformat()}'\nsource: {a.url}\n"
            f"tags:{tags}\n---\n{a.text}\n",
            encoding="utf-8",
        )


async def one_start(folder: Path, db: Path) -> tuple[float, float]:
    from bot.app import NewsBot
    from bot.settings import load_settings

    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{db}",
        newsbot_sources=[str(folder)],
        newsbot_adapters=["console"],
        newsbot_retention_days=0,
    )
    t0 = time.perf_counter()
    bot = NewsBot(settings)
    probe = _Probe(bot, t0)
    await bot.run([probe], discover_services=False)  # type: ignore[list-item]
    return probe.started, probe.answered


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=12000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-restart-") as tmp:
        folder, db = Path(tmp) / "articles", Path(tmp) / "bot.db"
        write_folder(folder, args.articles, args.seed)
        cold = await one_start(folder, db)
        warm = await one_start(folder, db)
    print(f"{args.articles} distinct articles (seed {args.seed}), SQLite")
    print(f"cold start: ready {cold[0]:.2f} s, first answer {cold[1]:.2f} s")
    print(f"warm restart, nothing changed: ready {warm[0]:.2f} s, first answer {warm[1]:.2f} s")
    print(f"warm / cold first answer: {warm[1] / cold[1]:.1%}")


if __name__ == "__main__":
    asyncio.run(main())
