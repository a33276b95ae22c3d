"""Quotation spans: pairing quote marks (straight, curly, single; apostrophes never open or
close a quote), quotes running over paragraphs, interrupted quotes, titles and named works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digests.quotes.context import sentence_start

MIN_WORDS = 4
_WORD = re.compile(r"[\w’'-]*\w")
_OPENERS_D = "“„"
_CLOSERS_D = "”"
_BEFORE_OPEN = " \t\n([{—–-/:;,…"  # characters after which a straight quote opens


@dataclass
class Span:
    start: int  # opening mark
    end: int  # after closing mark
    text: str
    para_start: int
    para_end: int
    speaker: str | None = None
    how: str = ""  # rule family: "tail", "head", "inherit", "context", "implicit" or ""
    rule: str = ""  # id of the rule that gave the speaker (see RULES.md)
    attr_end: int = -1  # where a tail attribution ends
    unclosed: bool = False  # ran to the paragraph end without a closing mark
    lo: int = 0  # where this quote's own sentence may start (after the previous quote)
    # subject of the sentence after the quote ("“….” It said it was …"): a last resort
    next_subject: str | None = None


def _is_letter(c: str) -> bool:
    return c.isalnum()


_QUOTE_CHARS = re.compile("[\"“”„'‘’]")


def find_spans(text: str) -> list[Span]:
    """Pair quotation marks paragraph by paragraph; linear in the text length."""
    spans: list[Span] = []
    pos = 0
    n = len(text)
    dangling = False
    while pos < n:
        pe = text.find("\n\n", pos)
        if pe < 0:
            pe = n
        before = len(spans)
        _scan_paragraph(text, pos, pe, spans, dangling)
        tail = text[max(pos, pe - 2) : pe].rstrip()
        dangling = (len(spans) > before and spans[-1].unclosed) or tail.endswith(('"', "“"))
        pos = pe + 2
    return spans


def _scan_paragraph(text: str, ps: int, pe: int, out: list[Span], dangling: bool) -> None:
    open_at = -1
    kind = ""  # '"' double, "'" straight single, "‘" curly single
    first = dangling
    for qm in _QUOTE_CHARS.finditer(text, ps, pe):  # only quote marks, not every character
        i = qm.start()
        c = text[i]
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        if open_at < 0:
            if (
                first
                and i > ps
                and (
                    c in _CLOSERS_D
                    or (
                        c == '"' and not prev.isspace() and not prev.isdigit() and not nxt.isalnum()
                    )
                )
            ):
                # A paragraph that continues a quote opened in the previous one.
                out.append(Span(ps - 1, i + 1, text[ps:i], ps, pe))
                first = False
                continue
            if c in _OPENERS_D or (c == '"' and not nxt.isspace() and not prev.isdigit()):
                open_at, kind = i, '"'
            elif c in "'‘" and (prev in _BEFORE_OPEN or prev in '“"') and _is_letter(nxt):
                if not (c == "'" and _elision(text, i + 1, pe)):
                    open_at, kind = i, c
        else:
            closes = False
            if kind == '"':
                if c in _CLOSERS_D or (c == '"' and not prev.isspace()):
                    closes = True
                elif c in _OPENERS_D:  # an unclosed quote: restart here
                    open_at = i
            elif kind == "'" and c == "'" and not _is_letter(nxt) and not prev.isspace():
                # "young farmers' sons to come …,' he said": a plural possessive, not the end
                closes = not (prev in "sS" and _straight_possessive(text, i, pe))
            elif kind == "‘" and c == "’" and not _is_letter(nxt) and not prev.isspace():
                closes = not (prev in "sS" and nxt == " " and _possessive(text, i, pe))
            if closes:
                out.append(Span(open_at, i + 1, text[open_at + 1 : i], ps, pe))
                open_at = -1
        if c in '"“”':
            first = False
    if open_at >= 0 and kind == '"':
        # News style: a quote running on into the next paragraph is left open here.
        body = text[open_at + 1 : pe]
        if body.strip():
            out.append(Span(open_at, pe, body, ps, pe, unclosed=True))


def _elision(text: str, i: int, pe: int) -> bool:
    """'90s, 'em, 'til, 'n': a leading apostrophe, not an opening quote."""
    j = i
    while j < pe and text[j].isalnum():
        j += 1
    word = text[i:j].lower()
    return word[:1].isdigit() or word in {"em", "til", "tis", "twas", "n", "cause", "bout", "round"}


