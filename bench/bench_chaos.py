"""Chaos benchmark: ``kill -9`` a real ``newsbot run`` at a random point of a 40-channel
Discord fan-out, restart it at once, and count what the channels got.

Each trial is a fresh SQLite database and a fresh fake Discord (tests/fakes/discord.py,
REST + gateway on 127.0.0.1, 5 messages per channel per 5 s like Discord's bucket,
nonce de-duplication like Discord's ``enforce_nonce``). 40 channels are scheduled for a
digest that is due at once; the bot (a real subprocess: migrations, ingest, discord.py
gateway, delivery loop) starts fanning it out, and is SIGKILLed when the fake has seen a
random number of messages. A new process is started immediately on the same database.
The trial ends when every message of every channel's digest is in its channel (then
2 s more, to catch late duplicates) or after ``--timeout`` seconds.

Per trial it prints: messages seen before the kill, duplicates (a message shown twice
in one channel), losses (a message of a digest never shown), and time to recover (from
the restart to the digest's last message in the last channel). First, as the baseline,
the same fan-out without a kill: how long an undisturbed start-to-last-message takes.

Articles are derived from ../shared/corpus/articles (titles and bodies, read in place,
written to a temporary folder with fresh dates), or generated when the corpus is absent.

    .venv/bin/python bench/bench_chaos.py [--trials 20] [--channels 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from adapters.base import ChannelRef  # noqa: E402
from bot.storage import Storage  # noqa: E402
from bot.storage.delivery_store import DeliveryStore  # noqa: E402
from tests.fakes.discord import TOKEN, FakeDiscord  # noqa: E402

CORPUS = Path(os.environ.get("NEWSBOT_CORPUS", REPO.parent / "shared" / "corpus")) / "articles"
GUILD = 7 << 22
FIRST_CHANNEL = 880_000
DIGEST_SIZE = 5


def write_articles(folder: Path, count: int, now: datetime) -> None:
    """``count`` articles published in the last hours: real titles and bodies from the
    corpus when it is there (read in place), else generated ones."""
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(CORPUS.glob("*.md"))[: count * 3] if CORPUS.is_dir() else []
    written = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        parts = text.split("---", 2)
        if len(parts) < 3:
            continue
        title = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", parts[1], re.M)
        body = parts[2].strip()
        if title is None or len(body) < 200:
            continue
        _write(folder, written, title.group(1), body, now)
        written += 1
        if written == count:
            return
    for i in range(written, count):
        words = " ".join(f"w{(i * 7919 + j * 104729) % 5003}" for j in range(120))
        _write(
            folder, i, f"Generated story {i} about harbour {i * 13}", f"Report {i}. {words}.", now
        )


def _write(folder: Path, i: int, title: str, body: str, now: datetime) -> None:
    published = (now - timedelta(minutes=30 + 3 * i)).isoformat()
    safe_title = title.replace("'", "''")
    (folder / f"a{i:03d}.md").write_text(
        f"---\ntitle: '{safe_title}'\ndate: '{published}'\ntags:\n  - News\n"
        f"source: 'https://outlet{i}.example.org/story/{i}'\n---\n{body}\n",
        encoding="utf-8",
    )


@dataclass
class Trial:
    kill_at: int
    seen_at_kill: int
    duplicates: int
    losses: int
    recover_s: float | None  # None: not complete within the timeout


def channel_ids(n: int) -> list[int]:
    return [FIRST_CHANNEL + i for i in range(n)]


async def prepare(db: Path, channels: list[int], now: datetime) -> None:
    storage = Storage(f"sqlite+aiosqlite:///{db}")
    await storage.upgrade()
    store = DeliveryStore(storage)
    due = now - timedelta(minutes=1)
    for cid in channels:
        ref = ChannelRef("discord", str(GUILD), str(cid))
        await store.set_schedule(ref, f"daily {due:%H:%M} UTC", since=now - timedelta(days=1))
    await storage.aclose()


def start_bot(
    workdir: Path, db: Path, news: Path, fake: FakeDiscord, tag: str
) -> subprocess.Popen[bytes]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_"))
    }
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
            "NEWSBOT_SOURCES": str(news),
            "NEWSBOT_ADAPTERS": "discord",
            "NEWSBOT_DIGEST_SIZE": str(DIGEST_SIZE),
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_ID": str(GUILD),
            "LOG_LEVEL": "WARNING",
        }
    )
    log = open(workdir / f"bot-{tag}.log", "wb")  # the child holds it; closed when it ends
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        cwd=workdir,  # no developer .env is read
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def expected_parts(db: Path) -> dict[int, int]:
    """Channel → messages its digest has (header + stories), from the outbox."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.channel, d.story_ids FROM deliveries d JOIN channels c ON c.id = d.channel_id"
        ).fetchall()
    return {int(ch): 1 + len(json.loads(ids)) for ch, ids in rows}


