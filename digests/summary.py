"""Extractive lead summaries: the first good sentences of the article, whole.

On news the lead sentences are the strongest cheap baseline (the inverted pyramid
puts the event first); what breaks naive lead-3 is junk in front of the lead —
bylines, "Updated at …", photo credits, promo lines, list headers, the headline
repeated — and sentences cut in half. So we walk the sentences in order, skip
what is not prose, and stop at three sentences or ``max_chars``. The
front-matter ``excerpt`` is never used: it is cut mid-sentence at the source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from digests.models import Article
from digests.sentences import split_paragraphs, split_sentences

__all__ = ["is_caption", "is_junk_sentence", "summarize"]

MAX_SENTENCES = 3
MIN_WORDS = 4

_JUNK_START = re.compile(
    r"""^(?:posted\s+(?:by|on|at)\b|written\s+by\b|updated\b|published\b|last\s+updated\b|
    advertisement\b|sponsored\b|subscribe\b|sign\s+up\b|read\s+(?:more|the\s+full|next|also)\b|
    click\s+here\b|follow\s+us\b|share\s+(?:this|on)\b|related\b|see\s+also\b|also\s+read\b|
    image(?:\s+credit)?\s*:|photo(?:\s+credit)?\s*:|credit\s*:|source\s*:|sources\s*:|
    internal\s+links\s*:|tags?\s*:|filed\s+under\b|what'?s\s+your\s+reaction|faqs?\b|
    this\s+(?:article|story|post)\s+(?:originally\s+)?(?:appeared|was\s+originally)|
    sneak\s+peek\s*:|editor'?s\s+note\b|disclosure\s*:|(?:tech\s+)?home\s+\w+)""",
    re.IGNORECASE | re.VERBOSE,
)
_JUNK_ANYWHERE = re.compile(
    r"""(?:getty\s+images|via\s+(?:getty|reuters|ap\b|shutterstock)|\(photo\s+by|\|\s*image\s*:|
    we\s+may\s+earn\s+(?:a\s+)?(?:commission|affiliate)|affiliate\s+(?:commission|link)|
    all\s+rights\s+reserved|cookie\s+policy|https?://|www\.|\{\{|\}\}|
    read\s+the\s+full\s+story|what'?s\s+your\s+reaction|\bfaq\b|paid\s+content|
    this\s+is\s+(?:an\s+)?ad(?:vertising)?\s+content|sponsored\s+content|produced\s+by\s+\w+\s+brandx)""",
    re.IGNORECASE | re.VERBOSE,
)
# "By Jane Doe, Senior Reporter" / "By Jane Doe | Nov 18" — short, a name right after "By"
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)+\s*(?:[,|·—–-]|$)")
_MARKUP = re.compile(r"<[A-Za-z/!][^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
# no '[' / '<' inside a match: each pattern then scans a stretch of text once, not once per
# opening bracket (a body of a million '[' took minutes with '[^\]]*')
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")  # an image's alt text is no prose
# Photo captions and credits that survive as text.
_CAPTION_MARK = re.compile(
    r"\((?:left|right|centre|center|top|bottom|pictured|l-r|from\s+left)\)|\bpictured\b|"
    r"^(?:photo(?:graph)?|image|illustration|screenshot|video|credit)s?(?:\s+credit)?\s*[:|]|"
    r"\b(?:photo(?:graph)?|image|illustration)\s+(?:by|courtesy|credit)\b|"
    r"\bcourtesy\s+of\s+[A-Z]",
    re.IGNORECASE,
)
# "Braverman and Sunak outside Downing Street on October 25, 2022." — a caption: it ends
# on a dated place and has no verb in a tense news prose uses.
_DATED_END = re.compile(
    r"\b(?:on|in)\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+"
    r"\d{1,2},?\s+)?\d{4}\.?[\"'”’)]*$"
)
_PROSE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|should|"
    r"did|does|do|said|says|told|[a-z]{3,}ed)\b"
)
# "Kerry Wan/ZDNETApple has …": a photo credit glued to the next sentence.
_CREDIT_PREFIX = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}?[A-Z][\w.'’-]+\s*/\s*(?:Getty\s+Images|[A-Z]{2,}(?=[A-Z][a-z])|"
    r"[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?(?=\s))\s*"
)
_MD_SYNTAX = re.compile(r"(?:\*\*|__|`+|^#{1,6}\s+|^>\s*)", re.MULTILINE)
_TERMINAL = re.compile(r"""[.!?]["'”’)\]]*$""")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


def _clean(sentence: str) -> str:
    """Last-resort scrub of markup that should not have survived ingest."""
    if "&" in sentence:
        sentence = html.unescape(sentence)
    if "<" in sentence or "[" in sentence or "*" in sentence or "`" in sentence or "#" in sentence:
        sentence = _MARKUP.sub("", sentence)
        sentence = _MD_IMAGE.sub("", sentence)
        sentence = _MD_LINK.sub(r"\1", sentence)
        sentence = _MD_SYNTAX.sub("", sentence)
    if "/" in sentence:
        sentence = _CREDIT_PREFIX.sub("", sentence)
    return re.sub(r"\s+", " ", sentence).strip()


