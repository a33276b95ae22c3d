"""load_paths: folders, globs, mixed inputs, duplicates; one bad file never stops the run."""

from __future__ import annotations

from pathlib import Path

from digests.ingest import load_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def article(title: str, url: str, body: str = "Officials confirmed the change on Monday.") -> str:
    return f"---\ntitle: {title}\ndate: 2025-10-21\nsource: {url}\n---\n{body}\n"


def test_a_folder_is_read_recursively_in_order_with_feeds_and_without_hidden_files(
    tmp_path: Path,
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text(article("Two", "https://x.example/2"), encoding="utf-8")
    (tmp_path / "one.md").write_text(article("One", "https://x.example/1"), encoding="utf-8")
    (tmp_path / "feed.xml").write_bytes((FIXTURES / "feed_atom.xml").read_bytes())
    (tmp_path / ".hidden.md").write_text(article("Hidden", "https://x.example/h"), encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\x00")
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == [
        "Two",
        "Telescope spots water on distant moon",
        "One",
    ]
    assert result.errors == []


def test_bad_files_become_errors_and_the_rest_still_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(article("Good", "https://x.example/g"), encoding="utf-8")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "broken.md").write_text("---\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = load_paths([tmp_path])
    assert [a.title for a in result.articles] == ["Good"]
    reasons = {Path(e.path).name: e.error for e in result.errors}
    assert set(reasons) == {"empty.md", "broken.md", "binary.txt"}
    assert "empty file" in reasons["empty.md"]
    assert "invalid YAML" in reasons["broken.md"]
    assert "binary" in reasons["binary.txt"]


def test_the_same_article_twice_is_loaded_once_and_reported(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        article("Story", "https://x.example/s?utm_source=rss"), encoding="utf-8"
    )
    (tmp_path / "b.md").write_text(
        article("Story again", "https://www.x.example/s"), encoding="utf-8"
    )
    result = load_paths([tmp_path, tmp_path / "a.md"])
    assert [a.title for a in result.articles] == ["Story"]
    assert len(result.errors) == 2
    assert all("duplicate of" in e.error and e.error.count("a.md") == 1 for e in result.errors)


def test_globs_and_missing_specs(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text(article("One", "https://x.example/1"), encoding="utf-8")
    (tmp_path / "two.txt").write_text("Plain title\nA plain body sentence.\n", encoding="utf-8")
    result = load_paths(
        [str(tmp_path / "*.md"), str(tmp_path / "nothing-*.md"), str(tmp_path / "gone.md")]
    )
    assert [a.title for a in result.articles] == ["One"]
    assert [(Path(e.path).name, e.error) for e in result.errors] == [
        ("nothing-*.md", "no files match this pattern"),
        ("gone.md", "no such file or folder; check the path"),
    ]


def test_parallel_parsing_gives_the_same_result_in_the_same_order(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"{i:02d}.md").write_text(
            article(f"Story {i}", f"https://x.example/{i}"), encoding="utf-8"
        )
    (tmp_path / "07.md").write_bytes(b"")  # an error in the middle keeps its place too
    (tmp_path / "dup.md").write_text(article("Copy", "https://x.example/3"), encoding="utf-8")
    sequential = load_paths([tmp_path], workers=1)
    parallel = load_paths([tmp_path], workers=2)
    assert parallel.articles == sequential.articles
    assert parallel.errors == sequential.errors
    assert [a.title for a in parallel.articles][:3] == ["Story 0", "Story 1", "Story 2"]
    assert len(parallel.errors) == 2


def test_results_from_worker_processes_keep_every_field(tmp_path: Path) -> None:
    text = article("Story", "https://x.example/1").replace(
        "---\n", "---\ntags: [AI, Robots]\nreadTime: 4 min\nsection: Labs\n", 1
    )
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "b.md").write_bytes(b"")
    sequential = load_paths([tmp_path], workers=1)
    parallel = load_paths([tmp_path], workers=2)  # articles come back pickled from the workers
    (one,), (other,) = sequential.articles, parallel.articles
    assert other == one and other.tags == ("AI", "Robots")
    assert (
        other.extra == one.extra and other.extra["section"] == "Labs"
    )  # extra is not compared by ==
    assert parallel.errors == sequential.errors


def test_progress_is_reported_per_chunk_up_to_every_file(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"{i}.md").write_text(
            article(f"Story {i}", f"https://x.example/{i}"), encoding="utf-8"
        )
    for workers in (1, 2):
        calls: list[tuple[int, int]] = []
        result = load_paths(
            [tmp_path], workers=workers, on_progress=lambda d, t, c=calls: c.append((d, t))
        )
        assert len(result.articles) == 5
        assert calls[0] == (0, 5) and calls[-1] == (5, 5)
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
