"""Tab completion for the console: ``/news`` subcommands, their fixed words and topics.

The adapter cannot import the bot, so the bot hands it each subcommand's usage line
(``/news alerts [on [topic...] | off]``) and a function returning the catalog's topics;
what may follow a subcommand is read from its usage line, so a new command completes
without changes here.
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

log = logging.getLogger(__name__)

TopicsProvider = Callable[[], Iterable[str]]
PREFIX = "/news"
OTHER_LINES = ("quit",)
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Grammar:
    """What may follow one subcommand: fixed first words, and where topics go."""

    words: tuple[str, ...] = ()  # fixed first arguments ("on", "off")
    topics_after: frozenset[str] = field(default_factory=frozenset)  # literal → topics follow
    topics: bool = False  # every argument is a topic


def grammar_of(name: str, usage: str) -> Grammar:
    """Read a usage line: ``/news alerts [on [topic...] | off]`` → words on/off, topics after on."""
    rest = usage.split(" (", 1)[0]  # drop a trailing "(quote a multi-word topic: …)"
    rest = rest.removeprefix(PREFIX).strip().removeprefix(name).strip()
    if rest.startswith("<topic>"):
        return Grammar(topics=True)
    if rest.startswith("[") and rest.endswith("]"):
        rest = rest[1:-1]
    words: list[str] = []
    topics_after: set[str] = set()
    for alternative in _top_level_split(rest):
        first = alternative.strip().split(" ", 1)[0]
        if _WORD.match(first):
            words.append(first)
            if "topic" in alternative:
                topics_after.add(first)
    return Grammar(tuple(dict.fromkeys(words)), frozenset(topics_after))


def _top_level_split(text: str) -> list[str]:
    """Split on ``|`` outside brackets and quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "[":
            depth += 1
        elif not quoted and ch == "]":
            depth -= 1
        elif not quoted and depth == 0 and ch == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _quoted(topic: str) -> str:
    """A multi-word topic is typed in quotes (``"machine learning"``), as the commands expect."""
    return f'"{topic}"' if " " in topic else topic


class NewsCompleter(Completer):
    """Completes ``/news`` itself, then a subcommand or topic, then each command's arguments."""

    def __init__(self, usages: Mapping[str, str], topics: TopicsProvider | None = None) -> None:
        self.grammars = {name: grammar_of(name, usage) for name, usage in usages.items()}
        self._topics = topics

    def topics(self) -> list[str]:
        """The catalog's topics; a failing provider costs completion, never the prompt."""
        if self._topics is None:
            return []
        try:
            return sorted({str(t) for t in self._topics()})
        except Exception:
            log.exception("console: topics provider failed; completing without topics")
            return []

    def candidates(self, line: str) -> tuple[str, list[str]]:
        """``(word being typed, what it may become)`` for the text left of the cursor."""
        if not line.startswith(PREFIX + " "):
            word = line.lstrip()
            if " " in word:
                return word, []
            return word, [w for w in (PREFIX, *OTHER_LINES) if w.startswith(word)]
        body = line[len(PREFIX) + 1 :]
        args, word = _split_args(body)
        if not args:
            options = [*sorted(self.grammars), *map(_quoted, self.topics())]
        else:
            options = self._after(args)
        folded = word.lower().lstrip('"')
        seen = {a.lower().strip('"') for a in args}
        return word, [
            o
            for o in dict.fromkeys(options)
            if o.lower().lstrip('"').startswith(folded) and o.lower().strip('"') not in seen
        ]

    def _after(self, args: list[str]) -> list[str]:
        grammar = self.grammars.get(args[0].lower())
        if grammar is None:  # "/news <topic>" takes the whole rest as the topic
            return []
        if grammar.topics:
            return list(map(_quoted, self.topics()))
        if len(args) == 1:
            return list(grammar.words)
        if args[1].lower() in grammar.topics_after:
            return list(map(_quoted, self.topics()))
        return []

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        word, options = self.candidates(document.text_before_cursor)
        for option in options:
            yield Completion(option, start_position=-len(word))


def _split_args(body: str) -> tuple[list[str], str]:
    """Finished arguments and the word under the cursor (``""`` after a space)."""
    try:
        parts = shlex.split(body)
        open_quote = False
    except ValueError:  # an unclosed quote: the cursor is inside a quoted topic
        parts = shlex.split(body + '"')
        open_quote = True
    if open_quote:
        start = body.rfind('"')
        return parts[:-1], body[start:]
    if not body or body.endswith(" "):
        return parts, ""
    return parts[:-1], body.rsplit(" ", 1)[-1]
