"""Start-up a person can live with: a restart answers from the database while the sources
are read in the background, and SIGTERM stops the bot within 2 s at any moment."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from bot.cli import main; main()"]
REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, sources: list[Path]) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_", "DATABASE_"))
    }
    return {
        **clean,
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "NEWSBOT_SOURCES": ",".join(str(s) for s in sources),
        "NEWSBOT_ADAPTERS": "console",
        "LOG_LEVEL": "INFO",
    }


class _Bot:
    """``newsbot run`` as a real subprocess, its log lines collected as they come."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [*CLI, "run"],
            env=env,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        stderr = self.proc.stderr
        assert stderr is not None
        threading.Thread(target=lambda: [self.lines.put(x) for x in stderr], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.seen):
            self.seen.append(self.lines.get(timeout=max(0.1, deadline - time.monotonic())))

    def stop_within(self, seconds: float) -> float:
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return time.monotonic() - started

    def log(self) -> str:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)


@pytest.mark.slow
def test_sigterm_during_the_first_ingest_stops_within_two_seconds(
    tmp_path: Path, corpus_dir: Path
) -> None:
    env = _env(tmp_path, [corpus_dir / "articles", corpus_dir / "articles-more"])
    bot = _Bot(env, tmp_path)
    bot.wait_for("reading sources")
    elapsed = bot.stop_within(2)
    assert elapsed <= 2.0, f"took {elapsed:.1f} s to stop"
    assert bot.proc.returncode == 0 and "Traceback" not in bot.log()


@pytest.mark.slow
def test_a_restart_answers_before_the_background_ingest_and_stops_within_two_seconds(
    tmp_path: Path, corpus_dir: Path
) -> None:
    env = _env(tmp_path, [corpus_dir / "articles"])
    first = _Bot(env, tmp_path)
    first.wait_for("started the console adapter", timeout=300)
    assert first.stop_within(2) <= 2.0

    again = _Bot(env, tmp_path)
    again.wait_for("started the console adapter")
    assert not any("background ingest done" in line for line in again.seen)
    assert again.proc.stdin is not None
    again.proc.stdin.write("/news help\n")
    again.proc.stdin.flush()
    elapsed = again.stop_within(2)
    assert elapsed <= 2.0, f"took {elapsed:.1f} s to stop"
    log = again.log()
    assert "Traceback" not in log and "newsbot stopped" in log
