"""``newsbot digest``: read articles or feeds, print the stories (text, JSON or Markdown).

No database and no chat platform: this is the engine on the command line, for a
first look at a folder of articles and for other tools (``--format json`` is a
stable contract). Imports beyond click stay inside the function so that
``newsbot --help`` and the other subcommands start fast.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.progress import Progress

    from digests.models import Digest, IngestError, Story

    from ._cache import DigestCache

PROGRESS_MIN_FILES = 500  # below this a progress bar only flickers
ERRORS_SHOWN = 10
DUPLICATE_PREFIX = "duplicate of "  # how digests.ingest.dedupe words a skipped copy
_RELATIVE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """``2025-10-21``, an ISO date-time (UTC when no zone) or ``3d``/``12h``/``2w``/``90m`` ago."""
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date; use YYYY-MM-DD, an ISO time like 2025-10-21T09:00, "
            "or an age like 3d, 12h, 2w"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _since_option(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    ctx.meta["since_text"] = value  # as typed, for the "no stories match" hint
    try:
        return parse_since(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _topic_option(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    from digests.topics import normalize_topic

    for topic in value:
        if not normalize_topic(topic):
            raise click.BadParameter(
                f"{topic!r} has no letters or digits; give a topic such as ai or climate",
                ctx=ctx,
                param=param,
            )
    return value


def on_topics(stories: list[Story], topics: tuple[str, ...]) -> list[Story]:
    """Stories on any of ``topics`` (all stories when none are given), order kept."""
    from digests.topics import matches

    if not topics:
        return stories
    return [s for s in stories if any(matches(s.topics, t) for t in topics)]


def _topics_text(topics: tuple[str, ...]) -> str:
    """``ai``, ``'ai' or 'climate'`` — how a hint names the topics asked for."""
    return " or ".join(repr(t) for t in topics)


# --- when nothing matches -------------------------------------------------------------

TOPICS_SHOWN = 8
NO_MATCH = "No stories match."


def no_match_hint(
    stories: list[Story],
    *,
    topics: tuple[str, ...] = (),
    since: datetime | None,
    since_text: str | None = None,
) -> str:
    """Why a filtered digest came out empty, naming the filter that emptied it and what the
    articles do have (the topics seen most, or the newest article's date), so the next try works."""
    from collections import Counter

    pool = on_topics(stories, topics)
    if topics and not pool:
        seen = Counter(t for s in stories for t in s.topics).most_common(TOPICS_SHOWN)
        listed = ", ".join(f"{t} ({n})" for t, n in seen) if seen else "none (no story has a topic)"
        return (
            f"No stories match: no story has topic {_topics_text(topics)}; "
            f"topics seen most: {listed}"
        )
    if since is not None:
        from digests.engine import own_date

        dates = [d for s in pool for a in s.articles if (d := own_date(a)) is not None]
        on = f" on {' or '.join(topics)}" if topics else ""
        newest = (
            f"the newest article{on} is from {max(dates):%d %b %Y}"
            if dates
            else f"no article{on} has a date"
        )
        return f"No stories match --since {since_text or since.isoformat()} ({newest})"
    return NO_MATCH


# --- output formats -----------------------------------------------------------------


def story_json(story: Story) -> dict[str, Any]:
    """One story in the ``--format json`` contract: ``published`` is the story's date (its
    primary's, else its newest dated article's), each article's own date or null."""
    from digests.engine import own_date, story_date

    published = story_date(story)
    return {
        "id": story.id,
        "title": story.title,
        "url": story.url,
        "source": story.source,
        "published": published.isoformat() if published else None,
        "summary": story.summary,
        "topics": list(story.topics),
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "key": q.key, "how": q.how or None}
            for q in story.quotes
        ],
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "url": a.url,
                "source": a.source,
                "path": a.path,
                "published": date.isoformat() if (date := own_date(a)) else None,
            }
            for a in story.articles
        ],
    }


def digest_json(digest: Digest, errors: list[IngestError]) -> bytes:
    import orjson

    payload = {
        "stories": [story_json(s) for s in digest.stories],
        "errors": [{"path": e.path, "error": e.error} for e in errors],
    }
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")
# What would turn the start of a paragraph into a list, heading or rule ("1984. That…").
_MD_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])")
_URL_UNSAFE = re.compile(r"[\s<>]")


