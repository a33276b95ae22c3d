"""Tab completion in the console: subcommands, their fixed words, and the catalog's topics."""

from __future__ import annotations

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from adapters.console.completion import NewsCompleter, grammar_of

USAGES = {
    "alerts": "/news alerts [on [topic...] | off]",
    "digest": "/news digest",
    "help": "/news help",
    "schedule": '/news schedule [daily 09:00 [Europe/Berlin] | weekdays 08:30 | cron "0 9 * * 1-5" | off]',
    "share": "/news share <ref>",
    "subscribe": '/news subscribe <topic>... (quote a multi-word topic: "machine learning")',
    "stats": "/news stats",
}
TOPICS = ["climate", "ai", "machine learning", "space"]


def options(line: str, topics: list[str] | None = TOPICS) -> list[str]:
    completer = NewsCompleter(USAGES, (lambda: topics) if topics is not None else None)
    return [c.text for c in completer.get_completions(Document(line), CompleteEvent())]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/n", ["/news"]),
        ("q", ["quit"]),
        ("/news su", ["subscribe"]),
        ("/news s", ["schedule", "share", "stats", "subscribe", "space"]),
        ("/news cl", ["climate"]),  # "/news <topic>"
        ("/news alerts ", ["on", "off"]),
        ("/news alerts o", ["on", "off"]),
        ("/news alerts on ", ["ai", "climate", '"machine learning"', "space"]),
        ("/news alerts off ", []),
        ("/news subscribe ", ["ai", "climate", '"machine learning"', "space"]),
        ("/news subscribe ai cl", ["climate"]),
        ("/news subscribe ai ", ["climate", '"machine learning"', "space"]),  # not ai again
        ('/news subscribe "mach', ['"machine learning"']),
        ("/news SUBSCRIBE m", ['"machine learning"']),
        ("/news schedule ", ["daily", "weekdays", "cron", "off"]),
        ("/news share ", []),  # a ref is not guessed
        ("/news ai ", []),  # the topic lookup takes the rest of the line
        ("hello there", []),
    ],
)
def test_what_tab_offers(line: str, expected: list[str]) -> None:
    assert options(line) == expected


def test_the_whole_word_under_the_cursor_is_replaced() -> None:
    completer = NewsCompleter(USAGES, lambda: TOPICS)
    (completion,) = completer.get_completions(Document('/news subscribe "mach'), CompleteEvent())
    assert completion.start_position == -len('"mach')
    assert completion.text == '"machine learning"'


def test_without_a_catalog_or_with_a_failing_one_subcommands_still_complete() -> None:
    assert options("/news ", topics=None) == sorted(USAGES)

    def broken() -> list[str]:
        raise RuntimeError("catalog not loaded")

    completer = NewsCompleter(USAGES, broken)
    got = [c.text for c in completer.get_completions(Document("/news d"), CompleteEvent())]
    assert got == ["digest"]


def test_usage_lines_are_read_into_what_may_follow() -> None:
    alerts = grammar_of("alerts", USAGES["alerts"])
    assert alerts.words == ("on", "off") and alerts.topics_after == {"on"}
    assert grammar_of("subscribe", USAGES["subscribe"]).topics
    assert grammar_of("share", USAGES["share"]).words == ()
