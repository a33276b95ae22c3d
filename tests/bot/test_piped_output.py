"""Piped output (a file, grep, a bug report): no trailing spaces, nothing cut short."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from adapters.base import ChannelRef
from adapters.console import ConsoleAdapter, ConsoleConfig
from adapters.console.render import StripTrailingSpaces, output_console
from bot.cli import cli
from bot.cli.status import render
from digests.models import Digest, Story
from tests import factories

LONG_PATH = (
    "/tmp/" + "/".join(["a-rather-long-folder-name"] * 8) + "/bot/samples/2026-11-18-tidewater.md"
)
CRON = "cron 0 7,12,18 * * mon-fri (Europe/Lisbon)"


def _story(sid: str) -> Story:
    return factories.story(
        factories.article(sid, "Harbor Labs opens Tidewater", published=None),
        summary="A summary long enough to be indented and wrapped " * 4,
        quotes=[factories.quote("We would rather be copied than ignored", "Mara Quillfeather")],
    )


def _trailing(text: str) -> list[str]:
    return [line for line in text.splitlines() if line != line.rstrip()]


def test_the_stripping_stream_keeps_inner_spaces_and_drops_line_end_spaces() -> None:
    out = io.StringIO()
    stream = StripTrailingSpaces(out)
    for chunk in ("a  b   ", "\n", "  c   ", "d  \n  ", "e"):
        stream.write(chunk)
    assert out.getvalue() == "a  b\n  c   d\n  e"


async def test_piped_console_adapter_lines_have_no_trailing_spaces() -> None:
    out = io.StringIO()
    adapter = ConsoleAdapter(
        ConsoleConfig(input=io.StringIO(""), output=out), _noop_command, _noop_reaction
    )
    digest = Digest(title="Morning digest", stories=(_story("aa11"), _story("bb22")))
    await adapter.send(ChannelRef("console", "local", "general"), digest, idempotency_key="k")
    text = out.getvalue()
    assert "Harbor Labs opens Tidewater" in text and "Mara Quillfeather" in text
    assert _trailing(text) == []


async def _noop_command(request: object) -> object:
    raise AssertionError("no command expected")


async def _noop_reaction(event: object) -> None:
    raise AssertionError("no reaction expected")


def test_piped_digest_lines_have_no_trailing_spaces(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Barrier holds back the surge\ndate: 2026-11-20\nsource: https://coast.example/b\n---\n"
        "The movable barrier in Veldhaven held back a storm surge on Wednesday night, protecting about "
        "40,000 homes, officials said. “It held,” said Ines Maartens. Water rose 2.9 metres above normal.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["digest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Barrier holds back the surge" in result.stdout
    assert _trailing(result.stdout) == []


def _status_data() -> dict[str, object]:
    return {
        "now": "2026-11-22T01:00:00+00:00",
        "sources": [
            {
                "source": LONG_PATH,
                "kind": "file",
                "last_scan": "2026-11-22T00:55:00+00:00",
                "last_ok": "2026-11-22T00:55:00+00:00",
                "items": 3,
                "failures": 0,
                "failing": False,
                "last_error": None,
            }
        ],
        "channels": [
            {
                "channel": "console:local:general-news-for-the-whole-team",
                "topics": ["ai", "climate"],
                "schedule": CRON,
                "next_run": "2026-11-23T07:00:00+00:00",
                "last_slot": None,
                "alerts": False,
                "alert_topics": [],
            }
        ],
        "deliveries": {"sent": 4},
        "failed": [],
        "retrying": [],
    }


def test_piped_status_shows_full_paths_channels_and_schedules() -> None:
    out = io.StringIO()
    render(_status_data(), file=out)
    text = out.getvalue()
    assert LONG_PATH in text
    assert "console:local:general-news-for-the-whole-team" in text
    assert CRON in text
    assert "…" not in text
    assert _trailing(text) == []


def test_a_terminal_console_is_left_as_rich_makes_it() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    assert output_console(tty, width=40).file is tty
    assert isinstance(output_console(io.StringIO()).file, StripTrailingSpaces)