def _md(text: str) -> str:
    """Article text as literal Markdown: no emphasis, links, HTML or entities from it."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_paragraph(text: str) -> str:
    """:func:`_md` for text that starts a line, where "1. " or "- " would make a list."""
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", _md(text))


def _md_url(url: str) -> str:
    """A URL safe inside ``<…>``: spaces and angle brackets percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m[0]):02X}", url)


def digest_markdown(digest: Digest, *, empty_message: str = NO_MATCH) -> str:
    """The digest as Markdown: one section per story, key quotes as block quotes
    (``empty_message`` when there are none)."""
    from adapters.console.render import also_covered_by

    lines = [f"# {_md(digest.title)}", ""]
    for number, story in enumerate(digest.stories, start=1):
        title = f"[{_md(story.title)}](<{_md_url(story.url)}>)" if story.url else _md(story.title)
        lines.append(f"## {number}. {title}")
        meta = [_md(m) for m in (story.source, _date(story)) if m] + [f"ref `{story.ref}`"]
        lines += ["", "*" + " · ".join(meta) + "*", ""]
        if story.summary:
            lines += [_md_paragraph(story.summary), ""]
        for quote in story.key_quotes:
            speaker = f" — {_md(quote.speaker)}" if quote.speaker else ""
            lines += [f"> “{_md(quote.text)}”{speaker}", ""]
        others = also_covered_by(story)
        if others:
            lines += [f"Also covered by: {_md(others)}", ""]
    if not digest.stories:
        lines += [_md_paragraph(empty_message), ""]
    return "\n".join(lines)


def _date(story: Story) -> str:
    from digests.engine import story_date

    published = story_date(story)
    return published.strftime("%Y-%m-%d") if published else "undated"


# --- loading ------------------------------------------------------------------------


def _open_cache(directory: Path | None) -> DigestCache | None:
    from ._cache import DigestCache, default_dir

    return DigestCache.open(
        directory or default_dir(), warn=lambda m: click.echo(f"newsbot: {m}", err=True)
    )


def _bar(progress: Progress, description: str) -> Callable[[int, int], None]:
    """A new bar on ``progress`` as an ``on_progress(done, total)`` callback."""
    task = progress.add_task(description, total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)
        progress.refresh()  # no refresh thread (see the command)

    return advance


UNDATED_SHOWN = 3


def report_undated(stories: list[Story], since: datetime | None) -> str | None:
    """What ``--since`` left out for having no date at all (plain-text files without a
    date in front matter): the count and some titles, so nothing vanishes silently."""
    from digests.engine import story_date

    if since is None:
        return None
    undated = [s for s in stories if story_date(s) is None]
    if not undated:
        return None
    titles = "; ".join(s.title for s in undated[:UNDATED_SHOWN])
    more = f" and {len(undated) - UNDATED_SHOWN} more" if len(undated) > UNDATED_SHOWN else ""
    return (
        f"--since left out {len(undated)} undated {'story' if len(undated) == 1 else 'stories'}"
        " (no article in them gives a date; a file's modification time is not used): "
        f"{titles}{more}. Give the files a date: in front matter to include them."
    )


