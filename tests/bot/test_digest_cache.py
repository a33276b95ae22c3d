"""The ``newsbot digest`` cache: unchanged files are not read or analysed again, changed ones
are, and a broken or busy cache costs a warning, never the digest."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import bot.cli._cache as cache_mod
import digests.analysis as analysis_mod
import digests.ingest.sources as sources_mod
from bot.cli import cli

from .test_cli_digest import FLOOD, REWRITE, WIRE


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name, text in (("wire.md", WIRE), ("rewrite.md", REWRITE), ("flood.md", FLOOD)):
        (articles / name).write_text(text, encoding="utf-8")
    (articles / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    return articles


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The files parsed and the articles analysed during a run."""
    seen: dict[str, list[str]] = {"parsed": [], "analysed": []}
    parse, analyse = sources_mod._load_one, analysis_mod.analyse

    def parsing(path: str, out: list) -> None:
        seen["parsed"].append(Path(path).name)
        parse(path, out)

    def analysing(article, **kwargs):
        seen["analysed"].append(article.title)
        return analyse(article, **kwargs)

    monkeypatch.setattr(sources_mod, "_load_one", parsing)
    monkeypatch.setattr(analysis_mod, "analyse", analysing)
    return seen


def digest(*args: str) -> tuple[int, dict, str]:
    result = CliRunner().invoke(cli, ["digest", "--format", "json", *args])
    payload = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, payload, result.stderr


def test_a_second_run_reads_and_analyses_nothing_and_prints_the_same(
    folder: Path, tmp_path: Path, work: dict[str, list[str]]
) -> None:
    cache = tmp_path / "cache"
    code, first, _ = digest("--cache-dir", str(cache), str(folder))
    assert code == 0
    assert sorted(work["parsed"]) == ["broken.md", "flood.md", "rewrite.md", "wire.md"]
    assert len(work["analysed"]) == 3
    work["parsed"].clear()
    work["analysed"].clear()

    code, second, stderr = digest("--cache-dir", str(cache), str(folder))
    assert code == 0
    assert work == {"parsed": [], "analysed": []}
    assert second == first
    assert len(first["stories"]) == 2  # the rewrite joined the wire story
    assert [e["path"] for e in second["errors"]] == [str(folder / "broken.md")]  # still reported
    assert "broken.md" in stderr


def test_only_a_changed_file_is_read_and_analysed_again(
    folder: Path, tmp_path: Path, work: dict[str, list[str]]
) -> None:
    cache = tmp_path / "cache"
    digest("--cache-dir", str(cache), str(folder))
    work["parsed"].clear()
    work["analysed"].clear()
    (folder / "flood.md").write_text(
        FLOOD.replace("River barrier holds", "Veldhaven barrier holds"), encoding="utf-8"
    )
    code, payload, _ = digest("--cache-dir", str(cache), str(folder))
    assert code == 0
    assert work["parsed"] == ["flood.md"]
    assert work["analysed"] == ["Veldhaven barrier holds back the highest surge since 1987"]
    assert any(s["title"].startswith("Veldhaven") for s in payload["stories"])


def test_a_copy_of_a_known_text_is_read_but_not_analysed(
    folder: Path, tmp_path: Path, work: dict[str, list[str]]
) -> None:
    cache = tmp_path / "cache"
    digest("--cache-dir", str(cache), str(folder))
    work["analysed"].clear()
    copy = FLOOD.replace("coast.example/barrier", "mirror.example/barrier")
    (folder / "mirror.md").write_text(copy, encoding="utf-8")
    code, _, _ = digest("--cache-dir", str(cache), str(folder))
    assert code == 0
    assert work["analysed"] == []  # same title and text: the stored analysis serves