def shown(fake: FakeDiscord, cid: int) -> list[tuple[str, str]]:
    """What a person sees in the channel: each message's text and its embed's title."""
    return [
        (m["content"], m["embeds"][0].get("title", "") if m["embeds"] else "")
        for m in fake.channels[cid].messages
    ]


def total(fake: FakeDiscord) -> int:
    return sum(len(c.messages) for c in fake.channels.values())


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def wait_for(fake: FakeDiscord, predicate, within: float) -> bool:  # type: ignore[no-untyped-def]
    try:
        await fake.wait_until(predicate, within=within)
    except TimeoutError:
        return False
    return True


async def one_trial(
    base: Path, n: int, channels: int, kill_at: int | None, within: float
) -> tuple[Trial, float]:
    work = base / f"trial{n:02d}"
    work.mkdir()
    now = datetime.now(UTC)
    news = work / "news"
    write_articles(news, 30, now)
    db = work / "bot.db"
    ids = channel_ids(channels)
    await prepare(db, ids, now)
    planned = channels * (1 + DIGEST_SIZE)
    async with FakeDiscord(guilds={GUILD: ids}, channel_window=5.0) as fake:
        started = time.perf_counter()
        first = start_bot(work, db, news, fake, "first")
        procs = [first]
        try:
            seen = 0
            restarted = started
            if kill_at is not None:
                if not await wait_for(fake, lambda: total(fake) >= kill_at, within):
                    raise RuntimeError(f"trial {n}: the bot never posted {kill_at} messages")
                os.kill(first.pid, signal.SIGKILL)
                first.wait()
                seen = total(fake)
                restarted = time.perf_counter()
                procs.append(start_bot(work, db, news, fake, "second"))

            def complete() -> bool:
                if total(fake) < planned:
                    return False
                want = expected_parts(db)
                return len(want) == channels and all(
                    len(set(shown(fake, c))) >= want[c] for c in ids
                )

            done = await wait_for(fake, complete, within)
            finished = time.perf_counter()
            await asyncio.sleep(2.0)  # late duplicates would show up now
        finally:
            for proc in procs:
                stop(proc)
        want = expected_parts(db)
        duplicates = sum(len(shown(fake, c)) - len(set(shown(fake, c))) for c in ids)
        losses = sum(max(0, want.get(c, 1 + DIGEST_SIZE) - len(set(shown(fake, c)))) for c in ids)
    trial = Trial(
        kill_at=kill_at or 0,
        seen_at_kill=seen,
        duplicates=duplicates,
        losses=losses,
        recover_s=(finished - restarted) if done else None,
    )
    return trial, finished - started


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--channels", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    planned = args.channels * (1 + DIGEST_SIZE)
    source = "corpus" if CORPUS.is_dir() else "generated"
    print(
        f"chaos: {args.channels} channels × {1 + DIGEST_SIZE} messages = {planned} per fan-out, "
        f"fake Discord on 127.0.0.1 (5 msgs/channel/5 s), SQLite, articles from the {source}"
    )
    with tempfile.TemporaryDirectory(prefix="newsbot-chaos-") as tmp:
        base = Path(tmp)
        baseline, took = await one_trial(base, 0, args.channels, None, args.timeout)
        print(
            f"baseline (no kill): start to last message {took:.1f} s, "
            f"duplicates {baseline.duplicates}, losses {baseline.losses}"
        )
        trials: list[Trial] = []
        for n in range(1, args.trials + 1):
            kill_at = rng.randint(1, planned - 1)
            trial, _ = await one_trial(base, n, args.channels, kill_at, args.timeout)
            trials.append(trial)
            recovered = f"{trial.recover_s:5.1f} s" if trial.recover_s is not None else "NOT DONE"
            print(
                f"trial {n:2d}: kill -9 after {trial.seen_at_kill:3d} messages "
                f"(aimed at {kill_at:3d}); duplicates {trial.duplicates}, losses {trial.losses}, "
                f"recovered {recovered} after the restart",
                flush=True,
            )
    times = sorted(t.recover_s for t in trials if t.recover_s is not None)
    dup = sum(t.duplicates for t in trials)
    lost = sum(t.losses for t in trials)
    within = sum(1 for t in times if t <= 60.0)
    print(
        f"overall: {len(trials)} trials, duplicates {dup}, losses {lost}, "
        f"complete within 60 s of the restart: {within}/{len(trials)}"
    )
    if times:
        print(
            f"time to recover: median {times[len(times) // 2]:.1f} s, "
            f"max {times[-1]:.1f} s, min {times[0]:.1f} s"
        )
    return 0 if dup == 0 and lost == 0 and within == len(trials) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