def _report_errors(errors: list[IngestError], read: int) -> None:
    """One summary on stderr: unreadable sources first (they need action), then duplicates."""
    if not errors:
        return
    duplicates = [e for e in errors if e.error.startswith(DUPLICATE_PREFIX)]
    unreadable = [e for e in errors if not e.error.startswith(DUPLICATE_PREFIX)]
    parts = []
    if unreadable:
        parts.append(f"{_count(len(unreadable), 'source')} could not be read")
    if duplicates:
        parts.append(f"{_count(len(duplicates), 'duplicate')} skipped")
    click.echo(f"\n{', '.join(parts)} ({_count(read, 'article')} read):", err=True)
    shown = (unreadable + duplicates)[:ERRORS_SHOWN]
    for error in shown:
        click.echo(f"  {error.path}: {error.error}", err=True)
    if len(errors) > len(shown):
        click.echo(
            f"  … and {len(errors) - len(shown)} more (--format json lists them all)", err=True
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _show_progress(sources: list[str]) -> bool:
    """A progress bar only for people watching a big run: stderr is a terminal, many files."""
    if not sys.stderr.isatty():
        return False
    count = 0
    for source in sources:
        if os.path.isdir(source):
            for _root, _dirs, names in os.walk(source):
                count += len(names)
                if count >= PROGRESS_MIN_FILES:
                    return True
        else:
            count += 1
    return count >= PROGRESS_MIN_FILES


# --- the command --------------------------------------------------------------------


@click.command("digest")
@click.argument("sources", nargs=-1, metavar="[PATH_OR_URL]...")
@click.option(
    "--topic",
    "topics",
    multiple=True,
    callback=_topic_option,
    help="Only stories on this topic (case- and form-insensitive: AI, ai, robots); "
    "repeat for stories on any of several: --topic ai --topic climate.",
)
@click.option(
    "--since",
    metavar="DATE",
    callback=_since_option,
    help="Only stories with an article on or after DATE (YYYY-MM-DD, ISO time, or 3d/12h/2w).",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most N stories (default: all).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for documents.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where parsed files and analyses are kept between runs "
    "(default: the user cache folder, ~/.cache/newsbot on Linux; see 'newsbot cache').",
)
@click.option("--no-cache", is_flag=True, help="Read and analyse every file afresh; use no cache.")
def command(
    sources: tuple[str, ...],
    topics: tuple[str, ...],
    since: datetime | None,
    limit: int | None,
    fmt: str,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Print a digest of the articles in PATH_OR_URL (files, folders, globs, RSS/Atom URLs).

    With no PATH_OR_URL, the bundled sample articles are used. Files unchanged since an
    earlier run are neither read nor analysed again (see --cache-dir, --no-cache).
    """
    from digests.engine import make_digest, stories_for

    from ._cache import cluster_cached, load_analysed

    if not sources:
        from bot.settings import SAMPLES_DIR

        sources = (str(SAMPLES_DIR),)
    source_list = list(sources)

    progress = None
    if _show_progress(source_list):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        # Redrawn by hand (no refresh thread): reading forks worker processes, and
        # forking while another thread holds a lock is how child processes hang.
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,
        )
        progress.start()
    try:
        cache = None if no_cache else _open_cache(cache_dir)
        try:
            bar = (lambda description: _bar(progress, description)) if progress else None
            result, analyses = load_analysed(source_list, cache, bar=bar)
            # everything is analysed by now: clustering and stories only read the analyses
            groups = cluster_cached(result.articles, analyses, cache)
        finally:
            if cache is not None:
                cache.close()
        if not result.articles:
            _report_errors(result.errors, 0)
            raise click.ClickException(
                "nothing could be read from " + ", ".join(source_list) + " (see the errors above)"
                if result.errors
                else "no articles found in " + ", ".join(source_list)
            )
        stories = stories_for(groups, analyses=analyses)
    finally:
        if progress:
            progress.stop()

    title = f"News digest: {', '.join(topics)}" if topics else "News digest"
    digest = make_digest(on_topics(stories, topics), title=title, since=since, limit=limit)
    empty = NO_MATCH
    if not digest.stories:
        since_text = click.get_current_context().meta.get("since_text")
        empty = no_match_hint(stories, topics=topics, since=since, since_text=since_text)
    if fmt == "json":
        sys.stdout.flush()
        sys.stdout.buffer.write(digest_json(digest, result.errors))
        sys.stdout.buffer.flush()
        if not digest.stories:  # the JSON contract stays as it is; the hint is for the person
            click.echo(f"newsbot: {empty}", err=True)
    elif fmt == "markdown":
        click.echo(digest_markdown(digest, empty_message=empty))
    else:
        from adapters.console.render import output_console, print_digest

        print_digest(digest, output_console(sys.stdout, soft_wrap=False), empty_message=empty)
    undated = report_undated(on_topics(stories, topics), since)
    if undated:
        click.echo(f"newsbot: {undated}", err=True)
    _report_errors(result.errors, len(result.articles))
