"""``newsbot cache``: where ``newsbot digest`` keeps parsed files and analyses, and clearing it."""

from __future__ import annotations

from pathlib import Path

import click

_DIR_OPTION = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The cache folder given to 'newsbot digest --cache-dir' (default: the user cache folder).",
)


@click.group("cache")
def command() -> None:
    """The 'newsbot digest' cache: unchanged files are not read or analysed again."""


@command.command("info")
@_DIR_OPTION
def info(cache_dir: Path | None) -> None:
    """Where the cache is, its size, and how many files and analyses it holds."""
    import sqlite3

    from ._cache import FILE_NAME, default_dir

    path = (cache_dir or default_dir()) / FILE_NAME
    if not path.exists():
        click.echo(f"{path}: no cache yet (the next 'newsbot digest' creates it)")
        return
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
            analyses = conn.execute("SELECT count(*) FROM analyses").fetchone()[0]
        held = f"{files} files, {analyses} analyses"
    except sqlite3.Error as exc:
        held = f"unreadable ({exc}); the next run rebuilds it, or run 'newsbot cache clear'"
    click.echo(f"{path}: {size / 1048576:.1f} MB, {held}")


@command.command("clear")
@_DIR_OPTION
def clear(cache_dir: Path | None) -> None:
    """Delete the cache; the next 'newsbot digest' reads and analyses everything afresh."""
    from ._cache import FILE_NAME, default_dir
    from ._cache import clear as clear_cache

    directory = cache_dir or default_dir()
    freed = clear_cache(directory)
    if freed:
        click.echo(f"deleted {directory / FILE_NAME} ({freed / 1048576:.1f} MB)")
    else:
        click.echo(f"no cache at {directory / FILE_NAME}")
