"""Shared fixtures: where the third-party corpus lives (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__import__("os").environ.get("NEWSBOT_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus``; tests that need it skip with a reason when it is absent."""
    if not (CORPUS / "articles").is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (set NEWSBOT_CORPUS or check out ../shared)")
    return CORPUS


@pytest.fixture(autouse=True)
def _own_cache_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``newsbot digest`` caches in the user cache folder: tests get their own, never ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache-home")))
