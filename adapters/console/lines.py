"""What a line typed into the console chat means: a command, a reaction, or quitting."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REACTION = re.compile(r"^([+-])\s*(\S+)\s+(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class CommandLine:
    text: str  # after "/news"


@dataclass(frozen=True, slots=True)
class ReactionLine:
    added: bool
    emoji: str  # without colons
    ref: str


@dataclass(frozen=True, slots=True)
class Quit:
    pass


@dataclass(frozen=True, slots=True)
class Unknown:
    line: str


Line = CommandLine | ReactionLine | Quit | Unknown | None


def parse_line(line: str) -> Line:
    """``/news ai`` → CommandLine; ``+:thumbsup: 3f9a1c`` → ReactionLine; blank → None."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    if line in ("quit", "exit", "/quit", "/exit"):
        return Quit()
    if line == "/news" or line.startswith("/news "):
        return CommandLine(line[len("/news") :].strip())
    match = _REACTION.match(line)
    if match:
        sign, emoji, ref = match.groups()
        emoji = (
            emoji[1:-1]
            if len(emoji) > 2 and emoji.startswith(":") and emoji.endswith(":")
            else emoji
        )
        return ReactionLine(added=sign == "+", emoji=emoji, ref=ref.strip("[]"))
    return Unknown(line)
