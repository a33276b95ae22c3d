"""Quotes with no attribution of their own that continue an attributed one: in the same
sentence, later in the paragraph, or in the next paragraph.
"""

from __future__ import annotations

import re
from itertools import pairwise

from digests.quotes.context import SENT_END, sentence_start
from digests.quotes.lexicon import speech_verb_re
from digests.quotes.resolve import QUOTED
from digests.quotes.spans import Span

# "…,” hours before the attorney general opened …": a clause with a subject of its own
_NEW_SUBJECT = re.compile(
    r"\b(?:before|after|while|when|as|because|since|whereas|although|though|until)\s+"
    r"(?:the\s|a\s|an\s|[A-Z])"
)


def same_sentence(spans: list[Span], text: str) -> None:
    """A quote with no attribution of its own in a sentence that already quoted someone is
    that person's too: 'Pemberton said it was “too little, too late” and accused ministers
    of “kicking the can down the road”'; '“…,” the company said, adding that it had “…”'."""
    for i, sp in enumerate(spans):
        if sp.speaker is not None or i == 0:
            continue
        s0 = sentence_start(text, max(sp.para_start, sp.start - 400), sp.start)
        for prev in reversed(spans[:i]):
            if prev.start < s0:
                break
            if prev.speaker:
                if not _NEW_SUBJECT.search(text, prev.end, sp.start):
                    sp.speaker, sp.how = prev.speaker, "context"
                    sp.rule = "inherit.same-sentence"
                break


def inherit_back(spans: list[Span], text: str) -> None:
    """“A,” … “B,” Cash App says. — an attribution closing a sentence covers all its quotes."""
    for a, b in pairwise(spans):
        if (
            a.speaker is None
            and b.how == "tail"
            and a.para_start == b.para_start
            and not SENT_END.search(text, a.end, b.start)
            and b.attr_end >= 0
            and text[b.attr_end : b.attr_end + 1] in (".", "")
        ):
            a.speaker, a.how, a.rule = b.speaker, "inherit", "inherit.sentence-end"


def inherit(spans: list[Span], text: str) -> None:
    """An unattributed quote following an attributed one, in the same or the next paragraph."""
    last: Span | None = None
    for sp in spans:
        if sp.speaker is None and last is not None and last.speaker:
            same_para = last.para_start == sp.para_start
            after = QUOTED.sub("", text[last.end : last.para_end]).strip()  # its own quotes aside
            next_para = (
                not same_para
                and last.para_end == sp.para_start - 2
                and len(after) < 120
                and (
                    sp.start == sp.para_start
                    or (
                        sp.start < sp.para_start + 40
                        and (after.endswith(":") or text[sp.para_start] in '“"‘')
                    )
                )
            )  # the paragraph after "…, including:" is a list item of the same source
            gap = text[last.end : sp.start]
            same_sentence = (
                same_para
                and not SENT_END.search(gap)
                and len(gap.split()) <= 30
                and not re.search(r"\b[A-Z]", gap)
                and not speech_verb_re().search(gap)
                and not _NEW_SUBJECT.search(gap)
            )  # "He says there is “A” and that the platform may need “B”"
            if (same_para and sp.text.strip()[:1].isupper()) or next_para or same_sentence:
                sp.speaker, sp.how, sp.rule = last.speaker, "inherit", "inherit.continues"
        last = sp
