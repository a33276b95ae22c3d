"""`newsbot run` on a folder holding the hostile zoo: it starts, reads the good articles,
names the bad files in its log, and starts again the same way (issue 11: the alias bomb
under an unknown key crashed every start-up, a symlink loop gave a traceback)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.bot.test_startup import _Bot, _env
from tests.zoo import build_zoo


def _stored_titles(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("select title from articles")}


def test_newsbot_run_starts_and_restarts_on_the_zoo(tmp_path: Path) -> None:
    zoo = build_zoo(tmp_path / "news", good=3)
    env = _env(tmp_path, [tmp_path / "news"])
    env["NEWSBOT_POLL_INTERVAL"] = "3600"
    for _ in range(2):  # the first start, then a restart on the same database
        bot = _Bot(env, tmp_path)
        try:
            bot.wait_for("started the console adapter", timeout=300)
            bot.wait_for("ingest", timeout=300)
        finally:
            bot.stop_within(30)
        log = bot.log()
        assert bot.proc.returncode == 0, log[-3000:]
        assert "Traceback" not in log
    titles = _stored_titles(tmp_path / "bot.db")
    assert {f"Good article number {n} survives the zoo" for n in range(3)} <= titles
    assert set(zoo.read_ok.values()) <= titles
