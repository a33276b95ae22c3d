"""End to end through the real CLI: ``newsbot console`` fed by stdin, ``newsbot stats --json``,
``newsbot db upgrade``, and ``newsbot run`` stopping cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

from digests.engine import build_stories
from digests.ingest import parse_file

from .helpers import ARTICLES

CLI = [sys.executable, "-c", "from bot.cli import main; main()"]


def write_sources(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for a in ARTICLES:
        tags = "".join(f"\n  - {t}" for t in a.tags)
        body = (
            f"---\ntitle: '{a.title}'\ndate: '{a.published.isoformat()}'\ntags:{tags}\n"
            f"source: {a.url}\n---\n{a.text}\n"
        )
        path = folder / f"{a.id}.md"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    write_sources(tmp_path / "articles")
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSBOT_", "SLACK_", "DISCORD_", "DATABASE_"))
    }
    return {
        **clean,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "NEWSBOT_SOURCES": str(tmp_path / "articles"),
        "NEWSBOT_ADAPTERS": "console",
    }


def refs(tmp_path: Path) -> dict[str, str]:
    """Article id → story ref, computed with the same engine the bot uses."""
    articles = [parse_file(p) for p in sorted((tmp_path / "articles").iterdir())]
    by_title = {a.title: a for a in articles}
    stories = build_stories(articles)
    return {
        original.id: next(
            s.ref for s in stories if by_title[original.title].id in {m.id for m in s.articles}
        )
        for original in ARTICLES
    }


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        CLI + args, input=stdin, env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def squash(text: str) -> str:
    return " ".join(text.split())


def test_a_scripted_console_session_subscribes_posts_reacts_and_explains(
    tmp_path: Path, env: dict[str, str]
) -> None:
    ref = refs(tmp_path)
    robots, coast, cup = ref[ARTICLES[0].id], ref[ARTICLES[2].id], ref[ARTICLES[4].id]
    script = "\n".join(
        [
            "/news subscribe ai climate",
            "/news digest",
            f"+:thumbsup: {robots}",
            f"+:fire: {coast}",
            f"-:fire: {coast}",
            f"/news react {cup} 😴",
            "/news stats",
            "/news frobnicate the widgets",
            "/news react",
        ]
    )
    done = run_cli(
        ["console", "--channel", "newsroom", "--user", "ann"], env, tmp_path, script + "\n"
    )
    assert done.returncode == 0, done.stderr
    out = squash(done.stdout)
    assert "Traceback" not in done.stdout + done.stderr
    assert "Subscribed this channel to ai, climate" in out
    assert "posted to #newsroom" in out and "News digest: ai, climate · 4 stories" in out
    digest_part = out[out.index("News digest") : out.index("Posted a digest of 4 stories")]
    for article in ARTICLES[:4]:
        assert article.title in digest_part
    assert ARTICLES[4].title not in digest_part  # sport is not a subscribed topic
    assert f"reaction :thumbsup: added on [{robots}]" in out
    assert f"reaction :fire: removed on [{coast}]" in out
    assert "counts against it" in out  # 😴 by command
    assert "2 reactions from 1 person" in out
    assert f"[{robots}] {ARTICLES[0].title}" in out and "robots.example.com +1.0" in out
    assert "No stories about “frobnicate the widgets”" in out
    assert "give a story ref and one emoji Usage: /news react <ref> <emoji>" in out
    assert "`" not in out  # Slack/Discord code marks are drawn as style in a terminal

    # a second session sees the same database: nothing new to post, same subscriptions, and
    # the stories posted in the first session can still be reacted to by their refs
    again = run_cli(
        ["console", "--channel", "newsroom", "--no-ingest"],
        env,
        tmp_path,
        f"/news digest\n/news topics\n+:heart: {coast}\n+:heart: {cup}\n",
    )
    assert "Nothing new on ai, climate since this channel's last digest" in squash(again.stdout)
    assert "This channel follows: ai, climate." in squash(again.stdout)
    assert f"reaction :heart: added on [{coast}]" in squash(again.stdout)
    assert f"no story posted here has ref '{cup}'" in squash(
        again.stdout
    )  # never posted to this channel

    stats = run_cli(["stats", "--json", "--channel", "newsroom"], env, tmp_path)
    assert stats.returncode == 0, stats.stderr
    (channel,) = orjson.loads(stats.stdout)["channels"]
    assert channel["channel"] == "console:local:newsroom"
    assert channel["reactions"] == 3 and channel["people"] == 2
    assert {s["ref"]: s["score"] for s in channel["stories"]} == {
        robots: 1.0,
        coast: 1.0,
        cup: -1.0,
    }
    assert {t["topic"]: t["score"] for t in channel["topics"]}["ai"] == 1.0


def test_reingesting_the_same_sources_updates_rather_than_duplicates(
    tmp_path: Path, env: dict[str, str]
) -> None:
    first = run_cli(["console"], env, tmp_path, "/news digest\n")
    (tmp_path / "articles" / f"{ARTICLES[4].id}.md").write_text(
        (tmp_path / "articles" / f"{ARTICLES[4].id}.md")
        .read_text()
        .replace("extra time", "a penalty shoot-out"),
        encoding="utf-8",
    )
    second = run_cli(["console"], env, tmp_path, "/news penalty\n/news cup\n")
    assert first.returncode == second.returncode == 0
    out = squash(second.stdout)
    assert "1 story on “penalty”" in out and "1 story on “cup”" in out


def test_db_upgrade_reports_the_revision_and_bad_urls_are_explained(
    tmp_path: Path, env: dict[str, str]
) -> None:
    done = run_cli(["db", "upgrade"], env, tmp_path)
    assert done.returncode == 0 and "database is at revision" in done.stdout
    bad = run_cli(["db", "upgrade"], {**env, "DATABASE_URL": "mysql://x@y/z"}, tmp_path)
    assert bad.returncode == 2
    assert (
        "DATABASE_URL: must be a SQLite or PostgreSQL URL" in bad.stderr
        and "Traceback" not in bad.stderr
    )
    down = {
        **env,
        "DATABASE_URL": "postgresql://bob:hunter2@127.0.0.1:9/news",
    }  # nothing listens on 9
    for args in (["db", "current"], ["db", "upgrade"], ["stats"]):
        done = run_cli(args, down, tmp_path)
        assert done.returncode == 1, args
        assert (
            "cannot reach the database (postgresql+asyncpg://bob:***@127.0.0.1:9/news)"
            in done.stderr
        ), args
        assert "hunter2" not in done.stderr and "Traceback" not in done.stderr, args


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_run_stops_cleanly_on_signals(
    tmp_path: Path, env: dict[str, str], sig: signal.Signals
) -> None:
    proc = subprocess.Popen(
        [*CLI, "run"],
        env={**env, "LOG_LEVEL": "INFO"},
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    try:
        seen = []
        while not any("started the console adapter" in line for line in seen):
            seen.append(lines.get(timeout=60))
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    while not lines.empty():
        seen.append(lines.get())
    log = "".join(seen)
    assert "ingested 5 articles (5 new" in log and "newsbot stopped" in log
    assert "Traceback" not in log


def test_run_explains_an_adapter_that_cannot_start_without_a_traceback(
    tmp_path: Path, env: dict[str, str]
) -> None:
    slack = {
        **env,
        "NEWSBOT_ADAPTERS": "slack",
        "SLACK_BOT_TOKEN": "xoxb-not-a-real-token",
        "SLACK_APP_TOKEN": "xapp-not-a-real-token",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    done = run_cli(["run"], slack, tmp_path)
    assert done.returncode == 1
    assert "the slack adapter could not start" in done.stderr and "SLACK_API_URL" in done.stderr
    assert "Traceback" not in done.stderr and "not-a-real-token" not in done.stderr
    assert "newsbot stopped" in done.stderr  # storage and services were closed on the way out