# Words that follow a closing quote, never a plural possessive ("pharmacies' and pointed").
_NOT_AFTER_POSSESSIVE = frozenset(
    """and or but to in on at for as with which that who the a an is was were are said says
    he she they it we adding after before from by of than while when where if so nor""".split()
)


def _straight_possessive(text: str, i: int, pe: int) -> bool:
    """ "young farmers' sons …,' he said": a plural possessive, not the closing mark."""
    after = _WORD.match(text, i + 2)
    return (
        text[i + 1 : i + 2] == " "
        and _possessive(text, i, pe, "'")
        and after is not None
        and after.group(0) not in _NOT_AFTER_POSSESSIVE
    )


def _possessive(text: str, i: int, pe: int, mark: str = "’") -> bool:
    """Plural possessive (players’ union) when a later ``mark`` in the paragraph could close
    instead."""
    return text.find(mark, i + 1, pe) > 0 and text[i + 2 : i + 3].islower()


def word_count(s: str) -> int:
    return len(_WORD.findall(s))


def looks_like_title(s: str) -> bool:
    """'Happy Gilmore 2', 'The Secret Life of Pets': capitalised words, no sentence."""
    words = s.strip().rstrip(",.").split()
    if not words or len(words) > 12 or re.search(r"[.!?;,:]\s", s.strip()):
        return False
    content = [w for w in words if len(w) > 3 or w[:1].isdigit()]
    caps = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return words[0][:1].isupper() and bool(content) and caps / len(content) >= 0.75


_WORK_CUE = re.compile(
    r"\b(?:research|report|study|paper|survey|article|essay|whitepaper|labell?ed|titled|"
    r"entitled|section|tab|button|menu|option|setting|category|click|clicks|clicking|tap|"
    r"tapping|select|press)\s*[,:]?\s*$",
    re.I,
)


def named_work(text: str, start: int) -> bool:
    """A report, study or on-screen label named by its title ("click “I have another
    reason”"), not a quotation."""
    return bool(_WORK_CUE.search(text, max(0, start - 25), start))


def continues(kept: list[Span], sp: Span, text: str) -> bool:
    """A short second half of an interrupted quote ("“A,” she said. “Ok.”") still counts."""
    if not kept:
        return False
    a = kept[-1]
    return a.how == "tail" and a.attr_end >= 0 and not text[a.attr_end : sp.start].strip(" .,;:")


def _opens_sentence(text: str, sp: Span) -> bool:
    """False for a fragment after a word of the writer's sentence ("was “put on hold”")."""
    head = text[sentence_start(text, max(sp.para_start, sp.start - 300), sp.start) : sp.start]
    return not (head.strip() and head[-1:].isspace() and head.rstrip()[-1:].isalnum())


def merge_interrupted(spans: list[Span], text: str) -> list[Span]:
    out: list[Span] = []
    for sp in spans:
        if out:
            a = out[-1]
            # an attribution running past the next quote's start is no gap between them
            gap = text[a.attr_end : sp.start] if 0 <= a.attr_end <= sp.start else "x"
            if (
                a.how == "tail"
                and a.para_start == sp.para_start
                and not gap.strip(" .,;:")
                and (sp.speaker is None or sp.speaker == a.speaker)
                and not looks_like_title(sp.text)  # "…,” she said of “The Long Way Back”
                and _opens_sentence(text, a)  # not a fragment woven into the writer's sentence
            ):
                first = a.text.rstrip()
                if first.endswith(",") and "." in gap:
                    first = first[:-1] + "."
                a.text = first + " " + sp.text.lstrip()
                a.attr_end = -1
                if sp.how == "tail":
                    a.attr_end = sp.attr_end
                continue
            if (
                a.unclosed
                and sp.start == sp.para_start == a.para_end + 2
                and (a.speaker is None or sp.speaker is None or a.speaker == sp.speaker)
            ):
                # News style: a quote over several paragraphs only closes in the last one.
                a.text = a.text.rstrip() + " " + sp.text.lstrip()
                a.end, a.para_end, a.unclosed = sp.end, sp.para_end, sp.unclosed
                if a.speaker is None:
                    a.speaker, a.how, a.attr_end = sp.speaker, sp.how, sp.attr_end
                    a.rule = sp.rule
                continue
        out.append(sp)
    return out
