"""The hostile-input zoo through ingest and ``newsbot digest``: each bad file is one clear
error naming it, every good article is kept, and nothing hangs, floods or crashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digests.ingest import load_paths, parse_bytes, parse_file
from digests.ingest.result import IngestFailure
from tests.zoo import alias_bomb, build_zoo, good_article


def _by_name(errors: list) -> dict[str, str]:
    return {os.path.basename(e.path): e.error for e in errors}


def test_every_hostile_file_is_one_error_naming_it_and_good_articles_are_kept(
    tmp_path: Path,
) -> None:
    zoo = build_zoo(tmp_path / "src", good=5)
    result = load_paths([tmp_path / "src"])
    errors = _by_name(result.errors)
    for name, fragment in zoo.hostile.items():
        assert name in errors, f"{name} not reported; errors: {sorted(errors)}"
        assert fragment in errors[name], (name, errors[name])
    assert len(result.errors) == len(zoo.hostile)
    titles = {os.path.basename(a.path or ""): a.title for a in result.articles}
    for name in zoo.good:
        assert name in titles
    for name, title in zoo.read_ok.items():
        assert titles[name] == title
    assert len(result.articles) == len(zoo.good) + len(zoo.read_ok)
    # every error can be printed and serialised (no lone surrogates from byte names)
    json.dumps([[e.path, e.error] for e in result.errors], ensure_ascii=False).encode("utf-8")


def test_a_fifo_named_on_its_own_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(IngestFailure, match="named pipe"):
        parse_file(tmp_path / "pipe.md")  # would block forever if opened
    result = load_paths([tmp_path / "pipe.md"])
    assert "named pipe" in result.errors[0].error


def test_a_symlink_to_a_good_file_inside_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text(good_article(1), encoding="utf-8")
    os.symlink("real.md", tmp_path / "alias.md")
    result = load_paths([tmp_path])
    assert len(result.articles) == 1  # the link is the same article: reported as a duplicate
    assert "duplicate of" in result.errors[0].error


@pytest.mark.parametrize("key", ["author", "bomb", "tags", "title"])
def test_a_yaml_alias_bomb_under_any_key_is_refused_before_it_expands(key: str) -> None:
    with pytest.raises(IngestFailure, match="expands to more than 5000 values"):
        parse_bytes(alias_bomb(key).encode(), "/tmp/bomb.md")


def test_an_impossible_date_in_an_unknown_field_is_kept_as_text() -> None:
    text = "---\ntitle: T\ndate: 2025-10-21\nupdated: 2025-02-30\n---\nBody. A sentence here.\n"
    article = parse_bytes(text.encode(), "/tmp/x.md")
    assert article.extra["updated"] == "2025-02-30"


def test_unknown_fields_are_stored_as_bounded_clean_data() -> None:
    text = '---\ntitle: T\ndate: 2025-10-21\nnote: "a\\0b\\x1bc"\nwhen: 2025-10-21\n---\nBody. A sentence.\n'
    article = parse_bytes(text.encode(), "/tmp/x.md")
    assert article.extra["note"] == "abc"
    assert article.extra["when"] == "2025-10-21"
    deep = "---\ntitle: T\ndate: 2025-10-21\nx: [[[[[[1]]]]]]\n---\nBody. A sentence.\n"
    with pytest.raises(IngestFailure, match="field 'x' is nested more than 4 levels"):
        parse_bytes(deep.encode(), "/tmp/x.md")


def test_titles_lose_bidi_overrides_and_zero_width_characters() -> None:
    text = '---\ntitle: "Pay \\u202eFDP.exe\\u200b\\u2066 now"\ndate: 2025-10-21\n---\nBody. A sentence.\n'
    assert parse_bytes(text.encode(), "/tmp/x.md").title == "Pay FDP.exe now"
    plain = "Pay \u202eFDP.exe\u200b now\nBody of the plain article. A sentence.\n"
    assert parse_bytes(plain.encode(), "/tmp/x.txt", mtime=0.0).title == "Pay FDP.exe now"


def test_newsbot_digest_json_on_the_zoo_names_every_bad_file_and_keeps_the_good(
    tmp_path: Path,
) -> None:
    zoo = build_zoo(tmp_path / "src", good=4)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "digest",
            "--format",
            "json",
            str(tmp_path / "src"),
        ],
        capture_output=True,
        timeout=300,  # a hang guard, not a timing assertion
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "NEWSBOT_DATABASE_URL": ""},
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    payload = json.loads(proc.stdout)
    errors = {os.path.basename(e["path"]): e["error"] for e in payload["errors"]}
    for name, fragment in zoo.hostile.items():
        assert fragment in errors.get(name, ""), (name, errors.get(name))
    titles = {s["title"] for s in payload["stories"]}
    for n in range(4):
        assert f"Good article number {n} survives the zoo" in titles
