"""Article identity that loses nothing: one URL may be a live page saved as it grows (the
newest version wins) or a placeholder shared by unrelated posts (each stays an article)."""

from __future__ import annotations

import random
from pathlib import Path

from digests.ingest import load_paths


def _write(folder: Path, name: str, title: str, url: str, date: str, body: str) -> None:
    folder.joinpath(name).write_text(
        f"---\ntitle: '{title}'\ndate: '{date}'\nsource: {url}\n---\n{body}\n", encoding="utf-8"
    )


TRACKER = "https://news.example/live/storm-tracker"
PLACEHOLDER = "https://blog.example/post"
STORM = (
    "Storm Ingrid reached the coast of Brittany on Monday night with winds of 150 km/h. "
    "Ferries between Roscoff and Plymouth were cancelled and schools stayed shut. "
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a-tracker-1.md", "Storm Ingrid live: landfall", TRACKER, "2026-01-05", STORM)
    _write(
        folder,
        "b-tracker-2.md",
        "Storm Ingrid live: power cuts spread",
        TRACKER,
        "2026-01-06",
        STORM + "By Tuesday 80,000 homes had no power, the grid operator said.",
    )
    _write(
        folder,
        "c-post-1.md",
        "Our favourite sourdough recipe",
        PLACEHOLDER,
        "2026-02-01",
        "Mix flour, water and salt; fold every half hour and bake in a hot Dutch oven.",
    )
    _write(
        folder,
        "d-post-2.md",
        "Quarterly results beat forecasts",
        PLACEHOLDER,
        "2026-02-03",
        "Revenue rose 12 percent to 4.1 million euros, the company told shareholders.",
    )
    _write(
        folder,
        "e-copy.md",
        "Quarterly results beat forecasts",
        PLACEHOLDER,
        "2026-02-03",
        "Revenue rose 12 percent to 4.1 million euros, the company told shareholders.",
    )
    return folder


def test_a_live_page_keeps_its_newest_version_and_unrelated_posts_all_stay(
    tmp_path: Path,
) -> None:
    result = load_paths([_folder(tmp_path)])
    titles = sorted(a.title for a in result.articles)
    assert titles == [
        "Our favourite sourdough recipe",
        "Quarterly results beat forecasts",
        "Storm Ingrid live: power cuts spread",  # the newest version of the tracker
    ]
    assert len({a.id for a in result.articles}) == 3
    reasons = {Path(e.path).name: e.error for e in result.errors}
    assert set(reasons) == {"a-tracker-1.md", "e-copy.md"}  # nothing left out unreported
    assert (
        "older version" in reasons["a-tracker-1.md"]
        and "b-tracker-2.md" in reasons["a-tracker-1.md"]
    )
    assert "same headline and text" in reasons["e-copy.md"]


def test_identity_does_not_depend_on_the_order_files_are_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    files = sorted(folder.iterdir())
    expected = {(a.id, a.title) for a in load_paths(files).articles}
    rng = random.Random(3)
    for _ in range(6):
        rng.shuffle(files)
        assert {(a.id, a.title) for a in load_paths(files).articles} == expected


def test_no_different_article_of_the_corpus_is_dropped_as_a_duplicate(corpus_dir: Path) -> None:
    folders = [corpus_dir / "articles", corpus_dir / "articles-more"]
    files = sorted(p for f in folders for p in f.iterdir() if p.suffix in (".md", ".txt"))
    result = load_paths(folders)
    assert len(result.articles) + len(result.errors) == len(files)
    # every file not kept on its own names the kept article it duplicates
    kept = {a.path for a in result.articles}
    for error in result.errors:
        assert "duplicate of" in error.error and any(k and k in error.error for k in kept)
