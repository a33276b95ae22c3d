"""Rule family *transcripts*: interview and debate transcripts as turns with speakers.

"WALLACE: Do you think …?  PENCE: I think …" carries no quotation marks; each paragraph
that opens with a speaker label in capitals is one turn, said by that speaker (resolved to
the fullest name the article gives: "WALLACE" -> "Chris Wallace").  A text is read as a
transcript only when at least two different labels open paragraphs, so a lone "NEW:" or
"UPDATE:" never makes one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "WALLACE:", "SEN. KLOBUCHAR:", "CHRIS WALLACE:" at a paragraph start.
_TURN = re.compile(
    r"(?P<label>(?:(?:SEN|REP|GOV|DR|MR|MRS|MS|PROF)\.\s+)?[A-Z][A-Z’'-]+(?:\s+[A-Z][A-Z’'-]+){0,2})"
    r":\s+(?P<body>\S)"
)
# Labels that head notes, not speakers.
_NOT_SPEAKERS = frozenset(
    """NEW UPDATE UPDATED BREAKING EDITOR NOTE CORRECTION WATCH READ MORE PHOTO PHOTOS VIDEO
    SOURCE SOURCES CREDIT CREDITS DISCLOSURE RELATED ALSO SEE TL DR FAQ WARNING SPOILER
    SPOILERS TRANSCRIPT EXCLUSIVE ANALYSIS OPINION LIVE""".split()
)
MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class Turn:
    """One transcript turn: its label and the span of what was said."""

    label: str
    start: int  # first character of what was said
    end: int  # end of the paragraph
    para_start: int


def turns(text: str) -> list[Turn]:
    """Every labelled turn, or [] when the text is not a transcript."""
    if ":" not in text:
        return []
    found: list[Turn] = []
    pos = 0
    while pos < len(text):
        pe = text.find("\n\n", pos)
        pe = len(text) if pe < 0 else pe
        m = _TURN.match(text, pos, pe)
        if m and m.group("label").split()[-1].rstrip(".") not in _NOT_SPEAKERS:
            body = text[m.start("body") : pe].strip()
            if len(body.split()) >= MIN_WORDS:
                found.append(Turn(m.group("label"), m.start("body"), pe, pos))
        pos = pe + 2
    if len({t.label for t in found}) < 2:
        return []
    return found


def speaker_of(label: str) -> str:
    """'WALLACE' -> 'Wallace', 'SEN. KLOBUCHAR' -> 'Klobuchar' (before name resolution)."""
    words = [w for w in label.split() if not w.endswith(".")]
    return " ".join(w.capitalize() if "-" not in w else w.title() for w in words)