def test_a_corrupt_cache_is_rebuilt_with_a_warning(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, expected, _ = digest("--no-cache", str(folder))
    cache.mkdir()
    (cache / cache_mod.FILE_NAME).write_bytes(b"this is not a database" * 100)
    code, payload, stderr = digest("--cache-dir", str(cache), str(folder))
    assert code == 0
    assert payload == expected
    assert "unreadable" in stderr and "rebuilding" in stderr
    code, payload, stderr = digest("--cache-dir", str(cache), str(folder))
    assert code == 0 and payload == expected and "unreadable" not in stderr


def test_corrupt_rows_are_analysed_again(
    folder: Path, tmp_path: Path, work: dict[str, list[str]]
) -> None:
    cache = tmp_path / "cache"
    _, expected, _ = digest("--cache-dir", str(cache), str(folder))
    with sqlite3.connect(cache / cache_mod.FILE_NAME) as conn:
        conn.execute("UPDATE analyses SET data = x'00ff'")
        conn.execute("UPDATE files SET items = x'00ff'")
    work["parsed"].clear()
    work["analysed"].clear()
    code, payload, _ = digest("--cache-dir", str(cache), str(folder))
    assert code == 0 and payload == expected
    assert len(work["parsed"]) == 4 and len(work["analysed"]) == 3


def test_a_new_engine_analyses_again_and_drops_the_old_rows(
    folder: Path, tmp_path: Path, work: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    digest("--cache-dir", str(cache), str(folder))
    work["analysed"].clear()
    monkeypatch.setattr(analysis_mod, "engine_version", lambda: "999.test")
    monkeypatch.setattr(analysis_mod, "ingest_version", lambda: "999.test")
    code, _, _ = digest("--cache-dir", str(cache), str(folder))
    assert code == 0 and len(work["analysed"]) == 3
    with sqlite3.connect(cache / cache_mod.FILE_NAME) as conn:
        versions = {v for (v,) in conn.execute("SELECT version FROM analyses")}
    assert versions == {"999.test"}


def test_a_busy_cache_costs_a_warning_not_the_digest(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _, expected, _ = digest("--cache-dir", str(cache), str(folder))
    (folder / "flood.md").write_text(FLOOD.replace("2.9 metres", "3 metres"), encoding="utf-8")
    _, expected, _ = digest("--no-cache", str(folder))
    monkeypatch.setattr(cache_mod, "BUSY_TIMEOUT_S", 0.1)
    other = sqlite3.connect(cache / cache_mod.FILE_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another run in the middle of writing
    try:
        code, payload, stderr = digest("--cache-dir", str(cache), str(folder))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 0 and payload == expected
    assert "busy" in stderr or "locked" in stderr


def test_no_cache_writes_nothing_and_the_default_is_the_user_cache_folder(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert digest("--no-cache", str(folder))[0] == 0
    assert not home.exists()
    assert digest(str(folder))[0] == 0
    assert (home / "newsbot" / cache_mod.FILE_NAME).is_file()


def test_cache_info_and_clear(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runner = CliRunner()
    assert "no cache yet" in runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache)]).stdout
    digest("--cache-dir", str(cache), str(folder))
    info = runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache)]).stdout
    assert str(cache / cache_mod.FILE_NAME) in info and "4 files, 3 analyses" in info
    cleared = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0 and "deleted" in cleared.stdout
    assert not (cache / cache_mod.FILE_NAME).exists()
    assert "no cache at" in runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cache)]).stdout


def test_different_posts_under_one_url_each_keep_their_story_from_the_cache(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared-url"
    folder.mkdir()
    (folder / "wire.md").write_text(WIRE, encoding="utf-8")
    flood = FLOOD.replace(
        "https://coast.example/barrier", "https://wire.example/2026/11/18/tidewater"
    )
    (folder / "flood.md").write_text(flood, encoding="utf-8")
    cache = tmp_path / "cache"
    _, expected, _ = digest("--no-cache", str(folder))
    assert len(expected["stories"]) == 2
    for _ in range(2):  # cold, then warm
        code, payload, _ = digest("--cache-dir", str(cache), str(folder))
        assert code == 0 and payload == expected


def test_the_same_set_of_articles_is_not_clustered_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digests.cluster as cluster_mod

    cache = tmp_path / "cache"
    calls: list[int] = []
    real = cluster_mod.cluster

    def counting(articles, **kwargs):
        calls.append(len(articles))
        return real(articles, **kwargs)

    monkeypatch.setattr(cluster_mod, "cluster", counting)
    _, first, _ = digest("--cache-dir", str(cache), str(folder))
    _, second, _ = digest("--cache-dir", str(cache), str(folder))
    assert calls == [3] and second == first
    (folder / "flood.md").write_text(FLOOD.replace("2026-11-20", "2026-11-21"), encoding="utf-8")
    _, third, _ = digest("--cache-dir", str(cache), str(folder))
    assert calls == [3, 3]  # a date changed: clustered again
    assert third["stories"][0]["articles"] and len(third["stories"]) == 2
