"""Crash safety: a bot process SIGKILLed in the middle of fanning a digest out to many
channels, then restarted — every channel ends up with its digest exactly once.

The bot is a real subprocess (tests/bot/delivery_driver.py) running the delivery
loop on SQLite with a recording adapter that fsyncs each post to a file. The test
reads the process's progress from its stdout and kills it after a different number
of posts each run; the restarted process (its clock past the dead one's leases)
finishes the fan-out. No sleeps: the test blocks on the pipe, not on time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from .delivery_helpers import write_article

REPO = Path(__file__).resolve().parents[2]
CHANNELS = 40
SLOT = datetime(2026, 3, 2, 9, tzinfo=UTC)
KILL_AFTER = [1, 7, 16, 25, 33]  # posts seen before SIGKILL, one run each


def driver(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.bot.delivery_driver", *args]


def run_to_end(cmd: list[str]) -> str:
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def kill_after(cmd: list[str], posts: int) -> int:
    """Start the bot, SIGKILL it once it has reported ``posts`` posts; returns posts seen."""
    proc = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    seen = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("posted"):
            seen += 1
            if seen >= posts:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    proc.stdout.close()
    return seen


def unsent(db: Path) -> int:
    """Deliveries the killed process left not marked sent (read with the stdlib driver)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(
            conn.execute("SELECT count(*) FROM deliveries WHERE status != 'sent'").fetchone()[0]
        )


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for i, title in enumerate(
        ["Robot arms fold laundry", "AI chips double output", "Sea walls rise"]
    ):
        write_article(folder, f"s{i}-story", title, published=SLOT - timedelta(hours=i + 1))
    return folder


@pytest.mark.slow
def test_sigkill_mid_fan_out_then_restart_delivers_every_digest_exactly_once(
    tmp_path: Path, news: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = []
    for n, kill_at in enumerate(KILL_AFTER):
        db = f"sqlite+aiosqlite:///{tmp_path / f'crash{n}.db'}"
        log = tmp_path / f"posts{n}.log"
        common = ["--db", db, "--log", str(log), "--news", str(news), "--lease", "60"]
        run_to_end(
            driver(
                *common, "--now", (SLOT - timedelta(hours=1)).isoformat(), "--setup", str(CHANNELS)
            )
        )

        first = driver(
            *common, "--now", (SLOT + timedelta(seconds=30)).isoformat(), "--worker", "first"
        )
        seen = kill_after(first, kill_at)
        assert seen == kill_at, "the bot finished before it could be killed"
        before = len(log.read_text().splitlines())
        unsettled = unsent(tmp_path / f"crash{n}.db")
        assert unsettled > 0  # it really died mid fan-out: deliveries left claimed or pending

        # restart after the dead process's leases ran out
        out = run_to_end(
            driver(
                *common, "--now", (SLOT + timedelta(minutes=5)).isoformat(), "--worker", "second"
            )
        )
        resends = out.count("resend ")
        # a re-send is always flagged as not a first attempt, so a platform without
        # idempotent posts (Slack) knows to look for the earlier copy first
        assert "first=1" not in "".join(
            line for line in out.splitlines() if line.startswith("resend")
        )
        posts = [line.split("\t") for line in log.read_text().splitlines()]
        per_channel = Counter(channel for channel, _key, _worker in posts)
        assert len(per_channel) == CHANNELS, f"missing: {CHANNELS - len(per_channel)} channels"
        assert set(per_channel.values()) == {1}, per_channel.most_common(3)
        assert all(key.endswith("2026-03-02T09:00:00Z") for _c, key, _w in posts)
        lines.append(
            f"run {n + 1}: killed after {seen} posts ({before} on file, {unsettled} deliveries unsettled), restarted: "
            f"{len(per_channel)}/{CHANNELS} channels with exactly one digest; "
            f"re-sends absorbed by the idempotency key: {resends}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