def _title_words(title: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(title)}


def is_junk_sentence(sentence: str, title_words: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether a sentence is not summary material (boilerplate, fragment, headline, list intro)."""
    words = _WORD.findall(sentence)
    if len(words) < MIN_WORDS:
        return True
    if not _TERMINAL.search(sentence):  # fragments, list intros ("… include:"), cut-offs ("a b …")
        return True
    if _JUNK_START.match(sentence) or _JUNK_ANYWHERE.search(sentence):
        return True
    if len(words) <= 12 and _BYLINE.match(sentence):
        return True
    if _MARKUP.search(sentence):
        return True
    if is_caption(sentence):
        return True
    # navigation strips and headings: almost every word capitalised
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    if len(words) >= 4 and capitalised / len(words) > 0.7:
        return True
    # the headline repeated as the first line
    if title_words:
        lowered = {w.lower() for w in words}
        if len(lowered & title_words) / len(lowered) >= 0.8 and len(words) <= len(title_words) + 3:
            return True
    return False


def is_caption(sentence: str) -> bool:
    """A photo caption, credit or alt text rather than prose: caption wording ("(left)",
    "pictured", "Photo: …", "Image by …"), or a short dated line with no verb in a tense
    news prose uses ("Braverman and Sunak in London on October 25, 2022.")."""
    if _CAPTION_MARK.search(sentence):
        return True
    words = _WORD.findall(sentence)
    return (
        len(words) <= 30 and bool(_DATED_END.search(sentence)) and not _PROSE_VERB.search(sentence)
    )


def _shorten(sentence: str, max_chars: int) -> str:
    """Cut one over-long sentence at a word boundary and mark the cut with "…"."""
    cut = sentence[: max_chars - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:—–-(\"'“‘") + "…"


def _prose_sentences(text: str, prose: list[str], listed: list[str]) -> Iterator[str]:
    """Prose sentences in reading order, split only as far as they are read.

    A summary needs the first few good sentences, not the whole article split up (that
    was two thirds of summarising). Sentences read so far are kept in ``prose``, list-item
    sentences passed on the way in ``listed``; both are complete once this is exhausted.
    """
    for paragraph in split_paragraphs(text):
        if "&" in paragraph:
            paragraph = html.unescape(paragraph)
        if paragraph.startswith(("• ", "- ", "* ")):
            item = paragraph[2:].strip()
            # "Label: sentence …" list items read fine without their label
            label, sep, rest = item.partition(": ")
            if sep and len(label.split()) <= 4:
                item = rest
            listed.extend(split_sentences(item))
        else:
            for sentence in split_sentences(paragraph):
                prose.append(sentence)
                yield sentence


def _pick(candidates: Iterable[str], title_words: set[str], max_chars: int) -> str:
    """Up to MAX_SENTENCES good sentences within ``max_chars``; "" only after reading all."""
    chosen: list[str] = []
    length = 0
    too_long = ""  # the first good sentence, when it does not fit: cut only as a last resort
    for raw in candidates:
        sentence = _clean(raw)
        if is_junk_sentence(sentence, title_words) or sentence in chosen:
            continue
        if not chosen:
            if len(sentence) > max_chars:
                too_long = too_long or sentence  # a later whole sentence beats a cut one
                continue
            chosen.append(sentence)
            length = len(sentence)
        elif length + 1 + len(sentence) <= max_chars:
            chosen.append(sentence)
            length += 1 + len(sentence)
        else:
            break
        if len(chosen) >= MAX_SENTENCES:
            break
    if not chosen and too_long:
        return _shorten(too_long, max_chars)
    return " ".join(chosen)


def summarize(article: Article, max_chars: int = 320) -> str:
    """1–3 complete lead sentences of ``article``, at most ``max_chars`` characters.

    If even the first good sentence is longer than ``max_chars`` it is cut at a
    word boundary and ends with "…"; text cut off at the source also ends with "…".
    Returns "" when the text has no prose at all.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1 (got {max_chars})")
    title_words = _title_words(article.title)
    prose: list[str] = []
    listed: list[str] = []
    summary = _pick(_prose_sentences(article.text, prose, listed), title_words, max_chars)
    if not summary:  # every prose sentence was read, so ``prose`` and ``listed`` are complete
        # list items only when the article has no usable prose (bullet-only rewrites)
        summary = _pick(listed, title_words, max_chars) or _fragment(prose, title_words, max_chars)
    return summary


def _fragment(candidates: list[str], title_words: set[str], max_chars: int) -> str:
    """Last resort for text cut off at the source ("… some of the most promising, AI…"):
    the first clean fragment, visibly marked as cut with "…"."""
    for raw in candidates:
        sentence = _clean(raw).rstrip(" .…")
        if is_junk_sentence(sentence + ".", title_words):
            continue
        if len(sentence) + 1 > max_chars:
            return _shorten(sentence, max_chars)
        return sentence + "…"
    return ""
