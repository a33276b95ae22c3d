"""``parse_each``: what each file gives, one list per path, in order (what a per-file cache keeps)."""

from __future__ import annotations

from pathlib import Path

from digests.ingest import expand, load_paths, parse_each
from digests.models import IngestError

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Coast</title>
<item><title>Barrier holds</title><link>https://coast.example/a</link>
<description>The barrier held back the surge on Wednesday night, officials said.</description></item>
<item><title>Ferries resume</title><link>https://coast.example/b</link>
<description>Ferries to the island resumed on Friday after six weeks of repairs.</description></item>
</channel></rss>"""


def test_each_path_gets_its_own_results_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: One\ndate: 2026-01-02\n---\nThe first article's text.\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    (tmp_path / "c.xml").write_text(FEED, encoding="utf-8")
    paths = [p for p, error in expand([tmp_path]) if error is None]
    assert [Path(p).name for p in paths] == ["a.md", "b.md", "c.xml"]
    for workers in (1, 2):
        per_path = parse_each(paths, workers=workers)
        assert [a.title for a in per_path[0]] == ["One"]
        assert len(per_path[1]) == 1 and isinstance(per_path[1][0], IngestError)
        assert [a.title for a in per_path[2]] == ["Barrier holds", "Ferries resume"]
    flat = [a.id for items in per_path for a in items if not isinstance(a, IngestError)]
    assert flat == [a.id for a in load_paths([tmp_path]).articles]
