"""Two bot processes on one PostgreSQL database race for the same digest slots and the
same new stories: each (channel, slot) digest and each (channel, story) alert is posted
once — by unique keys and claims alone (``FOR UPDATE SKIP LOCKED``), with an adapter
that does NOT de-duplicate by idempotency key. Half the channels have alerts on: they
get the day's story as an alert, and so no digest repeating it.

Needs NEWSBOT_TEST_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test);
each run uses a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from .delivery_helpers import write_article

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CHANNELS = 60
DAY1 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncio.wait_for(asyncpg.connect(_dsn(url)), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    url = os.environ.get("NEWSBOT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip(
            "NEWSBOT_TEST_POSTGRES_URL is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)"
        )
    schema = f"race_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(url, f'CREATE SCHEMA "{schema}"'))
    except (OSError, TimeoutError, Exception) as exc:  # unreachable server, bad credentials
        pytest.skip(
            f"PostgreSQL at NEWSBOT_TEST_POSTGRES_URL is not reachable: {type(exc).__name__}: {exc}"
        )
    try:
        yield url, schema
    finally:
        asyncio.run(_admin(url, f'DROP SCHEMA "{schema}" CASCADE'))


def driver(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.bot.delivery_driver", *args]


def test_two_processes_racing_on_postgres_post_each_slot_once(
    pg_schema: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, schema = pg_schema
    news = tmp_path / "news"
    news.mkdir()
    log = tmp_path / "posts.log"
    common = [
        "--db",
        url,
        "--schema",
        schema,
        "--log",
        str(log),
        "--news",
        str(news),
        "--no-idempotent",
    ]
    setup = subprocess.run(
        driver(
            *common,
            "--now",
            (DAY1 - timedelta(hours=1)).isoformat(),
            "--setup",
            str(CHANNELS),
            "--alerts",
        ),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr

    summary = []
    for day in range(2):  # two slots, both processes started together for each
        slot = DAY1 + timedelta(days=day)
        before = len(log.read_text().splitlines()) if log.exists() else 0
        write_article(
            news, f"d{day}-story", f"AI story of day {day}", published=slot - timedelta(hours=2)
        )
        now = (slot + timedelta(seconds=5)).isoformat()
        procs = [
            subprocess.Popen(
                driver(*common, "--now", now, "--worker", name),
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("alpha", "beta")
        ]
        outs = [p.communicate(timeout=180) for p in procs]
        for p, (out, err) in zip(procs, outs, strict=True):
            # 3 = finished its share while the other process held the remaining claims
            assert p.returncode in (0, 3), out + err
        today = [line.split("\t") for line in log.read_text().splitlines()[before:]]
        per_channel = Counter(c for c, _k, _w in today)
        assert len(per_channel) == CHANNELS and set(per_channel.values()) == {1}, (
            per_channel.most_common(3)
        )
        kinds = Counter(k.split(":")[0] for _c, k, _w in today)
        assert kinds == {"digest": CHANNELS // 2, "alert": CHANNELS // 2}, kinds
        assert all(
            k.endswith(slot.strftime("%Y-%m-%dT%H:%M:%SZ"))
            for _c, k, _w in today
            if k.startswith("digest")
        )
        by_worker = Counter(w for _c, _k, w in today)
        summary.append(
            f"day {slot:%Y-%m-%d}: {len(per_channel)}/{CHANNELS} channels posted exactly once "
            f"({kinds['digest']} digests for the {slot:%H:%M}Z slot, {kinds['alert']} alerts; "
            f"alpha {by_worker['alpha']}, beta {by_worker['beta']})"
        )
    with capsys.disabled():
        print("\n" + "\n".join(summary))


def test_two_processes_share_a_ten_channel_fan_out_on_postgres(
    pg_schema: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Claims are taken a few at a time, so a second process gets a share of even a small
    fan-out (before, the first process claimed up to 50 rows at once and the other idled)."""
    url, schema = pg_schema
    news = tmp_path / "news"
    news.mkdir()
    write_article(news, "share-story", "AI story to share", published=DAY1 - timedelta(hours=2))
    log = tmp_path / "posts.log"
    common = ["--db", url, "--schema", schema, "--log", str(log), "--news", str(news)]
    setup = subprocess.run(
        driver(*common, "--now", (DAY1 - timedelta(hours=1)).isoformat(), "--setup", "10"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr
    start_at = f"{time.time() + 8:.3f}"  # both past start-up by then, then both at once
    now = (DAY1 + timedelta(seconds=5)).isoformat()
    procs = [
        subprocess.Popen(
            driver(
                *common,
                "--now",
                now,
                "--worker",
                name,
                "--send-delay",
                "1.5",
                "--start-at",
                start_at,
            ),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode in (0, 3), out + err
    posts = [line.split("\t") for line in log.read_text().splitlines()]
    per_channel = Counter(c for c, _k, _w in posts)
    by_worker = Counter(w for _c, _k, w in posts)
    assert len(per_channel) == 10 and set(per_channel.values()) == {1}, per_channel
    assert by_worker["alpha"] >= 1 and by_worker["beta"] >= 1, by_worker
    with capsys.disabled():
        print(f"\n10 channels, two processes: alpha {by_worker['alpha']}, beta {by_worker['beta']}")
