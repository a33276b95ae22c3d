"""`newsbot digest`: what a person or a script gets from the command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.cli._cache import load_analysed
from bot.cli.digest import _bar, digest_markdown, parse_since
from bot.settings import SAMPLES_DIR

WIRE = """---
title: Harbor Labs releases Tidewater model weights to everyone
date: 2026-11-18
source: https://wire.example/2026/11/18/tidewater
tags: [AI, Open Source]
---
Harbor Labs on Tuesday published the full weights of its Tidewater language model, the largest release of its kind this year.

“Closed models are a dead end for science,” chief executive Mara Quillfeather said at a press event in Oslo. “We would rather be copied than ignored.”

The model was trained on 4.2 trillion tokens and cost roughly $38 million to build, according to the company. Researchers at Kelpwater University tested it first.
"""
REWRITE = """---
title: "Tidewater goes open: what Harbor Labs' bet means"
date: 2026-11-19
source: https://blog.example/tidewater-open
tags: [Ai]
---
Another lab has thrown its doors open, and this one is big.

Harbor Labs made Tidewater downloadable for anyone, weights included. “Closed models are a dead end for science,” said Mara Quillfeather, who runs the company, adding: “We would rather be copied than ignored.”

The numbers: $38 million in compute and 4.2 trillion tokens of training text, with early tests by Kelpwater University.
"""
FLOOD = """---
title: River barrier holds back the highest surge since 1987
date: 2026-11-20
source: https://coast.example/barrier
tags: [Climate]
---
The movable barrier in Veldhaven held back a storm surge on Wednesday night, protecting about 40,000 homes, officials said. Water rose 2.9 metres above normal.
"""


def _folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["digest", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _folder(
        tmp_path,
        **{
            "wire.md": WIRE,
            "rewrite.md": REWRITE,
            "flood.md": FLOOD,
            "broken.md": "---\ntitle: [unclosed\n---\nbody",
        },
    )


def test_json_follows_the_contract(folder: Path) -> None:
    code, out, err = run(str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"stories", "errors"}
    assert len(data["stories"]) == 2
    story = next(s for s in data["stories"] if len(s["articles"]) == 2)
    assert set(story) == {
        "id",
        "title",
        "url",
        "source",
        "published",
        "summary",
        "topics",
        "quotes",
        "articles",
    }
    assert story["title"] == "Harbor Labs releases Tidewater model weights to everyone"
    assert story["source"] == "wire.example"
    assert story["published"].startswith("2026-11-18")
    assert story["summary"].startswith("Harbor Labs on Tuesday published the full weights")
    assert story["topics"][:2] == ["ai", "open-source"]
    assert [a["path"] for a in story["articles"]] == [
        str(folder / "wire.md"),
        str(folder / "rewrite.md"),
    ]
    assert set(story["articles"][0]) == {"id", "title", "url", "source", "path", "published"}
    assert story["quotes"] and all(
        set(q) == {"text", "speaker", "key", "how"} for q in story["quotes"]
    )
    assert any(
        q["key"] and q["speaker"] == "Mara Quillfeather" and q["how"] == "tail.subject-verb"
        for q in story["quotes"]
    )  # which rule found the speaker (digests/quotes/RULES.md)
    assert data["errors"] == [
        {"path": str(folder / "broken.md"), "error": data["errors"][0]["error"]}
    ]
    assert "broken.md" in err  # errors summarised on stderr too


def test_text_shows_stories_and_summarises_errors_on_stderr(folder: Path) -> None:
    code, out, err = run(str(folder))
    assert code == 0
    assert "Harbor Labs releases Tidewater model weights to everyone" in out
    assert "Also covered by: blog.example" in out
    assert "Mara Quillfeather" in out
    assert "broken.md" not in out
    assert "1 source could not be read (3 articles read):" in err
    assert "Reading articles" not in err  # no progress bar when stderr is not a terminal


def test_markdown_has_a_section_per_story(folder: Path) -> None:
    code, out, _ = run(str(folder), "--format", "markdown")
    assert code == 0
    assert out.startswith("# News digest")
    assert out.count("\n## ") == 2
    assert (
        "[Harbor Labs releases Tidewater model weights to everyone](<https://wire.example/2026/11/18/tidewater>)"
        in out
    )


def test_topic_since_and_limit_filter(folder: Path) -> None:
    titles = lambda out: [s["title"] for s in json.loads(out)["stories"]]  # noqa: E731
    assert titles(
        run(str(folder), "--format", "json", "--topic", "artificial intelligence")[1]
    ) == ["Harbor Labs releases Tidewater model weights to everyone"]
    assert titles(run(str(folder), "--format", "json", "--topic", "CLIMATE")[1]) == [
        "River barrier holds back the highest surge since 1987"
    ]
    assert titles(run(str(folder), "--format", "json", "--since", "2026-11-20")[1]) == [
        "River barrier holds back the highest surge since 1987"
    ]
    assert len(titles(run(str(folder), "--format", "json", "--limit", "1")[1])) == 1


def test_repeated_topic_gives_stories_on_any_of_them(folder: Path) -> None:
    code, out, _ = run(str(folder), "--format", "json", "--topic", "ai", "--topic", "climate")
    assert code == 0
    assert sorted(s["title"] for s in json.loads(out)["stories"]) == [
        "Harbor Labs releases Tidewater model weights to everyone",
        "River barrier holds back the highest surge since 1987",
    ]
    code, out, _ = run(str(folder), "--topic", "ai", "--topic", "climate")
    assert "News digest: ai, climate" in out
    code, out, _ = run(str(folder), "--topic", "zebras", "--topic", "unicorns")
    assert "no story has topic 'zebras' or 'unicorns'" in out


def test_every_story_is_listed_without_limit_or_since(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"s{i}.md").write_text(
            f"---\ntitle: Harbour note number {i}\ndate: 2026-11-{i % 28 + 1:02d}\n"
            f"source: https://n{i}.example/x\n---\nThe harbour office posted note number {i} today.\n",
            encoding="utf-8",
        )
    code, out, _ = run(str(tmp_path), "--format", "json")
    assert code == 0
    assert len(json.loads(out)["stories"]) == 30


def test_without_paths_the_bundled_samples_are_used() -> None:
    code, out, _ = run("--format", "json")
    assert code == 0
    paths = [a["path"] for s in json.loads(out)["stories"] for a in s["articles"]]
    assert paths and all(Path(p).parent == SAMPLES_DIR.resolve() for p in paths)


def test_nothing_readable_is_an_error_naming_the_files(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    code, _, err = run(str(tmp_path))
    assert code == 1
    assert "empty.md" in err
    assert "nothing could be read" in err
    code, _, err = run(str(tmp_path / "missing"))
    assert code == 1 and "missing" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "is not a date"),
        (["--limit", "0"], "--limit"),
        (["--format", "yaml"], "--format"),
        (["--topic", " - "], "give a topic such as ai"),
    ],
)
def test_wrong_arguments_are_usage_errors(folder: Path, args: list[str], message: str) -> None:
    code, _, err = run(str(folder), *args)
    assert code == 2
    assert message in err


def test_since_accepts_dates_times_and_ages() -> None:
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    assert parse_since("2026-11-20", now=now) == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_since("2026-11-20T09:30:00+01:00", now=now) == datetime(
        2026, 11, 20, 8, 30, tzinfo=UTC
    )
    assert parse_since("3d", now=now) == datetime(2026, 11, 18, 12, tzinfo=UTC)
    assert parse_since("12h", now=now) == datetime(2026, 11, 21, 0, tzinfo=UTC)


def test_reading_with_a_progress_bar_gives_the_same_result(tmp_path: Path) -> None:
    import io

    from rich.console import Console
    from rich.progress import Progress

    from digests.ingest import load_paths

    for i in range(2100):
        (tmp_path / f"a{i:04d}.md").write_text(
            f"---\ntitle: Note {i}\ndate: 2026-11-01\nsource: https://n.example/{i % 2050}\n---\n"
            f"The harbour office posted note {i} today.\n",
            encoding="utf-8",
        )
    (tmp_path / "empty").mkdir()
    screen = io.StringIO()
    with Progress(console=Console(file=screen, force_terminal=True)) as progress:
        shown, analyses = load_analysed(
            [str(tmp_path), str(tmp_path / "empty")], None, bar=lambda d: _bar(progress, d)
        )
    plain = load_paths([str(tmp_path), str(tmp_path / "empty")], workers=1)
    assert set(analyses) == {a.id for a in shown.articles}
    assert [a.id for a in shown.articles] == [a.id for a in plain.articles]
    assert len(shown.articles) == 2050
    assert [(e.path, e.error) for e in shown.errors] == [(e.path, e.error) for e in plain.errors]
    assert len(shown.errors) == 51  # 50 duplicate URLs and the empty folder, each named
    reading, analysing = progress.tasks
    assert reading.description == "Reading articles"
    assert reading.completed == reading.total == 2100  # every file
    assert analysing.description == "Analysing articles"
    assert analysing.completed == analysing.total == 2050  # every distinct text
    assert "Reading articles" in screen.getvalue()


def test_markdown_shows_article_text_literally() -> None:
    from digests.models import Article, Digest, Story

    article = Article(
        id="abc123def",
        title="Price *cut* to $5 [update] <b>now</b> #1 & more",
        text="…",
        url="https://odd.example/a b>c",
        source="odd.example",
    )
    story = Story(id=article.id, primary=article, summary="1984. That year the office opened.")
    out = digest_markdown(Digest(title="News digest", stories=(story,)))
    assert (
        "## 1. [Price \\*cut\\* to $5 \\[update\\] \\<b\\>now\\</b\\> \\#1 \\& more]"
        "(<https://odd.example/a%20b%3Ec>)"
    ) in out
    assert "\n1984\\. That year the office opened.\n" in out  # not an ordered list item


def test_plain_text_rewrite_is_named_by_its_headline_not_as_an_outlet(tmp_path: Path) -> None:
    _folder(tmp_path, **{"wire.md": WIRE})
    (tmp_path / "notes.txt").write_text(
        "Tidewater weights are out\n\nHarbor Labs made Tidewater downloadable for anyone. "
        "“Closed models are a dead end for science,” Mara Quillfeather said. “We would rather "
        "be copied than ignored.” It cost $38 million and used 4.2 trillion tokens, with tests "
        "by Kelpwater University.\n",
        encoding="utf-8",
    )
    code, out, _ = run(str(tmp_path))
    assert code == 0
    assert "Also covered by: “Tidewater weights are out”" in out


NOTES = (
    "Tidewater weights are out\n\nHarbor Labs made Tidewater downloadable for anyone. "
    "“Closed models are a dead end for science,” Mara Quillfeather said. “We would rather "
    "be copied than ignored.” It cost $38 million and used 4.2 trillion tokens, with tests "
    "by Kelpwater University.\n"
)
LONE_NOTE = (
    "Ferry timetable changes for winter\n\nThe harbour ferry will run every forty minutes "
    "from Monday, the operator said, down from every twenty.\n"
)


def test_an_undated_article_takes_its_storys_date_not_its_files_time(tmp_path: Path) -> None:
    # the plain-text rewrite was written today (its mtime), the story it joins is from 18 Nov
    _folder(tmp_path, **{"wire.md": WIRE, "notes.txt": NOTES})
    code, out, _ = run(str(tmp_path), "--since", "2026-11-25")
    assert code == 0
    assert "Harbor Labs releases Tidewater" not in out
    assert "No stories match --since 2026-11-25 (the newest article is from 18 Nov 2026)" in out

    code, out, _ = run(str(tmp_path), "--since", "2026-11-18", "--format", "json")
    (story,) = json.loads(out)["stories"]
    assert story["published"].startswith("2026-11-18")
    dates = {Path(a["path"]).name: a["published"] for a in story["articles"]}
    assert dates["wire.md"].startswith("2026-11-18") and dates["notes.txt"] is None


def test_a_story_with_no_dated_article_is_shown_undated_and_left_out_by_since(
    tmp_path: Path,
) -> None:
    _folder(tmp_path, **{"wire.md": WIRE, "ferry.txt": LONE_NOTE})
    code, out, err = run(str(tmp_path))
    assert code == 0
    ferry = out[out.index("Ferry timetable changes for winter") :]
    assert "undated" in ferry.splitlines()[1]  # its meta line says so, no made-up date
    assert "--since" not in err

    code, out, err = run(str(tmp_path), "--since", "2026-11-01")
    assert "Harbor Labs releases Tidewater" in out and "Ferry timetable" not in out
    assert (
        "newsbot: --since left out 1 undated story (no article in them gives a date; "
        "a file's modification time is not used): Ferry timetable changes for winter." in err
    )
    code, out, _ = run(str(tmp_path), "--format", "markdown")
    assert "*undated · ref `" in out


def test_duplicates_are_reported_apart_from_unreadable_files(folder: Path) -> None:
    (folder / "copy.md").write_text(WIRE, encoding="utf-8")  # same URL, same article id
    code, _, err = run(str(folder), "--format", "json")
    assert code == 0
    assert "1 source could not be read, 1 duplicate skipped (3 articles read):" in err
    # folders are read in name order, so copy.md is the first seen and wire.md the copy
    assert err.index("broken.md") < err.index(f"wire.md: duplicate of {folder / 'copy.md'}")


def test_an_empty_since_says_how_new_the_newest_article_is(folder: Path) -> None:
    code, out, _ = run(str(folder), "--since", "2026-12-01")
    assert code == 0
    assert "No stories match --since 2026-12-01 (the newest article is from 20 Nov 2026)" in out
    code, out, _ = run(
        str(folder), "--since", "2026-12-01", "--topic", "AI", "--format", "markdown"
    )
    assert "the newest article on AI is from 19 Nov 2026" in out


def test_an_unknown_topic_lists_the_topics_the_stories_have(folder: Path) -> None:
    code, out, _ = run(str(folder), "--topic", "zebras")
    assert code == 0
    hint = next(line for line in out.splitlines() if "zebras" in line and "No stories" in line)
    assert "no story has topic 'zebras'; topics seen most:" in hint
    assert "ai (1)" in out and "climate (1)" in out


def test_json_keeps_its_contract_and_gives_the_hint_on_stderr(folder: Path) -> None:
    code, out, err = run(str(folder), "--topic", "zebras", "--format", "json")
    assert code == 0
    assert json.loads(out)["stories"] == []
    assert "newsbot: No stories match: no story has topic 'zebras'" in err
